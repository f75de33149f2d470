/* runner.c — see runner.h.  The life of one run: set up (accelerator,
 * private directory, memory cap, guests, results), execute, tear down in
 * the reverse order, and say how it ended.  The steps are the other files
 * of run/ (run-internal.h lists them). */
#include "run/runner.h"
#include "guest/workload.h"
#include "host/cgroup.h"
#include "run/actions.h"
#include "run/guests.h"
#include "run/host.h"
#include "run/loop.h"
#include "run/policy.h"
#include "run/record.h"
#include "sampler/remote.h"
#include "sampler/sampler.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/interrupt.h"
#include "util/progress.h"
#include "util/runcmd.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vm/backends.h"
#include "vm/vm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int runner_validate_workload(const char *program)
{
	return workload_validate(program);
}

static int choose_accel(const struct run_options *opt, const struct vm_backend_ops *ops,
			struct accel_choice *accel)
{
	if (vm_backend_can(ops, VM_CAP_HOST_WORKLOADS)) {
		accel->kind = ACCEL_NATIVE;
		snprintf(accel->reason, sizeof(accel->reason), "--native: workloads run on the host");
		return 0;
	}
	return accel_choose(opt->root, opt->accel, accel);
}

/* The cap exists before any QEMU starts; failing to make it (not root,
 * no memory controller) is a set-up error. */
static int make_cap(struct run_ctx *c, const struct vm_backend_ops *ops)
{
	const struct scenario *s = c->s;

	if (!s->host_memory_limit)
		return 0;
	/* libvirtd starts QEMU in its own cgroups: our group cannot hold
	 * them.  Refuse rather than run uncapped and look capped. */
	if (!vm_backend_can(ops, VM_CAP_LOCAL_PROCESS))
		return ocb_fail("%s: host_memory_limit is not supported with --backend %s "
				"(it places QEMU in its own cgroups); use the qemu backend", s->file, ops->name);
	c->cgroup = cgroup_create(c->opt->root, s->host_memory_limit);
	if (!c->cgroup)
		return ocb_err_prefix("%s: host_memory_limit: ", s->file);
	return 0;
}

/* Set-up errors (no image, no QEMU) stop here, before any result exists:
 * they are the user's to fix, exit 2, not a failed run.  -1 with
 * everything freed. */
static int set_up(struct run_ctx *c, const char *dir, struct accel_choice *accel)
{
	const struct vm_backend_ops *ops = vm_backend_find(c->opt->backend);

	if (!ops || choose_accel(c->opt, ops, accel) < 0)
		return -1;
	snprintf(c->rundir, sizeof(c->rundir), "/tmp/ocbench-%ld-XXXXXX", (long)getpid());
	if (!mkdtemp(c->rundir))
		return ocb_fail_errno("cannot create a private runtime directory under /tmp");
	c->n = c->s->n_guests;
	c->gs = calloc(c->n ? c->n : 1, sizeof(*c->gs));
	c->vms = calloc(c->n ? c->n : 1, sizeof(*c->vms));
	if (!c->gs || !c->vms) {
		run_free_guests(c);
		return ocb_fail("out of memory");
	}
	if (make_cap(c, ops) < 0 || run_make_guests(c, ops, accel, dir) < 0 ||
	    results_open(&c->res, dir, run_fields(c, accel)) < 0) {
		run_free_guests(c);
		return -1;
	}
	return 0;
}

/* The KSM counters of each remote host the guests run on (ksm@HOST). */
static void add_remote_sources(struct run_ctx *c)
{
	const char **uris = xcalloc(c->n + 1, sizeof(*uris));
	int local;
	size_t n = run_remote_uris(c, uris, &local);

	if (n && sampler_add_remote_ksm(c->sampler, uris, n) < 0)
		run_fail(c, ocb_errmsg());
	free(uris);
}

/* The results directory's guest folders, the progress header and the
 * sampler: what a run needs before its first action. */
static void start_run(struct run_ctx *c, const struct accel_choice *accel)
{
	const struct scenario *s = c->s;
	struct strbuf m = STRBUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		if (mkdir_p(c->gs[i].vm->cfg.outdir, 0755) < 0)
			run_fail(c, ocb_errmsg());
	for (size_t i = 0; i < s->n_axes; i++)
		strbuf_addf(&m, "%s%s=%s", i ? " " : "", s->axes[i].axis, s->axes[i].value);
	progress_run(s->run_index ? s->run_index : 1, s->n_runs ? s->n_runs : 1, strbuf_str(&m));
	progress_guests(0, c->n);
	strbuf_release(&m);
	run_progress(c, "run %zu/%zu of %s: %zu guest(s), accel %s (%s)", s->run_index ? s->run_index : 1,
		     s->n_runs ? s->n_runs : 1, s->name, c->n, accel_name(accel->kind), accel->reason);
	/* one sampling loop, ticked from run_idle() */
	c->sampler = sampler_new(&c->res, c->vms, c->n, c->opt->root, s->sample_rate,
				 c->cgroup ? cgroup_dir(c->cgroup) : NULL);
	if (!c->sampler)
		run_fail(c, ocb_errmsg());
	else
		add_remote_sources(c);
	if (c->cgroup)
		run_progress(c, "host: memory cap %.0f MiB (cgroup v%d %s)",
			     bytes_to_mib(s->host_memory_limit), cgroup_version(c->cgroup),
			     cgroup_dir(c->cgroup));
}

