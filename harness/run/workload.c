/* workload.c — see workload.h. */
#include "run/workload.h"
#include "guest/workload-doc.h"
#include "run/loop.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "vm/vm.h"
#include "vm/workload.h"

#include <stdio.h>
#include <string.h>

#define WORKLOAD_POLL_NS (100 * 1000000ull)

int run_workload_start(struct run_ctx *c, struct guest_state *g)
{
	char **wargv = g->g->spec->workload_argv;

	if (!wargv) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s: 'workload start' but the guest has no workload = line",
			 g->g->name);
		return run_fail(c, msg);
	}
	workload_json_path(g->vm, g->g->name, g->wl_json, sizeof(g->wl_json));
	if (workload_spawn(g->vm, (const char *const *)wargv, g->wl_json, &g->wl_pid) < 0)
		return run_guest_failed(c, g);
	g->wl_running = 1;
	c->content_t0_ns = mono_ns();
	results_event(&c->res, "workload_start",
		      json_pack("{s:s, s:s, s:I}", "guest", g->g->name, "workload", g->g->spec->workload,
				"guest_pid", (json_int_t)g->wl_pid));
	run_progress(c, "%s: workload started: %s", g->g->name, g->g->spec->workload);
	return 0;
}

/* Metrics of workload.json go into run.json as GUEST.PROGRAM.NAME. */
static void import_workload_metrics(struct run_ctx *c, struct guest_state *g, json_t *doc)
{
	json_t *metrics = json_object_get(doc, "metrics"), *m;
	const char *key;
	char name[256];

	json_object_foreach(metrics, key, m) {
		snprintf(name, sizeof(name), "%s.%s.%s", g->g->name, g->g->spec->workload_argv[0], key);
		json_object_set(c->res.metrics, name, m);
	}
}

/* How the process ended, for messages. */
static void describe_end(const struct agent_exec_result *r, char *out, size_t len)
{
	if (r->signal)
		snprintf(out, len, "was killed by signal %d (%s)", r->signal, strsignal(r->signal));
	else
		snprintf(out, len, "exited with %d", r->exitcode);
}

/* The document's metrics into run.json, once it is checked: a guest's
 * numbers are not trusted as they come. */
static int import_checked(struct run_ctx *c, struct guest_state *g, const struct strbuf *json)
{
	char msg[512], why[256];
	json_error_t jerr;
	json_t *doc = json_loadb(json->buf, json->len, 0, &jerr);

	if (!doc) {
		snprintf(msg, sizeof(msg), "%s: workload.json is not valid JSON: %s", g->g->name, jerr.text);
		return run_fail(c, msg);
	}
	if (workload_doc_check(doc, why, sizeof(why)) < 0) {
		snprintf(msg, sizeof(msg), "%s: workload.json of '%s' rejected: %s", g->g->name,
			 g->g->spec->workload, why);
		json_decref(doc);
		return run_fail(c, msg);
	}
	import_workload_metrics(c, g, doc);
	json_decref(doc);
	return 0;
}

static int workload_collect(struct run_ctx *c, struct guest_state *g, const struct agent_exec_result *r)
{
	struct strbuf json = STRBUF_INIT, path = STRBUF_INIT;
	char end[160], msg[OCB_ERR_MAX + 512];
	int rc = 0;

	g->wl_running = 0;
	describe_end(r, end, sizeof(end));
	results_event(&c->res, "workload_exit",
		      json_pack("{s:s, s:i, s:i}", "guest", g->g->name, "exitcode", r->exitcode, "signal",
				r->signal));
	if (workload_fetch(g->vm, g->wl_json, c->s->command_timeout_ns, &json) < 0) {
		snprintf(msg, sizeof(msg), "%s: workload %s and left no results (%s); stderr: %.200s",
			 g->g->name, end, ocb_errmsg(), strbuf_str(&r->err));
		strbuf_release(&json);
		return run_fail(c, msg);
	}
	strbuf_addf(&path, "%s/guests/%s/workload.json", c->res.dir, g->g->name);
	if (write_file_atomic(path.buf, json.buf, json.len, 0644) < 0)
		rc = run_fail(c, ocb_errmsg());
	if (rc == 0)
		rc = import_checked(c, g, &json);
	if (rc == 0 && (r->exitcode != 0 || r->signal)) {
		snprintf(msg, sizeof(msg), "%s: workload '%s' %s: %.200s", g->g->name, g->g->spec->workload,
			 end, strbuf_str(&r->err));
		rc = run_fail(c, msg);
	}
	run_progress(c, "%s: workload finished (%s)", g->g->name, end);
	strbuf_release(&json);
	strbuf_release(&path);
	return rc;
}

static int idle_fn(void *opaque, uint64_t ns)
{
	return run_idle(opaque, ns);
}

int run_workload_wait(struct run_ctx *c, struct guest_state *g, uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + (timeout_ns ? timeout_ns : 3600 * 1000000000ull);
	struct agent_exec_result r;
	char msg[256];
	int st, rc;

	if (!g->wl_running)
		return 0;
	memset(&r, 0, sizeof(r));
	st = workload_wait(g->vm, g->wl_pid, deadline, WORKLOAD_POLL_NS, idle_fn, c, &r);
	if (st == 1) {
		rc = workload_collect(c, g, &r);
		agent_exec_result_release(&r);
		return rc;
	}
	if (st < 0)	/* the agent failed, or the run did while idle */
		return c->failed || run_stop_requested(c) ? -1 : run_guest_failed(c, g);
	snprintf(msg, sizeof(msg), "%s: workload still running after %.0f s", g->g->name,
		 ns_to_s(timeout_ns));
	return run_fail(c, msg);
}

int run_workload_stop(struct run_ctx *c, struct guest_state *g)
{
	char pid[32];
	const char *argv[] = { "kill", "-TERM", pid, NULL };
	struct agent_exec_result r;

	if (!g->wl_running)
		return 0;
	snprintf(pid, sizeof(pid), "%lld", g->wl_pid);
	if (g->vm->ops->agent_exec(g->vm, argv, EXEC_TIMEOUT_NS, &r) < 0)
		return run_guest_failed(c, g);
	agent_exec_result_release(&r);
	return run_workload_wait(c, g, 60 * 1000000000ull);
}
