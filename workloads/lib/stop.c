/* stop.c — see stop.h. */
#include "stop.h"

#include <signal.h>
#include <string.h>

volatile sig_atomic_t wl_stop;

static void on_signal(int sig)
{
	wl_stop = sig;
}

void stop_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

const char *stop_reason(void)
{
	switch (wl_stop) {
	case 0:
		return NULL;
	case SIGTERM:
		return "SIGTERM";
	case SIGINT:
		return "SIGINT";
	default:
		return "signal";
	}
}
