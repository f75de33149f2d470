/* timer.h — the workloads' clock: CLOCK_MONOTONIC in nanoseconds.
 *
 * clock_gettime goes through the vDSO (about 20 ns here), is monotonic
 * across CPUs and means the same thing in a guest and on the host, which
 * rdtsc does not under TCG.  Every program measures and reports what one
 * read costs, because every timed sample includes one read.
 */
#ifndef OCB_WL_TIMER_H
#define OCB_WL_TIMER_H

#include <signal.h>
#include <stdint.h>
#include <time.h>

#define TIMER_SOURCE "clock_gettime(CLOCK_MONOTONIC)"

static inline uint64_t timer_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Mean cost of one timer_ns() in ns: the best of a few rounds of
 * back-to-back reads, so a preemption does not inflate it. */
double timer_overhead_ns(void);

/* Sleep ns (short naps), returning early once *stop is set. */
void timer_sleep_ns(uint64_t ns, volatile const sig_atomic_t *stop);

#endif
