/* stats.h — the statistics behind `ocbench compare` and the report tables.
 *
 * Plain functions over arrays of doubles: no allocation except inside the
 * permutation test's scratch space.  Standard deviations are sample
 * standard deviations (n - 1).  Welch's t-test does not assume equal
 * variances, which is the usual case when a change moves the noise too; its
 * two-sided p-value comes from Student's t distribution through the
 * regularized incomplete beta function.  For few repeats the t
 * distribution's assumptions cannot be checked, so compare also runs an
 * exact (or, past a size limit, Monte Carlo) permutation test on the
 * difference of means, which assumes nothing but exchangeability.
 */
#ifndef OCB_STATS_H
#define OCB_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stats_summary {
	size_t n;
	double mean;
	double sd;	/* sample sd; 0 when n < 2 */
};

double stats_mean(const double *x, size_t n);
double stats_sd(const double *x, size_t n);
void stats_summarize(const double *x, size_t n, struct stats_summary *s);
/* Coefficient of variation in percent (sd / |mean| * 100); 0 when mean is 0. */
double stats_cv_pct(const struct stats_summary *s);

/* Regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1. */
double stats_betainc(double a, double b, double x);
/* Two-sided p-value of Student's t with df degrees of freedom. */
double stats_t_p2(double t, double df);

struct welch {
	double t;
	double df;
	double p;	/* two-sided */
};

/* Welch's t-test of a against b (t > 0 when mean(a) > mean(b)).  Needs
 * n >= 2 on both sides: -1 otherwise.  Two constant samples give t = 0,
 * p = 1 when equal and t = +-inf, p = 0 when not. */
int stats_welch(const struct stats_summary *a, const struct stats_summary *b, struct welch *w);

/* Two-sided permutation test on |mean(a) - mean(b)|.  Exact enumeration
 * when C(na + nb, na) <= max_exact, else `rounds` random relabellings from
 * a fixed seed (p = (hits + 1) / (rounds + 1)).  *exact says which. */
double stats_permutation_p(const double *a, size_t na, const double *b, size_t nb,
			   uint64_t max_exact, unsigned rounds, uint64_t seed, int *exact);
/* The smallest two-sided p an exact permutation test can reach:
 * 2 / C(na + nb, na) (1 / C for a single arrangement). */
double stats_permutation_min_p(size_t na, size_t nb);
/* C(n, k) as a double (exact below 2^53). */
double stats_binomial(size_t n, size_t k);

#endif
