/* guests.c — see guests.h. */
#include "run/guests.h"
#include "guest/guest-image.h"
#include "host/cgroup.h"
#include "policy/policies.h"
#include "run/loop.h"
#include "sampler/sampler.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/progress.h"
#include "util/runcmd.h"
#include "util/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BOOT_LOOK_NS (100 * 1000000ull)	/* one pass over the booting guests */
#define BOOT_LOOK_MIN_NS (2 * 1000000ull)	/* the shortest look at one */
#define CGROUP_RMDIR_NS (5 * 1000000000ull)	/* host_memory_limit */

/* ---- configuration ------------------------------------------------------ */

/* QEMU's own timestamp is kept beside the host's time of receipt, so
 * that an event's delay through the harness can be read off events.jsonl. */
static void on_vm_event(void *opaque, struct vm *vm, const char *event, json_t *data, double emitted_s)
{
	struct run_ctx *c = opaque;
	struct guest_state *g = NULL;
	json_t *ev;

	for (size_t i = 0; i < c->n && !g; i++)
		if (c->gs[i].vm == vm)
			g = &c->gs[i];
	if (!g)
		return;
	ev = json_pack("{s:s, s:s, s:O?, s:f}", "guest", vm->cfg.name, "event", event ? event : "?",
		       "data", data, "received_s", wall_s());
	if (ev && emitted_s >= 0)
		json_object_set_new(ev, "emitted_s", json_real(emitted_s));
	results_event_capped(&c->res, &g->events, vm->cfg.name, "qmp_event", ev);
}

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
	struct vm_setup setup = {
		.image = &gi, .uri = sp->uri ? sp->uri : c->opt->uri, .accel = *accel,
		.rundir = c->rundir, .results_dir = dir,
		.boot_timeout_ns = c->s->boot_timeout_ns, .cmd_timeout_ns = c->s->command_timeout_ns,
	};

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
	setup.qemu_binary = strbuf_str(&qemu);
	vm_config_init(&cfg, g->name, &setup);
	strbuf_release(&qemu);
	cfg.memory_bytes = sp->memory_bytes;
	cfg.vcpus = sp->vcpus;
	cfg.balloon = sp->balloon == SCENARIO_BALLOON_VIRTIO;
	cfg.stats_period_s = (unsigned)((sp->stats_period_ns + 999999999u) / 1000000000u);
	cfg.backing = to_backing(sp->backing);
	cfg.mem_merge = sp->mem_merge;
	/* asked for, or a policy that leaves reclaim to the guests (fpr-only) */
	cfg.free_page_reporting = sp->free_page_reporting ||
				  (cfg.balloon && c->s->policy_name && policy_find(c->s->policy_name) &&
				   (policy_find(c->s->policy_name)->flags & POLICY_F_FPR));
	cfg.free_page_hint = sp->free_page_hint;
	cfg.deflate_on_oom = sp->deflate_on_oom;
	cfg.vmem_bytes = sp->vmem_bytes;
	cfg.vmem_block_bytes = sp->vmem_block_bytes;
	cfg.vmem_requested = sp->vmem_requested;
	if (c->cgroup)	/* QEMU joins the cap before exec */
		snprintf(cfg.cgroup_procs, sizeof(cfg.cgroup_procs), "%s", cgroup_procs_path(c->cgroup));
	*out = vm_new(ops, &cfg);
	if (!*out)
		return -1;
	(*out)->on_event = on_vm_event;
	(*out)->event_opaque = c;
	return 0;
}

int run_make_guests(struct run_ctx *c, const struct vm_backend_ops *ops,
		    const struct accel_choice *accel, const char *dir)
{
	for (size_t i = 0; i < c->n; i++) {
		struct guest_state *g = &c->gs[i];

		g->g = &c->s->guests[i];
		g->reached_pct_min = 100.0;
		g->events = (struct results_event_cap)RESULTS_EVENT_CAP_INIT;
		/* Balloon targets are met to the page in practice; the
		 * tolerance absorbs a guest that keeps a few MiB back. */
		g->tolerance = g->g->spec->memory_bytes / 200;
		if (g->tolerance < MiB)
			g->tolerance = MiB;
		if (make_vm(c, g->g, ops, accel, dir, &g->vm) < 0 ||
		    (ops->prepare && ops->prepare(g->vm) < 0))
			return -1;
		c->vms[i] = g->vm;
	}
	return 0;
}

