/* runner.c — see runner.h. */
#include "run/runner.h"
#include "host/cgroup.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "guest/guest-image.h"
#include "guest/guestmem.h"
#include "host/hostinfo.h"
#include "util/interrupt.h"
#include "knobs/route.h"	/* knobs go to the guests' hosts */
#include "knobs/knobs.h"
#include "util/progress.h"
#include "host/ksmsettle.h"
#include "results/image-id.h"
#include "results/results.h"
#include "util/runcmd.h"
#include "sampler/sampler.h"
#include "util/units.h"
#include "vm/vm.h"

#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define CMD_TIMEOUT_NS (30 * 1000000000ull)
#define EXEC_TIMEOUT_NS (60 * 1000000000ull)
#define BALLOON_WAIT_DEFAULT_NS (120 * 1000000000ull)
#define BALLOON_POLL_NS (10 * 1000000ull)
#define WORKLOAD_POLL_NS (100 * 1000000ull)
#define PUMP_SLICE_NS (20 * 1000000ull)
#define BOOT_LOOK_NS (100 * 1000000ull)	/* one look at a booting guest */
#define KSM_SETTLE_DEFAULT_NS (120 * 1000000000ull)	/* wait ksm-settled */
#define CGROUP_RMDIR_NS (5 * 1000000000ull)		/* host_memory_limit */

static const char *const workload_programs[] = {
	"memtouch", "memlat", "ksmfill", "pressure", "bandwidth", NULL,
};

int runner_validate_workload(const char *program)
{
	for (size_t i = 0; workload_programs[i]; i++)
		if (!strcmp(program, workload_programs[i]))
			return 0;
	if (program[0] == '/')
		return 0;	/* a program of the user's own image */
	return ocb_fail("unknown workload '%s': expected memtouch, memlat, ksmfill, pressure, "
			"bandwidth or an absolute path in the guest", program);
}

struct guest_state {
	struct vm *vm;
	const struct scenario_guest *g;
	/* balloon: the last request and what was measured */
	uint64_t target, from, t_request;
	int pending, clamped;
	uint64_t tolerance;
	int have_inflate, have_deflate;
	uint64_t first_inflate_from, first_inflate_target;
	double first_inflate_s;
	/* free -m */
	int n_free;
	long memtotal_first, memtotal_min, memtotal_last;
	/* workload */
	long long wl_pid;
	int wl_running;
	int up;				/* its agent has answered */
	char wl_json[256];
};

struct run_ctx {
	const struct scenario *s;
	const struct run_options *opt;
	struct results_run res;
	struct guest_state *gs;
	size_t n;
	struct knob_route *knobs;	/* local sysfs and/or libvirt hosts */
	char rundir[256];
	json_t *summary;
	int failed;
	char reason[1024];
	/* sampler, host memory cap, KSM settle (sampler.h, cgroup.h) */
	struct vm **vms;		/* gs[i].vm, as the sampler wants them */
	struct sampler *sampler;	/* ticked by idle() */
	struct cgroup *cgroup;		/* host_memory_limit, NULL without */
	int ksm_settles;		/* `wait ksm-settled` done so far */
};

