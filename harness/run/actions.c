/* actions.c — see actions.h. */
#include "run/actions.h"
#include "sampler/sampler.h"
#include "guest/guestmem.h"
#include "run/balloon.h"
#include "run/host.h"
#include "run/ksm.h"
#include "run/loop.h"
#include "run/workload.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/jsontext.h"
#include "vm/vm.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

/* ---- executors with no state of their own ------------------------------- */

static int do_free(struct run_ctx *c, struct guest_state *g)
{
	static const char *const argv[] = { "free", "-m", NULL };
	struct agent_exec_result r;
	struct free_sample f;
	char line[256], rel[128];
	uint64_t t_ms = results_t_ms(&c->res);

	/* a command of the agent's own: a hung guest fails it after
	 * command_timeout, not after an arbitrary command's EXEC_TIMEOUT_NS */
	if (g->vm->ops->agent_exec(g->vm, argv, c->s->command_timeout_ns, &r) < 0)
		return run_guest_failed(c, g);
	if (r.exitcode != 0 || free_parse(strbuf_str(&r.out), &f) < 0) {
		char msg[OCB_ERR_MAX];

		snprintf(msg, sizeof(msg), "%s: `free -m` in the guest: %s", g->g->name,
			 r.exitcode ? strbuf_str(&r.err) : ocb_errmsg());
		agent_exec_result_release(&r);
		return run_fail(c, msg);
	}
	agent_exec_result_release(&r);
	snprintf(line, sizeof(line), "%llu,%ld,%ld,%ld,%ld,%ld,%ld", (unsigned long long)t_ms, f.total,
		 f.used, f.free, f.shared, f.buff_cache, f.available);
	snprintf(rel, sizeof(rel), "guests/%s/free.csv", g->g->name);
	results_append(&c->res, rel, FREE_CSV_HEADER, line);
	results_event(&c->res, "free",
		      json_pack("{s:s, s:i, s:i, s:i}", "guest", g->g->name, "total_mib", (int)f.total,
				"used_mib", (int)f.used, "available_mib", (int)f.available));
	if (!g->n_free++)
		g->memtotal_first = g->memtotal_min = f.total;
	if (f.total < g->memtotal_min)
		g->memtotal_min = f.total;
	g->memtotal_last = f.total;
	run_progress(c, "%s: free -m: total %ld MiB, used %ld MiB, available %ld MiB", g->g->name, f.total,
		 f.used, f.available);
	return 0;
}

static int do_exec(struct run_ctx *c, struct guest_state *g, char **argv)
{
	struct agent_exec_result r;

	if (g->vm->ops->agent_exec(g->vm, (const char *const *)argv, EXEC_TIMEOUT_NS, &r) < 0)
		return run_guest_failed(c, g);
	/* the guest's output as it is, invalid UTF-8 and all (util/jsontext.h) */
	results_event(&c->res, "exec",
		      json_pack("{s:s, s:s, s:i, s:o, s:o}", "guest", g->g->name, "command", argv[0],
				"exitcode", r.exitcode, "stdout", json_text(r.out.buf, r.out.len), "stderr",
				json_text(r.err.buf, r.err.len)));
	if (r.exitcode != 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s: '%s' exited with %d: %.200s", g->g->name, argv[0],
			 r.exitcode, strbuf_str(&r.err));
		agent_exec_result_release(&r);
		return run_fail(c, msg);
	}
	agent_exec_result_release(&r);
	return 0;
}

/* ---- the executor table ------------------------------------------------- */

static int act_balloon(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	return run_balloon_request(c, g, e->size_bytes);
}

static int act_wait_balloon(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	return run_balloon_wait(c, g, e->timeout_ns, e->partial_ok);
}

/* virtio-mem plug/unplug: the request only; the sampler's vmem_size and
 * vmem_requested series show the device following it. */
static int act_resize(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	char msg[OCB_ERR_MAX];

	if (!vm_can(g->vm, VM_CAP_VMEM)) {
		snprintf(msg, sizeof(msg), "%s: the %s backend cannot resize a virtio-mem device "
			 "(use --backend qemu or libvirt)", g->g->name, g->vm->ops->name);
		return run_fail(c, msg);
	}
	results_event(&c->res, "vmem_resize",
		      json_pack("{s:s, s:f}", "guest", g->g->name, "requested_mib",
				bytes_to_mib(e->size_bytes)));
	if (g->vm->ops->vmem_resize(g->vm, e->size_bytes) < 0) {
		snprintf(msg, sizeof(msg), "%s", ocb_errmsg());
		return run_fail(c, msg);
	}
	run_progress(c, "%s: virtio-mem requested-size %.0f MiB", g->g->name,
		     bytes_to_mib(e->size_bytes));
	return 0;
}

static int act_free(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	(void)e;
	return do_free(c, g);
}

static int act_exec(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	return do_exec(c, g, e->argv);
}

static int act_workload_start(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	(void)e;
	return run_workload_start(c, g);
}

static int act_workload_stop(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	(void)e;
	return run_workload_stop(c, g);
}

static int act_workload_wait(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	return run_workload_wait(c, g, e->timeout_ns);
}

static int act_ksm_on(struct run_ctx *c, const struct timeline_entry *e)
{
	(void)e;
	return run_host_knob(c, "ksm", "on");
}

static int act_ksm_off(struct run_ctx *c, const struct timeline_entry *e)
{
	(void)e;
	return run_host_knob(c, "ksm", "off");
}

static int act_ksm_unmerge(struct run_ctx *c, const struct timeline_entry *e)
{
	(void)e;
	return run_host_knob(c, "ksm", "unmerge");
}

