/* mom.c — oVirt MoM's default balloon policy, from its published rules
 * (mom's doc/balloon.rules and vdsm's static/etc/vdsm/mom.d/02-balloon.policy),
 * written again from the rules:
 *
 *   host_free = 10-sample mean of the host's free memory (free + buffers +
 *     cache) ÷ its total.  Under pressure when host_free < 20 % (pressure
 *     threshold): shrink every guest; otherwise grow every guest.
 *   shrink: the free share a guest keeps is 20 % (min guest free) scaled
 *     by host_free ÷ threshold, or host_free - 5 % when host_free ≤ 5 %
 *     (critical: the guest is pushed into its own swap).  used = mean
 *     balloon size - mean unused memory (10 samples each); the target is
 *     the current size minus 5 % (max change), but not below used + the
 *     free share × current size, and only a shrink.
 *   grow (a guest below its maximum): current size plus 5 %, at most the
 *     maximum, at least used + 20 % of the maximum.
 *   A change smaller than 0.25 % of the current size is not made.
 *   The cycle is vdsm's 15 s.
 *
 * "Unused" is the balloon's stat-free-memory, as MoM's guest collector
 * reads it; a guest that reports no stats is left alone (MoM cannot
 * compute its used memory either).
 */
#include "policy/mom.h"

#include <math.h>

#define MOM_SAMPLES_MAX 32

enum { P_THRESHOLD, P_CRITICAL, P_GUEST_FREE, P_MAX_CHANGE, P_MIN_CHANGE, P_SAMPLES };

static const struct policy_param mom_params[] = {
	[P_THRESHOLD] = { "pressure_threshold", 0.20, 0, 1, PU_FRACTION,
			  "host free share below which every guest is shrunk" },
	[P_CRITICAL] = { "pressure_critical", 0.05, 0, 1, PU_FRACTION,
			 "host free share below which guests are pushed into their swap" },
	[P_GUEST_FREE] = { "min_guest_free", 0.20, 0, 1, PU_FRACTION,
			   "free share an unconstrained guest keeps" },
	[P_MAX_CHANGE] = { "max_change", 0.05, 0, 1, PU_FRACTION,
			   "largest change per cycle, share of the current size" },
	[P_MIN_CHANGE] = { "min_change", 0.0025, 0, 1, PU_FRACTION,
			   "smaller changes are not made, share of the current size" },
	[P_SAMPLES] = { "samples", 10, 1, MOM_SAMPLES_MAX, PU_NUMBER,
			"samples in the moving means (MoM's StatAvg)" },
	{ 0 },
};

struct ring {
	double v[MOM_SAMPLES_MAX];
	unsigned n, next;
};

struct mom_state {
	struct ring host_free;
	struct ring cur[POLICY_MAX_GUESTS], unused[POLICY_MAX_GUESTS];
};

static void ring_push(struct ring *r, double v, unsigned size)
{
	r->v[r->next] = v;
	r->next = (r->next + 1) % size;
	if (r->n < size)
		r->n++;
}

static double ring_mean(const struct ring *r)
{
	double s = 0;

	for (unsigned i = 0; i < r->n; i++)
		s += r->v[i];
	return r->n ? s / r->n : 0;
}

static int big_enough(const struct policy *p, double cur, double target)
{
	return fabs(target - cur) > p->param[P_MIN_CHANGE] * cur;
}

static double shrink(const struct policy *p, const struct policy_guest_obs *g, double used,
		     double host_free)
{
	double keep = host_free <= p->param[P_CRITICAL] ? host_free - 0.05 :
		      p->param[P_GUEST_FREE] * host_free / p->param[P_THRESHOLD];
	double least = used + keep * g->actual_mib;
	double size = g->actual_mib * (1 - p->param[P_MAX_CHANGE]);

	if (size < least)
		size = least;
	return size <= g->actual_mib && big_enough(p, g->actual_mib, size) ? size : POLICY_UNKNOWN;
}

static double grow(const struct policy *p, const struct policy_guest_obs *g, double used)
{
	double least = used + p->param[P_GUEST_FREE] * g->max_mib;
	double size = g->actual_mib * (1 + p->param[P_MAX_CHANGE]);

	if (g->actual_mib >= g->max_mib)
		return POLICY_UNKNOWN;
	if (size > g->max_mib)
		size = g->max_mib;
	if (size < least)
		size = least;
	return big_enough(p, g->actual_mib, size) ? size : POLICY_UNKNOWN;
}

static void mom_tick(struct policy *p, const struct policy_obs *o, struct policy_actions *a)
{
	struct mom_state *st = p->state;
	unsigned n = (unsigned)p->param[P_SAMPLES];
	double total = policy_host_total_mib(o), free = policy_host_free_mib(o), host_free;

	if (total <= 0 || free < 0)
		return;		/* no host figures: MoM does nothing either */
	ring_push(&st->host_free, free, n);
	host_free = ring_mean(&st->host_free) / total;
	for (size_t i = 0; i < o->n; i++) {
		const struct policy_guest_obs *g = &o->g[i];
		double used;

		if (g->actual_mib <= 0 || g->free_mib < 0 || g->max_mib <= 0)
			continue;
		ring_push(&st->cur[i], g->actual_mib, n);
		ring_push(&st->unused[i], g->free_mib, n);
		used = ring_mean(&st->cur[i]) - ring_mean(&st->unused[i]);
		a->balloon_mib[i] = host_free < p->param[P_THRESHOLD] ? shrink(p, g, used, host_free)
								     : grow(p, g, used);
	}
}

const struct policy_ops policy_mom = {
	.name = "mom",
	.help = "oVirt MoM's default balloon rules: shrink all guests fairly when host free < 20 %, "
		"grow them back otherwise, <= 5 % a cycle",
	.source = "oVirt MoM doc/balloon.rules; vdsm static/etc/vdsm/mom.d/02-balloon.policy",
	.flags = POLICY_F_BALLOON,
	.interval_s = 15,
	.params = mom_params,
	.state_size = sizeof(struct mom_state),
	.tick = mom_tick,
};
