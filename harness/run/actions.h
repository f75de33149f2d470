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
/* How the runner executes the action spelt verb: RUN_EXEC_PER_GUEST
 * (once for each guest its GLOB matches), RUN_EXEC_HOST (once), or
 * RUN_EXEC_NONE when it has no executor (a test holds the scenario's
 * table and this one together). */
enum run_exec_kind { RUN_EXEC_NONE, RUN_EXEC_PER_GUEST, RUN_EXEC_HOST };
enum run_exec_kind run_action_executor(const char *verb);

#endif
