/* host.c — see host.h. */
#include "run/host.h"
#include "host/ksmsettle.h"
#include "knobs/route.h"	/* knobs go to the guests' hosts */
#include "host/diagnosis.h"
#include "host/ksm-diagnose.h"
#include "run/loop.h"
#include "sampler/host.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "vm/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KSM_SETTLE_DEFAULT_NS (120 * 1000000000ull)	/* wait ksm-settled */

/* one outcome of a knob on one host (via NULL: this host). */
static void knob_reported(void *opaque, const char *key, const char *value, const char *via,
			  const char *skip)
{
	struct run_ctx *c = opaque;
	json_t *ev = json_pack("{s:s, s:s}", "knob", key, "value", value);

	if (via)
		json_object_set_new(ev, "via", json_string(via));
	if (skip)
		json_object_set_new(ev, "reason", json_string(skip));
	results_event(&c->res, skip ? "knob_skipped" : "knob", ev);
	run_progress(c, "host%s%s: %s = %s%s%s", via ? " " : "", via ? via : "", key, value,
		 skip ? " skipped: " : "", skip ? skip : "");
}

int run_host_knob(struct run_ctx *c, const char *key, const char *value)
{
	if (!c->knobs) {	/* routed to where the guests run */
		struct knob_route_opts o = { c->opt->root, c->opt->state_dir, c->opt->force,
					     c->opt->allow_module_reload };

		const char **uris = calloc(c->n ? c->n : 1, sizeof(*uris));

		if (!uris)
			return run_fail(c, "out of memory");
		for (size_t i = 0; i < c->n; i++)
			uris[i] = vm_host_uri(c->vms[i]);
		c->knobs = knob_route_new(&o);
		knob_route_add_uris(c->knobs, uris, c->n);
		free(uris);
	}
	if (knob_route_apply(c->knobs, key, value, knob_reported, c) < 0)
		return run_fail(c, ocb_errmsg());
	return 0;
}

int run_apply_host(struct run_ctx *c)
{
	for (size_t i = 0; i < c->s->n_host; i++)
		if (run_host_knob(c, c->s->host[i].key, c->s->host[i].value) < 0)
			return -1;
	return 0;
}

void run_restore_host(struct run_ctx *c)
{
	if (!c->knobs)
		return;
	/* every host the knobs went to */
	json_object_set_new(c->res.run, "knobs", knob_route_applied(c->knobs));
	if (knob_route_restore(c->knobs) < 0)
		run_fail(c, ocb_errmsg());
	else
		results_event(&c->res, "knobs_restored", NULL);
	knob_route_free(c->knobs);
	c->knobs = NULL;
}

/* ---- wait ksm-settled ---------------------------------------------------- */

static int ksm_idle(void *opaque, uint64_t ns)
{
	return run_idle(opaque, ns);
}

/* Without a timeout the wait is bounded by the run's end (duration), else
 * by KSM_SETTLE_DEFAULT_NS. */
static uint64_t ksm_settle_timeout(struct run_ctx *c, const struct timeline_entry *e)
{
	uint64_t end = c->timeline_t0_ns + c->s->duration_ns, now = mono_ns();

	if (e->timeout_ns)
		return e->timeout_ns;
	if (c->s->duration_ns && end > now)
		return end - now;
	return KSM_SETTLE_DEFAULT_NS;
}

static const struct {
	const char *name, *unit, *better;
} ksm_metric_names[] = {
	{ "ksm_settle_s", "s", "lower" },
	{ "ksm_merge_t50_s", "s", "lower" },
	{ "ksm_merge_t90_s", "s", "lower" },
	{ "ksm_merge_rate_mib_s", "MiB/s", "higher" },
	{ "ksm_merged_mib", "MiB", "higher" },
	{ "ksm_settle_confirm_s", "s", "lower" },
};

static void ksm_metrics_missing(struct run_ctx *c, const char *why)
{
	for (size_t i = 0; i < sizeof(ksm_metric_names) / sizeof(ksm_metric_names[0]); i++)
		results_metric_missing(&c->res, ksm_metric_names[i].name, ksm_metric_names[i].unit,
				       ksm_metric_names[i].better, why);
}

/* KSM settled with nothing new merged: say why, as conform's KSM-001 does
 * (the same diagnosis: KSM off, RAM not mergeable or hugetlb-backed, ...),
 * in the progress output and in events.jsonl. */
static json_t *diagnose_guests(struct run_ctx *c, struct strbuf *text)
{
	struct ksm_diag_guest *g = xcalloc(c->n ? c->n : 1, sizeof(*g));
	json_t *diag;

	for (size_t i = 0; i < c->n; i++) {
		g[i].name = c->gs[i].g->name;
		g[i].pid = c->gs[i].vm->ops->pid(c->gs[i].vm);
		g[i].ram_bytes = c->gs[i].g->spec->memory_bytes;
	}
	diag = ksm_diagnose(c->opt->root, g, c->n);
	free(g);
	diag_text(diag, text);
	return diag;
}

static void ksm_nothing_merged(struct run_ctx *c)
{
	struct strbuf text = STRBUF_INIT;
	json_t *diag = diagnose_guests(c, &text);

	if (diag_count(diag, DIAG_CAUSE))
		run_progress(c, "warning: KSM merged nothing of the guests' content; diagnosis: %s", text.buf);
	else
		run_progress(c, "warning: KSM merged nothing of the guests' content (%s)", text.buf);
	results_event(&c->res, "ksm_diagnosis", json_pack("{s:O}", "diagnosis", diag));
	json_decref(diag);
	strbuf_release(&text);
}