/* How the run ended, into out and run.json: 0 complete, else 1. */
static int conclude(struct run_ctx *c, struct run_outcome *out)
{
	if (c->failed) {
		snprintf(out->status, sizeof(out->status), "failed");
		snprintf(out->reason, sizeof(out->reason), "%s", c->reason);
	} else if (run_stop_requested(c)) {
		snprintf(out->status, sizeof(out->status), "incomplete");
		snprintf(out->reason, sizeof(out->reason), "%s", interrupt_reason());
		results_event(&c->res, "interrupted", json_pack("{s:s}", "reason", interrupt_reason()));
	} else {
		snprintf(out->status, sizeof(out->status), "complete");
	}
	progress_end_run();
	json_object_set(c->res.run, "summary", c->summary);
	/* A run whose results could not be written is not a complete run,
	 * whatever happened in it: nobody can read what it measured. */
	if (results_close(&c->res, out->status, out->reason) < 0) {
		fprintf(stderr, "ocbench: %s\n", ocb_errmsg());
		snprintf(out->reason, sizeof(out->reason), "its results could not be written: %s",
			 ocb_errmsg());
		snprintf(out->status, sizeof(out->status), "failed");
	}
	return strcmp(out->status, "complete") ? 1 : 0;
}

/* The harness above its guests.  Under TCG, 32 QEMUs keep every CPU busy
 * and a harness at their priority waits behind them for each few ms of
 * sampling: the full scale run's sampler spent 31 % of the wall time in
 * ticks that used 2.4 % of a CPU, and missed 7 % of its periods.  Its
 * nice value goes RUN_NICE_BOOST below, what it spawns (QEMU) keeps the
 * one it had: the guests' share among themselves is unchanged, the
 * harness takes no more CPU, only its turn comes sooner.  Not permitted
 * (no CAP_SYS_NICE): unchanged, and the event says so. */
#define RUN_NICE_BOOST 10

/* 1 when raised (*was: the nice value to give back), else 0. */
static int raise_priority(struct run_ctx *c, int *was)
{
	int now;

	errno = 0;
	*was = getpriority(PRIO_PROCESS, 0);
	if (*was == -1 && errno) {
		results_event(&c->res, "harness_priority", json_pack("{s:s}", "unchanged", strerror(errno)));
		return 0;
	}
	now = *was - RUN_NICE_BOOST < -20 ? -20 : *was - RUN_NICE_BOOST;
	if (setpriority(PRIO_PROCESS, 0, now) < 0) {
		results_event(&c->res, "harness_priority",
			      json_pack("{s:i, s:s}", "nice", *was, "unchanged", strerror(errno)));
		return 0;
	}
	runcmd_child_nice(*was);
	results_event(&c->res, "harness_priority", json_pack("{s:i, s:i}", "nice", now, "children_nice", *was));
	return 1;
}

static void restore_priority(int was)
{
	runcmd_child_nice_off();
	if (setpriority(PRIO_PROCESS, 0, was) < 0)
		fprintf(stderr, "ocbench: cannot set the nice value back to %d: %s\n", was, strerror(errno));
}

int runner_run(const struct scenario *s, const struct run_options *opt, const char *dir,
	       struct run_outcome *out)
{
	struct accel_choice accel;
	struct rusage ru0;
	struct run_ctx c;
	int rc, was_nice = 0, raised;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	getrusage(RUSAGE_SELF, &ru0);
	c.s = s;
	c.opt = opt;
	c.summary = json_array();
	out->summary = c.summary;
	if (set_up(&c, dir, &accel) < 0)
		return -1;
	raised = raise_priority(&c, &was_nice);
	start_run(&c, &accel);
	if (!c.failed && run_apply_host(&c) == 0 && run_boot_guests(&c) == 0 &&
	    run_policy_start(&c) == 0)
		run_timeline(&c);
	run_policy_finish(&c);
	run_stop_guests(&c);
	run_finish_sampling(&c);
	run_harness_cpu_metric(&c, &ru0);
	run_restore_host(&c);
	run_record_guests(&c);
	run_summarize(&c);
	rc = conclude(&c, out);
	run_free_guests(&c);
	if (raised)
		restore_priority(was_nice);
	return rc;
}

void run_outcome_release(struct run_outcome *out)
{
	json_decref(out->summary);
	out->summary = NULL;
}
