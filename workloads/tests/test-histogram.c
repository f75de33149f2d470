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

/* The percentiles checked, as exact fractions: p = num / den percent.
 * The reference below never computes p / 100 * n in floating point (the
 * formula the histogram itself got wrong, issue 14). */
static const struct {
	uint64_t num, den;
} pcts[] = { { 1, 1 }, { 10, 1 }, { 50, 1 }, { 90, 1 }, { 99, 1 }, { 999, 10 }, { 9999, 100 } };
#define NPCTS (sizeof(pcts) / sizeof(pcts[0]))

/* Nearest rank by its definition, on a sorted array: the smallest value v
 * such that at least p % of the values are <= v, found by walking the
 * array and comparing counts in integers (count / n >= num / (100 den)). */
static uint64_t exact_percentile(const uint64_t *sorted, size_t n, size_t k)
{
	for (size_t i = 0; i < n; i++) {
		size_t le = i + 1;

		while (le < n && sorted[le] == sorted[i])
			le++;	/* every copy of sorted[i] is <= it */
		if ((uint64_t)le * 100 * pcts[k].den >= pcts[k].num * n)
			return sorted[i];
	}
	return sorted[n - 1];
}

/* Record vals, then compare every reported percentile with the exact
 * nearest-rank percentile of the sorted values. */
static void check_against_exact(void)
{
	uint64_t sum = 0;

	hist_init(&h);
	for (size_t i = 0; i < N; i++) {
		hist_record(&h, vals[i]);
		sum += vals[i];
	}
	qsort(vals, N, sizeof(vals[0]), cmp_u64);
	for (size_t i = 0; i < NPCTS; i++) {
		double p = (double)pcts[i].num / (double)pcts[i].den;
		double exact = (double)exact_percentile(vals, N, i), got = (double)hist_percentile(&h, p);

		if (fabs(got - exact) > exact * HIST_REL_ERROR)
			fail_msg("p%g: histogram %.0f, exact %.0f: error %.4f%% > %.4f%%", p, got, exact,
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

/* Below HIST_LINEAR_MAX every value has its own bucket, so the histogram
 * must give the exact nearest-rank value.  The top values are distinct, so
 * rank n + 1 instead of n (p99.9 of 1000 values) shows as a wrong value;
 * round counts (100, 1000, 10000) are where the old formula went wrong. */
static void test_ranks_exact(void **state)
{
	static const size_t ns[] = { 1, 7, 100, 999, 1000, 1001, 2000, 10000, 12345 };
	static uint64_t sorted[12345], shuffled[12345];
	struct rng r = { 16 };

	for (size_t t = 0; t < sizeof(ns) / sizeof(ns[0]); t++) {
		size_t n = ns[t];

		/* 0 ... 0 1 2 ... 255: the last 255 values distinct */
		for (size_t i = 0; i < n; i++)
			sorted[i] = i + 256 > n ? (uint64_t)(i + 256 - n) : 0;
		memcpy(shuffled, sorted, n * sizeof(sorted[0]));
		for (size_t i = n; i > 1; i--) {
			size_t j = (size_t)rng_below(&r, i);
			uint64_t tmp = shuffled[i - 1];

			shuffled[i - 1] = shuffled[j];
			shuffled[j] = tmp;
		}
		hist_init(&h);
		for (size_t i = 0; i < n; i++)
			hist_record(&h, shuffled[i]);
		for (size_t k = 0; k < NPCTS; k++) {
			double p = (double)pcts[k].num / (double)pcts[k].den;
			uint64_t want = exact_percentile(sorted, n, k), got = hist_percentile(&h, p);

			if (got != want)
				fail_msg("n = %zu, p%g: histogram %llu, exact nearest rank %llu", n, p,
					 (unsigned long long)got, (unsigned long long)want);
		}
	}
}

/* hist_rank against the definition: the smallest k with k / n >= p / 100,
 * found by counting up, for every n to 3000. */
static void test_rank_formula(void **state)
{
	for (uint64_t n = 1; n <= 3000; n++)
		for (size_t k = 0; k < NPCTS; k++) {
			double p = (double)pcts[k].num / (double)pcts[k].den;
			uint64_t want = 1;

			while (want * 100 * pcts[k].den < pcts[k].num * n)
				want++;
			if (hist_rank(p, n) != want)
				fail_msg("n = %llu, p%g: rank %llu, expected %llu", (unsigned long long)n, p,
					 (unsigned long long)hist_rank(p, n), (unsigned long long)want);
		}
	assert_int_equal(hist_rank(99.9, 1000), 999);
	assert_int_equal(hist_rank(99.99, 10000), 9999);
	assert_int_equal(hist_rank(100, 1000), 1000);
	assert_int_equal(hist_rank(0.0001, 1000), 1);
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
		cmocka_unit_test(test_ranks_exact),
		cmocka_unit_test(test_rank_formula),
		cmocka_unit_test(test_small_values_exact),
		cmocka_unit_test(test_bucket_ranges),
		cmocka_unit_test(test_merge_equals_single),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
