/* ksm.c — see ksm.h. */
#include "run/ksm.h"
#include "host/diagnosis.h"
#include "host/ksm-diagnose.h"
#include "host/ksmsettle.h"
#include "host/libvirt-node.h"
#include "run/host.h"
#include "run/loop.h"
#include "sampler/ksm-history.h"
#include "sampler/remote.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/libvirt-conn.h"
#include "util/xalloc.h"
#include "vm/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KSM_SETTLE_DEFAULT_NS (120 * 1000000000ull)	/* wait ksm-settled */

/* One host a wait covers: uri NULL is this host; suffix "" or "@HOST" on
 * its metric names. */
struct ksm_host {
	const char *uri;
	char suffix[260];
};

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

static void metric_name(const struct ksm_host *h, const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s%s", name, h->suffix);
}

static void host_metric(struct run_ctx *c, const struct ksm_host *h, const char *name, double v,
			const char *unit, const char *better)
{
	char n[320];

	metric_name(h, name, n, sizeof(n));
	results_metric(&c->res, n, v, unit, better);
}

/* The first `count` metrics of the table missing, with the reason. */
static void ksm_metrics_missing(struct run_ctx *c, const struct ksm_host *h, size_t count,
				const char *why)
{
	char n[320];

	for (size_t i = 0; i < count; i++) {
		metric_name(h, ksm_metric_names[i].name, n, sizeof(n));
		results_metric_missing(&c->res, n, ksm_metric_names[i].unit, ksm_metric_names[i].better,
				       why);
	}
}

#define N_KSM_METRICS (sizeof(ksm_metric_names) / sizeof(ksm_metric_names[0]))

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

/* When KSM merged what, from the sampler's pages_sharing series of that
 * host: counted from the moment the content to merge was written (the
 * last `workload start` before the wait, else the timeline's 0s) to 50 %
 * and 90 % of what was merged on top of what already was; known to one
 * sample period (resolution_ms).  The wait's own time is only its
 * confirmation (two more full scans), ksm_settle_confirm_s. */
static void ksm_merge_metrics(struct run_ctx *c, const struct ksm_host *h,
			      const struct ksm_settle_result *r, uint64_t settled_ns)
{
	const struct ksm_history *hist = sampler_ksm_history(c->sampler, h->uri);
	uint64_t anchor = c->content_t0_ns ? c->content_t0_ns : c->timeline_t0_ns, t50, t90;
	double page_mib = r->pages_sharing ? r->merged_mib / (double)r->pages_sharing : 0;
	double base = 0, gain, period_ms = c->s->sample_rate ? 1000.0 / c->s->sample_rate : 100.0;
	char why[256];

	if (ksm_history_at(hist, anchor, &base) < 0)
		base = 0;	/* no sample before: nothing was merged yet we know of */
	gain = (double)r->pages_sharing - base;
	host_metric(c, h, "ksm_merged_mib", r->merged_mib, "MiB", "higher");
	host_metric(c, h, "ksm_settle_confirm_s", r->settle_s, "s", "lower");
	if (r->have_profit)
		host_metric(c, h, "ksm_settle_general_profit_mib", r->general_profit_mib, "MiB", "higher");
	if (gain <= 0) {
		if (!h->uri)
			ksm_nothing_merged(c);
		snprintf(why, sizeof(why), "nothing merged after the content was written (pages_sharing "
			 "%.0f then, %llu when settled)", base, r->pages_sharing);
		ksm_metrics_missing(c, h, 4, why);
		return;
	}
	/* the settle's own reading is newer than the sampler's last sample:
	 * a level the samples never showed was reached by then at the latest */
	if (ksm_history_reached(hist, anchor, base + 0.5 * gain, &t50) < 0)
		t50 = settled_ns;
	if (ksm_history_reached(hist, anchor, base + 0.9 * gain, &t90) < 0)
		t90 = settled_ns;
	host_metric(c, h, "ksm_merge_t50_s", ns_to_s(t50 - anchor), "s", "lower");
	host_metric(c, h, "ksm_merge_t90_s", ns_to_s(t90 - anchor), "s", "lower");
	/* what users mean by "how long KSM took": to 90 % of its merging */
	host_metric(c, h, "ksm_settle_s", ns_to_s(t90 - anchor), "s", "lower");
	host_metric(c, h, "ksm_merge_rate_mib_s",
		    t90 > anchor ? 0.9 * gain * page_mib / ns_to_s(t90 - anchor) : 0, "MiB/s", "higher");
	results_event(&c->res, "ksm_merged",
		      json_pack("{s:s?, s:f, s:f, s:f, s:f, s:f, s:f}", "uri", h->uri, "base_pages", base,
				"final_pages", (double)r->pages_sharing, "t50_s", ns_to_s(t50 - anchor),
				"t90_s", ns_to_s(t90 - anchor), "confirm_s", r->settle_s, "resolution_ms",
				period_ms));
	run_progress(c, "host%s%s: KSM merged %.1f MiB: half after %.2f s, 90 %% after %.2f s (from "
		     "the content written)", h->uri ? " " : "", h->uri ? h->uri : "", gain * page_mib,
		     ns_to_s(t50 - anchor), ns_to_s(t90 - anchor));
}

