/* policy.c — see policy.h. */
#include "run/policy.h"
#include "policy/observe.h"
#include "policy/policies.h"
#include "run/host.h"
#include "run/loop.h"
#include "sampler/sampler.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/units.h"
#include "vm/vm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_POLICIES 2
/* A guest whose available memory is below this share of its memory is
 * "below its free-memory floor" (policy_below_floor_s). */
#define FREE_FLOOR_FRAC 0.10
/* A demand drop: the guest's available memory rose by at least this
 * share of its memory (and 32 MiB) above its lowest since the last drop. */
#define DROP_FRAC 0.10
#define DROP_MIN_MIB 32.0

struct guest_track {
	double avail_min, avail_prev_t;		/* avail_prev_t < 0: no row yet */
	double drop_t, drop_rss, drop_mib;	/* drop_t < 0: none pending */
	double oom_first;
	double last_target;
	int last_dir;
	unsigned dir_changes;
};

struct run_policy {
	struct policy pols[MAX_POLICIES];
	size_t n;
	uint64_t next_ns[MAX_POLICIES];
	struct policy_observer ob;
	long ksm_set[3];			/* run, pages_to_scan, sleep: last written */
	uint64_t cpu_ns, t0_ns;
	unsigned ticks, clamps, balloon_sets;
	double declared_mib, peak_rss_mib;
	double swap_in0, swap_out0;
	double below_floor_s, reclaim_sum;
	unsigned reclaims, drops;
	struct guest_track gt[POLICY_MAX_GUESTS];
};

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- the metrics' bookkeeping, from every sampler row ------------------ */

static void track_avail(struct run_policy *rp, size_t i, double t_s, double avail)
{
	struct guest_track *t = &rp->gt[i];
	const struct policy_guest_obs *g = &rp->ob.obs.g[i];
	double thr = fmax(DROP_MIN_MIB, g->max_mib * DROP_FRAC);

	if (t->avail_prev_t >= 0 && avail < g->max_mib * FREE_FLOOR_FRAC)
		rp->below_floor_s += t_s - t->avail_prev_t;
	t->avail_prev_t = t_s;
	if (t->avail_min < 0 || avail < t->avail_min)
		t->avail_min = avail;
	if (avail - t->avail_min >= thr && t->drop_t < 0 && g->rss_mib > 0) {
		t->drop_t = t_s;
		t->drop_rss = g->rss_mib;
		t->drop_mib = avail - t->avail_min;
		t->avail_min = avail;
		rp->drops++;
	}
}

/* A pending drop is reclaimed when the guest's QEMU gave back half of
 * what the guest freed: by balloon or by free page reporting alike. */
static void track_rss(struct run_policy *rp, size_t i, double t_s, double rss)
{
	struct guest_track *t = &rp->gt[i];

	if (t->drop_t >= 0 && rss <= t->drop_rss - t->drop_mib / 2) {
		rp->reclaim_sum += t_s - t->drop_t;
		rp->reclaims++;
		t->drop_t = -1;
	}
}

static void on_row(void *opaque, uint64_t t_ms, const char *source, const char *series, double value)
{
	struct run_ctx *c = opaque;
	struct run_policy *rp = c->policy;
	struct policy_obs *o = &rp->ob.obs;
	double t_s = (double)t_ms / 1000.0, rss = 0;

	policy_observer_put(&rp->ob, (double)t_ms, source, series, value);
	if (!strcmp(source, "host") && !strcmp(series, "pswpin") && rp->swap_in0 < 0)
		rp->swap_in0 = value;
	if (!strcmp(source, "host") && !strcmp(series, "pswpout") && rp->swap_out0 < 0)
		rp->swap_out0 = value;
	for (size_t i = 0; i < o->n; i++) {
		size_t len = strlen(o->g[i].name);

		if (strncmp(series, o->g[i].name, len) || series[len] != '.')
			continue;
		if (!strcmp(source, "balloonstats") && !strcmp(series + len, ".stat-available-memory_mib"))
			track_avail(rp, i, t_s, value);
		else if (!strcmp(source, "balloonstats") && !strcmp(series + len, ".stat-oom-kills"))
			rp->gt[i].oom_first = rp->gt[i].oom_first < 0 ? value : rp->gt[i].oom_first;
		else if (!strcmp(source, "qemu") && !strcmp(series + len, ".rss_mib"))
			track_rss(rp, i, t_s, value);
	}
	if (strcmp(source, "qemu"))
		return;
	for (size_t i = 0; i < o->n; i++)
		rss += o->g[i].rss_mib > 0 ? o->g[i].rss_mib : 0;
	if (rss > rp->peak_rss_mib)
		rp->peak_rss_mib = rss;
}

