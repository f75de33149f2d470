/* report.c — see report.h.  The document is built once as a small list of
 * sections and emitted twice (HTML and Markdown), so the two never drift. */
#include "reports/report.h"
#include "reports/aggregate.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "reports/plot.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct figure {
	char *name;
	char *caption;
};

struct doc {
	struct strbuf html;
	struct strbuf md;
	struct figure *figs;
	size_t nfigs, alloc;
};

static void html_esc(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': strbuf_adds(sb, "&lt;"); break;
		case '>': strbuf_adds(sb, "&gt;"); break;
		case '&': strbuf_adds(sb, "&amp;"); break;
		case '"': strbuf_adds(sb, "&quot;"); break;
		default: strbuf_addch(sb, *s);
		}
	}
}

static void md_esc(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (strchr("|\\*_`<>[]", *s))
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *s == '\n' ? ' ' : *s);
	}
}

static void heading(struct doc *d, int level, const char *text)
{
	strbuf_addf(&d->html, "<h%d>", level);
	html_esc(&d->html, text);
	strbuf_addf(&d->html, "</h%d>\n", level);
	for (int i = 0; i < level; i++)
		strbuf_addch(&d->md, '#');
	strbuf_addch(&d->md, ' ');
	md_esc(&d->md, text);
	strbuf_adds(&d->md, "\n\n");
}

static void para(struct doc *d, const char *text)
{
	strbuf_adds(&d->html, "<p>");
	html_esc(&d->html, text);
	strbuf_adds(&d->html, "</p>\n");
	md_esc(&d->md, text);
	strbuf_adds(&d->md, "\n\n");
}

/* Tables: cells separated by '\t', rows by '\n' in one string, first row
 * the header.  numeric_from: columns at or after it are right-aligned. */
static void table(struct doc *d, const char *rows, int numeric_from)
{
	int header = 1;

	strbuf_adds(&d->html, "<table>\n");
	for (const char *p = rows; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		int col = 0, ncols = 1;

		strbuf_adds(&d->html, "<tr>");
		strbuf_adds(&d->md, "|");
		for (size_t i = 0; i < len; i++)
			ncols += p[i] == '\t';
		for (const char *c = p; c < p + len;) {
			const char *tab = memchr(c, '\t', (size_t)(p + len - c));
			size_t clen = tab ? (size_t)(tab - c) : (size_t)(p + len - c);
			struct strbuf cell = STRBUF_INIT;

			strbuf_add(&cell, c, clen);
			strbuf_addf(&d->html, "<%s%s>", header ? "th" : "td",
				    !header && numeric_from >= 0 && col >= numeric_from ? " class=\"num\"" : "");
			html_esc(&d->html, cell.buf);
			strbuf_addf(&d->html, "</%s>", header ? "th" : "td");
			strbuf_adds(&d->md, " ");
			md_esc(&d->md, cell.buf);
			strbuf_adds(&d->md, " |");
			strbuf_release(&cell);
			col++;
			c += clen + (tab ? 1 : 0);
			if (!tab)
				break;
		}
		strbuf_adds(&d->html, "</tr>\n");
		strbuf_addch(&d->md, '\n');
		if (header) {
			strbuf_adds(&d->md, "|");
			for (int i = 0; i < ncols; i++)
				strbuf_adds(&d->md, numeric_from >= 0 && i >= numeric_from ? "---:|" : "---|");
			strbuf_addch(&d->md, '\n');
		}
		header = 0;
		p += len + (nl ? 1 : 0);
	}
	strbuf_adds(&d->html, "</table>\n");
	strbuf_addch(&d->md, '\n');
}

static void figure(struct doc *d, const char *name, const char *caption)
{
	strbuf_addf(&d->html, "<figure class=\"plot\" id=\"fig-%s\"><img src=\"%s.svg\" alt=\"", name, name);
	html_esc(&d->html, caption);
	strbuf_addf(&d->html, "\"><figcaption>");
	html_esc(&d->html, caption);
	strbuf_addf(&d->html, " (<a href=\"%s.png\">PNG</a>, <a href=\"gnuplot/%s.gp\">gnuplot script</a>)"
		    "</figcaption></figure>\n", name, name);
	strbuf_adds(&d->md, "![");
	md_esc(&d->md, caption);
	strbuf_addf(&d->md, "](%s.png)\n\n", name);
	ALLOC_GROW(d->figs, d->nfigs + 1, d->alloc);
	d->figs[d->nfigs].name = xstrdup(name);
	d->figs[d->nfigs++].caption = xstrdup(caption);
}

