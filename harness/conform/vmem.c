/* vmem.c — see vmem.h.
 *
 * VMEM-001: a 1024 MiB guest with a 1024 MiB virtio-mem device, nothing
 * plugged at boot.  requested-size goes to 512 MiB (qom-set); the
 * device's size is polled every 100 ms until it equals the request (at
 * most 30 s: the convergence time is the result), then MemTotal must have
 * risen by the plugged amount within max(2.5 %, two 2 MiB blocks).  The
 * guest stays up for VMEM-002.
 *
 * VMEM-002: the same guest with 512 MiB plugged (plugged first when it is
 * not).  The guest onlines plugged memory to ZONE_MOVABLE (its command
 * line's memhp_default_state=online_movable), where only movable pages
 * live, so the kernel can empty any of it by migrating its pages
 * elsewhere — as long as there is free memory elsewhere to migrate to;
 * without ZONE_MOVABLE the kernel documents no guarantee at all
 * (Documentation/admin-guide/mm/memory-hotplug.rst).  The load is
 * `pressure` holding all of the guest's free memory but its min
 * watermark, the plugged 512 MiB and one memory block more (640 MiB with
 * the 128 MiB blocks of x86-64): it fills the plugged memory first (user
 * pages prefer ZONE_MOVABLE, the highest zone), so the unplug has to move
 * the load's pages out of it, and there is room for all of them.  Then
 * requested-size goes to 0.  The guest's virtio_mem driver (sub-block
 * mode: 2 MiB blocks, smaller than a memory block) empties a fully
 * plugged memory block in one go by migrating its pages elsewhere, and
 * ends its pass at the first block it has no free memory to empty
 * (-ENOMEM), to try again 50 s later (its retry timer).  So the guest can
 * unplug as many whole memory blocks as its free memory above the min
 * watermark takes in (all four here), and a load holds the rest.
 *
 * Why room for all of it, plus a block: an earlier version left 1.5
 * blocks free, and once in six runs the guest's OOM killer took the load
 * during the unplug.  The likely path: the driver empties one block, then
 * tries the next with half a block of room; that attempt migrates pages
 * until its allocations fail, taking the guest's free memory down to the
 * min watermark, and any allocation another task makes in that window
 * finds nothing to reclaim (no swap, a small page cache), so the OOM
 * killer takes the biggest task, the load.  That is the guest kernel's OOM
 * policy, not the unplug failing, so the check does not set it up: the
 * driver is never left a block it cannot empty, and after the unplug a
 * whole block stays free above the watermark for everything else.
 *
 * size is followed every 100 ms until it reaches 0, or stays put 5 s
 * after it moved, or 30 s.
 */
#include "conform/vmem.h"
#include "conform/fixture.h"
#include "conform/diagnose.h"
#include "host/diagnosis.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/jsontext.h"
#include "util/strbuf.h"
#include "util/units.h"
#include "vm/vm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLUG_MIB 512
#define CONVERGE_NS (30 * 1000000000ull)
#define POLL_NS (100 * 1000000ull)

static const struct conform_guest_spec vmem_guest = {
	.name = "vmem", .memory_bytes = 1024 * MiB, .balloon = 1, .mem_merge = 1,
	.vmem_bytes = 1024 * MiB,
};

/* Poll until size == requested or the timeout; *secs the time taken. */
static int converge(struct conform_ctx *c, struct vm *vm, uint64_t *size, double *secs)
{
	uint64_t t0 = mono_ns(), req;
	uint64_t win = c->opt.reclaim_timeout_ns ? c->opt.reclaim_timeout_ns : CONVERGE_NS;

	for (;;) {
		if (vm->ops->vmem_get(vm, size, &req) < 0)
			return -1;
		*secs = ns_to_s(mono_ns() - t0);
		if (*size == req || mono_ns() - t0 >= win)
			return 0;
		if (conform_sleep(c, POLL_NS) < 0)
			return -1;
	}
}

