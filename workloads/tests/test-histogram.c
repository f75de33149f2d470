/* test-histogram.c — the histogram against exact sorted percentiles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "histogram.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N 200000

static uint64_t vals[N];
static struct hist h, h2, h3;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double normal(struct rng *r)
{
	double u1 = rng_unit(r), u2 = rng_unit(r);

	return sqrt(-2.0 * log(u1 > 0 ? u1 : 1e-300)) * cos(2 * M_PI * u2);
}

/* Record vals, then compare every reported percentile with the exact
 * nearest-rank percentile of the sorted values. */
static void check_against_exact(void)
{
	static const double ps[] = { 1, 10, 50, 90, 99, 99.9, 99.99 };
	uint64_t sum = 0;

	hist_init(&h);
	for (size_t i = 0; i < N; i++) {
		hist_record(&h, vals[i]);
		sum += vals[i];
	}
	qsort(vals, N, sizeof(vals[0]), cmp_u64);
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		size_t rank = (size_t)ceil(ps[i] / 100.0 * N);
		double exact = (double)vals[rank - 1], got = (double)hist_percentile(&h, ps[i]);

		if (fabs(got - exact) > exact * HIST_REL_ERROR)
			fail_msg("p%g: histogram %.0f, exact %.0f: error %.4f%% > %.4f%%", ps[i], got, exact,
				 fabs(got - exact) / exact * 100, HIST_REL_ERROR * 100);
	}
	assert_int_equal(hist_percentile(&h, 100), vals[N - 1]);
	assert_int_equal(h.min, vals[0]);
	assert_int_equal(h.count, N);
	assert_true(fabs(hist_mean(&h) - (double)sum / N) < 1e-6 * (double)sum / N);
}

static void test_uniform(void **state)
{
	struct rng r = { 11 };

	for (size_t i = 0; i < N; i++)
		vals[i] = 1000 + rng_below(&r, 1000000);
	check_against_exact();
}

static void test_lognormal(void **state)
{
	struct rng r = { 12 };

	for (size_t i = 0; i < N; i++)
		vals[i] = (uint64_t)exp(log(2000.0) + 1.0 * normal(&r));
	check_against_exact();
}

static void test_bimodal(void **state)
{
	struct rng r = { 13 };

	/* 4K faults around 1.3 us and 2M faults around 4.5 ms, 9:1. */
	for (size_t i = 0; i < N; i++) {
		double v = rng_below(&r, 10) ? 1300 + 100 * normal(&r) : 4.5e6 + 3e5 * normal(&r);

		vals[i] = v < 1 ? 1 : (uint64_t)v;
	}
	check_against_exact();
}

static void test_small_values_exact(void **state)
{
	hist_init(&h);
	for (uint64_t v = 0; v < 256; v++)
		hist_record(&h, v);
	assert_int_equal(hist_percentile(&h, 50), 127);
	assert_int_equal(hist_percentile(&h, 100), 255);
	assert_int_equal(h.min, 0);
}

static void test_bucket_ranges(void **state)
{
	struct rng r = { 14 };

	for (int i = 0; i < 100000; i++) {
		uint64_t v = rng_next(&r) >> rng_below(&r, 64), lo, hi;
		size_t idx = hist_index(v);

		assert_true(idx < HIST_BUCKETS);
		hist_bucket_range(idx, &lo, &hi);
		assert_true(lo <= v && (v < hi || hi == UINT64_MAX));
		/* a bucket is never wider than 1/128 of its lower bound */
		assert_true(hi - lo == 1 || (double)(hi - lo) <= (double)lo / HIST_SUB_BUCKETS);
	}
	assert_int_equal(hist_index(UINT64_MAX), HIST_BUCKETS - 1);
}

static void test_merge_equals_single(void **state)
{
	struct rng r = { 15 };

	hist_init(&h);
	hist_init(&h2);
	hist_init(&h3);
	for (int i = 0; i < 50000; i++) {
		uint64_t v = rng_below(&r, 1 << 20) + 1;

		hist_record(&h, v);
		hist_record(i % 3 ? &h2 : &h3, v);
	}
	hist_merge(&h2, &h3);
	assert_int_equal(h2.count, h.count);
	assert_int_equal(h2.sum, h.sum);
	assert_int_equal(h2.min, h.min);
	assert_int_equal(h2.max, h.max);
	assert_memory_equal(h2.counts, h.counts, sizeof(h.counts));
	assert_int_equal(hist_percentile(&h2, 99), hist_percentile(&h, 99));
}

static void test_empty(void **state)
{
	hist_init(&h);
	assert_int_equal(hist_percentile(&h, 50), 0);
	assert_true(hist_mean(&h) == 0);
	hist_init(&h2);
	hist_record(&h2, 42);
	hist_merge(&h, &h2);	/* merging into an empty one keeps min/max */
	assert_int_equal(h.min, 42);
	assert_int_equal(h.max, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_lognormal),
		cmocka_unit_test(test_bimodal),
		cmocka_unit_test(test_small_values_exact),
		cmocka_unit_test(test_bucket_ranges),
		cmocka_unit_test(test_merge_equals_single),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