/* host object -> "key\tvalue" rows with dotted keys */
static void flatten(json_t *v, const char *prefix, struct strbuf *rows)
{
	const char *key;
	json_t *sub;

	if (json_is_object(v)) {
		json_object_foreach(v, key, sub) {
			struct strbuf p = STRBUF_INIT;

			strbuf_addf(&p, "%s%s%s", prefix, *prefix ? "." : "", key);
			flatten(sub, p.buf, rows);
			strbuf_release(&p);
		}
		return;
	}
	strbuf_addf(rows, "%s\t", prefix);
	if (json_is_string(v)) {
		strbuf_adds(rows, json_string_value(v));
	} else {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		strbuf_adds(rows, s ? s : "");
		free(s);
	}
	strbuf_addch(rows, '\n');
}

static void section_overview(struct doc *d, const struct result_set *rs,
			     const char *const *inputs, size_t ninputs)
{
	struct strbuf rows = STRBUF_INIT, s = STRBUF_INIT;
	size_t complete = 0, failed = 0;

	for (size_t i = 0; i < rs->n; i++) {
		complete += run_is_complete(&rs->runs[i]);
		failed += !strcmp(rs->runs[i].status, "failed");
	}
	heading(d, 2, "Overview");
	strbuf_adds(&rows, "item\tvalue\n");
	strbuf_adds(&rows, "scenario\t");
	for (size_t i = 0; i < rs->n; i++) {
		int seen = 0;

		for (size_t j = 0; j < i; j++)
			seen |= !strcmp(rs->runs[j].scenario, rs->runs[i].scenario);
		if (!seen)
			strbuf_addf(&rows, "%s%s", i ? ", " : "", rs->runs[i].scenario);
	}
	strbuf_addf(&rows, "\nruns\t%zu (%zu complete, %zu failed, %zu incomplete)\n", rs->n, complete,
		    failed, rs->n - complete - failed);
	for (size_t i = 0; i < ninputs; i++)
		strbuf_addf(&rows, "input\t%s\n", inputs[i]);
	if (rs->n) {
		json_t *accel = json_object_get(rs->runs[0].json, "accel");

		strbuf_addf(&rows, "acceleration\t%s", json_string_value(json_object_get(accel, "name")) ?: "?");
		if (json_string_value(json_object_get(accel, "reason")))
			strbuf_addf(&rows, " (%s)", json_string_value(json_object_get(accel, "reason")));
		strbuf_addf(&rows, "\nstarted\t%s\n",
			    json_string_value(json_object_get(rs->runs[0].json, "started")) ?: "?");
	}
	table(d, rows.buf, -1);
	strbuf_release(&rows);
	strbuf_release(&s);
}

static void section_host(struct doc *d, const struct result_set *rs)
{
	struct strbuf rows = STRBUF_INIT;

	if (!rs->n)
		return;
	heading(d, 2, "Host");
	strbuf_adds(&rows, "field\tvalue\n");
	flatten(json_object_get(rs->runs[0].json, "host"), "", &rows);
	if (rows.len > strlen("field\tvalue\n"))
		table(d, rows.buf, -1);
	for (int f = 0; f < HOST_NFIELDS; f++) {
		char *want = run_host_field(&rs->runs[0], host_field_names[f]);

		for (size_t i = 1; i < rs->n; i++) {
			char *got = run_host_field(&rs->runs[i], host_field_names[f]);
			int differs = strcmp(got, want) != 0;

			if (differs) {
				struct strbuf w = STRBUF_INIT;

				strbuf_addf(&w, "Warning: host %s differs between runs: '%s' (%s) vs '%s' (%s).",
					    host_field_names[f], want, rs->runs[0].dir, got, rs->runs[i].dir);
				para(d, w.buf);
				strbuf_release(&w);
			}
			free(got);
			if (differs)
				break;
		}
		free(want);
	}
	strbuf_release(&rows);
}

static void section_matrix(struct doc *d, const struct result_set *rs)
{
	struct strbuf rows = STRBUF_INIT, vals = STRBUF_INIT;
	json_t *keys = json_object();
	const char *key;
	json_t *v, *seen;

	for (size_t i = 0; i < rs->n; i++) {
		json_object_foreach(json_object_get(rs->runs[i].json, "matrix"), key, v) {
			char *s = json_is_string(v) ? strdup(json_string_value(v))
						    : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

			if (!json_object_get(keys, key))
				json_object_set_new(keys, key, json_object());
			if (s)
				json_object_set_new(json_object_get(keys, key), s, json_true());
			free(s);
		}
	}
	heading(d, 2, "Matrix");
	if (!json_object_size(keys)) {
		para(d, "No matrix: every run uses the scenario's settings.");
		goto out;
	}
	strbuf_adds(&rows, "key\tvalues\n");
	json_object_foreach(keys, key, seen) {
		const char *val;
		int first = 1;

		strbuf_reset(&vals);
		json_object_foreach(seen, val, v) {
			strbuf_addf(&vals, "%s%s", first ? "" : ", ", val);
			first = 0;
		}
		strbuf_addf(&rows, "%s\t%s\n", key, vals.buf);
	}
	table(d, rows.buf, -1);
out:
	json_decref(keys);
	strbuf_release(&rows);
	strbuf_release(&vals);
}

