/* guests.h — a run's guests: configured from the scenario, booted in
 * waves while the sampler runs, stopped and freed.
 */
#ifndef OCB_RUN_GUESTS_H
#define OCB_RUN_GUESTS_H

#include "run/run-internal.h"
#include "vm/vm.h"

/* One struct vm per scenario guest into c->gs/c->vms (not started), each
 * prepared by its backend.  -1 is a set-up error (no image, no QEMU). */
int run_make_guests(struct run_ctx *c, const struct vm_backend_ops *ops,
		    const struct accel_choice *accel, const char *dir);
/* Launch every guest and wait for its agent, in waves.  -1: the run failed. */
int run_boot_guests(struct run_ctx *c);
/* Stop every guest (gracefully when the run went well), never fails. */
void run_stop_guests(struct run_ctx *c);
/* Kill what still runs and free everything of the guests, the sampler,
 * the cap and the private directory. */
void run_free_guests(struct run_ctx *c);

#endif
