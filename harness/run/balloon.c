/* balloon.c — see balloon.h. */
#include "run/balloon.h"
#include "run/loop.h"
#include "util/clock.h"
#include "util/error.h"
#include "vm/vm.h"

#include <math.h>
#include <stdio.h>

#define BALLOON_WAIT_DEFAULT_NS (120 * 1000000000ull)
#define BALLOON_POLL_NS (10 * 1000000ull)

int run_balloon_request(struct run_ctx *c, struct guest_state *g, uint64_t size)
{
	uint64_t mem = g->g->spec->memory_bytes, actual = 0;

	/* QEMU clamps a target above guest RAM too; doing it here lets the
	 * result say so instead of waiting for a size that cannot come. */
	g->clamped = size > mem;
	g->target = g->clamped ? mem : size;
	if (g->clamped) {
		results_event(&c->res, "balloon_clamped",
			      json_pack("{s:s, s:f, s:f}", "guest", g->g->name, "requested_mib",
					bytes_to_mib(size), "clamped_mib", bytes_to_mib(mem)));
		run_progress(c, "%s: balloon target %.0f MiB is above the guest's %.0f MiB: clamped to %.0f MiB",
			 g->g->name, bytes_to_mib(size), bytes_to_mib(mem), bytes_to_mib(mem));
	}
	if (g->vm->cfg.balloon && g->vm->ops->balloon_get(g->vm, &actual) < 0)
		return run_guest_failed(c, g);
	g->from = actual;
	g->t_request = mono_ns();
	results_event(&c->res, "balloon_request",
		      json_pack("{s:s, s:f, s:f}", "guest", g->g->name, "from_mib", bytes_to_mib(actual),
				"target_mib", bytes_to_mib(g->target)));
	if (g->vm->ops->balloon_set(g->vm, g->target) < 0) {
		char msg[OCB_ERR_MAX];

		snprintf(msg, sizeof(msg), "%s%s", ocb_errmsg(),
			 g->vm->cfg.balloon ? "" : " (this guest has balloon = none: no virtio-balloon device)");
		return run_fail(c, msg);
	}
	g->pending = 1;
	return 0;
}

/* The balloon stopped short of its target by the deadline and the
 * timeline allows it: record how far it got. */
static int balloon_partial(struct run_ctx *c, struct guest_state *g, uint64_t actual, double secs)
{
	double want = fabs(bytes_to_mib(g->from) - bytes_to_mib(g->target));
	double got = fabs(bytes_to_mib(g->from) - bytes_to_mib(actual));
	double pct = want > 0 ? 100.0 * got / want : 100.0;
	char name[160];

	g->pending = 0;
	results_event(&c->res, "balloon_partial",
		      json_pack("{s:s, s:f, s:f, s:f, s:f, s:f}", "guest", g->g->name, "from_mib",
				bytes_to_mib(g->from), "target_mib", bytes_to_mib(g->target), "actual_mib",
				bytes_to_mib(actual), "elapsed_s", secs, "reached_pct", pct));
	snprintf(name, sizeof(name), "%s.balloon_reached_pct", g->g->name);
	results_metric(&c->res, name, pct, "%", "higher");
	run_progress(c, "%s: balloon stopped at %.0f MiB of target %.0f MiB after %.1f s (%.0f %% of the way)",
		 g->g->name, bytes_to_mib(actual), bytes_to_mib(g->target), secs, pct);
	return 0;
}

int run_balloon_wait(struct run_ctx *c, struct guest_state *g, uint64_t timeout_ns, int partial_ok)
{
	uint64_t deadline = g->t_request + (timeout_ns ? timeout_ns : BALLOON_WAIT_DEFAULT_NS);
	uint64_t actual = 0, diff;
	double secs, mib;

	if (!g->pending)
		return 0;
	for (;;) {
		if (g->vm->ops->balloon_get(g->vm, &actual) < 0)
			return run_guest_failed(c, g);
		diff = actual > g->target ? actual - g->target : g->target - actual;
		if (diff <= g->tolerance)
			break;
		if (mono_ns() >= deadline && partial_ok)
			return balloon_partial(c, g, actual, ns_to_s(mono_ns() - g->t_request));
		if (mono_ns() >= deadline) {
			char msg[512];

			snprintf(msg, sizeof(msg),
				 "%s: balloon did not reach %.0f MiB within %.1f s (actual %.0f MiB, tolerance %.0f MiB)",
				 g->g->name, bytes_to_mib(g->target), ns_to_s(deadline - g->t_request),
				 bytes_to_mib(actual), bytes_to_mib(g->tolerance));
			return run_fail(c, msg);
		}
		if (run_idle(c, BALLOON_POLL_NS) < 0)
			return -1;
	}
	g->pending = 0;
	secs = ns_to_s(mono_ns() - g->t_request);
	mib = fabs(bytes_to_mib(g->from) - bytes_to_mib(actual));
	results_event(&c->res, "balloon_reached",
		      json_pack("{s:s, s:f, s:f, s:f, s:f, s:f}", "guest", g->g->name, "from_mib",
				bytes_to_mib(g->from), "target_mib", bytes_to_mib(g->target), "actual_mib",
				bytes_to_mib(actual), "elapsed_s", secs, "tolerance_mib",
				bytes_to_mib(g->tolerance)));
	run_progress(c, "%s: balloon %.0f -> %.0f MiB in %.2f s", g->g->name, bytes_to_mib(g->from),
		 bytes_to_mib(actual), secs);
	if (g->target < g->from && !g->have_inflate) {
		char name[160];

		g->have_inflate = 1;
		g->first_inflate_from = g->from;
		g->first_inflate_target = g->target;
		g->first_inflate_s = secs;
		snprintf(name, sizeof(name), "%s.balloon_inflate_s", g->g->name);
		results_metric(&c->res, name, secs, "s", "lower");
		snprintf(name, sizeof(name), "%s.balloon_inflate_mib_s", g->g->name);
		results_metric(&c->res, name, secs > 0 ? mib / secs : 0, "MiB/s", "higher");
	} else if (g->target > g->from && !g->have_deflate) {
		char name[160];

		g->have_deflate = 1;
		snprintf(name, sizeof(name), "%s.balloon_deflate_s", g->g->name);
		results_metric(&c->res, name, secs, "s", "lower");
		snprintf(name, sizeof(name), "%s.balloon_deflate_mib_s", g->g->name);
		results_metric(&c->res, name, secs > 0 ? mib / secs : 0, "MiB/s", "higher");
	}
	return 0;
}