static int act_host(struct run_ctx *c, const struct timeline_entry *e)
{
	return run_host_knob(c, e->key, e->value);
}

/* Adding a timeline action: its row in scenario/timeline.c (verb, usage,
 * help, parser) and its executor here.  A guest executor runs once for
 * each guest the action's GLOB matches, a host executor once. */
struct action_executor {
	const char *verb;
	int (*guest)(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e);
	int (*host)(struct run_ctx *c, const struct timeline_entry *e);
};

static const struct action_executor executors[] = {
	{ "balloon", act_balloon, NULL },
	{ "wait balloon", act_wait_balloon, NULL },
	{ "resize", act_resize, NULL },
	{ "free", act_free, NULL },
	{ "exec", act_exec, NULL },
	{ "workload start", act_workload_start, NULL },
	{ "workload stop", act_workload_stop, NULL },
	{ "wait workload", act_workload_wait, NULL },
	{ "ksm on", NULL, act_ksm_on },
	{ "ksm off", NULL, act_ksm_off },
	{ "ksm unmerge", NULL, act_ksm_unmerge },
	{ "host", NULL, act_host },
	{ "wait ksm-settled", NULL, run_wait_ksm_settled },
};

static const struct action_executor *executor_of(const char *verb)
{
	for (size_t i = 0; i < sizeof(executors) / sizeof(executors[0]); i++)
		if (!strcmp(executors[i].verb, verb))
			return &executors[i];
	return NULL;
}

enum run_exec_kind run_action_executor(const char *verb)
{
	const struct action_executor *x = executor_of(verb);

	if (!x)
		return RUN_EXEC_NONE;
	return x->host ? RUN_EXEC_HOST : RUN_EXEC_PER_GUEST;
}

/* A native baseline has no balloon: its balloon actions are skipped. */
static int needs_balloon(const struct timeline_entry *e)
{
	return (e->action->flags & TLA_BALLOON) != 0;
}

static int native_run(const struct run_ctx *c)
{
	return c->n && vm_can(c->gs[0].vm, VM_CAP_HOST_WORKLOADS);
}

static int run_action(struct run_ctx *c, const struct timeline_entry *e, uint64_t late_ns)
{
	const struct action_executor *x = executor_of(e->action->verb);

	if (native_run(c) && needs_balloon(e)) {
		results_event(&c->res, "action_skipped",
			      json_pack("{s:s, s:s}", "action", e->text, "reason",
					"native run: the host has no balloon"));
		return 0;
	}
	results_event(&c->res, "action",
		      json_pack("{s:s, s:s, s:i, s:f}", "action", e->text, "file", e->file, "line",
				(int)e->line, "late_ms", (double)late_ns / 1e6));
	if (!x) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s:%u: '%s' has no executor in the runner", e->file, e->line,
			 e->text);
		return run_fail(c, msg);
	}
	if (x->host)
		return x->host(c, e);
	for (size_t i = 0; i < c->n; i++) {
		if (fnmatch(e->glob, c->gs[i].g->name, 0) != 0)
			continue;
		if (x->guest(c, &c->gs[i], e) < 0)
			return -1;
		/* `free g-*` over 32 guests takes seconds: the sampler's
		 * periods go on between guests (cheap when none is due) */
		sampler_tick(c->sampler);
	}
	return 0;
}

/* How late e starts because an earlier line ran past its time: recorded
 * for every action, a warning past ACTION_LATE_WARN_NS.  The actions of
 * one line after its first run one after the other by design ("balloon,
 * wait balloon, free"): they are as late as their line's first action. */
static uint64_t lateness(struct run_ctx *c, const struct timeline_entry *e,
			 const struct timeline_entry *prev, uint64_t prev_late)
{
	uint64_t at = c->timeline_t0_ns + e->t_ns, now = mono_ns();
	uint64_t late = now > at ? now - at : 0;

	if (prev && prev->t_ns == e->t_ns && prev->line == e->line)
		return prev_late;

	if (late > c->late_max_ns)
		c->late_max_ns = late;
	if (late > ACTION_LATE_WARN_NS)
		run_progress(c, "warning: %s:%u: '%s' starts %.1f s late (the action before it ran past "
			     "this one's time)", e->file, e->line, e->text, ns_to_s(late));
	return late;
}

int run_timeline(struct run_ctx *c)
{
	const struct scenario *s = c->s;
	uint64_t late = 0;

	c->timeline_t0_ns = mono_ns();
	results_event(&c->res, "timeline_start",
		      json_pack("{s:f}", "after_s", ns_to_s(c->timeline_t0_ns - c->res.t0_ns)));
	for (size_t i = 0; i < s->n_timeline; i++) {
		const struct timeline_entry *e = &s->timeline[i];
		uint64_t at = c->timeline_t0_ns + e->t_ns, now = mono_ns();

		if (now < at && run_idle(c, at - now) < 0)
			return -1;
		if (run_stop_requested(c))
			return -1;
		late = lateness(c, e, i ? e - 1 : NULL, late);
		if (run_action(c, e, late) < 0)
			return -1;
	}
	results_metric(&c->res, "timeline_late_max_ms", (double)c->late_max_ns / 1e6, "ms", "lower");
	if (s->duration_ns) {
		uint64_t end = c->timeline_t0_ns + s->duration_ns, now = mono_ns();

		if (now < end && run_idle(c, end - now) < 0)
			return -1;
	}
	/* Workloads still running at the end: give them their results. */
	for (size_t i = 0; i < c->n; i++)
		if (c->gs[i].wl_running && run_workload_stop(c, &c->gs[i]) < 0)
			return -1;
	return 0;
}
