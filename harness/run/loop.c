/* loop.c — see loop.h. */
#include "run/loop.h"
#include "host/cgroup.h"
#include "sampler/sampler.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/jsontext.h"
#include "util/interrupt.h"
#include "util/progress.h"
#include "util/runcmd.h"
#include "util/units.h"
#include "vm/vm.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
		/* the message may quote a guest's stderr: any bytes */
		results_event(&c->res, "error", json_pack("{s:o}", "message", json_text(msg, strlen(msg))));
		if (progress_is_tty())
			progress_line("%s", "");
		fprintf(stderr, "ocbench: %s\n", msg);
	}
	return -1;
}

int run_fail_gone(struct run_ctx *c, const char *msg)
{
	struct cgroup_stats st;
	char full[OCB_ERR_MAX + 256];

	/* msg may be the error buffer that reading the stats overwrites */
	snprintf(full, sizeof(full), "%s", msg);
	if (!c->cgroup || cgroup_read_stats(cgroup_dir(c->cgroup), &st) < 0 || !st.oom_kill)
		return run_fail(c, full);
	snprintf(full + strlen(full), sizeof(full) - strlen(full), " (the OOM killer of the memory cap %s killed %llu process%s: "
		 "host_memory_limit %.0f MiB)", cgroup_dir(c->cgroup), (unsigned long long)st.oom_kill,
		 st.oom_kill == 1 ? "" : "es", bytes_to_mib(st.limit));
	return run_fail(c, full);
}

int run_stop_requested(struct run_ctx *c)
{
	return ocb_interrupted != 0;
}

/* Let events flow and notice dead guests for up to ns. */
/* One look at a pending balloon: the time taken as soon as QEMU (or
 * libvirt) answered, nothing in between. */
static int balloon_look(struct run_ctx *c, struct guest_state *g, uint64_t now)
{
	uint64_t actual = 0, t, diff, moved;

	g->last_poll_ns = now;
	if (g->vm->ops->balloon_get(g->vm, &actual) < 0)
		return run_guest_failed(c, g);
	t = mono_ns();
	g->polls++;
	g->actual = actual;
	moved = actual > g->from ? actual - g->from : g->from - actual;
	if (!g->moved_ns && moved > g->tolerance)
		g->moved_ns = t;
	diff = actual > g->target ? actual - g->target : g->target - actual;
	if (diff <= g->tolerance)
		g->reached_ns = t;
	return 0;
}

/* Every pending balloon whose poll is due is looked at; the slow sampler
 * sources are held while any is pending.  In the loop itself, so the
 * reached time is the balloon's, not when the timeline next looked.
 * Returns how many are pending, -1 when a guest failed. */
static int watch_balloons(struct run_ctx *c)
{
	uint64_t now = mono_ns();
	int watching = 0;

	for (size_t i = 0; i < c->n; i++) {
		struct guest_state *g = &c->gs[i];

		if (!g->pending || g->reached_ns)
			continue;
		watching++;
		if (now - g->last_poll_ns >= RUN_BALLOON_POLL_NS && balloon_look(c, g, now) < 0)
			return -1;
	}
	/* nothing slow in the loop while a balloon is timed */
	sampler_hold_slow(c->sampler, watching > 0);
	return watching;
}

int run_idle(struct run_ctx *c, uint64_t ns)
{
	uint64_t end = mono_ns() + ns;
	int watching;

	do {
		for (size_t i = 0; i < c->n; i++) {
			struct vm *vm = c->gs[i].vm;

			if (!vm->ops->alive(vm))
				return run_fail_gone(c, ocb_errmsg());
			if (vm->ops->pump(vm, 0) < 0)
				return run_guest_failed(c, &c->gs[i]);
		}
		if (run_stop_requested(c))
			return -1;
		if (results_lost(&c->res)) {	/* nothing it measures could be kept */
			char msg[600];

			snprintf(msg, sizeof(msg), "its results could not be written: %s", results_lost(&c->res));
			return run_fail(c, msg);
		}
		watching = watch_balloons(c);
		if (watching < 0)
			return -1;
		sampler_tick(c->sampler);	/* cheap when nothing is due */
		if (c->on_idle && c->on_idle(c) < 0)	/* [policy]'s ticks */
			return -1;
		results_sync_due(&c->res);	/* the CSVs reach the disk each second */
		{
			uint64_t now = mono_ns(), slice = watching ? RUN_BALLOON_POLL_NS : PUMP_SLICE_NS;

			if (now >= end)
				break;
			sleep_ns(end - now < slice ? end - now : slice, &ocb_interrupted);
		}
	} while (mono_ns() < end);
	return 0;
}

/* A guest operation failed: a dead QEMU is the better explanation. */
int run_guest_failed(struct run_ctx *c, struct guest_state *g)
{
	char msg[OCB_ERR_MAX + 128];

	snprintf(msg, sizeof(msg), "%s", ocb_errmsg());
	/* A QEMU that was killed closes its sockets before it can be reaped:
	 * give it a moment, so the reason is "killed by signal 9", not the
	 * closed socket it caused. */
	for (int i = 0; i < 50; i++) {
		if (!g->vm->ops->alive(g->vm))
			return run_fail_gone(c, ocb_errmsg());
		sleep_ns(10 * 1000000ull, NULL);
	}
	/* a hung guest: say so when it is its QEMU that was stopped */
	if (g->vm->ops->pid && process_stopped(g->vm->ops->pid(g->vm)))
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
			 " (QEMU, pid %ld, is stopped: SIGSTOP or SIGTSTP; it cannot answer)",
			 (long)g->vm->ops->pid(g->vm));
	return run_fail(c, msg);
}
