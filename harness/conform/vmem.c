/* vmem.c — see vmem.h.
 *
 * A 1024 MiB guest with a 1024 MiB virtio-mem device, nothing plugged at
 * boot.  requested-size goes to 512 MiB (qom-set); the device's size is
 * polled every 100 ms until it equals the request (at most 30 s: the
 * convergence time is the result), then MemTotal must have risen by the
 * plugged amount within max(2.5 %, two 2 MiB blocks).
 */
#include "conform/vmem.h"
#include "conform/fixture.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/units.h"
#include "vm/vm.h"

#include <math.h>

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
	conform_guest_stop(c, vmem_guest.name);
}
