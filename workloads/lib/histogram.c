/* histogram.c — see histogram.h. */
#include "histogram.h"

#include <math.h>
#include <string.h>

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void hist_bucket_range(size_t i, uint64_t *lo, uint64_t *hi)
{
	size_t k, sub;
	unsigned shift;

	if (i < HIST_LINEAR_MAX) {
		*lo = i;
		*hi = i + 1;
		return;
	}
	k = (i - HIST_LINEAR_MAX) / HIST_SUB_BUCKETS;
	sub = (i - HIST_LINEAR_MAX) % HIST_SUB_BUCKETS + HIST_SUB_BUCKETS;
	shift = (unsigned)k + 1;
	*lo = (uint64_t)sub << shift;
	/* The very last bucket ends at 2^64, which does not fit. */
	*hi = i + 1 == HIST_BUCKETS ? UINT64_MAX : (uint64_t)(sub + 1) << shift;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	uint64_t s = dst->sum + src->sum;

	for (size_t i = 0; i < HIST_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
	dst->count += src->count;
	dst->sum = s < dst->sum ? UINT64_MAX : s;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

/* ceil(p / 100 * count) in integers: in doubles 99.9 / 100 is
 * 0.99900000000000011, so 1000 values gave rank 1000 for p99.9 instead of
 * 999 (issue 14).  p is taken to 4 decimals (parts per million of the
 * whole), exact for every percentile anyone asks for. */
uint64_t hist_rank(double p, uint64_t count)
{
	unsigned __int128 ppm, r;

	if (!(p > 0))
		return count ? 1 : 0;
	if (p >= 100.0)
		return count;
	ppm = (unsigned __int128)llround(p * 10000.0);
	r = (ppm * count + 999999u) / 1000000u;
	return r < 1 ? 1 : (uint64_t)r;
}

uint64_t hist_percentile(const struct hist *h, double p)
{
	uint64_t rank, seen = 0, lo, hi, mid;

	if (!h->count)
		return 0;
	if (p >= 100.0)
		return h->max;
	rank = hist_rank(p, h->count);
	for (size_t i = 0; i < HIST_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen < rank)
			continue;
		hist_bucket_range(i, &lo, &hi);
		mid = lo + (hi - lo) / 2;
		if (mid < h->min)
			mid = h->min;
		if (mid > h->max)
			mid = h->max;
		return mid;
	}
	return h->max;
}

double hist_mean(const struct hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}