/* ---- boot --------------------------------------------------------------- */

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
		run_progress(c, "%s: native baseline (workloads run on the host)", g->g->name);
	else
		run_progress(c, "%s: agent ready after %.2f s (%s, %.0f MiB)", g->g->name,
			 ns_to_s(g->vm->boot_ns), accel_name(g->vm->cfg.accel.kind),
			 bytes_to_mib(g->g->spec->memory_bytes));
	return 0;
}

/* One look at each guest of [first, last) that is not up yet, ticking
 * the sampler after each, so samples.csv covers the boot (QEMU RSS
 * growing, host memory) on the run's one clock: how many are still
 * pending, -1 when one failed (the run has failed). */
static int look_pass(struct run_ctx *c, size_t first, size_t last, uint64_t look)
{
	int pending = 0;

	for (size_t i = first; i < last; i++) {
		struct guest_state *g = &c->gs[i];
		struct vm *vm = g->vm;
		int r = 1;	/* no launch(): start() already booted it */

		if (g->up)
			continue;
		if (run_stop_requested(c))
			return -1;
		if (vm->ops->launch && vm->ops->poll_ready)
			r = vm->ops->poll_ready(vm, look);
		else if (vm->ops->launch)
			r = vm->ops->wait_ready(vm) < 0 ? -1 : 1;
		if (r < 0)
			return run_fail_gone(c, ocb_errmsg());
		if (r == 1) {
			size_t up = 0;

			g->up = 1;
			for (size_t k = 0; k < c->n; k++)
				up += c->gs[k].up;
			progress_guests(up, c->n);
			guest_up(c, g);
		} else {
			pending++;
		}
		if (c->sampler)
			sampler_tick(c->sampler);
	}
	results_sync_due(&c->res);
	return pending;
}

/* Wait for the guests [first, last) to answer.  A pass over the pending
 * guests takes about BOOT_LOOK_NS whatever their number, so a start
 * storm of many guests does not starve the sampler. */
static int wait_wave(struct run_ctx *c, size_t first, size_t last)
{
	int pending = (int)(last - first);

	while (pending > 0) {
		uint64_t look = BOOT_LOOK_NS / (uint64_t)pending;

		pending = look_pass(c, first, last, look < BOOT_LOOK_MIN_NS ? BOOT_LOOK_MIN_NS : look);
		if (pending < 0)
			return -1;
	}
	return 0;
}

/* Boot in waves of as many guests as there are CPUs (at least two):
 * under TCG each booting guest keeps a core busy, more at once only
 * stretches every boot; under KVM boots are short anyway.  A scenario's
 * boot_wave sets the wave (all at once: a start storm). */
int run_boot_guests(struct run_ctx *c)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t wave = c->s->boot_wave ? c->s->boot_wave : ncpu > 2 ? (size_t)ncpu : 2;

	for (size_t first = 0; first < c->n; first += wave) {
		size_t last = first + wave < c->n ? first + wave : c->n;

		for (size_t i = first; i < last; i++) {
			struct vm *vm = c->gs[i].vm;
			int rc = vm->ops->launch ? vm->ops->launch(vm) : vm->ops->start(vm);

			if (run_stop_requested(c))
				return -1;
			if (rc < 0)
				return run_fail(c, ocb_errmsg());
			/* every VM of the wave is launched before any is connected
			 * to (the qemu backend's launch only spawns: its QMP and
			 * agent are connected by poll_ready); a backend whose
			 * launch is slow still has the sampler ticking between */
			if (c->sampler)
				sampler_tick(c->sampler);
		}
		/* The cap is only real if every QEMU is inside it. */
		if (c->cgroup && vm_is_local_process(c->gs[first].vm) &&
		    cgroup_nprocs(c->cgroup) < (int)last) {
			char msg[512];

			snprintf(msg, sizeof(msg), "only %d of %zu QEMU processes are in the memory cap cgroup %s",
				 cgroup_nprocs(c->cgroup), last, cgroup_dir(c->cgroup));
			return run_fail(c, msg);
		}
		if (wait_wave(c, first, last) < 0)
			return -1;
	}
	return 0;
}

/* ---- stop --------------------------------------------------------------- */

void run_stop_guests(struct run_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct vm *vm = c->gs[i].vm;

		if (!vm)
			continue;
		if (!c->failed && !run_stop_requested(c)) {
			if (vm->ops->stop(vm) < 0)
				run_fail(c, ocb_errmsg());
		}
		vm->ops->kill(vm);
		results_event(&c->res, "guest_stopped", json_pack("{s:s}", "guest", vm->cfg.name));
	}
}

void run_free_guests(struct run_ctx *c)
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