/* When KSM merged what, from the sampler's pages_sharing series: counted
 * from the moment the content to merge was written (the last `workload
 * start` before the wait, else the timeline's 0s) to 50 % and 90 % of what
 * was merged on top of what already was; known to one sample period
 * (resolution_ms).  The wait's own time is only its confirmation (two more
 * full scans), ksm_settle_confirm_s. */
static void ksm_merge_metrics(struct run_ctx *c, const struct ksm_settle_result *r, uint64_t settled_ns)
{
	uint64_t anchor = c->content_t0_ns ? c->content_t0_ns : c->timeline_t0_ns, t50, t90;
	double page_mib = r->pages_sharing ? r->merged_mib / (double)r->pages_sharing : 0;
	double base = 0, gain, period_ms = c->s->sample_rate ? 1000.0 / c->s->sample_rate : 100.0;
	char why[256];

	if (sampler_ksm_sharing_at(c->sampler, anchor, &base) < 0)
		base = 0;	/* no sample before: nothing was merged yet we know of */
	gain = (double)r->pages_sharing - base;
	results_metric(&c->res, "ksm_merged_mib", r->merged_mib, "MiB", "higher");
	results_metric(&c->res, "ksm_settle_confirm_s", r->settle_s, "s", "lower");
	if (r->have_profit)
		results_metric(&c->res, "ksm_settle_general_profit_mib", r->general_profit_mib, "MiB",
			       "higher");
	if (gain <= 0) {
		ksm_nothing_merged(c);
		snprintf(why, sizeof(why), "nothing merged after the content was written (pages_sharing "
			 "%.0f then, %llu when settled)", base, r->pages_sharing);
		for (size_t i = 0; i < 4; i++)
			results_metric_missing(&c->res, ksm_metric_names[i].name, ksm_metric_names[i].unit,
					       ksm_metric_names[i].better, why);
		return;
	}
	/* the settle's own reading is newer than the sampler's last sample:
	 * a level the samples never showed was reached by then at the latest */
	if (sampler_ksm_reached(c->sampler, anchor, base + 0.5 * gain, &t50) < 0)
		t50 = settled_ns;
	if (sampler_ksm_reached(c->sampler, anchor, base + 0.9 * gain, &t90) < 0)
		t90 = settled_ns;
	results_metric(&c->res, "ksm_merge_t50_s", ns_to_s(t50 - anchor), "s", "lower");
	results_metric(&c->res, "ksm_merge_t90_s", ns_to_s(t90 - anchor), "s", "lower");
	/* what users mean by "how long KSM took": to 90 % of its merging */
	results_metric(&c->res, "ksm_settle_s", ns_to_s(t90 - anchor), "s", "lower");
	results_metric(&c->res, "ksm_merge_rate_mib_s",
		       t90 > anchor ? 0.9 * gain * page_mib / ns_to_s(t90 - anchor) : 0, "MiB/s", "higher");
	results_event(&c->res, "ksm_merged",
		      json_pack("{s:f, s:f, s:f, s:f, s:f, s:f}", "base_pages", base, "final_pages",
				(double)r->pages_sharing, "t50_s", ns_to_s(t50 - anchor), "t90_s",
				ns_to_s(t90 - anchor), "confirm_s", r->settle_s, "resolution_ms", period_ms));
	run_progress(c, "host: KSM merged %.1f MiB: half after %.2f s, 90 %% after %.2f s (from the "
		     "content written)", gain * page_mib, ns_to_s(t50 - anchor), ns_to_s(t90 - anchor));
}

int run_wait_ksm_settled(struct run_ctx *c, const struct timeline_entry *e)
{
	struct ksm_settle_result r;
	int rc = ksm_settle_wait(c->opt->root, ksm_settle_timeout(c, e), 0, ksm_idle, c, &r);
	uint64_t settled_ns = mono_ns();

	if (rc < 0) {
		char msg[OCB_ERR_MAX + 64];

		struct strbuf text = STRBUF_INIT;
		json_t *diag;

		if (c->failed || run_stop_requested(c))
			return -1;	/* run_idle() said why */
		/* ksmd does not even scan when nothing is mergeable: say why */
		snprintf(msg, sizeof(msg), "%s:%u: %s", e->file, e->line, ocb_errmsg());
		diag = diagnose_guests(c, &text);
		if (text.len)
			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "; diagnosis: %s", text.buf);
		results_event(&c->res, "ksm_diagnosis", json_pack("{s:O}", "diagnosis", diag));
		json_decref(diag);
		strbuf_release(&text);
		return run_fail(c, msg);
	}
	if (rc > 0) {	/* KSM off (a ksm = off matrix cell): no settle to measure */
		results_event(&c->res, "ksm_settle_skipped", json_pack("{s:s}", "reason", ocb_errmsg()));
		run_progress(c, "host: %s", ocb_errmsg());
		if (!c->ksm_settles++)
			ksm_metrics_missing(c, "KSM is not running in this run");
		return 0;
	}
	run_progress(c, "host: KSM settled (%llu full scans confirm it, %.2f s): %.1f MiB merged",
		     r.full_scans, r.settle_s, r.merged_mib);
	if (c->ksm_settles++)
		return 0;	/* the metrics are the first settle's */
	ksm_merge_metrics(c, &r, settled_ns);
	return 0;
}
