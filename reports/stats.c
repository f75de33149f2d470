/* stats.c — see stats.h. */
#include "reports/stats.h"
#include "util/xalloc.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

double stats_mean(const double *x, size_t n)
{
	double s = 0;

	if (!n)
		return NAN;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s / (double)n;
}

double stats_sd(const double *x, size_t n)
{
	double m, ss = 0;

	if (n < 2)
		return 0;
	m = stats_mean(x, n);
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	return sqrt(ss / (double)(n - 1));
}

void stats_summarize(const double *x, size_t n, struct stats_summary *s)
{
	s->n = n;
	s->mean = stats_mean(x, n);
	s->sd = stats_sd(x, n);
}

double stats_cv_pct(const struct stats_summary *s)
{
	if (s->n < 2 || s->mean == 0 || !isfinite(s->mean))
		return 0;
	return s->sd / fabs(s->mean) * 100.0;
}

/* Continued fraction of the incomplete beta function, evaluated with the
 * modified Lentz method; converges fast for x < (a + 1) / (a + b + 2). */
static double betainc_cf(double a, double b, double x)
{
	const double tiny = 1e-300, eps = 1e-15;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= 1000; m++) {
		double m2 = 2.0 * m, num, delta;

		/* even step */
		num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + num * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + num / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		h *= d * c;
		/* odd step */
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + num / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1) < eps)
			break;
	}
	return h;
}

double stats_betainc(double a, double b, double x)
{
	double front;

	if (!(a > 0) || !(b > 0) || isnan(x))
		return NAN;
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * betainc_cf(a, b, x) / a;
	return 1 - front * betainc_cf(b, a, 1 - x) / b;
}

double stats_t_p2(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0;
	return stats_betainc(df / 2, 0.5, df / (df + t * t));
}

int stats_welch(const struct stats_summary *a, const struct stats_summary *b, struct welch *w)
{
	double va, vb, se2;

	if (a->n < 2 || b->n < 2)
		return -1;
	va = a->sd * a->sd / (double)a->n;
	vb = b->sd * b->sd / (double)b->n;
	se2 = va + vb;
	if (se2 <= 0) {
		/* both samples constant: the difference is exact */
		w->df = (double)(a->n + b->n - 2);
		if (a->mean == b->mean) {
			w->t = 0;
			w->p = 1;
		} else {
			w->t = a->mean > b->mean ? INFINITY : -INFINITY;
			w->p = 0;
		}
		return 0;
	}
	w->t = (a->mean - b->mean) / sqrt(se2);
	w->df = se2 * se2 / (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
	w->p = stats_t_p2(w->t, w->df);
	return 0;
}

double stats_binomial(size_t n, size_t k)
{
	double r = 1;

	if (k > n)
		return 0;
	if (k > n - k)
		k = n - k;
	for (size_t i = 1; i <= k; i++)
		r = r * (double)(n - k + i) / (double)i;
	return floor(r + 0.5);
}

double stats_permutation_min_p(size_t na, size_t nb)
{
	double c = stats_binomial(na + nb, na);

	if (c <= 0)
		return 1;
	/* with equal sizes both extreme arrangements give the same |diff| */
	return (na == nb ? 2.0 : 1.0) / c;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* |mean of the first k of pool - mean of the rest| given the first k's sum */
static double absdiff(double sum_a, size_t na, double total, size_t nb)
{
	return fabs(sum_a / (double)na - (total - sum_a) / (double)nb);
}

double stats_permutation_p(const double *a, size_t na, const double *b, size_t nb,
			   uint64_t max_exact, unsigned rounds, uint64_t seed, int *exact)
{
	size_t n = na + nb;
	double *pool, total = 0, sum_a = 0, observed, tol, hits = 0, trials = 0;
	double combos = stats_binomial(n, na);

	if (!na || !nb)
		return NAN;
	pool = xmallocarray(n, sizeof(*pool));
	for (size_t i = 0; i < na; i++) {
		pool[i] = a[i];
		sum_a += a[i];
	}
	for (size_t i = 0; i < nb; i++)
		pool[na + i] = b[i];
	for (size_t i = 0; i < n; i++)
		total += pool[i];
	observed = absdiff(sum_a, na, total, nb);
	/* sums computed in another order differ in the last bits */
	tol = 1e-9 * (fabs(observed) + fabs(total) / (double)n) + DBL_MIN;

	if (combos <= (double)max_exact) {
		size_t *idx = xmallocarray(na, sizeof(*idx));

		for (size_t i = 0; i < na; i++)
			idx[i] = i;
		for (;;) {
			double s = 0;
			size_t i;

			for (i = 0; i < na; i++)
				s += pool[idx[i]];
			trials++;
			if (absdiff(s, na, total, nb) >= observed - tol)
				hits++;
			/* next combination in lexicographic order */
			i = na;
			while (i > 0 && idx[i - 1] == n - na + i - 1)
				i--;
			if (i == 0)
				break;
			idx[i - 1]++;
			for (size_t j = i; j < na; j++)
				idx[j] = idx[j - 1] + 1;
		}
		free(idx);
		free(pool);
		if (exact)
			*exact = 1;
		return hits / trials;
	}

	for (unsigned r = 0; r < rounds; r++) {
		double s = 0;

		/* partial Fisher-Yates: the first na slots are a random subset */
		for (size_t i = 0; i < na; i++) {
			size_t j = i + (size_t)(splitmix64(&seed) % (n - i));
			double tmp = pool[i];

			pool[i] = pool[j];
			pool[j] = tmp;
			s += pool[i];
		}
		if (absdiff(s, na, total, nb) >= observed - tol)
			hits++;
	}
	free(pool);
	if (exact)
		*exact = 0;
	return (hits + 1) / ((double)rounds + 1);
}
