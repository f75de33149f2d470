/* workload.h — `workload GLOB start|stop` and `wait workload` in a run:
 * the workload protocol of vm/workload.h, its results copied into the
 * run's guests/NAME/workload.json and its metrics into run.json.
 */
#ifndef OCB_RUN_WORKLOAD_H
#define OCB_RUN_WORKLOAD_H

#include <stdint.h>

#include "run/run-internal.h"

int run_workload_start(struct run_ctx *c, struct guest_state *g);
/* Wait until it exits (0 timeout: an hour) and collect its results. */
int run_workload_wait(struct run_ctx *c, struct guest_state *g, uint64_t timeout_ns);
/* SIGTERM it and collect its results; nothing when it is not running. */
int run_workload_stop(struct run_ctx *c, struct guest_state *g);

#endif
