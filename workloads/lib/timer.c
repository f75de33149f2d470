/* timer.c — see timer.h. */
#include "timer.h"

#include <errno.h>

#define OVERHEAD_READS 20000
#define OVERHEAD_ROUNDS 5

double timer_overhead_ns(void)
{
	double best = 0;

	for (int r = 0; r < OVERHEAD_ROUNDS; r++) {
		uint64_t t0 = timer_ns(), t1;
		double per;

		for (int i = 0; i < OVERHEAD_READS; i++)
			(void)timer_ns();
		t1 = timer_ns();
		per = (double)(t1 - t0) / (OVERHEAD_READS + 1);
		if (r == 0 || per < best)
			best = per;
	}
	return best;
}

void timer_sleep_ns(uint64_t ns, volatile const sig_atomic_t *stop)
{
	uint64_t end = timer_ns() + ns;

	/* Naps of at most 50 ms so SIGTERM is honoured promptly even when
	 * the signal arrives between the check and the nap. */
	while (!(stop && *stop)) {
		uint64_t now = timer_ns(), nap;
		struct timespec ts;

		if (now >= end)
			break;
		nap = end - now;
		if (nap > 50000000u)
			nap = 50000000u;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)nap;
		if (nanosleep(&ts, NULL) < 0 && errno != EINTR)
			break;
	}
}
