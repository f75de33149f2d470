/* host.h — what a run does to the hosts its guests run on: the [host]
 * knobs and the `ksm`/`host` actions (journaled, routed to each guest's
 * host by knobs/route.h, restored at the end) and `wait ksm-settled`.
 */
#ifndef OCB_RUN_HOST_H
#define OCB_RUN_HOST_H

#include "run/run-internal.h"
#include "scenario/scenario.h"

/* Set key=value on every host of the run's guests. */
int run_host_knob(struct run_ctx *c, const char *key, const char *value);
/* The scenario's [host] section, in order. */
int run_apply_host(struct run_ctx *c);
/* Record the applied knobs in run.json and restore every host. */
void run_restore_host(struct run_ctx *c);
/* `wait ksm-settled [timeout DUR]` and the host-wide KSM metrics. */
int run_wait_ksm_settled(struct run_ctx *c, const struct timeline_entry *e);

#endif