static void progress(struct run_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(struct run_ctx *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	progress_phase((double)results_t_ms(&c->res) / 1000.0, "%s", msg);
}

/* Record the first failure; later ones are consequences. */
static int fail_run(struct run_ctx *c, const char *msg)
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

static int stop_requested(struct run_ctx *c)
{
	return ocb_interrupted != 0;
}

static void on_vm_event(void *opaque, struct vm *vm, const char *event, json_t *data)
{
	struct run_ctx *c = opaque;

	results_event(&c->res, "qmp_event",
		      json_pack("{s:s, s:s, s:O?}", "guest", vm->cfg.name, "event", event ? event : "?",
				"data", data));
}

static int guest_failed(struct run_ctx *c, struct guest_state *g);

/* Let events flow and notice dead guests for up to ns. */
static int idle(struct run_ctx *c, uint64_t ns)
{
	uint64_t end = mono_ns() + ns;

	do {
		for (size_t i = 0; i < c->n; i++) {
			struct vm *vm = c->gs[i].vm;

			if (!vm->ops->alive(vm))
				return fail_run(c, ocb_errmsg());
			if (vm->ops->pump(vm, 0) < 0)
				return guest_failed(c, &c->gs[i]);
		}
		if (stop_requested(c))
			return -1;
		sampler_tick(c->sampler);	/* cheap when nothing is due */
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
static int guest_failed(struct run_ctx *c, struct guest_state *g)
{
	char msg[OCB_ERR_MAX];

	snprintf(msg, sizeof(msg), "%s", ocb_errmsg());
	/* A QEMU that was killed closes its sockets before it can be reaped:
	 * give it a moment, so the reason is "killed by signal 9", not the
	 * closed socket it caused. */
	for (int i = 0; i < 50; i++) {
		if (!g->vm->ops->alive(g->vm))
			return fail_run(c, ocb_errmsg());
		sleep_ns(10 * 1000000ull, NULL);
	}
	return fail_run(c, msg);
}

/* ---- guest configuration ---------------------------------------------- */

static int resolve_image(const struct run_options *opt, const struct scenario_guest_spec *sp,
			 struct guest_image *gi)
{
	const char *path = opt->image ? opt->image : sp->image;

	if (path ? guest_image_from_path(path, gi) < 0 : guest_image_default(gi) < 0)
		return -1;
	if (sp->kernel) {
		snprintf(gi->kernel, sizeof(gi->kernel), "%s", sp->kernel);
		guest_path_absolute(gi->kernel, sizeof(gi->kernel));
	}
	if (sp->initrd) {
		snprintf(gi->initrd, sizeof(gi->initrd), "%s", sp->initrd);
		guest_path_absolute(gi->initrd, sizeof(gi->initrd));
	}
	if (sp->append)
		snprintf(gi->append, sizeof(gi->append), "%s", sp->append);
	return 0;
}

static enum vm_backing to_backing(enum scenario_backing b)
{
	switch (b) {
	case SCENARIO_BACKING_HUGETLB_2M: return BACKING_HUGETLB_2M;
	case SCENARIO_BACKING_HUGETLB_1G: return BACKING_HUGETLB_1G;
	case SCENARIO_BACKING_FILE: return BACKING_FILE;
	default: return BACKING_ANONYMOUS;
	}
}

static int make_vm(struct run_ctx *c, const struct scenario_guest *g, const struct vm_backend_ops *ops,
		   const struct accel_choice *accel, const char *dir, struct vm **out)
{
	const struct scenario_guest_spec *sp = g->spec;
	struct vm_config cfg;
	struct guest_image gi;
	struct strbuf qemu = STRBUF_INIT;

	memset(&cfg, 0, sizeof(cfg));
	memset(&gi, 0, sizeof(gi));
	if (vm_backend_can(ops, VM_CAP_GUEST_IMAGE) && resolve_image(c->opt, sp, &gi) < 0)
		return ocb_err_prefix("guest %s: ", g->name);
	/* libvirt runs the emulator of the daemon's host, maybe another one. */
	if (vm_backend_can(ops, VM_CAP_LOCAL_EMULATOR) &&
	    find_program(c->opt->qemu_binary, &qemu) < 0) {
		strbuf_release(&qemu);
		return ocb_fail("%s not found: install the qemu-system-x86 package (ci/install-deps) "
				"or pass --qemu PATH", c->opt->qemu_binary);
	}
	snprintf(cfg.name, sizeof(cfg.name), "%s", g->name);
	cfg.memory_bytes = sp->memory_bytes;
	cfg.vcpus = sp->vcpus;
	cfg.balloon = sp->balloon == SCENARIO_BALLOON_VIRTIO;
	cfg.stats_period_s = (unsigned)((sp->stats_period_ns + 999999999u) / 1000000000u);
	cfg.backing = to_backing(sp->backing);
	cfg.mem_merge = sp->mem_merge;
	snprintf(cfg.kernel, sizeof(cfg.kernel), "%s", gi.kernel);
	snprintf(cfg.initrd, sizeof(cfg.initrd), "%s", gi.initrd);
	snprintf(cfg.append, sizeof(cfg.append), "%s", gi.append);
	snprintf(cfg.disk, sizeof(cfg.disk), "%s", gi.disk);
	snprintf(cfg.qemu_binary, sizeof(cfg.qemu_binary), "%s", strbuf_str(&qemu));
	strbuf_release(&qemu);
	if (sp->uri)
		snprintf(cfg.uri, sizeof(cfg.uri), "%s", sp->uri);
	else if (c->opt->uri)
		snprintf(cfg.uri, sizeof(cfg.uri), "%s", c->opt->uri);
	cfg.accel = *accel;
	snprintf(cfg.rundir, sizeof(cfg.rundir), "%s", c->rundir);
	snprintf(cfg.outdir, sizeof(cfg.outdir), "%s/guests/%s", dir, g->name);
	cfg.boot_timeout_ns = c->s->boot_timeout_ns;
	cfg.cmd_timeout_ns = CMD_TIMEOUT_NS;
	if (c->cgroup)	/* QEMU joins the cap before exec */
		snprintf(cfg.cgroup_procs, sizeof(cfg.cgroup_procs), "%s", cgroup_procs_path(c->cgroup));
	*out = vm_new(ops, &cfg);
	if (!*out)
		return -1;
	(*out)->on_event = on_vm_event;
	(*out)->event_opaque = c;
	return 0;
}

/* ---- timeline actions -------------------------------------------------- */

static int do_free(struct run_ctx *c, struct guest_state *g)
{
	static const char *const argv[] = { "free", "-m", NULL };
	struct agent_exec_result r;
	struct free_sample f;
	char line[256], rel[128];
	uint64_t t_ms = results_t_ms(&c->res);

	if (g->vm->ops->agent_exec(g->vm, argv, EXEC_TIMEOUT_NS, &r) < 0)
		return guest_failed(c, g);
	if (r.exitcode != 0 || free_parse(strbuf_str(&r.out), &f) < 0) {
		char msg[OCB_ERR_MAX];

		snprintf(msg, sizeof(msg), "%s: `free -m` in the guest: %s", g->g->name,
			 r.exitcode ? strbuf_str(&r.err) : ocb_errmsg());
		agent_exec_result_release(&r);
		return fail_run(c, msg);
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
	progress(c, "%s: free -m: total %ld MiB, used %ld MiB, available %ld MiB", g->g->name, f.total,
		 f.used, f.available);
	return 0;
}

static int do_balloon(struct run_ctx *c, struct guest_state *g, uint64_t size)
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
		progress(c, "%s: balloon target %.0f MiB is above the guest's %.0f MiB: clamped to %.0f MiB",
			 g->g->name, bytes_to_mib(size), bytes_to_mib(mem), bytes_to_mib(mem));
	}
	if (g->vm->cfg.balloon && g->vm->ops->balloon_get(g->vm, &actual) < 0)
		return guest_failed(c, g);
	g->from = actual;
	g->t_request = mono_ns();
	results_event(&c->res, "balloon_request",
		      json_pack("{s:s, s:f, s:f}", "guest", g->g->name, "from_mib", bytes_to_mib(actual),
				"target_mib", bytes_to_mib(g->target)));
	if (g->vm->ops->balloon_set(g->vm, g->target) < 0) {
		char msg[OCB_ERR_MAX];

		snprintf(msg, sizeof(msg), "%s%s", ocb_errmsg(),
			 g->vm->cfg.balloon ? "" : " (this guest has balloon = none: no virtio-balloon device)");
		return fail_run(c, msg);
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
	progress(c, "%s: balloon stopped at %.0f MiB of target %.0f MiB after %.1f s (%.0f %% of the way)",
		 g->g->name, bytes_to_mib(actual), bytes_to_mib(g->target), secs, pct);
	return 0;
}

static int wait_balloon(struct run_ctx *c, struct guest_state *g, uint64_t timeout_ns, int partial_ok)
{
	uint64_t deadline = g->t_request + (timeout_ns ? timeout_ns : BALLOON_WAIT_DEFAULT_NS);
	uint64_t actual = 0, diff;
	double secs, mib;

	if (!g->pending)
		return 0;
	for (;;) {
		if (g->vm->ops->balloon_get(g->vm, &actual) < 0)
			return guest_failed(c, g);
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
			return fail_run(c, msg);
		}
		if (idle(c, BALLOON_POLL_NS) < 0)
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
	progress(c, "%s: balloon %.0f -> %.0f MiB in %.2f s", g->g->name, bytes_to_mib(g->from),
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

static int do_exec(struct run_ctx *c, struct guest_state *g, char **argv)
{
	struct agent_exec_result r;

	if (g->vm->ops->agent_exec(g->vm, (const char *const *)argv, EXEC_TIMEOUT_NS, &r) < 0)
		return guest_failed(c, g);
	results_event(&c->res, "exec",
		      json_pack("{s:s, s:s, s:i, s:s%, s:s%}", "guest", g->g->name, "command", argv[0],
				"exitcode", r.exitcode, "stdout", strbuf_str(&r.out), r.out.len, "stderr",
				strbuf_str(&r.err), r.err.len));
	if (r.exitcode != 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s: '%s' exited with %d: %.200s", g->g->name, argv[0],
			 r.exitcode, strbuf_str(&r.err));
		agent_exec_result_release(&r);
		return fail_run(c, msg);
	}
	agent_exec_result_release(&r);
	return 0;
}

static int workload_start(struct run_ctx *c, struct guest_state *g)
{
	char **wargv = g->g->spec->workload_argv;
	struct strvec argv = STRVEC_INIT;
	int rc;

	if (!wargv) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s: 'workload start' but the guest has no workload = line",
			 g->g->name);
		return fail_run(c, msg);
	}
	snprintf(g->wl_json, sizeof(g->wl_json), "%s/ocbench-workload-%s.json",
		 vm_can(g->vm, VM_CAP_HOST_WORKLOADS) ? c->rundir : "/tmp", g->g->name);
	if (wargv[0][0] == '/')
		strvec_push(&argv, wargv[0]);
	else
		strvec_pushf(&argv, "%s/%s", g->vm->cfg.workload_dir[0] ? g->vm->cfg.workload_dir : "/usr/bin",
			     wargv[0]);
	for (size_t i = 1; wargv[i]; i++)
		strvec_push(&argv, wargv[i]);
	strvec_push(&argv, "--json");
	strvec_push(&argv, g->wl_json);
	rc = g->vm->ops->agent_spawn(g->vm, (const char *const *)argv.v, &g->wl_pid);
	strvec_clear(&argv);
	if (rc < 0)
		return guest_failed(c, g);
	g->wl_running = 1;
	results_event(&c->res, "workload_start",
		      json_pack("{s:s, s:s, s:I}", "guest", g->g->name, "workload", g->g->spec->workload,
				"guest_pid", (json_int_t)g->wl_pid));
	progress(c, "%s: workload started: %s", g->g->name, g->g->spec->workload);
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

static int workload_collect(struct run_ctx *c, struct guest_state *g, const struct agent_exec_result *r)
{
	struct strbuf json = STRBUF_INIT, path = STRBUF_INIT;
	json_error_t jerr;
	json_t *doc;
	int rc = 0;

	g->wl_running = 0;
	results_event(&c->res, "workload_exit",
		      json_pack("{s:s, s:i, s:i}", "guest", g->g->name, "exitcode", r->exitcode, "signal",
				r->signal));
	if (g->vm->ops->agent_read_file(g->vm, g->wl_json, &json, CMD_TIMEOUT_NS) < 0) {
		char msg[OCB_ERR_MAX + 256];

		snprintf(msg, sizeof(msg), "%s: workload exited with %d and left no results (%s); stderr: %.200s",
			 g->g->name, r->exitcode, ocb_errmsg(), strbuf_str(&r->err));
		strbuf_release(&json);
		return fail_run(c, msg);
	}
	strbuf_addf(&path, "%s/guests/%s/workload.json", c->res.dir, g->g->name);
	if (write_file_atomic(path.buf, json.buf, json.len, 0644) < 0)
		rc = fail_run(c, ocb_errmsg());
	doc = json_loadb(json.buf, json.len, 0, &jerr);
	if (doc) {
		import_workload_metrics(c, g, doc);
		json_decref(doc);
	} else if (rc == 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s: workload.json is not valid JSON: %s", g->g->name, jerr.text);
		rc = fail_run(c, msg);
	}
	if (rc == 0 && r->exitcode != 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s: workload '%s' exited with %d: %.200s", g->g->name,
			 g->g->spec->workload, r->exitcode, strbuf_str(&r->err));
		rc = fail_run(c, msg);
	}
	progress(c, "%s: workload finished (exit %d)", g->g->name, r->exitcode);
	strbuf_release(&json);
	strbuf_release(&path);
	return rc;
}

static int workload_wait(struct run_ctx *c, struct guest_state *g, uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + (timeout_ns ? timeout_ns : 3600 * 1000000000ull);

	while (g->wl_running) {
		struct agent_exec_result r;
		int st = g->vm->ops->agent_poll(g->vm, g->wl_pid, &r);
		int rc;

		if (st < 0)
			return guest_failed(c, g);
		if (st == 1) {
			rc = workload_collect(c, g, &r);
			agent_exec_result_release(&r);
			return rc;
		}
		agent_exec_result_release(&r);
		if (mono_ns() >= deadline) {
			char msg[256];

			snprintf(msg, sizeof(msg), "%s: workload still running after %.0f s", g->g->name,
				 ns_to_s(timeout_ns));
			return fail_run(c, msg);
		}
		if (idle(c, WORKLOAD_POLL_NS) < 0)
			return -1;
	}
	return 0;
}

static int workload_stop(struct run_ctx *c, struct guest_state *g)
{
	char pid[32];
	const char *argv[] = { "kill", "-TERM", pid, NULL };
	struct agent_exec_result r;

	if (!g->wl_running)
		return 0;
	snprintf(pid, sizeof(pid), "%lld", g->wl_pid);
	if (g->vm->ops->agent_exec(g->vm, argv, EXEC_TIMEOUT_NS, &r) < 0)
		return guest_failed(c, g);
	agent_exec_result_release(&r);
	return workload_wait(c, g, 60 * 1000000000ull);
}

/* one outcome of a knob on one host (via NULL: this host). */
static void knob_reported(void *opaque, const char *key, const char *value, const char *via,
			  const char *skip)
{
	struct run_ctx *c = opaque;
	json_t *ev = json_pack("{s:s, s:s}", "knob", key, "value", value);

	if (via)
		json_object_set_new(ev, "via", json_string(via));
	if (skip)
		json_object_set_new(ev, "reason", json_string(skip));
	results_event(&c->res, skip ? "knob_skipped" : "knob", ev);
	progress(c, "host%s%s: %s = %s%s%s", via ? " " : "", via ? via : "", key, value,
		 skip ? " skipped: " : "", skip ? skip : "");
}

static int host_knob(struct run_ctx *c, const char *key, const char *value)
{
	if (!c->knobs) {	/* routed to where the guests run */
		struct knob_route_opts o = { c->opt->root, c->opt->state_dir, c->opt->force,
					     c->opt->allow_module_reload };

		const char **uris = calloc(c->n ? c->n : 1, sizeof(*uris));

		if (!uris)
			return fail_run(c, "out of memory");
		for (size_t i = 0; i < c->n; i++)
			uris[i] = vm_host_uri(c->vms[i]);
		c->knobs = knob_route_new(&o);
		knob_route_add_uris(c->knobs, uris, c->n);
		free(uris);
	}
	if (knob_route_apply(c->knobs, key, value, knob_reported, c) < 0)
		return fail_run(c, ocb_errmsg());
	return 0;
}

typedef int (*guest_action_fn)(struct run_ctx *c, struct guest_state *g,
			       const struct timeline_entry *e);

static int act_balloon(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	return do_balloon(c, g, e->size_bytes);
}

static int act_wait_balloon(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	return wait_balloon(c, g, e->timeout_ns, e->partial_ok);
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
	return workload_start(c, g);
}

static int act_workload_stop(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	(void)e;
	return workload_stop(c, g);
}

static int act_workload_wait(struct run_ctx *c, struct guest_state *g, const struct timeline_entry *e)
{
	return workload_wait(c, g, e->timeout_ns);
}

static guest_action_fn guest_action(enum timeline_action a)
{
	switch (a) {
	case TL_BALLOON: return act_balloon;
	case TL_WAIT_BALLOON: return act_wait_balloon;
	case TL_FREE: return act_free;
	case TL_EXEC: return act_exec;
	case TL_WORKLOAD_START: return act_workload_start;
	case TL_WORKLOAD_STOP: return act_workload_stop;
	case TL_WAIT_WORKLOAD: return act_workload_wait;
	default: return NULL;
	}
}

static int native_run(const struct run_ctx *c)
{
	return c->n && vm_can(c->gs[0].vm, VM_CAP_HOST_WORKLOADS);
}

/* ---- wait ksm-settled ---------------------------------------------------- */

static int ksm_idle(void *opaque, uint64_t ns)
{
	return idle(opaque, ns);
}

/* Without a timeout the wait is bounded by the run's end (duration), else
 * by KSM_SETTLE_DEFAULT_NS. */
static uint64_t ksm_settle_timeout(struct run_ctx *c, const struct timeline_entry *e)
{
	uint64_t end = c->res.t0_ns + c->s->duration_ns, now = mono_ns();

	if (e->timeout_ns)
		return e->timeout_ns;
	if (c->s->duration_ns && end > now)
		return end - now;
	return KSM_SETTLE_DEFAULT_NS;
}

static int wait_ksm_settled(struct run_ctx *c, const struct timeline_entry *e)
{
	struct ksm_settle_result r;
	int rc = ksm_settle_wait(c->opt->root, ksm_settle_timeout(c, e), 0, ksm_idle, c, &r);

	if (rc < 0) {
		char msg[OCB_ERR_MAX + 64];

		if (c->failed || stop_requested(c))
			return -1;	/* idle() said why */
		snprintf(msg, sizeof(msg), "%s:%u: %s", e->file, e->line, ocb_errmsg());
		return fail_run(c, msg);
	}
	if (rc > 0) {	/* KSM off (a ksm = off matrix cell): no settle to measure */
		results_event(&c->res, "ksm_settle_skipped", json_pack("{s:s}", "reason", ocb_errmsg()));
		progress(c, "host: %s", ocb_errmsg());
		return 0;
	}
	results_event(&c->res, "ksm_settled",
		      json_pack("{s:f, s:f, s:f, s:f, s:I, s:I}", "settle_s", r.settle_s, "merged_mib",
				r.merged_mib, "merged_delta_mib", r.merged_delta_mib, "rate_mib_s",
				r.rate_mib_s, "full_scans", (json_int_t)r.full_scans, "pages_sharing",
				(json_int_t)r.pages_sharing));
	progress(c, "host: KSM settled after %.2f s (%llu full scans): %.1f MiB merged, %.1f MiB/s",
		 r.settle_s, r.full_scans, r.merged_mib, r.rate_mib_s);
	if (c->ksm_settles++)
		return 0;	/* the metrics are the first settle's */
	/* host-wide figures: KSM merges every mergeable process */
	results_metric(&c->res, "ksm_settle_s", r.settle_s, "s", "lower");
	results_metric(&c->res, "ksm_merged_mib", r.merged_mib, "MiB", "higher");
	results_metric(&c->res, "ksm_merge_rate_mib_s", r.rate_mib_s, "MiB/s", "higher");
	if (r.have_profit)
		results_metric(&c->res, "ksm_settle_general_profit_mib", r.general_profit_mib, "MiB",
			       "higher");
	return 0;
}

static int run_action(struct run_ctx *c, const struct timeline_entry *e)
{
	guest_action_fn fn = guest_action(e->action);

	if (native_run(c) && (e->action == TL_BALLOON || e->action == TL_WAIT_BALLOON)) {
		results_event(&c->res, "action_skipped",
			      json_pack("{s:s, s:s}", "action", e->text, "reason",
					"native run: the host has no balloon"));
		return 0;
	}
	results_event(&c->res, "action",
		      json_pack("{s:s, s:s, s:i}", "action", e->text, "file", e->file, "line", (int)e->line));
	if (fn) {
		for (size_t i = 0; i < c->n; i++) {
			if (fnmatch(e->glob, c->gs[i].g->name, 0) != 0)
				continue;
			if (fn(c, &c->gs[i], e) < 0)
				return -1;
		}
		return 0;
	}
	switch (e->action) {
	case TL_KSM_ON: return host_knob(c, "ksm", "on");
	case TL_KSM_OFF: return host_knob(c, "ksm", "off");
	case TL_KSM_UNMERGE: return host_knob(c, "ksm", "unmerge");
	case TL_HOST: return host_knob(c, e->key, e->value);
	case TL_WAIT_KSM_SETTLED: return wait_ksm_settled(c, e);
	default: {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s:%u: '%s' is not supported by this runner yet", e->file,
			 e->line, e->text);
		return fail_run(c, msg);
	}
	}
}

/* ---- the run ----------------------------------------------------------- */

static json_t *run_fields(struct run_ctx *c, const struct accel_choice *accel)
{
	const struct scenario *s = c->s;
	json_t *matrix = json_object(), *f;
	char started[64], id[96];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (size_t i = 0; i < s->n_axes; i++)
		json_object_set_new(matrix, s->axes[i].axis, json_string(s->axes[i].value));
	snprintf(id, sizeof(id), "%s-%ld-%zu", s->name, (long)now, s->run_index);
	f = json_pack("{s:s, s:s, s:s, s:o, s:i, s:i, s:b, s:{s:s, s:s}, s:s}", "scenario", s->name,
		      "run_id", id, "started", started, "matrix", matrix, "repeat",
		      (int)(s->repeat_index ? s->repeat_index - 1 : 0), "run_index", (int)s->run_index,
		      "quick", s->quick, "accel", "name", accel_name(accel->kind), "reason", accel->reason,
		      "backend", c->opt->backend);
	json_object_set_new(f, "scenario_file", json_string(s->file));
	/* compare: runs never recorded (killed before run.json) are missing
	 * evidence, counted against what the invocation asked for */
	json_object_set_new(f, "runs_requested", json_integer((json_int_t)(s->n_runs ? s->n_runs : 1)));
	/* The fingerprint compare uses to refuse apples-to-oranges. */
	json_object_set_new(f, "host", knob_host_fingerprint(c->opt->root));
	/* ... and the guest image by content, not by path */
	json_object_set_new(f, "guest_image", json_object());
	for (size_t i = 0; i < c->n; i++)
		if (vm_can(c->gs[i].vm, VM_CAP_GUEST_IMAGE))
			json_object_set_new(json_object_get(f, "guest_image"), c->gs[i].g->name,
					    results_image_identity(c->gs[i].vm->cfg.kernel, c->gs[i].vm->cfg.initrd,
								   c->gs[i].vm->cfg.append, c->gs[i].vm->cfg.disk));
	return f;
}

static void record_guests(struct run_ctx *c)
{
	json_t *guests = json_array();

	for (size_t i = 0; i < c->n; i++) {
		struct guest_state *g = &c->gs[i];
		const struct scenario_guest_spec *sp = g->g->spec;
		json_t *o = json_pack("{s:s, s:I, s:i, s:s, s:s, s:b, s:s, s:s, s:s}", "name", g->g->name,
				      "memory_mib", (json_int_t)(sp->memory_bytes / MiB), "vcpus", (int)sp->vcpus,
				      "balloon", scenario_balloon_name(sp->balloon), "backing",
				      scenario_backing_name(sp->backing), "mem_merge", sp->mem_merge,
				      "kernel", g->vm->cfg.kernel, "initrd", g->vm->cfg.initrd, "append",
				      g->vm->cfg.append);

		if (g->vm->cfg.disk[0])
			json_object_set_new(o, "disk", json_string(g->vm->cfg.disk));
		if (sp->workload)
			json_object_set_new(o, "workload", json_string(sp->workload));
		json_object_set_new(o, "boot_s", json_real(ns_to_s(g->vm->boot_ns)));
		json_object_set_new(o, "balloon_clamped", json_boolean(g->clamped));
		json_object_set_new(o, "balloon_tolerance_mib", json_real(bytes_to_mib(g->tolerance)));
		g->vm->ops->describe(g->vm, o);
		json_array_append_new(guests, o);
		if (g->vm->backend_version[0])
			json_object_set_new(json_object_get(c->res.run, "host"), "qemu_version",
					    json_string(g->vm->backend_version));
	}
	json_object_set_new(c->res.run, "guests", guests);
}

static void summarize(struct run_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct guest_state *g = &c->gs[i];
		char line[512], name[160];
		int n = 0;

		if (g->n_free) {
			snprintf(name, sizeof(name), "%s.memtotal_before_mib", g->g->name);
			results_metric(&c->res, name, (double)g->memtotal_first, "MiB", "higher");
			snprintf(name, sizeof(name), "%s.memtotal_ballooned_mib", g->g->name);
			results_metric(&c->res, name, (double)g->memtotal_min, "MiB", "lower");
			snprintf(name, sizeof(name), "%s.memtotal_after_mib", g->g->name);
			results_metric(&c->res, name, (double)g->memtotal_last, "MiB", "higher");
			n = snprintf(line, sizeof(line), "%s: MemTotal %ld → %ld MiB", g->g->name,
				     g->memtotal_first, g->memtotal_min);
			if (g->memtotal_last != g->memtotal_min)
				n += snprintf(line + n, sizeof(line) - (size_t)n, " → %ld MiB", g->memtotal_last);
		} else if (g->vm->boot_ns || vm_can(g->vm, VM_CAP_HOST_WORKLOADS)) {
			n = snprintf(line, sizeof(line), "%s: booted in %.2f s", g->g->name,
				     ns_to_s(g->vm->boot_ns));
		} else {
			n = snprintf(line, sizeof(line), "%s: did not boot", g->g->name);
		}
		if (g->have_inflate && n > 0 && (size_t)n < sizeof(line))
			snprintf(line + n, sizeof(line) - (size_t)n, " (balloon %.0f → %.0f MiB in %.2f s)",
				 bytes_to_mib(g->first_inflate_from), bytes_to_mib(g->first_inflate_target),
				 g->first_inflate_s);
		json_array_append_new(c->summary, json_string(line));
	}
}