/* ---- start ----------------------------------------------------------------- */

static int add_policy(struct run_ctx *c, const char *name)
{
	struct run_policy *rp = c->policy;
	struct policy *p = &rp->pols[rp->n];

	if (policy_init(p, policy_find(name)) < 0)
		return -1;
	rp->n++;
	if (c->s->policy_interval_ns)
		p->interval_s = (double)c->s->policy_interval_ns / 1e9;
	for (size_t i = 0; i < c->s->n_policy_params; i++) {
		const struct scenario_setting *st = &c->s->policy_params[i];
		size_t len = strlen(name);

		if (!strncmp(st->key, name, len) && st->key[len] == '.' &&
		    policy_set(p, st->key + len + 1, st->value) < 0)
			return ocb_err_prefix("%s:%u: [policy] %s: ", st->file, st->line, st->key);
	}
	rp->next_ns[rp->n - 1] = mono_ns() + (uint64_t)(p->interval_s * 1e9);
	if (p->ops->flags & POLICY_F_GUEST_PSI)
		sampler_want_guest_psi(c->sampler, 1);
	run_progress(c, "policy %s: every %.1f s (%s)", name, p->interval_s, p->ops->source);
	return 0;
}

int run_policy_start(struct run_ctx *c)
{
	const struct scenario *s = c->s;
	struct run_policy *rp;
	int rc = 0;

	if (!s->policy_name && !(s->policy_ksm && strcmp(s->policy_ksm, "none")))
		return 0;
	rp = calloc(1, sizeof(*rp));
	if (!rp)
		return run_fail(c, "out of memory");
	c->policy = rp;
	rp->ksm_set[0] = rp->ksm_set[1] = rp->ksm_set[2] = -1;
	rp->swap_in0 = rp->swap_out0 = -1;
	rp->t0_ns = mono_ns();
	policy_observer_init(&rp->ob, s->policy_floor_pct / 100.0, 0);
	for (size_t i = 0; i < c->n && i < POLICY_MAX_GUESTS; i++) {
		double max = bytes_to_mib(c->gs[i].g->spec->memory_bytes);

		policy_observer_guest(&rp->ob, c->gs[i].g->name, max);
		rp->declared_mib += max;
		rp->gt[i].avail_min = rp->gt[i].avail_prev_t = rp->gt[i].drop_t = -1;
		rp->gt[i].oom_first = -1;
	}
	if (s->policy_name)
		rc = add_policy(c, s->policy_name);
	if (rc == 0 && s->policy_ksm && strcmp(s->policy_ksm, "none"))
		rc = add_policy(c, s->policy_ksm);
	if (rc < 0)
		return run_fail(c, ocb_errmsg());
	sampler_set_tap(c->sampler, on_row, c);
	c->on_idle = run_policy_tick;
	return 0;
}

/* ---- a tick ------------------------------------------------------------------ */

static json_t *obs_json(const struct policy_obs *o)
{
	json_t *guests = json_array();

	for (size_t i = 0; i < o->n; i++) {
		const struct policy_guest_obs *g = &o->g[i];

		json_array_append_new(guests, json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f}", "guest", g->name,
							"actual_mib", g->actual_mib, "avail_mib", g->avail_mib,
							"free_mib", g->free_mib, "rss_mib", g->rss_mib,
							"psi_some_us", g->psi_some_us, "oom_kills", g->oom_kills));
	}
	return json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:o}", "host_total_mib",
			 policy_host_total_mib(o), "host_free_mib", policy_host_free_mib(o), "host_used_mib",
			 policy_host_used_mib(o), "swap_in_pages", o->swap_in_pages, "swap_out_pages",
			 o->swap_out_pages, "psi_some_us", o->psi_some_us, "ksm_pages_sharing",
			 o->ksm_pages_sharing, "guests", guests);
}

