/* bench-histogram.c — what measuring costs: one histogram record and one
 * timer read, in ns (target: record <= 30 ns on the host). */
#include "histogram.h"
#include "rng.h"
#include "timer.h"

#include <stdio.h>

#define NVALS (1u << 16)
#define RECORDS 20000000u

static uint64_t vals[NVALS];
static struct hist h;

int main(void)
{
	struct rng r = { 1 };
	double best = 0, timer;

	/* Latency-like values spread over many buckets, so the counts array
	 * is touched the way a real run touches it. */
	for (unsigned i = 0; i < NVALS; i++)
		vals[i] = 500 + rng_below(&r, 1u << (8 + i % 16));
	for (int round = 0; round < 5; round++) {
		uint64_t t0, t1;
		double per;

		hist_init(&h);
		t0 = timer_ns();
		for (unsigned i = 0; i < RECORDS; i++)
			hist_record(&h, vals[i & (NVALS - 1)]);
		t1 = timer_ns();
		per = (double)(t1 - t0) / RECORDS;
		if (round == 0 || per < best)
			best = per;
	}
	timer = timer_overhead_ns();
	printf("histogram record: %.2f ns per value (best of 5 x %u; target <= 30 ns: %s)\n", best, RECORDS,
	       best <= 30 ? "met" : "MISSED");
	printf("timer read (%s): %.2f ns\n", TIMER_SOURCE, timer);
	printf("record / timer read: %.2f\n", best / timer);
	printf("histogram: %u buckets, %zu bytes, relative error <= %.2f %%\n", HIST_BUCKETS, sizeof(h),
	       HIST_REL_ERROR * 100);
	return h.count == RECORDS ? 0 : 1;
}
