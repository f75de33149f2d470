/* loop.c — see loop.h. */
#include "run/loop.h"
#include "sampler/sampler.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/interrupt.h"
#include "util/progress.h"
#include "vm/vm.h"

#include <stdarg.h>
#include <stdio.h>

#define PUMP_SLICE_NS (20 * 1000000ull)

void run_progress(struct run_ctx *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	progress_phase((double)results_t_ms(&c->res) / 1000.0, "%s", msg);
}

/* Record the first failure; later ones are consequences. */
int run_fail(struct run_ctx *c, const char *msg)
{
	if (!c->failed) {
		c->failed = 1;
		snprintf(c->reason, sizeof(c->reason), "%s", msg);
		results_event(&c->res, "error", json_pack("{s:s}", "message", msg));
		if (progress_is_tty())
			progress_line("%s", "");
		fprintf(stderr, "ocbench: %s\n", msg);
	}
	return -1;
}

int run_stop_requested(struct run_ctx *c)
{
	return ocb_interrupted != 0;
}

/* Let events flow and notice dead guests for up to ns. */
int run_idle(struct run_ctx *c, uint64_t ns)
{
	uint64_t end = mono_ns() + ns;

	do {
		for (size_t i = 0; i < c->n; i++) {
			struct vm *vm = c->gs[i].vm;

			if (!vm->ops->alive(vm))
				return run_fail(c, ocb_errmsg());
			if (vm->ops->pump(vm, 0) < 0)
				return run_guest_failed(c, &c->gs[i]);
		}
		if (run_stop_requested(c))
			return -1;
		sampler_tick(c->sampler);	/* cheap when nothing is due */
		results_sync_due(&c->res);	/* the CSVs reach the disk each second */
		{
			uint64_t now = mono_ns();

			if (now >= end)
				break;
			sleep_ns(end - now < PUMP_SLICE_NS ? end - now : PUMP_SLICE_NS, &ocb_interrupted);
		}
	} while (mono_ns() < end);
	return 0;
}

/* A guest operation failed: a dead QEMU is the better explanation. */
int run_guest_failed(struct run_ctx *c, struct guest_state *g)
{
	char msg[OCB_ERR_MAX];

	snprintf(msg, sizeof(msg), "%s", ocb_errmsg());
	/* A QEMU that was killed closes its sockets before it can be reaped:
	 * give it a moment, so the reason is "killed by signal 9", not the
	 * closed socket it caused. */
	for (int i = 0; i < 50; i++) {
		if (!g->vm->ops->alive(g->vm))
			return run_fail(c, ocb_errmsg());
		sleep_ns(10 * 1000000ull, NULL);
	}
	return run_fail(c, msg);
}