static void track_direction(struct guest_track *t, double actual, double target)
{
	double from = t->last_target > 0 ? t->last_target : actual;
	int dir = target > from ? 1 : target < from ? -1 : 0;

	if (dir && t->last_dir && dir != t->last_dir)
		t->dir_changes++;
	if (dir)
		t->last_dir = dir;
	t->last_target = target;
}

/* One balloon target of a tick, its clamp logged. */
static int apply_balloon(struct run_ctx *c, size_t i, const struct policy_actions *a, json_t *acts)
{
	struct run_policy *rp = c->policy;
	struct guest_state *g = &c->gs[i];
	const struct policy_guest_obs *o = &rp->ob.obs.g[i];
	double mib = a->balloon_mib[i];

	if (a->clamped_from[i] >= 0) {
		rp->clamps++;
		results_event(&c->res, "policy_clamp",
			      json_pack("{s:s, s:f, s:f, s:f, s:f}", "guest", g->g->name, "requested_mib",
					a->clamped_from[i], "clamped_mib", mib, "floor_mib", o->floor_mib,
					"max_mib", o->max_mib));
		run_progress(c, "%s: policy asked for %.0f MiB, clamped to %.0f MiB (floor %.0f, max %.0f)",
			     g->g->name, a->clamped_from[i], mib, o->floor_mib, o->max_mib);
	}
	track_direction(&rp->gt[i], o->actual_mib, mib);
	json_object_set_new(acts, g->g->name, json_real(mib));
	rp->balloon_sets++;
	if (g->vm->ops->balloon_set(g->vm, (uint64_t)(mib * (double)MiB)) < 0)
		return run_guest_failed(c, g);
	g->target = (uint64_t)(mib * (double)MiB);
	return 0;
}

/* A KSM knob through the journal, when it changes. */
static int apply_ksm_knob(struct run_ctx *c, int k, const char *key, long v)
{
	struct run_policy *rp = c->policy;
	char val[32];

	if (v < 0 || rp->ksm_set[k] == v)
		return 0;
	snprintf(val, sizeof(val), "%ld", v);
	if (run_host_knob(c, key, val) < 0)
		return run_fail(c, ocb_errmsg());
	rp->ksm_set[k] = v;
	return 0;
}

static int apply(struct run_ctx *c, const struct policy *p, const struct policy_actions *a)
{
	const struct policy_obs *o = &c->policy->ob.obs;
	json_t *balloon = json_object(), *ksm = json_object();
	int rc = 0;

	for (size_t i = 0; i < o->n && rc == 0; i++)
		if (a->balloon_mib[i] >= 0)
			rc = apply_balloon(c, i, a, balloon);
	if (rc == 0 && a->ksm_run >= 0) {
		json_object_set_new(ksm, "run", json_integer(a->ksm_run));
		if (a->ksm_pages_to_scan >= 0) {
			json_object_set_new(ksm, "pages_to_scan", json_integer(a->ksm_pages_to_scan));
			json_object_set_new(ksm, "sleep_millisecs", json_integer(a->ksm_sleep_ms));
		}
		rc = apply_ksm_knob(c, 1, "ksm.pages_to_scan", a->ksm_pages_to_scan);
		if (rc == 0)
			rc = apply_ksm_knob(c, 2, "ksm.sleep_millisecs", a->ksm_sleep_ms);
		if (rc == 0)
			rc = apply_ksm_knob(c, 0, "ksm", a->ksm_run);
	}
	results_event(&c->res, "policy_tick",
		      json_pack("{s:s, s:f, s:o, s:{s:o, s:o}}", "policy", p->ops->name, "t_s", o->t_s,
				"observed", obs_json(o), "actions", "balloon_mib", balloon, "ksm", ksm));
	return rc;
}