void conform_vmem_001(struct conform_ctx *c, struct conform_result *r)
{
	struct vm *vm;
	unsigned long long k0, k1;
	uint64_t size = 0;
	double secs = 0, grew, tol;

	if (!c->opt.backend->vmem_resize || !c->opt.backend->vmem_get) {
		conform_skip(r, "needs a backend that resizes virtio-mem: %s has no qom-set for it",
			     c->opt.backend->name);
		return;
	}
	vm = conform_guest(c, &vmem_guest);
	if (!vm || conform_guest_meminfo(c, vm, "MemTotal", &k0) < 0 ||
	    vm->ops->vmem_resize(vm, PLUG_MIB * MiB) < 0 || converge(c, vm, &size, &secs) < 0 ||
	    conform_guest_meminfo(c, vm, "MemTotal", &k1) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	grew = ((double)k1 - (double)k0) / 1024.0;
	tol = conform_tolerance(r->evidence, "tolerance", PLUG_MIB, 0.025, 4, 0, 0, "MiB");
	json_object_set_new(r->evidence, "measured",
			    json_pack("{s:i, s:f, s:f, s:f, s:f}", "requested_mib", PLUG_MIB, "size_mib",
				      bytes_to_mib(size), "converge_s", secs, "memtotal_before_mib",
				      (double)k0 / 1024.0, "memtotal_after_mib", (double)k1 / 1024.0));
	json_object_set_new(r->evidence, "rule", json_string("size reaches requested-size within 30 s and "
							      "MemTotal rises by it within the tolerance"));
	conform_summary(r, "plugged %.0f of %d MiB in %.2f s; MemTotal +%.0f MiB", bytes_to_mib(size),
			PLUG_MIB, secs, grew);
	if (size != PLUG_MIB * MiB)
		conform_failf(r, "%s: virtio-mem size %.0f MiB after %.0f s, requested %d MiB (is virtio_mem "
			      "loaded in the guest, with memory hotplug?)", vm->cfg.name, bytes_to_mib(size),
			      secs, PLUG_MIB);
	else if (fabs(grew - PLUG_MIB) > tol)
		conform_failf(r, "%s: MemTotal rose by %.0f MiB for %d MiB plugged (tolerance %.0f MiB): the "
			      "plugged memory is not online in the guest (memhp_default_state?)",
			      vm->cfg.name, grew, PLUG_MIB, tol);
	else
		conform_pass(r, "plugged in %.2f s", secs);
}

/* ---- VMEM-002: unplug under load ---------------------------------------- */

#define LOAD_SPARE_BLOCKS 1	/* the load leaves the plugged memory and this many
				 * memory blocks more free (see above: why) */
#define LOAD_SLACK_MIB 4	/* held: AnonPages within this of the load */
#define LOAD_READY_NS (120 * 1000000000ull)
#define STALL_NS (5 * 1000000000ull)
#define UNPLUG_REL 0.10		/* of what the guest could unplug ... */
#define UNPLUG_ABS_MIB 16	/* ... or this: 2 MiB sub-blocks pinned by what the
				 * kernel allocated meanwhile, per-CPU lists */

struct unplug {
	double memtotal0, memtotal1, free0, minfree, movable, movable_free, anon0, anon1, block;
	double load_mib, secs, watched;
	uint64_t size0, size1;
	int converged, load_alive;
	long long pid;
	char load_status[32];
};

static int meminfo_mib(struct conform_ctx *c, struct vm *vm, const char *name, double *mib)
{
	unsigned long long kib;

	if (conform_guest_meminfo(c, vm, name, &kib) < 0)
		return -1;
	*mib = (double)kib / 1024.0;
	return 0;
}

/* A guest file's text (trimmed); -1 with a message. */
static int guest_text(struct conform_ctx *c, struct vm *vm, const char *path, struct strbuf *out)
{
	if (vm->ops->agent_read_file(vm, path, out, c->opt.cmd_timeout_ns) < 0)
		return ocb_err_prefix("%s: %s: ", vm->cfg.name, path);
	strbuf_rtrim(out);
	return 0;
}

/* What the guest's zone Movable manages and has free (MiB; 0 without
 * one), and its min watermark (/proc/sys/vm/min_free_kbytes, MiB). */
static int zones(struct conform_ctx *c, struct vm *vm, struct unplug *u)
{
	struct strbuf z = STRBUF_INIT, m = STRBUF_INIT, b = STRBUF_INIT;
	const char *p;
	long long pages = 0, free_pages = 0;
	int rc = guest_text(c, vm, "/proc/zoneinfo", &z) < 0 ||
		 guest_text(c, vm, "/proc/sys/vm/min_free_kbytes", &m) < 0 ||
		 guest_text(c, vm, "/sys/devices/system/memory/block_size_bytes", &b) < 0 ? -1 : 0;

	/* "pages free N" comes before "managed N" in the zone's section */
	if (rc == 0 && (p = strstr(strbuf_str(&z), "zone  Movable"))) {
		const char *fr = strstr(p, "pages free");

		if (fr && sscanf(fr + 10, "%lld", &free_pages) != 1)
			free_pages = 0;
		if ((p = strstr(p, "managed")) && sscanf(p + 7, "%lld", &pages) != 1)
			pages = 0;
	}
	u->movable = (double)pages * 4.0 / 1024.0;
	u->movable_free = (double)free_pages * 4.0 / 1024.0;
	u->minfree = rc == 0 ? (double)atoll(strbuf_str(&m)) / 1024.0 : 0;
	u->block = rc == 0 ? (double)strtoull(strbuf_str(&b), NULL, 16) / (double)MiB : 0;	/* hex, no 0x */
	if (rc == 0 && u->block < 1)
		rc = ocb_fail("%s: the guest's memory block size '%.32s' is not a size", vm->cfg.name,
			      strbuf_str(&b));
	strbuf_release(&z);
	strbuf_release(&m);
	strbuf_release(&b);
	return rc;
}

/* Why the unplug fell short: where the guest onlines plugged memory, and
 * whether its driver unplugs online memory at all. */
static json_t *vmem_diagnosis(struct conform_ctx *c, struct vm *vm, const struct unplug *u)
{
	json_t *d = diag_new();
	struct strbuf pol = STRBUF_INIT, uo = STRBUF_INIT;

	if (guest_text(c, vm, "/sys/devices/system/memory/auto_online_blocks", &pol) == 0)
		json_object_set_new(d, "auto_online_blocks", json_text(strbuf_str(&pol), pol.len));
	else
		diag_add(d, DIAG_UNKNOWN, "agent", vm->cfg.name, "%s", ocb_errmsg());
	json_object_set_new(d, "movable_mib", json_real(u->movable));
	if (!strcmp(strbuf_str(&pol), "offline"))
		diag_add(d, DIAG_CAUSE, "vmem-offline", vm->cfg.name,
			 "%s: the guest leaves hot-plugged memory offline (auto_online_blocks = offline): the "
			 "plugged memory never held anything (memhp_default_state=online_movable missing from "
			 "its command line?)", vm->cfg.name);
	else if (u->movable < PLUG_MIB / 2.0)
		diag_add(d, DIAG_CAUSE, "vmem-not-movable", vm->cfg.name,
			 "%s: the plugged memory is not in ZONE_MOVABLE (auto_online_blocks = %s, zone Movable "
			 "manages %.0f MiB): kernel allocations may pin it, and nothing guarantees its unplug",
			 vm->cfg.name, strbuf_str(&pol), u->movable);
	if (guest_text(c, vm, "/sys/module/virtio_mem/parameters/unplug_online", &uo) == 0) {
		json_object_set_new(d, "unplug_online", json_text(strbuf_str(&uo), uo.len));
		if (!strcmp(strbuf_str(&uo), "N"))
			diag_add(d, DIAG_CAUSE, "unplug-online-off", vm->cfg.name,
				 "%s: virtio_mem's unplug_online is N: the driver unplugs offline memory only",
				 vm->cfg.name);
	}
	ocb_err_clear();
	strbuf_release(&pol);
	strbuf_release(&uo);
	return d;
}

/* 512 MiB plugged: 0, 1 when the plug fell short (r FAILed), -1. */
static int plugged(struct conform_ctx *c, struct conform_result *r, struct vm *vm)
{
	uint64_t size, req;
	double secs = 0;

	if (vm->ops->vmem_get(vm, &size, &req) < 0)
		return -1;
	if (size == PLUG_MIB * MiB)
		return 0;
	if (vm->ops->vmem_resize(vm, PLUG_MIB * MiB) < 0 || converge(c, vm, &size, &secs) < 0)
		return -1;
	if (size == PLUG_MIB * MiB)
		return 0;
	conform_failf(r, "%s: the plug the unplug starts from stopped at %.0f of %d MiB after %.0f s",
		      vm->cfg.name, bytes_to_mib(size), PLUG_MIB, secs);
	return 1;
}

/* pressure holding the guest's free memory but its min watermark, the
 * plugged memory and LOAD_SPARE_BLOCKS memory blocks, until the guest's
 * AnonPages shows it held.  A guest with too little free memory for a
 * load that fills the plugged memory cannot test an unplug under load:
 * an error, not a verdict. */
static int start_load(struct conform_ctx *c, struct vm *vm, struct unplug *u)
{
	char size[32];
	const char *argv[] = { "pressure", "--size", size, "--profile", "ramp:3s,hold:600s,release:1s",
			       "--iterations", "1", NULL };
	uint64_t t0 = mono_ns();
	double free;

	if (meminfo_mib(c, vm, "MemFree", &free) < 0)
		return -1;
	u->load_mib = (double)((long long)(free - u->minfree - PLUG_MIB - LOAD_SPARE_BLOCKS * u->block) / 2 * 2);
	if (u->load_mib < PLUG_MIB)
		return ocb_fail("%s: %.0f MiB free (min watermark %.0f MiB): a load that fills the %d MiB plugged "
				"and leaves room to move all of it needs at least %.0f MiB free", vm->cfg.name, free,
				u->minfree, PLUG_MIB, u->minfree + 2 * PLUG_MIB + LOAD_SPARE_BLOCKS * u->block);
	snprintf(size, sizeof(size), "%.0fM", u->load_mib);
	if (conform_workload_spawn(c, vm, "vmem-load", argv, &u->pid) < 0)
		return -1;
	for (;;) {
		struct agent_exec_result res;
		int e = vm->ops->agent_poll(vm, u->pid, &res);

		if (e < 0)
			return -1;
		if (e == 1) {
			e = ocb_fail("%s: pressure --size %s exited (%d) before it held its memory: %.200s",
				     vm->cfg.name, size, res.exitcode, strbuf_str(&res.out));
			agent_exec_result_release(&res);
			return e;
		}
		if (meminfo_mib(c, vm, "AnonPages", &u->anon0) < 0)
			return -1;
		if (u->anon0 >= u->load_mib - LOAD_SLACK_MIB)
			return 0;
		if (mono_ns() - t0 > LOAD_READY_NS)
			return ocb_fail("%s: pressure --size %s holds %.0f MiB after %.0f s", vm->cfg.name, size,
					u->anon0, ns_to_s(LOAD_READY_NS));
		if (conform_sleep(c, POLL_NS) < 0)
			return -1;
	}
}

/* requested-size 0; size followed until it gets there, stays put
 * STALL_NS after it moved (before it first moves, a guest slowed down by
 * a busy host may still be migrating its first block), or the window
 * ends. */
static int follow_unplug(struct conform_ctx *c, struct vm *vm, struct unplug *u)
{
	uint64_t t0 = mono_ns(), t_last = t0, req, last = u->size0;
	uint64_t win = c->opt.reclaim_timeout_ns ? c->opt.reclaim_timeout_ns : CONVERGE_NS;

	if (vm->ops->vmem_resize(vm, 0) < 0)
		return -1;
	for (;;) {
		uint64_t now;

		if (vm->ops->vmem_get(vm, &u->size1, &req) < 0)
			return -1;
		now = mono_ns();
		if (u->size1 != last) {
			last = u->size1;
			t_last = now;
			u->secs = ns_to_s(now - t0);
		}
		u->watched = ns_to_s(now - t0);
		u->converged = u->size1 == req;
		if (u->converged || now - t0 >= win || (u->secs > 0 && now - t_last >= STALL_NS))
			return 0;
		if (conform_sleep(c, POLL_NS) < 0)
			return -1;
	}
}

/* After the unplug: the guest's MemTotal, and the load (alive or how it
 * ended). */
static int after(struct conform_ctx *c, struct vm *vm, struct unplug *u)
{
	struct agent_exec_result res;
	int e;

	if (meminfo_mib(c, vm, "MemTotal", &u->memtotal1) < 0 || meminfo_mib(c, vm, "AnonPages", &u->anon1) < 0)
		return -1;
	e = vm->ops->agent_poll(vm, u->pid, &res);
	if (e < 0)
		return -1;
	u->load_alive = e == 0;
	snprintf(u->load_status, sizeof(u->load_status), "%s", e == 0 ? "running" : "exited");
	if (e == 1) {
		json_t *doc = NULL;

		conform_workload_result(c, vm, "vmem-load", &doc);
		if (json_string_value(json_object_get(doc, "status")))
			snprintf(u->load_status, sizeof(u->load_status), "%s",
				 json_string_value(json_object_get(doc, "status")));
		json_decref(doc);
		agent_exec_result_release(&res);
	}
	return 0;
}

/* How much of the load the unplug had to move: zone Movable (the
 * plugged memory) less what it had free once the load held. */
static double load_in_plugged(const struct unplug *u)
{
	return fmax(0, u->movable - u->movable_free);
}

static void unplug_evidence(json_t *ev, const struct unplug *u, double expect)
{
	json_object_set_new(ev, "measured", json_pack(
		"{s:i, s:i, s:f, s:f, s:b, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:s}",
		"plugged_mib", PLUG_MIB, "requested_mib", 0, "size_after_mib", bytes_to_mib(u->size1),
		"unplugged_mib", PLUG_MIB - bytes_to_mib(u->size1), "converged", u->converged, "unplug_s", u->secs,
		"watched_s", u->watched, "expected_unpluggable_mib", expect, "free_before_mib", u->free0,
		"min_free_mib", u->minfree, "memory_block_mib", u->block, "movable_mib", u->movable, "load_mib", u->load_mib, "anon_before_mib",
		u->anon0, "anon_after_mib", u->anon1, "memtotal_drop_mib", u->memtotal0 - u->memtotal1,
		"load", u->load_status));
	json_object_set_new(json_object_get(ev, "measured"), "load_in_plugged_mib",
			    json_real(load_in_plugged(u)));
	json_object_set_new(ev, "rule", json_string(
		"the plugged memory is in ZONE_MOVABLE; a load fills it and leaves the guest the plugged size and "
		"one memory block free above its min watermark; requested-size 0: size falls to 0, or stops "
		"where a load holds the rest: at least the whole memory blocks that MemFree less the min "
		"watermark (before the request) takes in, at most 512 MiB, less the tolerance, is unplugged; "
		"the load survives; MemTotal falls by the unplugged amount within max(2.5 %, 4 MiB)"));
}

static void unplug_verdict(struct conform_ctx *c, struct conform_result *r, struct vm *vm,
			   const struct unplug *u, double expect, double tol)
{
	double out = PLUG_MIB - bytes_to_mib(u->size1), drop = u->memtotal0 - u->memtotal1;
	double mt_tol = conform_tolerance(r->evidence, "memtotal_tolerance", out, 0.025, 4, 0, 0, "MiB");
	struct strbuf d = STRBUF_INIT;

	conform_summary(r, "unplugged %.0f of %d MiB in %.1f s (%s), moving %.0f MiB of the load; %.0f MiB left "
			"plugged", out, PLUG_MIB, u->secs, u->converged ? "converged" : "stopped",
			load_in_plugged(u), bytes_to_mib(u->size1));
	if (!u->load_alive)
		conform_failf(r, "%s: the load (pressure, %.0f MiB) ended '%s' during the unplug: the unplug "
			      "took memory the load held", vm->cfg.name, u->load_mib, u->load_status);
	else if (out < expect - tol) {
		conform_diagnosis_note(r->evidence, vmem_diagnosis(c, vm, u), &d);
		conform_failf(r, "%s: unplugged %.0f of %d MiB in %.0f s, though the guest had %.0f MiB free "
			      "above its min watermark to move the load into (expected >= %.0f MiB: whole "
			      "%.0f MiB memory blocks, less the tolerance); %s", vm->cfg.name, out, PLUG_MIB,
			      u->watched, u->free0 - u->minfree, expect - tol, u->block, d.buf);
	} else if (fabs(drop - out) > mt_tol)
		conform_failf(r, "%s: MemTotal fell by %.0f MiB for %.0f MiB unplugged (tolerance %.0f MiB)",
			      vm->cfg.name, drop, out, mt_tol);
	else if (u->converged)
		conform_pass(r, "unplugged all %d MiB under load in %.2f s, moving %.0f MiB of the load out of it",
			     PLUG_MIB, u->secs, load_in_plugged(u));
	else
		conform_pass(r, "unplugged %.0f of %d MiB in %.2f s; the load holds the other %.0f MiB", out,
			     PLUG_MIB, u->secs, bytes_to_mib(u->size1));
	strbuf_release(&d);
}

/* The plugged memory is where a load can be: in ZONE_MOVABLE.  0, 1 when
 * it is not (r FAILed), -1. */
static int movable(struct conform_ctx *c, struct conform_result *r, struct vm *vm, struct unplug *u)
{
	struct strbuf d = STRBUF_INIT;

	if (zones(c, vm, u) < 0)
		return -1;
	if (u->movable >= PLUG_MIB / 2.0)
		return 0;
	conform_diagnosis_note(r->evidence, vmem_diagnosis(c, vm, u), &d);
	conform_failf(r, "%s: zone Movable manages %.0f MiB with %d MiB plugged: the plugged memory is not "
		      "where the kernel can empty it; %s", vm->cfg.name, u->movable, PLUG_MIB, d.buf);
	strbuf_release(&d);
	return 1;
}

void conform_vmem_002(struct conform_ctx *c, struct conform_result *r)
{
	struct unplug u;
	struct vm *vm;
	double expect, tol;
	int rc;

	memset(&u, 0, sizeof(u));
	if (!c->opt.backend->vmem_resize || !c->opt.backend->vmem_get) {
		conform_skip(r, "needs a backend that resizes virtio-mem: %s has no qom-set for it",
			     c->opt.backend->name);
		return;
	}
	vm = conform_guest(c, &vmem_guest);
	rc = vm ? plugged(c, r, vm) : -1;
	if (rc == 0)
		rc = movable(c, r, vm, &u);
	if (rc == 0 && (meminfo_mib(c, vm, "MemTotal", &u.memtotal0) < 0 || start_load(c, vm, &u) < 0 ||
			meminfo_mib(c, vm, "MemFree", &u.free0) < 0 || zones(c, vm, &u) < 0 ||
			vm->ops->vmem_get(vm, &u.size0, &(uint64_t){ 0 }) < 0 || follow_unplug(c, vm, &u) < 0 ||
			after(c, vm, &u) < 0))
		rc = -1;
	if (rc < 0)
		conform_error(r, "%s", ocb_errmsg());
	if (rc == 0) {
		expect = fmin(PLUG_MIB, floor(fmax(0, u.free0 - u.minfree) / u.block) * u.block);
		tol = conform_tolerance(r->evidence, "tolerance", expect, UNPLUG_REL, UNPLUG_ABS_MIB, 0, 0, "MiB");
		unplug_evidence(r->evidence, &u, expect);
		unplug_verdict(c, r, vm, &u, expect, tol);
	}
	conform_guest_stop(c, vmem_guest.name);	/* loaded and unplugged: no one else's */
}
