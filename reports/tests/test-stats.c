/* Unit tests: statistics (stats.c) against textbook reference values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>

#include "reports/stats.h"

#define assert_near(a, b, tol) do { \
	double a_ = (a), b_ = (b); \
	if (!(fabs(a_ - b_) <= (tol))) \
		fail_msg("%s = %.10g, expected %.10g +- %g", #a, a_, b_, (double)(tol)); \
} while (0)

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_mean_sd(void **state)
{
	/* the classic example: mean 5, population sd 2, sample sd sqrt(32/7) */
	static const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct stats_summary s;

	(void)state;
	stats_summarize(x, N(x), &s);
	assert_int_equal(s.n, 8);
	assert_near(s.mean, 5.0, 1e-12);
	assert_near(s.sd, sqrt(32.0 / 7.0), 1e-12);
	assert_near(stats_cv_pct(&s), sqrt(32.0 / 7.0) / 5.0 * 100, 1e-9);
	assert_near(stats_sd(x, 1), 0, 0);
	assert_true(isnan(stats_mean(x, 0)));
}

static void test_betainc(void **state)
{
	(void)state;
	/* I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b; I_0.5(a, a) = 0.5 */
	assert_near(stats_betainc(3, 1, 0.4), pow(0.4, 3), 1e-12);
	assert_near(stats_betainc(1, 4, 0.3), 1 - pow(0.7, 4), 1e-12);
	assert_near(stats_betainc(7.5, 7.5, 0.5), 0.5, 1e-12);
	/* I_0.5(2, 3) = 11/16 (binomial sum) */
	assert_near(stats_betainc(2, 3, 0.5), 0.6875, 1e-12);
	assert_near(stats_betainc(2, 3, 0), 0, 0);
	assert_near(stats_betainc(2, 3, 1), 1, 0);
}

static void test_t_distribution(void **state)
{
	(void)state;
	/* two-sided 5 % and 1 % critical values of Student's t tables */
	assert_near(stats_t_p2(12.706, 1), 0.05, 1e-4);
	assert_near(stats_t_p2(4.303, 2), 0.05, 1e-4);
	assert_near(stats_t_p2(2.228, 10), 0.05, 1e-4);
	assert_near(stats_t_p2(2.086, 20), 0.05, 1e-4);
	assert_near(stats_t_p2(3.169, 10), 0.01, 1e-4);
	assert_near(stats_t_p2(2.576, 1e7), 0.01, 1e-4);	/* normal limit */
	assert_near(stats_t_p2(0, 5), 1.0, 1e-12);
	assert_near(stats_t_p2(-2.228, 10), stats_t_p2(2.228, 10), 1e-15);
	/* t = 1 with 1 df: the Cauchy distribution, p = 0.5 exactly */
	assert_near(stats_t_p2(1, 1), 0.5, 1e-12);
}

static void welch_of(const double *a, size_t na, const double *b, size_t nb, struct welch *w)
{
	struct stats_summary sa, sb;

	stats_summarize(a, na, &sa);
	stats_summarize(b, nb, &sb);
	assert_int_equal(stats_welch(&sa, &sb, w), 0);
}

/* The three worked examples of Welch's t-test (as on Wikipedia, from
 * Ruxton 2006's setting): published t, df and two-sided p. */
static void test_welch_reference(void **state)
{
	static const double a1[] = { 27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6,
				     23.1, 19.6, 19.0, 21.7, 21.4 };
	static const double a2[] = { 27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2,
				     21.9, 22.1, 22.9, 20.5, 24.4 };
	static const double b1[] = { 17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8 };
	static const double b2[] = { 21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8,
				     20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8 };
	static const double c1[] = { 19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0 };
	static const double c2[] = { 28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7,
				     23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3 };
	struct welch w;

	(void)state;
	welch_of(a1, N(a1), a2, N(a2), &w);
	assert_near(w.t, -2.46, 0.005);
	assert_near(w.df, 24.99, 0.01);
	assert_near(w.p, 0.021, 0.0005);

	welch_of(b1, N(b1), b2, N(b2), &w);
	assert_near(w.t, -1.57, 0.005);
	assert_near(w.df, 9.91, 0.01);
	assert_near(w.p, 0.149, 0.0005);

	welch_of(c1, N(c1), c2, N(c2), &w);
	assert_near(w.t, -2.22, 0.01);	/* -2.2255, published as -2.22 */
	assert_near(w.df, 24.52, 0.01);	/* Welch-Satterthwaite, checked by hand */
	assert_near(w.p, 0.036, 0.001);
	/* and to 5 digits against numerical integration of the t density */
	assert_near(w.p, 0.035485, 1e-5);
}

static void test_welch_edges(void **state)
{
	struct stats_summary a = { 1, 5, 0 }, b = { 3, 5, 1 }, c = { 3, 5, 0 }, d = { 3, 6, 0 };
	struct welch w;

	(void)state;
	assert_int_equal(stats_welch(&a, &b, &w), -1);	/* n < 2 */
	assert_int_equal(stats_welch(&c, &c, &w), 0);
	assert_near(w.p, 1, 0);
	assert_int_equal(stats_welch(&d, &c, &w), 0);
	assert_near(w.p, 0, 0);
	assert_true(isinf(w.t) && w.t > 0);
}

static void test_permutation(void **state)
{
	static const double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 };
	static const double x[] = { 10, 11, 12, 13, 14 }, y[] = { 20, 21, 22, 23, 24 };
	static const double same1[] = { 1, 2, 3, 4 }, same2[] = { 4, 3, 2, 1 };
	int exact = -1;
	double p;

	(void)state;
	/* 20 arrangements, the 2 extreme ones are as far apart as observed */
	p = stats_permutation_p(a, 3, b, 3, 1000, 0, 1, &exact);
	assert_int_equal(exact, 1);
	assert_near(p, 0.1, 1e-12);
	assert_near(stats_permutation_min_p(3, 3), 0.1, 1e-12);
	assert_near(stats_permutation_min_p(5, 5), 2.0 / 252, 1e-12);
	assert_near(stats_binomial(10, 5), 252, 0);

	p = stats_permutation_p(x, 5, y, 5, 1000, 0, 1, &exact);
	assert_near(p, 2.0 / 252, 1e-12);
	p = stats_permutation_p(same1, 4, same2, 4, 1000, 0, 1, &exact);
	assert_near(p, 1.0, 1e-12);

	/* Monte Carlo when the exact enumeration is refused: close to exact */
	p = stats_permutation_p(x, 5, y, 5, 10, 20000, 42, &exact);
	assert_int_equal(exact, 0);
	assert_true(p > 0 && p < 0.02);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mean_sd),
		cmocka_unit_test(test_betainc),
		cmocka_unit_test(test_t_distribution),
		cmocka_unit_test(test_welch_reference),
		cmocka_unit_test(test_welch_edges),
		cmocka_unit_test(test_permutation),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
