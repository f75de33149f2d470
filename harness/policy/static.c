/* static.c — the control: no automatic action at all.  The balloon
 * targets are the scenario's own timeline (`balloon GLOB SIZE`), as
 * before there were policies; the controller still observes every tick,
 * so the policy metrics of a static run are the baseline of the others. */
#include "policy/static.h"

static void static_tick(struct policy *p, const struct policy_obs *o, struct policy_actions *a)
{
}

const struct policy_ops policy_static = {
	.name = "static",
	.help = "no automatic action: the timeline's manual balloon targets (the control)",
	.source = "ocbench's manual timeline",
	.interval_s = 15,
	.tick = static_tick,
};
