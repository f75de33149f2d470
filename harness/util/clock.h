/* clock.h — the one clock of a run.
 *
 * Every timestamp ocbench records (events, samples, free -m, balloon
 * timings) is CLOCK_MONOTONIC relative to the run's start, so they can be
 * put on one axis.  Wall-clock time appears only as the run's start stamp
 * and beside timestamps that other programs took on the wall clock (QMP
 * events' own "timestamp"), so the two can be related.
 */
#ifndef OCB_CLOCK_H
#define OCB_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline double ns_to_s(uint64_t ns)
{
	return (double)ns / 1e9;
}

/* What is left until deadline (mono_ns), 0 once it has passed: the clock
 * read once, so a deadline passing between two reads cannot wrap. */
static inline uint64_t ns_until(uint64_t deadline)
{
	uint64_t now = mono_ns();

	return now < deadline ? deadline - now : 0;
}

/* Seconds of CLOCK_REALTIME, for relating to others' wall-clock stamps. */
static inline double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep for ns, resuming after signals unless *stop becomes set. */
void sleep_ns(uint64_t ns, const volatile int *stop);

#endif