/* The wait timed out or failed: the run fails with the reason, and on
 * this host the diagnosis (ksmd does not even scan when nothing is
 * mergeable); a remote host's QEMUs cannot be looked at from here. */
static int settle_failed(struct run_ctx *c, const struct ksm_host *h, const struct timeline_entry *e)
{
	char msg[OCB_ERR_MAX + 64];
	struct strbuf text = STRBUF_INIT;
	json_t *diag;

	if (c->failed || run_stop_requested(c))
		return -1;	/* run_idle() said why */
	snprintf(msg, sizeof(msg), "%s:%u: %s", e->file, e->line, ocb_errmsg());
	if (!h->uri) {
		diag = diagnose_guests(c, &text);
		if (text.len)
			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "; diagnosis: %s", text.buf);
		results_event(&c->res, "ksm_diagnosis", json_pack("{s:O}", "diagnosis", diag));
		json_decref(diag);
	}
	strbuf_release(&text);
	return run_fail(c, msg);
}

/* Wait on one host: 0 (settled or nothing to wait for), -1 failed. */
static int wait_host(struct run_ctx *c, const struct ksm_host *h, const struct timeline_entry *e,
		     int first)
{
	struct ksm_settle_result r;
	struct ksm_reader rd;
	virConnectPtr conn;
	int rc;

	if (!h->uri) {
		rc = ksm_settle_wait(c->opt->root, ksm_settle_timeout(c, e), 0, ksm_idle, c, &r);
	} else {
		conn = lv_open(h->uri);
		if (!conn)
			return settle_failed(c, h, e);
		lvnode_ksm_reader(&rd, conn, h->uri);
		rc = ksm_settle_wait_on(&rd, ksm_settle_timeout(c, e), 0, ksm_idle, c, &r);
		ksm_reader_fini(&rd);
		virConnectClose(conn);
	}
	if (rc < 0)
		return settle_failed(c, h, e);
	if (rc > 0) {	/* KSM off (a ksm = off matrix cell): no settle to measure */
		results_event(&c->res, "ksm_settle_skipped", json_pack("{s:s}", "reason", ocb_errmsg()));
		run_progress(c, "host: %s", ocb_errmsg());
		if (first)
			ksm_metrics_missing(c, h, N_KSM_METRICS, "KSM is not running in this run");
		return 0;
	}
	run_progress(c, "host%s%s: KSM settled (%llu full scans confirm it, %.2f s): %.1f MiB merged",
		     h->uri ? " " : "", h->uri ? h->uri : "", r.full_scans, r.settle_s, r.merged_mib);
	if (first)	/* the metrics are the first settle's */
		ksm_merge_metrics(c, h, &r, mono_ns());
	return 0;
}

int run_wait_ksm_settled(struct run_ctx *c, const struct timeline_entry *e)
{
	const char **uris = xcalloc(c->n + 1, sizeof(*uris));
	struct ksm_host *hosts = xcalloc(c->n + 2, sizeof(*hosts));
	size_t n = 0, nr;
	int local, rc = 0, first = !c->ksm_settles++;

	nr = run_remote_uris(c, uris, &local);
	if (local)
		hosts[n++].uri = NULL;
	for (size_t i = 0; i < nr; i++) {
		hosts[n].uri = uris[i];
		if (n) {
			char host[256];

			lv_uri_host(uris[i], host, sizeof(host));
			snprintf(hosts[n].suffix, sizeof(hosts[n].suffix), "@%s", host);
		}
		n++;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = wait_host(c, &hosts[i], e, first);
	free(uris);
	free(hosts);
	return rc;
}