static void section_runs(struct doc *d, const struct result_set *rs)
{
	struct strbuf rows = STRBUF_INIT;

	heading(d, 2, "Runs");
	strbuf_adds(&rows, "run\tcell\trepeat\tstatus\treason\tduration (s)\n");
	for (size_t i = 0; i < rs->n; i++) {
		const struct rs_run *r = &rs->runs[i];
		json_t *dur = json_object_get(r->json, "duration_s");

		strbuf_addf(&rows, "%s\t%s\t%d\t%s\t%s\t", r->dir, cell_label(r->cell), r->repeat,
			    r->status, r->reason);
		if (json_is_number(dur))
			strbuf_addf(&rows, "%.1f", json_number_value(dur));
		strbuf_addch(&rows, '\n');
	}
	table(d, rows.buf, 2);
	strbuf_release(&rows);
}

static void section_metrics(struct doc *d, const struct result_set *rs)
{
	struct agg a;
	struct strbuf rows = STRBUF_INIT, t = STRBUF_INIT;
	int ms = 0;

	for (size_t i = 1; i < rs->n; i++)
		ms |= strcmp(rs->runs[i].scenario, rs->runs[0].scenario) != 0;
	agg_build(rs, &a);
	heading(d, 2, "Metrics");
	if (a.runs_skipped) {
		strbuf_addf(&t, "%zu run(s) not complete are left out of these tables.", a.runs_skipped);
		para(d, t.buf);
	}
	if (!a.n)
		para(d, "No metrics: no complete run recorded any.");
	for (size_t i = 0; i < a.n; i++) {
		const struct agg_entry *e = &a.e[i];
		double mn = INFINITY, mx = -INFINITY;
		char sd[32];

		if (i == 0 || strcmp(a.e[i - 1].cell, e->cell) || strcmp(a.e[i - 1].scenario, e->scenario)) {
			strbuf_reset(&rows);
			strbuf_adds(&rows, "metric\tunit\tbetter\tgate\tmean\tsd\tn\tmin\tmax\n");
		}
		for (size_t k = 0; k < e->s.n; k++) {
			mn = fmin(mn, e->vals[k]);
			mx = fmax(mx, e->vals[k]);
		}
		/* sd only means something from two repeats on */
		if (e->s.n >= 2)
			snprintf(sd, sizeof(sd), "%.3g", e->s.sd);
		else
			snprintf(sd, sizeof(sd), "-");
		/* n against the cell's complete runs: a mean over fewer says so */
		strbuf_addf(&rows, "%s\t%s\t%s\t%s\t%.4g\t%s\t%zu", e->name, e->unit,
			    better_name(e->better), e->gate ? "yes" : "no (informational)", e->s.mean, sd,
			    e->s.n);
		if (e->runs > e->s.n)
			strbuf_addf(&rows, " of %zu (missing in %zu)", e->runs, e->runs - e->s.n);
		strbuf_addf(&rows, "\t%.4g\t%.4g\n", mn, mx);
		if (i + 1 == a.n || strcmp(a.e[i + 1].cell, e->cell) ||
		    strcmp(a.e[i + 1].scenario, e->scenario)) {
			strbuf_reset(&t);
			if (ms)
				strbuf_addf(&t, "%s: ", e->scenario);
			strbuf_addf(&t, "Cell: %s", cell_label(e->cell));
			heading(d, 3, t.buf);
			table(d, rows.buf, 4);
		}
	}
	agg_release(&a);
	strbuf_release(&rows);
	strbuf_release(&t);
}

