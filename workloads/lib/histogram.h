/* histogram.h — a log-linear latency histogram (after HdrHistogram).
 *
 * Values are unsigned 64-bit integers (nanoseconds, MiB/s, ...).  Values
 * below 2 * HIST_SUB_BUCKETS are counted exactly; above, every power of two
 * is split into HIST_SUB_BUCKETS equal buckets, so a bucket is never wider
 * than 1/HIST_SUB_BUCKETS of its lower bound.  Percentiles are reported as
 * the bucket's midpoint (clamped to the exact min and max), so the
 * relative error of any reported value is at most HIST_REL_ERROR (0.39 %).
 *
 * The struct is plain fixed-size data: no allocation ever, record is a few
 * instructions with no branches that can fail and no I/O, it may live in
 * shared memory (pressure shares one with its child), and two histograms
 * merge by adding their counts.
 */
#ifndef OCB_HISTOGRAM_H
#define OCB_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS 7
#define HIST_SUB_BUCKETS (1u << HIST_SUB_BITS)		/* 128 per power of two */
#define HIST_LINEAR_MAX (2u * HIST_SUB_BUCKETS)		/* exact below 256 */
#define HIST_EXPONENTS (64 - HIST_SUB_BITS - 1)		/* 2^8 .. 2^63 */
#define HIST_BUCKETS (HIST_LINEAR_MAX + HIST_EXPONENTS * HIST_SUB_BUCKETS)
/* Half a bucket's width over its lower bound, at worst. */
#define HIST_REL_ERROR (1.0 / (2.0 * HIST_SUB_BUCKETS))

struct hist {
	uint64_t count;
	uint64_t sum;		/* saturates; the mean is then approximate */
	uint64_t min;		/* exact; UINT64_MAX while empty */
	uint64_t max;		/* exact */
	uint64_t counts[HIST_BUCKETS];
};

void hist_init(struct hist *h);

static inline size_t hist_index(uint64_t v)
{
	unsigned e, shift;

	if (v < HIST_LINEAR_MAX)
		return (size_t)v;
	e = 63u - (unsigned)__builtin_clzll(v);
	shift = e - HIST_SUB_BITS;
	return HIST_LINEAR_MAX + (size_t)(e - HIST_SUB_BITS - 1) * HIST_SUB_BUCKETS +
	       (size_t)((v >> shift) - HIST_SUB_BUCKETS);
}

/* The timed loops call this: no allocation, no I/O, no failure. */
static inline void hist_record(struct hist *h, uint64_t v)
{
	uint64_t s = h->sum + v;

	h->counts[hist_index(v)]++;
	h->count++;
	h->sum = s < h->sum ? UINT64_MAX : s;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

/* Bucket i covers [lo, hi). */
void hist_bucket_range(size_t i, uint64_t *lo, uint64_t *hi);
/* dst += src. */
void hist_merge(struct hist *dst, const struct hist *src);
/* The value at percentile p (0 < p <= 100): the smallest recorded value
 * such that at least p % of the values are <= it (the "nearest rank"
 * definition), within HIST_REL_ERROR.  0 when empty. */
uint64_t hist_percentile(const struct hist *h, double p);
/* The nearest rank (1-based) of percentile p among count values:
 * ceil(p / 100 * count) computed exactly, p taken to 4 decimals; at least
 * 1 (for count > 0) and at most count. */
uint64_t hist_rank(double p, uint64_t count);
double hist_mean(const struct hist *h);

#endif
