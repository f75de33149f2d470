/* pve.c — Proxmox VE's auto-ballooning, from its published rules
 * (pve-manager's PVE/Service/pvestatd.pm, auto_balloning(), and
 * qemu-server's PVE/AutoBalloon.pm, compute_alg1()), written again:
 *
 *   Every 10 s (pvestatd's cycle) the goal is target × host total - host
 *   used (target 80 %): positive gives memory to the guests, negative
 *   takes it.  A goal within ±10 MiB is left alone.
 *   A guest takes part when its balloon answers and it has a minimum
 *   (here: the [policy] floor).  Guests whose free memory exceeds 25 % of
 *   their minimum (and that sit at or above it) are "idle"; the others
 *   are "under pressure".  A grow goes to the guests under pressure
 *   first, a shrink to the idle ones first; when that makes no progress
 *   at all, every guest is asked.
 *   Within a group the memory above the minimums is shared by weight
 *   (shares, default 1000 each): each guest's desired size is its minimum
 *   plus its share of (what the group holds above minimums + the goal),
 *   kept within [minimum, maximum]; a guest moves toward it by at most
 *   100 MiB a cycle.  Guests that reach their desired size drop out and
 *   the rest of the goal is shared again among the others.
 *
 * "Free memory" is the balloon's stat-free-memory, as pvestatd reads it.
 */
#include "policy/pve.h"

#include <math.h>

enum { P_TARGET, P_MAX_CHANGE, P_MIN_GOAL, P_SHARES, P_IDLE_FREE };

static const struct policy_param pve_params[] = {
	[P_TARGET] = { "target", 0.80, 0.05, 1, PU_FRACTION, "host memory use the guests are steered to" },
	[P_MAX_CHANGE] = { "max_change", 100, 1, 1e6, PU_MIB, "largest change per guest per cycle" },
	[P_MIN_GOAL] = { "min_goal", 10, 0, 1e6, PU_MIB, "smaller goals are left alone" },
	[P_SHARES] = { "shares", 1000, 1, 50000, PU_NUMBER, "every guest's weight" },
	[P_IDLE_FREE] = { "idle_free", 0.25, 0, 10, PU_FRACTION,
			  "free memory above this share of its minimum makes a guest idle" },
	{ 0 },
};

#define PVE_MAX_ROUNDS 64

/* One change_func of compute_alg1 over the guests in set[]; res[] holds
 * the new sizes (< 0: none yet).  Returns the part of bytes not placed. */
static double distribute(const struct policy *p, const struct policy_obs *o, const int *set,
			 double *res, double bytes)
{
	double rest = bytes, maxchange = p->param[P_MAX_CHANGE], shares = p->param[P_SHARES];
	int done[POLICY_MAX_GUESTS] = { 0 }, repeat = 1;
	double progress = 1;

	for (int round = 0; rest != 0 && repeat && progress > 0 && round < PVE_MAX_ROUNDS; round++) {
		double shares_total = 0, alloc = 0, changes = 0;

		repeat = 0;
		progress = 0;
		for (size_t i = 0; i < o->n; i++) {
			if (!set[i] || done[i])
				continue;
			alloc += (res[i] >= 0 ? res[i] : o->g[i].actual_mib) - o->g[i].floor_mib;
			shares_total += shares;
		}
		if (shares_total <= 0)
			break;
		alloc += rest;
		for (size_t i = 0; i < o->n; i++) {
			const struct policy_guest_obs *g = &o->g[i];
			double desired, size, old;

			if (!set[i] || done[i])
				continue;
			desired = g->floor_mib + floor(alloc / shares_total * shares);
			if (desired > g->max_mib || desired < g->floor_mib) {
				desired = desired > g->max_mib ? g->max_mib : g->floor_mib;
				repeat = 1;
			}
			if (bytes > 0 && desired > g->actual_mib)
				size = fmin(g->actual_mib + maxchange, desired);
			else if (desired < g->actual_mib)
				size = fmax(g->actual_mib - maxchange, desired);
			else {
				done[i] = 1;
				continue;
			}
			if (size == g->actual_mib)
				continue;
			old = res[i] >= 0 ? res[i] : g->actual_mib;
			res[i] = size;
			if (size != old) {
				changes += size - old;
				progress += fabs(size - g->actual_mib);
				repeat = 1;
			}
		}
		rest -= changes;
	}
	return rest;
}

static void pve_tick(struct policy *p, const struct policy_obs *o, struct policy_actions *a)
{
	double total = policy_host_total_mib(o), used = policy_host_used_mib(o), goal, rest;
	double res[POLICY_MAX_GUESTS];
	int all[POLICY_MAX_GUESTS] = { 0 }, busy[POLICY_MAX_GUESTS] = { 0 }, idle[POLICY_MAX_GUESTS] = { 0 };

	if (total <= 0 || used < 0)
		return;
	for (size_t i = 0; i < o->n; i++) {
		const struct policy_guest_obs *g = &o->g[i];

		res[i] = POLICY_UNKNOWN;
		if (g->actual_mib <= 0 || g->floor_mib <= 0 || g->max_mib <= 0)
			continue;
		all[i] = 1;
		if (g->free_mib > g->floor_mib * p->param[P_IDLE_FREE] && g->actual_mib >= g->floor_mib)
			idle[i] = 1;
		else
			busy[i] = 1;
	}
	goal = floor(total * p->param[P_TARGET] - used);
	if (goal > p->param[P_MIN_GOAL]) {
		rest = distribute(p, o, busy, res, goal);
		if (rest >= goal)
			distribute(p, o, all, res, rest);
	} else if (goal < -p->param[P_MIN_GOAL]) {
		rest = distribute(p, o, idle, res, goal);
		if (rest <= goal)
			distribute(p, o, all, res, rest);
	}
	for (size_t i = 0; i < o->n; i++)
		if (res[i] > 0)
			a->balloon_mib[i] = res[i];
}

const struct policy_ops policy_pve = {
	.name = "pve",
	.help = "Proxmox VE's auto-ballooning: steer host use to 80 %, <= 100 MiB per guest a cycle, "
		"by shares, idle guests shrunk first",
	.source = "pve-manager PVE/Service/pvestatd.pm auto_balloning(); qemu-server PVE/AutoBalloon.pm",
	.flags = POLICY_F_BALLOON,
	.interval_s = 10,
	.params = pve_params,
	.tick = pve_tick,
};