/* Processes of this backend run here, under our cgroup (not libvirt's). */
static int vm_is_local_process(const struct vm *vm)
{
	return vm_can(vm, VM_CAP_LOCAL_PROCESS | VM_CAP_GUEST_IMAGE);
}

static int guest_up(struct run_ctx *c, struct guest_state *g)
{
	char name[160];

	snprintf(name, sizeof(name), "%s.boot_s", g->g->name);
	results_metric(&c->res, name, ns_to_s(g->vm->boot_ns), "s", "lower");
	results_event(&c->res, "guest_ready",
		      json_pack("{s:s, s:f, s:i}", "guest", g->g->name, "boot_s", ns_to_s(g->vm->boot_ns),
				"qemu_pid", (int)g->vm->ops->pid(g->vm)));
	if (vm_can(g->vm, VM_CAP_HOST_WORKLOADS))
		progress(c, "%s: native baseline (workloads run on the host)", g->g->name);
	else
		progress(c, "%s: agent ready after %.2f s (%s, %.0f MiB)", g->g->name,
			 ns_to_s(g->vm->boot_ns), accel_name(g->vm->cfg.accel.kind),
			 bytes_to_mib(g->g->spec->memory_bytes));
	return 0;
}

/* Wait for the guests [first, last) to answer, looking at each in turn
 * and ticking the sampler between looks, so samples.csv covers the boot
 * (QEMU RSS growing, host memory) on the run's one clock. */
