/* balloon.c — see balloon.h. */
#include "run/balloon.h"
#include "run/loop.h"
#include "util/clock.h"
#include "util/error.h"
#include "vm/vm.h"

#include <math.h>
#include <stdio.h>

#define BALLOON_WAIT_DEFAULT_NS (120 * 1000000000ull)

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
	g->from = g->actual = actual;
	g->moved_ns = g->reached_ns = g->last_poll_ns = 0;
	g->polls = 0;
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
static int balloon_partial(struct run_ctx *c, struct guest_state *g)
{
	uint64_t actual = g->actual;
	double secs = ns_to_s(mono_ns() - g->t_request);
	double want = fabs(bytes_to_mib(g->from) - bytes_to_mib(g->target));
	double got = fabs(bytes_to_mib(g->from) - bytes_to_mib(actual));
	double pct = want > 0 ? 100.0 * got / want : 100.0;
	int inflate = g->target < g->from;
	char name[160], why[200];

	g->pending = 0;
	g->balloon_waits++;
	if (pct < g->reached_pct_min)
		g->reached_pct_min = pct;
	/* the first inflate/deflate has no time then: say so in its metrics,
	 * so that runs of the scenario all carry them */
	if (inflate ? !g->have_inflate : !g->have_deflate) {
		snprintf(why, sizeof(why), "the balloon stopped at %.0f %% of the way to %.0f MiB (partial-ok)",
			 pct, bytes_to_mib(g->target));
		snprintf(name, sizeof(name), "%s.balloon_%s_s", g->g->name, inflate ? "inflate" : "deflate");
		results_metric_missing(&c->res, name, "s", "lower", why);
		snprintf(name, sizeof(name), "%s.balloon_%s_mib_s", g->g->name, inflate ? "inflate" : "deflate");
		results_metric_missing(&c->res, name, "MiB/s", "higher", why);
	}
	results_event(&c->res, "balloon_partial",
		      json_pack("{s:s, s:f, s:f, s:f, s:f, s:f}", "guest", g->g->name, "from_mib",
				bytes_to_mib(g->from), "target_mib", bytes_to_mib(g->target), "actual_mib",
				bytes_to_mib(actual), "elapsed_s", secs, "reached_pct", pct));
	run_progress(c, "%s: balloon stopped at %.0f MiB of target %.0f MiB after %.1f s (%.0f %% of the way)",
		 g->g->name, bytes_to_mib(actual), bytes_to_mib(g->target), secs, pct);
	return 0;
}

/* A reached target: the event, the progress line and the first
 * inflate/deflate metrics, timed from the request to the poll that saw
 * the balloon there (run_balloon_watch()). */
static void balloon_reached(struct run_ctx *c, struct guest_state *g)
{
	double secs = ns_to_s(g->reached_ns - g->t_request);
	double mib = fabs(bytes_to_mib(g->from) - bytes_to_mib(g->actual));
	int inflate = g->target < g->from;
	char name[160];

	g->pending = 0;
	g->balloon_waits++;
	results_event(&c->res, "balloon_reached",
		      json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:i}", "guest", g->g->name,
				"from_mib", bytes_to_mib(g->from), "target_mib", bytes_to_mib(g->target),
				"actual_mib", bytes_to_mib(g->actual), "elapsed_s", secs, "moved_s",
				g->moved_ns ? ns_to_s(g->moved_ns - g->t_request) : secs, "tolerance_mib",
				bytes_to_mib(g->tolerance), "poll_interval_ms", (double)RUN_BALLOON_POLL_NS / 1e6,
				"polls", (int)g->polls));
	run_progress(c, "%s: balloon %.0f -> %.0f MiB in %.2f s", g->g->name, bytes_to_mib(g->from),
		     bytes_to_mib(g->actual), secs);
	if (inflate ? g->have_inflate : (g->target == g->from || g->have_deflate))
		return;
	if (inflate) {
		g->have_inflate = 1;
		g->first_inflate_from = g->from;
		g->first_inflate_target = g->target;
		g->first_inflate_s = secs;
	} else {
		g->have_deflate = 1;
	}
	snprintf(name, sizeof(name), "%s.balloon_%s_s", g->g->name, inflate ? "inflate" : "deflate");
	results_metric(&c->res, name, secs, "s", "lower");
	snprintf(name, sizeof(name), "%s.balloon_%s_mib_s", g->g->name, inflate ? "inflate" : "deflate");
	results_metric(&c->res, name, secs > 0 ? mib / secs : 0, "MiB/s", "higher");
}

int run_balloon_wait(struct run_ctx *c, struct guest_state *g, uint64_t timeout_ns, int partial_ok)
{
	uint64_t deadline = g->t_request + (timeout_ns ? timeout_ns : BALLOON_WAIT_DEFAULT_NS);

	if (!g->pending)
		return 0;
	while (!g->reached_ns) {
		if (mono_ns() >= deadline && partial_ok)
			return balloon_partial(c, g);
		if (mono_ns() >= deadline) {
			char msg[512];

			snprintf(msg, sizeof(msg),
				 "%s: balloon did not reach %.0f MiB within %.1f s (actual %.0f MiB, tolerance %.0f MiB)",
				 g->g->name, bytes_to_mib(g->target), ns_to_s(deadline - g->t_request),
				 bytes_to_mib(g->actual), bytes_to_mib(g->tolerance));
			return run_fail(c, msg);
		}
		if (run_idle(c, RUN_BALLOON_POLL_NS) < 0)
			return -1;
	}
	balloon_reached(c, g);
	return 0;
}
