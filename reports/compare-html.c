/* compare-html.c — see compare-html.h. */
#include "reports/compare-html.h"
#include "reports/doc.h"
#include "reports/fmt.h"

#include <math.h>
#include <string.h>

static const char style[] =
	"<style>\n"
	"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.2em auto;"
	"max-width:1200px;padding:0 1em;color:#222;line-height:1.35}\n"
	"h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.2em 0 .4em}\n"
	"section.verdict{border:2px solid;border-radius:6px;padding:.4em 1em .6em}\n"
	"section.verdict h2{margin-top:.2em}\n"
	".v-ok{border-color:#009E73;background:#eef8f4}.v-regression{border-color:#D55E00;"
	"background:#fbefe8}.v-inconclusive{border-color:#E69F00;background:#fdf6e6}"
	".v-incomparable{border-color:#777;background:#f2f2f2}\n"
	"ul.counts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4em 1.4em}\n"
	"ul.counts b{font-size:1.2em}\n"
	"table{border-collapse:collapse;margin:.3em 0 1em;max-width:100%}\n"
	"th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:middle;"
	"overflow-wrap:break-word}\ntd.change{white-space:nowrap}\n"
	"th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"tr.regression td{background:#fbefe8}tr.improvement td{background:#edf4fa}"
	"tr.inconclusive td{background:#fdf6e6}\n"
	"div.bar{position:relative;width:160px;height:12px;background:#f4f4f4;"
	"border:1px solid #ddd;display:inline-block;vertical-align:middle}\n"
	"div.bar span{position:absolute;top:0;bottom:0}\n"
	"span.zero{left:50%;width:1px;background:#555}span.limit{width:1px;background:#999}\n"
	"span.worse{background:#D55E00}span.better{background:#0072B2}span.neutral{background:#999}\n"
	"span.pct{display:inline-block;min-width:4.5em;text-align:right;margin-left:.4em}\n"
	"p.note{color:#555;font-size:.88em}\n"
	"</style>\n";

/* By the verdict's word: an inconclusive verdict allowed to pass
 * (--allow-inconclusive) still looks inconclusive. */
static const char *verdict_class(const struct compare_result *res)
{
	const char *w = compare_verdict_word(res);

	return !strcmp(w, "REGRESSION") ? "v-regression" : !strcmp(w, "INCOMPARABLE") ? "v-incomparable"
	       : !strcmp(w, "INCONCLUSIVE") ? "v-inconclusive" : "v-ok";
}

/* A list of the lines of text; past LIST_SHOWN lines the rest collapsed,
 * so the verdict stays on the first screen. */
#define LIST_SHOWN 8

static void list(struct strbuf *out, const char *heading, const struct strbuf *text)
{
	size_t n = 0, total = 0;

	if (!text->len)
		return;
	for (const char *p = text->buf; *p; p++)
		total += *p == '\n' || !p[1];
	strbuf_adds(out, "<p><b>");
	doc_html_esc(out, heading);
	strbuf_adds(out, "</b></p>\n<ul>\n");
	for (const char *p = text->buf; *p; n++) {
		const char *nl = strchr(p, '\n');
		struct strbuf line = STRBUF_INIT;

		if (n == LIST_SHOWN)
			strbuf_addf(out, "</ul>\n<details><summary>%zu more</summary>\n<ul>\n",
				    total - LIST_SHOWN);
		strbuf_add(&line, p, nl ? (size_t)(nl - p) : strlen(p));
		strbuf_adds(out, "<li>");
		doc_html_esc(out, line.buf);
		strbuf_adds(out, "</li>\n");
		strbuf_release(&line);
		p = nl ? nl + 1 : p + strlen(p);
	}
	strbuf_adds(out, n > LIST_SHOWN ? "</ul>\n</details>\n" : "</ul>\n");
}

static void verdict(const struct compare_result *res, struct strbuf *out)
{
	struct strbuf h = STRBUF_INIT;

	compare_headline(res, &h);
	strbuf_addf(out, "<section id=\"verdict\" class=\"verdict %s\">\n<h2>Verdict: %s (exit %d)</h2>\n"
			 "<p class=\"headline\">", verdict_class(res), compare_verdict_word(res),
		    compare_exit_code(res));
	doc_html_esc(out, h.buf);
	strbuf_addf(out, "</p>\n<ul class=\"counts\"><li><b>%zu</b> regression(s)</li>"
			 "<li><b>%zu</b> improvement(s)</li><li><b>%zu</b> cell(s) whose runs fail more "
			 "often</li><li><b>%zu</b> inconclusive</li><li><b>%zu</b> gated metric(s) in "
			 "all</li></ul>\n",
		    res->regressions, res->improvements, res->failure_regressions, res->inconclusive,
		    res->n - res->informational - res->fresh);
	list(out, "Incomparable:", &res->problems);
	list(out, "Inconclusive (a gate does not pass on missing evidence):", &res->gaps);
	strbuf_adds(out, "</section>\n");
	strbuf_release(&h);
}

static void runs_table(const struct compare_result *res, struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;

	if (!res->ncells)
		return;
	strbuf_adds(out, "<section id=\"runs\"><h2>Runs</h2>\n<p class=\"note\">Complete of requested; "
			 "failed and incomplete runs are results.</p>\n<table>\n<tr><th>cell</th>"
			 "<th>baseline</th><th>candidate</th><th>runs</th></tr>\n");
	for (size_t i = 0; i < res->ncells; i++) {
		const struct compare_cell *c = &res->cells[i];

		strbuf_addf(out, "<tr%s><td>", c->failure_regression ? " class=\"regression\"" : "");
		doc_html_esc(out, cell_label(c->cell));
		strbuf_adds(out, "</td><td>");
		strbuf_reset(&sb);
		if (c->in_base)
			tally_describe(&c->base, &sb);
		doc_html_esc(out, sb.buf ? sb.buf : "");
		strbuf_adds(out, "</td><td>");
		strbuf_reset(&sb);
		if (c->in_cand)
			tally_describe(&c->cand, &sb);
		doc_html_esc(out, sb.buf ? sb.buf : "");
		strbuf_addf(out, "</td><td>%s</td></tr>\n",
			    !c->in_cand ? "not in the candidate" : !c->in_base ? "only in the candidate"
			    : c->failure_regression ? "REGRESSION: the candidate's runs fail more often"
			    : c->base.complete < c->base.requested || c->cand.complete < c->cand.requested
			    ? "inconclusive: fewer complete runs than requested" : "ok");
	}
	strbuf_adds(out, "</table></section>\n");
	strbuf_release(&sb);
}

static void summary(struct strbuf *out, const struct stats_summary *s, size_t runs, const char *unit)
{
	if (!s->n) {
		strbuf_addf(out, runs ? "missing (n=0 of %zu)" : "-", runs);
		return;
	}
	fmt_mean_sd(out, s->mean, s->sd, s->n, 1);
	strbuf_addf(out, "%s%s (n=%zu", *unit ? " " : "", unit, s->n);
	if (runs > s->n)
		strbuf_addf(out, " of %zu", runs);
	strbuf_adds(out, ")");
}

/* The change as a bar around 0 on a scale of +-scale %, the limit marked. */
static void change_bar(struct strbuf *out, const struct compare_row *r, double scale)
{
	double d = r->delta_pct, w, from;
	int worse = r->better == BETTER_LOWER ? d > 0 : d < 0;
	const char *cls = r->better == BETTER_UNKNOWN || !r->gate ? "neutral" : worse ? "worse" : "better";

	if (isnan(d)) {
		strbuf_adds(out, "-");
		return;
	}
	w = fmin(fabs(d), scale) / scale * 50;
	from = d < 0 ? 50 - w : 50;
	strbuf_addf(out, "<div class=\"bar\" title=\"%+.1f%%\"><span class=\"zero\"></span>"
			 "<span class=\"%s\" style=\"left:%.1f%%;width:%.1f%%\"></span>",
		    d, cls, from, w);
	if (!isnan(r->limit_pct) && r->limit_pct < scale)
		strbuf_addf(out, "<span class=\"limit\" style=\"left:%.1f%%\"></span>"
				 "<span class=\"limit\" style=\"left:%.1f%%\"></span>",
			    50 - r->limit_pct / scale * 50, 50 + r->limit_pct / scale * 50);
	strbuf_addf(out, "</div><span class=\"pct\">%+.1f%%</span>", d);
}

static void p_value(struct strbuf *out, const struct compare_row *r)
{
	if (isnan(r->p))
		strbuf_adds(out, "-");
	else if (r->p < 0.0001)
		strbuf_addf(out, "&lt;0.0001%s", r->p_permutation ? " (perm.)" : "");
	else
		strbuf_addf(out, "%.4f%s", r->p, r->p_permutation ? " (perm.)" : "");
}

static void metric_row(struct strbuf *out, const struct compare_row *r, double scale, int cell_col)
{
	struct strbuf sb = STRBUF_INIT;
	const char *cls = r->verdict == VERDICT_REGRESSION ? " class=\"regression\""
			  : r->verdict == VERDICT_IMPROVEMENT ? " class=\"improvement\""
			  : r->verdict == VERDICT_INCONCLUSIVE ? " class=\"inconclusive\"" : "";

	strbuf_addf(out, "<tr%s>", cls);
	if (cell_col) {
		strbuf_adds(out, "<td>");
		doc_html_esc(out, cell_label(r->cell));
		strbuf_adds(out, "</td>");
	}
	strbuf_adds(out, "<td>");
	doc_html_esc(out, r->name);
	strbuf_adds(out, "</td><td class=\"num\">");
	summary(&sb, &r->base, r->base_runs, r->unit);
	doc_html_esc(out, sb.buf);
	strbuf_adds(out, "</td><td class=\"num\">");
	strbuf_reset(&sb);
	summary(&sb, &r->cand, r->cand_runs, r->unit);
	doc_html_esc(out, sb.buf);
	strbuf_adds(out, "</td><td class=\"change\">");
	change_bar(out, r, scale);
	strbuf_adds(out, "</td><td class=\"num\">");
	p_value(out, r);
	strbuf_addf(out, "</td><td>%s", verdict_name(r->verdict));
	if (r->verdict == VERDICT_REGRESSION || r->verdict == VERDICT_IMPROVEMENT)
		strbuf_addf(out, " (limit %.1f%%)", r->limit_pct);
	if (r->note) {
		strbuf_adds(out, ": ");
		doc_html_esc(out, r->note);
	}
	strbuf_adds(out, "</td></tr>\n");
	strbuf_release(&sb);
}

/* One scale for every bar, so lengths compare: the largest change or
 * limit, between 5 % and 100 %. */
static double bar_scale(const struct compare_result *res)
{
	double s = 5;

	for (size_t i = 0; i < res->n; i++) {
		if (!isnan(res->rows[i].delta_pct))
			s = fmax(s, fabs(res->rows[i].delta_pct));
		if (!isnan(res->rows[i].limit_pct))
			s = fmax(s, res->rows[i].limit_pct);
	}
	return fmin(s, 100);
}

static const char head[] = "<th>baseline</th><th>candidate</th><th>change</th><th>p</th>"
			   "<th>verdict</th></tr>\n";

static void metrics(const struct compare_result *res, struct strbuf *out)
{
	double scale = bar_scale(res);

	strbuf_addf(out, "<section id=\"metrics\"><h2>Metrics</h2>\n<p class=\"note\">Mean ± sd (n); "
			 "the change from baseline to candidate as a bar on a scale of ±%.0f%% (vermillion "
			 "worse, blue better, thin marks at the limit); p from Welch's t-test, or the "
			 "exact permutation test (perm.) below %d repeats a side.</p>\n",
		    scale, COMPARE_SMALL_N);
	for (size_t c = 0; c < res->ncells; c++) {
		int any = 0;

		for (size_t i = 0; i < res->n; i++) {
			const struct compare_row *r = &res->rows[i];

			if (r->verdict == VERDICT_INFO || strcmp(r->cell, res->cells[c].cell))
				continue;
			if (!any++) {
				strbuf_adds(out, "<h3>");
				doc_html_esc(out, cell_label(res->cells[c].cell));
				strbuf_addf(out, "</h3>\n<table>\n<tr><th>metric</th>%s", head);
			}
			metric_row(out, r, scale, 0);
		}
		if (any)
			strbuf_adds(out, "</table>\n");
	}
	strbuf_adds(out, "</section>\n");
}

static void informational(const struct compare_result *res, struct strbuf *out)
{
	double scale = bar_scale(res);

	if (!res->informational)
		return;
	strbuf_addf(out, "<section id=\"informational\"><h2>Informational metrics (never gated)</h2>\n"
			 "<table>\n<tr><th>cell</th><th>metric</th>%s", head);
	for (size_t i = 0; i < res->n; i++)
		if (res->rows[i].verdict == VERDICT_INFO)
			metric_row(out, &res->rows[i], scale, 1);
	strbuf_adds(out, "</table></section>\n");
}

void compare_format_html(const struct compare_result *res, struct strbuf *out)
{
	strbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			 "<meta name=\"generator\" content=\"ocbench compare\">\n<title>ocbench compare");
	if (res->scenario) {
		strbuf_adds(out, ": ");
		doc_html_esc(out, res->scenario);
	}
	strbuf_addf(out, "</title>\n%s</head>\n<body>\n<h1>ocbench compare", style);
	if (res->scenario) {
		strbuf_adds(out, ": ");
		doc_html_esc(out, res->scenario);
	}
	strbuf_adds(out, "</h1>\n");
	verdict(res, out);
	runs_table(res, out);
	metrics(res, out);
	informational(res, out);
	strbuf_adds(out, "<section id=\"details\">\n");
	list(out, "Allowed differences (like for like):", &res->allowed);
	list(out, "Notes:", &res->notes);
	strbuf_addf(out, "<p class=\"note\">Threshold %.1f%%, p &lt; %.2f.</p>\n</section>\n"
			 "</body>\n</html>\n", res->threshold_pct, COMPARE_ALPHA);
}