static int wait_wave(struct run_ctx *c, size_t first, size_t last)
{
	size_t pending = last - first, up = first;

	while (pending) {
		for (size_t i = first; i < last; i++) {
			struct guest_state *g = &c->gs[i];
			struct vm *vm = g->vm;
			int r = 1;	/* no launch(): start() already booted it */

			if (g->up)
				continue;
			if (stop_requested(c))
				return -1;
			if (vm->ops->launch && vm->ops->poll_ready)
				r = vm->ops->poll_ready(vm, BOOT_LOOK_NS);
			else if (vm->ops->launch)
				r = vm->ops->wait_ready(vm) < 0 ? -1 : 1;
			if (r < 0)
				return fail_run(c, ocb_errmsg());
			if (r == 1) {
				g->up = 1;
				pending--;
				progress_guests(++up, c->n);
				guest_up(c, g);
			}
		}
		if (c->sampler)
			sampler_tick(c->sampler);
	}
	return 0;
}

/* Boot in waves of as many guests as there are CPUs (at least two):
 * under TCG each booting guest keeps a core busy, more at once only
 * stretches every boot; under KVM boots are short anyway. */
static int boot_guests(struct run_ctx *c)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t wave = ncpu > 2 ? (size_t)ncpu : 2;

	for (size_t first = 0; first < c->n; first += wave) {
		size_t last = first + wave < c->n ? first + wave : c->n;

		for (size_t i = first; i < last; i++) {
			struct vm *vm = c->gs[i].vm;
			int rc = vm->ops->launch ? vm->ops->launch(vm) : vm->ops->start(vm);

			if (stop_requested(c))
				return -1;
			if (rc < 0)
				return fail_run(c, ocb_errmsg());
		}
		/* The cap is only real if every QEMU is inside it. */
		if (c->cgroup && vm_is_local_process(c->gs[first].vm) &&
		    cgroup_nprocs(c->cgroup) < (int)last) {
			char msg[512];

			snprintf(msg, sizeof(msg), "only %d of %zu QEMU processes are in the memory cap cgroup %s",
				 cgroup_nprocs(c->cgroup), last, cgroup_dir(c->cgroup));
			return fail_run(c, msg);
		}
		if (wait_wave(c, first, last) < 0)
			return -1;
	}
	return 0;
}

