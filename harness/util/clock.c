/* clock.c — see clock.h. */
#include "util/clock.h"

#include <errno.h>

void sleep_ns(uint64_t ns, const volatile int *stop)
{
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		if (stop && *stop)
			return;
}
