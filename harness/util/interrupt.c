/* interrupt.c — see interrupt.h. */
#include "util/interrupt.h"
#include "util/runcmd.h"

#include <string.h>
#include <unistd.h>

volatile sig_atomic_t ocb_interrupted;

static void on_signal(int sig)
{
	if (ocb_interrupted) {
		static const char msg[] = "ocbench: second signal, killing children and exiting\n";

		runcmd_kill_all();
		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(130);
		_exit(130);
	}
	ocb_interrupted = sig;
}

void interrupt_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: blocking waits return EINTR and check the flag. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

const char *interrupt_reason(void)
{
	switch (ocb_interrupted) {
	case SIGINT: return "interrupted by SIGINT";
	case SIGTERM: return "interrupted by SIGTERM";
	case SIGHUP: return "interrupted by SIGHUP";
	default: return "interrupted";
	}
}