static int run_timeline(struct run_ctx *c)
{
	const struct scenario *s = c->s;

	for (size_t i = 0; i < s->n_timeline; i++) {
		const struct timeline_entry *e = &s->timeline[i];
		uint64_t at = c->res.t0_ns + e->t_ns, now = mono_ns();

		if (now < at && idle(c, at - now) < 0)
			return -1;
		if (stop_requested(c))
			return -1;
		if (run_action(c, e) < 0)
			return -1;
	}
	if (s->duration_ns) {
		uint64_t end = c->res.t0_ns + s->duration_ns, now = mono_ns();

		if (now < end && idle(c, end - now) < 0)
			return -1;
	}
	/* Workloads still running at the end: give them their results. */
	for (size_t i = 0; i < c->n; i++)
		if (c->gs[i].wl_running && workload_stop(c, &c->gs[i]) < 0)
			return -1;
	return 0;
}

static void stop_guests(struct run_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct vm *vm = c->gs[i].vm;

		if (!vm)
			continue;
		if (!c->failed && !stop_requested(c)) {
			if (vm->ops->stop(vm) < 0)
				fail_run(c, ocb_errmsg());
		}
		vm->ops->kill(vm);
		results_event(&c->res, "guest_stopped", json_pack("{s:s}", "guest", vm->cfg.name));
	}
}