static int section_figures(struct doc *d, const struct result_set *rs, const char *outdir)
{
	struct strbuf name = STRBUF_INIT, title = STRBUF_INIT;
	int ac = 0, ms = 0, rc = -1, r;
	size_t ntl = 0;

	for (size_t i = 0; i < rs->n; i++) {
		ac |= run_is_complete(&rs->runs[i]);
		ms |= strcmp(rs->runs[i].scenario, rs->runs[0].scenario) != 0;
	}
	heading(d, 2, "Figures");
	/* one timeline per (scenario, cell): its first complete repeat */
	for (size_t i = 0; i < rs->n; i++) {
		const struct rs_run *run = &rs->runs[i];
		int seen = 0;

		if (ac && !run_is_complete(run))
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = (!ac || run_is_complete(&rs->runs[j])) &&
			       !strcmp(rs->runs[j].scenario, run->scenario) &&
			       !strcmp(rs->runs[j].cell, run->cell);
		if (seen)
			continue;
		strbuf_reset(&name);
		strbuf_addf(&name, "timeline-%zu", ++ntl);
		strbuf_reset(&title);
		strbuf_adds(&title, "Overcommit timeline: ");
		if (ms)
			strbuf_addf(&title, "%s, ", run->scenario);
		strbuf_addf(&title, "%s, repeat %d (%s)", cell_label(run->cell), run->repeat,
			    *run->run_id ? run->run_id : run->dir);
		r = plot_timeline(outdir, name.buf, run, title.buf);
		if (r < 0)
			goto out;
		if (r)
			figure(d, name.buf, title.buf);
	}
	r = plot_percentiles(outdir, "latency-percentiles", rs);
	if (r < 0)
		goto out;
	if (r)
		figure(d, "latency-percentiles", "Latency percentiles per matrix cell "
		       "(mean and sd over repeats and guests)");
	r = plot_cdf(outdir, "latency-cdf", rs);
	if (r < 0)
		goto out;
	if (r)
		figure(d, "latency-cdf", "Latency CDF per matrix cell (merged histograms)");
	r = plot_ksm(outdir, "ksm-merged", rs);
	if (r < 0)
		goto out;
	if (r)
		figure(d, "ksm-merged", "KSM merged memory over time per matrix cell");
	if (!d->nfigs)
		para(d, "No figures: the runs recorded no samples, free -m rows or workload results.");
	rc = 0;
out:
	strbuf_release(&name);
	strbuf_release(&title);
	return rc;
}

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"generator\" content=\"ocbench report\">\n<title>";
static const char html_style[] =
	"</title>\n<style>\n"
	"body{font-family:sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}\n"
	"table{border-collapse:collapse;margin:0.5em 0 1.5em}\n"
	"th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:left;vertical-align:top}\n"
	"th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"figure.plot{margin:1em 0 2em}figure.plot img{max-width:100%;height:auto;border:1px solid #ddd}\n"
	"figcaption{color:#555;font-size:0.9em}\n"
	"</style>\n"
	/* read by the headless-browser test; no network, no dependencies */
	"<script>\nwindow.addEventListener('load', function () {\n"
	"  var imgs = document.images, ok = 0;\n"
	"  for (var i = 0; i < imgs.length; i++)\n"
	"    if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;\n"
	"  document.body.setAttribute('data-images-total', String(imgs.length));\n"
	"  document.body.setAttribute('data-images-loaded', String(ok));\n"
	"  document.body.setAttribute('data-report-ready', ok === imgs.length ? 'ok' : 'broken');\n"
	"});\n</script>\n</head>\n<body>\n";

int report_write(const struct result_set *rs, const char *const *inputs, size_t ninputs,
		 const char *outdir, struct report_info *info)
{
	struct doc d;
	struct strbuf title = STRBUF_INIT, html = STRBUF_INIT, path = STRBUF_INIT;
	int rc = -1;

	memset(&d, 0, sizeof(d));
	if (mkdir_p(outdir, 0755) < 0)
		return -1;
	strbuf_addf(&title, "ocbench report: %s", rs->n ? rs->runs[0].scenario : "(no runs)");
	heading(&d, 1, title.buf);
	section_overview(&d, rs, inputs, ninputs);
	section_host(&d, rs);
	section_matrix(&d, rs);
	section_metrics(&d, rs);
	if (section_figures(&d, rs, outdir) < 0)
		goto out;
	section_runs(&d, rs);

	strbuf_adds(&html, html_head);
	html_esc(&html, title.buf);
	strbuf_adds(&html, html_style);
	strbuf_adds(&html, d.html.buf);
	strbuf_adds(&html, "<footer><p>Generated by ocbench report.</p></footer>\n</body>\n</html>\n");
	strbuf_addf(&path, "%s/index.html", outdir);
	if (write_file_atomic(path.buf, html.buf, html.len, 0644) < 0)
		goto out;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/report.md", outdir);
	if (write_file_atomic(path.buf, d.md.buf, d.md.len, 0644) < 0)
		goto out;
	if (info) {
		info->runs = rs->n;
		info->figures = d.nfigs;
	}
	rc = 0;
out:
	for (size_t i = 0; i < d.nfigs; i++) {
		free(d.figs[i].name);
		free(d.figs[i].caption);
	}
	free(d.figs);
	strbuf_release(&d.html);
	strbuf_release(&d.md);
	strbuf_release(&title);
	strbuf_release(&html);
	strbuf_release(&path);
	return rc;
}
