/* actions.h — the runner's half of the timeline: one executor per
 * action, matched by verb to the scenario's action table
 * (scenario/timeline.c parses an action, this file executes it).
 */
#ifndef OCB_RUN_ACTIONS_H
#define OCB_RUN_ACTIONS_H

#include "run/run-internal.h"

/* Execute the timeline on the run's clock, then wait out its duration and
 * stop the workloads still running.  -1: the run failed or was stopped. */
int run_timeline(struct run_ctx *c);
/* 1 when the runner can execute the action spelt verb. */
int run_action_known(const char *verb);

#endif