static int apply_host(struct run_ctx *c)
{
	for (size_t i = 0; i < c->s->n_host; i++)
		if (host_knob(c, c->s->host[i].key, c->s->host[i].value) < 0)
			return -1;
	return 0;
}

static void restore_host(struct run_ctx *c)
{
	if (!c->knobs)
		return;
	/* every host the knobs went to */
	json_object_set_new(c->res.run, "knobs", knob_route_applied(c->knobs));
	if (knob_route_restore(c->knobs) < 0)
		fail_run(c, ocb_errmsg());
	else
		results_event(&c->res, "knobs_restored", NULL);
	knob_route_free(c->knobs);
	c->knobs = NULL;
}

/* summary metrics of the sampler, and the cap recorded and
 * removed (every QEMU has been stopped and reaped by now). */
static void finish_sampling(struct run_ctx *c)
{
	sampler_summary(c->sampler);
	if (!c->cgroup)
		return;
	json_object_set_new(c->res.run, "host_memory_limit", cgroup_describe(c->cgroup));
	if (cgroup_destroy(c->cgroup, CGROUP_RMDIR_NS) < 0)
		fail_run(c, ocb_errmsg());
	c->cgroup = NULL;
}

/* The harness's own CPU (not its QEMUs'): what ocbench costs the host. */
static void harness_cpu_metric(struct run_ctx *c, const struct rusage *ru0)
{
	struct rusage ru;
	double wall = ns_to_s(mono_ns() - c->res.t0_ns), cpu;

	if (getrusage(RUSAGE_SELF, &ru) < 0 || wall <= 0)
		return;
	cpu = (double)(ru.ru_utime.tv_sec - ru0->ru_utime.tv_sec) +
	      (double)(ru.ru_utime.tv_usec - ru0->ru_utime.tv_usec) / 1e6 +
	      (double)(ru.ru_stime.tv_sec - ru0->ru_stime.tv_sec) +
	      (double)(ru.ru_stime.tv_usec - ru0->ru_stime.tv_usec) / 1e6;
	results_metric(&c->res, "harness_cpu_pct", 100.0 * cpu / wall, "%", "lower");
}

