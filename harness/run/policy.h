/* policy.h — the run's policy controller ([policy], README "Policies"):
 * the observations kept from every sampler row (policy/observe.h), a
 * tick of each policy every interval from the run's loop, its actions
 * through the balloon and the journaled KSM knobs, every tick's
 * observations and actions in events.jsonl ("policy_tick"), and the
 * policy metrics of the run.
 */
#ifndef OCB_RUN_POLICY_H
#define OCB_RUN_POLICY_H

#include "run/run-internal.h"

/* After boot: the controller (nothing without [policy] name). 0 or -1. */
int run_policy_start(struct run_ctx *c);
/* From run_idle(): every policy whose tick is due.  0, or -1 when the
 * run failed meanwhile. */
int run_policy_tick(struct run_ctx *c);
/* The policy metrics into run.json; frees the controller. */
void run_policy_finish(struct run_ctx *c);

#endif
