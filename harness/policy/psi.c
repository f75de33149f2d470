/* psi.c — a pressure-driven balloon, after Facebook's senpai (oomd's
 * senpai plugin, its documented defaults: interval 6 s, pressure 10 ms,
 * max_probe 0.01, max_backoff 1.0, coeff_probe 10, coeff_backoff 20),
 * with the balloon target in place of memory.high:
 *
 *   stall = growth of the guest's memory PSI "some" total over the cycle.
 *   stall > target: back off (give memory back): the target grows by
 *     min(((stall ÷ target) ÷ coeff_backoff)² × max_backoff, max_backoff)
 *     of itself.
 *   otherwise probe (reclaim): it shrinks by
 *     min(((target ÷ max(stall, 1 µs)) ÷ coeff_probe)² × max_probe, max_probe)
 *     of itself.
 *   The first cycle only takes the reference reading; a guest without PSI
 *   (the kernel's psi=1; older kernels) is left alone.  The size it
 *   adjusts is its own last target, starting from the balloon's actual.
 */
#include "policy/psi.h"

#include <math.h>

enum { P_TARGET_MS, P_MAX_PROBE, P_MAX_BACKOFF, P_COEFF_PROBE, P_COEFF_BACKOFF };

static const struct policy_param psi_params[] = {
	[P_TARGET_MS] = { "target", 10, 0.001, 1e6, PU_MS, "memory stall ('some') per cycle the guest may see" },
	[P_MAX_PROBE] = { "max_probe", 0.01, 0, 1, PU_FRACTION, "largest shrink per cycle" },
	[P_MAX_BACKOFF] = { "max_backoff", 1.0, 0, 10, PU_FRACTION, "largest growth per cycle" },
	[P_COEFF_PROBE] = { "coeff_probe", 10, 0.001, 1e6, PU_NUMBER,
			    "max_probe is reached when the stall is below target / coeff_probe" },
	[P_COEFF_BACKOFF] = { "coeff_backoff", 20, 0.001, 1e6, PU_NUMBER,
			      "max_backoff is reached when the stall is above target × coeff_backoff" },
	{ 0 },
};

struct psi_state {
	double last_some[POLICY_MAX_GUESTS];
	double size[POLICY_MAX_GUESTS];		/* last target, 0: none yet */
	int seen[POLICY_MAX_GUESTS];
};

static void psi_tick(struct policy *p, const struct policy_obs *o, struct policy_actions *a)
{
	struct psi_state *st = p->state;
	double target_us = p->param[P_TARGET_MS] * 1000.0;

	for (size_t i = 0; i < o->n; i++) {
		const struct policy_guest_obs *g = &o->g[i];
		double stall, adj, size;

		if (g->psi_some_us < 0 || g->actual_mib <= 0)
			continue;
		stall = g->psi_some_us - st->last_some[i];
		st->last_some[i] = g->psi_some_us;
		if (!st->seen[i]) {
			st->seen[i] = 1;
			continue;
		}
		if (stall < 0)
			stall = 0;	/* a rebooted guest's counter */
		size = st->size[i] > 0 ? st->size[i] : g->actual_mib;
		if (stall > target_us) {
			adj = pow(stall / target_us / p->param[P_COEFF_BACKOFF], 2) * p->param[P_MAX_BACKOFF];
			size *= 1 + fmin(adj, p->param[P_MAX_BACKOFF]);
		} else {
			adj = pow(target_us / fmax(stall, 1) / p->param[P_COEFF_PROBE], 2) * p->param[P_MAX_PROBE];
			size *= 1 - fmin(adj, p->param[P_MAX_PROBE]);
		}
		/* the clamp of policy_tick() bounds it; remember the bounded size */
		if (size < g->floor_mib)
			size = g->floor_mib;
		if (g->max_mib > 0 && size > g->max_mib)
			size = g->max_mib;
		st->size[i] = size;
		a->balloon_mib[i] = size;
	}
}

const struct policy_ops policy_psi = {
	.name = "psi",
	.help = "pressure-driven (senpai): reclaim while a guest's memory PSI 'some' stays under "
		"10 ms per 6 s, give back when it rises",
	.source = "facebookincubator/oomd senpai plugin (docs/core_plugins.md, its defaults)",
	.flags = POLICY_F_BALLOON | POLICY_F_GUEST_PSI,
	.interval_s = 6,
	.params = psi_params,
	.state_size = sizeof(struct psi_state),
	.tick = psi_tick,
};