static void free_guests(struct run_ctx *c)
{
	for (size_t i = 0; i < c->n; i++)
		vm_free(c->gs[i].vm);
	free(c->gs);
	c->gs = NULL;
	/* after vm_free (which kills), so the group can be empty */
	sampler_free(c->sampler);
	c->sampler = NULL;
	free(c->vms);
	c->vms = NULL;
	if (c->cgroup && cgroup_destroy(c->cgroup, CGROUP_RMDIR_NS) < 0)
		fprintf(stderr, "ocbench: %s\n", ocb_errmsg());
	c->cgroup = NULL;
	remove_tree(c->rundir);
}

int runner_run(const struct scenario *s, const struct run_options *opt, const char *dir,
	       struct run_outcome *out)
{
	const struct vm_backend_ops *ops = vm_backend_find(opt->backend);
	struct accel_choice accel;
	struct rusage ru0;
	struct run_ctx c;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	getrusage(RUSAGE_SELF, &ru0);
	c.s = s;
	c.opt = opt;
	c.summary = json_array();
	out->summary = c.summary;
	if (!ops)
		return -1;
	if (vm_backend_can(ops, VM_CAP_HOST_WORKLOADS)) {
		accel.kind = ACCEL_NATIVE;
		snprintf(accel.reason, sizeof(accel.reason), "--native: workloads run on the host");
	} else if (accel_choose(opt->root, opt->accel, &accel) < 0) {
		return -1;
	}
	snprintf(c.rundir, sizeof(c.rundir), "/tmp/ocbench-%ld-XXXXXX", (long)getpid());
	if (!mkdtemp(c.rundir))
		return ocb_fail_errno("cannot create a private runtime directory under /tmp");
	/* Set-up errors (no image, no QEMU) stop here, before any result
	 * exists: they are the user's to fix, exit 2, not a failed run. */
	c.n = s->n_guests;
	c.gs = calloc(c.n ? c.n : 1, sizeof(*c.gs));
	c.vms = calloc(c.n ? c.n : 1, sizeof(*c.vms));
	if (!c.gs || !c.vms) {
		free_guests(&c);
		return ocb_fail("out of memory");
	}
	/* the cap exists before any QEMU starts; failing to make it
	 * (not root, no memory controller) is a set-up error */
	if (s->host_memory_limit && !vm_backend_can(ops, VM_CAP_LOCAL_PROCESS)) {
		/* libvirtd starts QEMU in its own cgroups: our group cannot hold
		 * them.  Refuse rather than run uncapped and look capped. */
		free_guests(&c);
		return ocb_fail("%s: host_memory_limit is not supported with --backend libvirt "
				"(libvirt places QEMU in its own cgroups); use the qemu backend", s->file);
	}
	if (s->host_memory_limit) {
		c.cgroup = cgroup_create(opt->root, s->host_memory_limit);
		if (!c.cgroup) {
			free_guests(&c);
			return ocb_err_prefix("%s: host_memory_limit: ", s->file);
		}
	}
	for (size_t i = 0; i < c.n; i++) {
		struct guest_state *g = &c.gs[i];

		g->g = &s->guests[i];
		/* Balloon targets are met to the page in practice; the
		 * tolerance absorbs a guest that keeps a few MiB back. */
		g->tolerance = g->g->spec->memory_bytes / 200;
		if (g->tolerance < MiB)
			g->tolerance = MiB;
		if (make_vm(&c, g->g, ops, &accel, dir, &g->vm) < 0 ||
		    (ops->prepare && ops->prepare(g->vm) < 0)) {
			free_guests(&c);
			return -1;
		}
		c.vms[i] = g->vm;
	}
	if (results_open(&c.res, dir, run_fields(&c, &accel)) < 0) {
		free_guests(&c);
		return -1;
	}
	for (size_t i = 0; i < c.n; i++)
		if (mkdir_p(c.gs[i].vm->cfg.outdir, 0755) < 0)
			fail_run(&c, ocb_errmsg());
	{
		struct strbuf m = STRBUF_INIT;

		for (size_t i = 0; i < s->n_axes; i++)
			strbuf_addf(&m, "%s%s=%s", i ? " " : "", s->axes[i].axis, s->axes[i].value);
		progress_run(s->run_index ? s->run_index : 1, s->n_runs ? s->n_runs : 1, strbuf_str(&m));
		progress_guests(0, c.n);
		strbuf_release(&m);
	}
	progress(&c, "run %zu/%zu of %s: %zu guest(s), accel %s (%s)", s->run_index ? s->run_index : 1,
		 s->n_runs ? s->n_runs : 1, s->name, c.n, accel_name(accel.kind), accel.reason);
	/* one sampling loop, ticked from idle() */
	c.sampler = sampler_new(&c.res, c.vms, c.n, opt->root, s->sample_rate,
				c.cgroup ? cgroup_dir(c.cgroup) : NULL);
	if (!c.sampler)
		fail_run(&c, ocb_errmsg());
	if (c.cgroup)
		progress(&c, "host: memory cap %.0f MiB (cgroup v%d %s)",
			 bytes_to_mib(s->host_memory_limit), cgroup_version(c.cgroup), cgroup_dir(c.cgroup));