int run_policy_tick(struct run_ctx *c)
{
	struct run_policy *rp = c->policy;
	uint64_t now = mono_ns();

	for (size_t k = 0; rp && k < rp->n; k++) {
		struct policy_actions a;
		uint64_t cpu0;
		int rc;

		if (now < rp->next_ns[k])
			continue;
		rp->next_ns[k] = now + (uint64_t)(rp->pols[k].interval_s * 1e9);
		rp->ob.obs.t_s = (double)results_t_ms(&c->res) / 1000.0;
		cpu0 = thread_cpu_ns();
		policy_tick(&rp->pols[k], &rp->ob.obs, &a);
		rp->cpu_ns += thread_cpu_ns() - cpu0;
		rp->ticks++;
		rc = apply(c, &rp->pols[k], &a);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- metrics ----------------------------------------------------------------- */

static void oom_metric(struct run_ctx *c)
{
	struct run_policy *rp = c->policy;
	double kills = 0;
	int seen = 0;

	for (size_t i = 0; i < rp->ob.obs.n; i++) {
		if (rp->gt[i].oom_first < 0 || rp->ob.obs.g[i].oom_kills < 0)
			continue;
		kills += rp->ob.obs.g[i].oom_kills - rp->gt[i].oom_first;
		seen = 1;
	}
	if (seen)
		results_metric(&c->res, "policy_guest_oom_kills", kills, "kills", "lower");
	else
		results_metric_missing(&c->res, "policy_guest_oom_kills", "kills", "lower",
				       "no guest reported stat-oom-kills (it needs QEMU 9.1+ and a 6.12+ guest kernel)");
}

static void swap_metrics(struct run_ctx *c)
{
	struct run_policy *rp = c->policy;
	const struct policy_obs *o = &rp->ob.obs;

	if (rp->swap_in0 < 0 || o->swap_in_pages < 0) {
		results_metric_missing(&c->res, "policy_swap_in_pages", "pages", "lower", "no /proc/vmstat pswpin");
		results_metric_missing(&c->res, "policy_swap_out_pages", "pages", "lower", "no /proc/vmstat pswpout");
		return;
	}
	results_metric(&c->res, "policy_swap_in_pages", o->swap_in_pages - rp->swap_in0, "pages", "lower");
	results_metric(&c->res, "policy_swap_out_pages", o->swap_out_pages - rp->swap_out0, "pages", "lower");
}

static void reclaim_metric(struct run_ctx *c)
{
	struct run_policy *rp = c->policy;
	char why[160];

	results_metric(&c->res, "policy_reclaims_missed", (double)(rp->drops - rp->reclaims), "drops", "lower");
	if (rp->reclaims) {
		results_metric(&c->res, "policy_reclaim_s", rp->reclaim_sum / rp->reclaims, "s", "lower");
		return;
	}
	snprintf(why, sizeof(why), rp->drops ? "none of %u demand drops was reclaimed (QEMU RSS down by half "
		 "of what the guest freed) before the run ended" : "no demand drop in this run", rp->drops);
	results_metric_missing(&c->res, "policy_reclaim_s", "s", "lower", why);
}

void run_policy_finish(struct run_ctx *c)
{
	struct run_policy *rp = c->policy;
	double minutes, changes = 0;

	if (!rp)
		return;
	sampler_set_tap(c->sampler, NULL, NULL);
	c->on_idle = NULL;
	minutes = (double)(mono_ns() - rp->t0_ns) / 60e9;
	for (size_t i = 0; i < rp->ob.obs.n; i++)
		changes += rp->gt[i].dir_changes;
	if (rp->peak_rss_mib > 0)
		results_metric(&c->res, "policy_overcommit", rp->declared_mib / rp->peak_rss_mib, "ratio", "higher");
	else
		results_metric_missing(&c->res, "policy_overcommit", "ratio", "higher", "no QEMU RSS was sampled");
	oom_metric(c);
	swap_metrics(c);
	reclaim_metric(c);
	if (rp->ob.obs.n && minutes > 0)
		results_metric(&c->res, "policy_oscillation_per_min", changes / (double)rp->ob.obs.n / minutes,
			       "changes/min", "lower");
	results_metric(&c->res, "policy_below_floor_s", rp->below_floor_s, "s", "lower");
	results_metric(&c->res, "policy_clamps", rp->clamps, "requests", "lower");
	results_metric(&c->res, "policy_cpu_ms", (double)rp->cpu_ns / 1e6, "ms", "lower");
	results_metric(&c->res, "policy_ticks", rp->ticks, "ticks", "higher");
	for (size_t k = 0; k < rp->n; k++)
		policy_fini(&rp->pols[k]);
	free(rp);
	c->policy = NULL;
}