	if (!c.failed && apply_host(&c) == 0 && boot_guests(&c) == 0)
		run_timeline(&c);
	stop_guests(&c);
	finish_sampling(&c);
	harness_cpu_metric(&c, &ru0);
	restore_host(&c);
	record_guests(&c);
	summarize(&c);

	if (c.failed) {
		snprintf(out->status, sizeof(out->status), "failed");
		snprintf(out->reason, sizeof(out->reason), "%s", c.reason);
	} else if (stop_requested(&c)) {
		snprintf(out->status, sizeof(out->status), "incomplete");
		snprintf(out->reason, sizeof(out->reason), "%s", interrupt_reason());
		results_event(&c.res, "interrupted", json_pack("{s:s}", "reason", interrupt_reason()));
	} else {
		snprintf(out->status, sizeof(out->status), "complete");
	}
	progress_end_run();
	json_object_set(c.res.run, "summary", c.summary);
	if (results_close(&c.res, out->status, out->reason) < 0)
		fprintf(stderr, "ocbench: %s\n", ocb_errmsg());
	rc = strcmp(out->status, "complete") ? 1 : 0;

	free_guests(&c);
	return rc;
}

void run_outcome_release(struct run_outcome *out)
{
	json_decref(out->summary);
	out->summary = NULL;
}
