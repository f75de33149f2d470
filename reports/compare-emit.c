/* compare-emit.c — see compare-emit.h. */
#include "reports/compare-emit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- cells shared by the text and Markdown tables ---- */

/* "1000 ± 20 ns (n=5)"; "(n=3 of 5)" when the metric is missing in runs */
static void fmt_summary(struct strbuf *sb, const struct stats_summary *s, size_t runs,
			const char *unit)
{
	if (!s->n) {
		strbuf_adds(sb, runs ? "-" : "");
		if (runs)
			strbuf_addf(sb, " (n=0 of %zu)", runs);
		return;
	}
	strbuf_addf(sb, "%.4g ± %.2g%s%s (n=%zu", s->mean, s->sd, *unit ? " " : "", unit, s->n);
	if (runs > s->n)
		strbuf_addf(sb, " of %zu", runs);
	strbuf_addch(sb, ')');
}

static void fmt_delta(struct strbuf *sb, double d)
{
	if (isnan(d))
		strbuf_adds(sb, "-");
	else
		strbuf_addf(sb, "%+.1f%%", d);
}

static void fmt_p(struct strbuf *sb, const struct compare_row *r)
{
	if (isnan(r->p))
		strbuf_adds(sb, "-");
	else if (r->p < 0.0001)
		strbuf_addf(sb, "<0.0001%s", r->p_permutation ? " perm" : "");
	else
		strbuf_addf(sb, "%.4f%s", r->p, r->p_permutation ? " perm" : "");
}

enum { COL_METRIC, COL_BASE, COL_CAND, COL_DELTA, COL_P, COL_VERDICT, NCOL };
static const char *const col_names[NCOL] = { "metric", "baseline", "candidate", "delta",
					       "p", "verdict" };

static void row_cells(const struct compare_row *r, struct strbuf cells[NCOL])
{
	for (int i = 0; i < NCOL; i++)
		strbuf_reset(&cells[i]);
	strbuf_adds(&cells[COL_METRIC], r->name);
	fmt_summary(&cells[COL_BASE], &r->base, r->base_runs, r->unit);
	fmt_summary(&cells[COL_CAND], &r->cand, r->cand_runs, r->unit);
	fmt_delta(&cells[COL_DELTA], r->delta_pct);
	fmt_p(&cells[COL_P], r);
	strbuf_adds(&cells[COL_VERDICT], verdict_name(r->verdict));
	if (r->verdict == VERDICT_REGRESSION || r->verdict == VERDICT_IMPROVEMENT)
		strbuf_addf(&cells[COL_VERDICT], " (limit %.1f%%)", r->limit_pct);
	if (r->note)
		strbuf_addf(&cells[COL_VERDICT], ": %s", r->note);
}

enum { RUN_CELL, RUN_BASE, RUN_CAND, RUN_VERDICT, NRUNCOL };
static const char *const run_col_names[NRUNCOL] = { "cell", "baseline", "candidate", "runs" };

static void pct(struct strbuf *sb, const struct tally_counts *n)
{
	strbuf_addf(sb, "%.0f%%", 100.0 * tally_failure_rate(n));
}

static void run_cells(const struct compare_cell *c, struct strbuf cells[NRUNCOL])
{
	for (int i = 0; i < NRUNCOL; i++)
		strbuf_reset(&cells[i]);
	strbuf_adds(&cells[RUN_CELL], cell_label(c->cell));
	if (c->in_base)
		tally_describe(&c->base, &cells[RUN_BASE]);
	if (c->in_cand)
		tally_describe(&c->cand, &cells[RUN_CAND]);
	if (!c->in_cand) {
		strbuf_adds(&cells[RUN_VERDICT], "not in the candidate");
	} else if (!c->in_base) {
		strbuf_adds(&cells[RUN_VERDICT], "only in the candidate");
	} else if (c->failure_regression) {
		strbuf_adds(&cells[RUN_VERDICT], "REGRESSION: failure rate ");
		pct(&cells[RUN_VERDICT], &c->base);
		strbuf_adds(&cells[RUN_VERDICT], " -> ");
		pct(&cells[RUN_VERDICT], &c->cand);
	} else if (c->base.complete < c->base.requested || c->cand.complete < c->cand.requested) {
		strbuf_adds(&cells[RUN_VERDICT], "inconclusive: fewer complete runs than requested");
	} else {
		strbuf_adds(&cells[RUN_VERDICT], "ok");
	}
	if (c->in_cand && !c->cand.complete)
		strbuf_adds(&cells[RUN_VERDICT], " (no complete candidate run: metrics not compared)");
}

static void release_cells(struct strbuf *cells, int n)
{
	for (int i = 0; i < n; i++)
		strbuf_release(&cells[i]);
}

/* ---- text ---- */

/* display width: count UTF-8 lead bytes only, so "±" is one column */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(struct strbuf *sb, const char *s, size_t w)
{
	strbuf_adds(sb, s);
	for (size_t n = width(s); n < w; n++)
		strbuf_addch(sb, ' ');
}

/* One line of a padded table (the last column unpadded). */
static void text_line(struct strbuf *out, const struct strbuf *cells, const char *const *names,
		      const size_t *w, int ncol)
{
	strbuf_adds(out, "  ");
	for (int i = 0; i < ncol; i++) {
		const char *s = cells ? strbuf_str(&cells[i]) : names ? names[i] : "";

		pad(out, s, i == ncol - 1 ? 0 : w[i]);
		strbuf_adds(out, i == ncol - 1 ? "\n" : "  ");
	}
}

static void text_runs(const struct compare_result *res, struct strbuf *out)
{
	struct strbuf cells[NRUNCOL] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	size_t w[NRUNCOL];

	if (!res->ncells)
		return;
	for (int i = 0; i < NRUNCOL; i++)
		w[i] = width(run_col_names[i]);
	for (size_t c = 0; c < res->ncells; c++) {
		run_cells(&res->cells[c], cells);
		for (int i = 0; i < NRUNCOL; i++)
			if (width(strbuf_str(&cells[i])) > w[i])
				w[i] = width(strbuf_str(&cells[i]));
	}
	strbuf_adds(out, "\nruns (complete of requested; failed and incomplete runs are results):\n");
	text_line(out, NULL, run_col_names, w, NRUNCOL);
	for (size_t c = 0; c < res->ncells; c++) {
		run_cells(&res->cells[c], cells);
		text_line(out, cells, NULL, w, NRUNCOL);
	}
	release_cells(cells, NRUNCOL);
}

static void text_metrics(const struct compare_result *res, struct strbuf *out)
{
	struct strbuf cells[NCOL] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
				      STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	size_t w[NCOL];

	for (int i = 0; i < NCOL; i++)
		w[i] = width(col_names[i]);
	for (size_t r = 0; r < res->n; r++) {
		row_cells(&res->rows[r], cells);
		for (int i = 0; i < NCOL - 1; i++)
			if (width(cells[i].buf) > w[i])
				w[i] = width(cells[i].buf);
	}
	for (size_t r = 0; r < res->n; r++) {
		const struct compare_row *row = &res->rows[r];

		if (r == 0 || strcmp(res->rows[r - 1].cell, row->cell)) {
			strbuf_addf(out, "\n[%s]\n", cell_label(row->cell));
			text_line(out, NULL, col_names, w, NCOL);
		}
		row_cells(row, cells);
		text_line(out, cells, NULL, w, NCOL);
	}
	release_cells(cells, NCOL);
}

/* A heading and the lines of text indented (when any). */
static void text_list(struct strbuf *out, const char *heading, const struct strbuf *text)
{
	if (!text->len)
		return;
	strbuf_addf(out, "\n%s\n", heading);
	for (const char *p = text->buf; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		strbuf_adds(out, "  ");
		strbuf_add(out, p, n);
		strbuf_addch(out, '\n');
		p += n + (nl ? 1 : 0);
	}
}

static void counts_line(const struct compare_result *res, struct strbuf *out)
{
	strbuf_addf(out, "metrics: %zu gated (%zu regression(s), %zu improvement(s), %zu inconclusive), "
		    "%zu informational, %zu only in the candidate; threshold %.1f%%, p < %.2f\n",
		    res->n - res->informational - res->fresh, res->regressions, res->improvements,
		    res->inconclusive, res->informational, res->fresh, res->threshold_pct,
		    COMPARE_ALPHA);
}

void compare_format_text(const struct compare_result *res, struct strbuf *out)
{
	if (res->scenario)
		strbuf_addf(out, "scenario: %s\n", res->scenario);
	compare_headline(res, out);
	strbuf_addch(out, '\n');
	text_runs(res, out);
	text_list(out, "allowed differences (like for like):", &res->allowed);
	text_metrics(res, out);
	text_list(out, "inconclusive (a gate does not pass on missing evidence):", &res->gaps);
	text_list(out, "incomparable:", &res->problems);
	text_list(out, "notes:", &res->notes);
	strbuf_addch(out, '\n');
	counts_line(res, out);
	compare_headline(res, out);
	strbuf_addch(out, '\n');
}

/* ---- Markdown ---- */

static void md_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`')
			strbuf_addch(out, '\\');
		strbuf_addch(out, *s == '\n' ? ' ' : *s);
	}
}

/* A heading and one Markdown list item per line of text (when any). */
static void md_list(struct strbuf *out, const char *heading, const struct strbuf *text)
{
	if (!text->len)
		return;
	strbuf_addf(out, "%s\n\n", heading);
	for (const char *p = text->buf; *p;) {
		const char *nl = strchr(p, '\n');
		struct strbuf line = STRBUF_INIT;

		strbuf_add(&line, p, nl ? (size_t)(nl - p) : strlen(p));
		strbuf_adds(out, "- ");
		md_escape(out, line.buf);
		strbuf_addch(out, '\n');
		strbuf_release(&line);
		p = nl ? nl + 1 : p + strlen(p);
	}
	strbuf_addch(out, '\n');
}

static void md_headline(const struct compare_result *res, struct strbuf *out)
{
	struct strbuf h = STRBUF_INIT;

	compare_headline(res, &h);
	strbuf_adds(out, "**");
	md_escape(out, h.buf);
	strbuf_adds(out, "**\n\n");
	strbuf_release(&h);
}

/* One Markdown table row; bold when strong. */
static void md_row(struct strbuf *out, const char *first, const struct strbuf *cells, int from,
		   int ncol, int strong)
{
	strbuf_adds(out, "|");
	if (first) {
		strbuf_adds(out, " ");
		md_escape(out, first);
		strbuf_adds(out, " |");
	}
	for (int i = from; i < ncol; i++) {
		strbuf_adds(out, " ");
		if (strong && i == ncol - 1)
			strbuf_adds(out, "**");
		md_escape(out, strbuf_str(&cells[i]));
		if (strong && i == ncol - 1)
			strbuf_adds(out, "**");
		strbuf_adds(out, " |");
	}
	strbuf_addch(out, '\n');
}

static void md_runs(const struct compare_result *res, struct strbuf *out)
{
	struct strbuf cells[NRUNCOL] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };

	if (!res->ncells)
		return;
	strbuf_adds(out, "Runs (complete of requested; failed and incomplete runs are results):\n\n"
			 "| cell | baseline | candidate | runs |\n|---|---|---|---|\n");
	for (size_t c = 0; c < res->ncells; c++) {
		run_cells(&res->cells[c], cells);
		md_row(out, NULL, cells, 0, NRUNCOL, res->cells[c].failure_regression);
	}
	strbuf_addch(out, '\n');
	release_cells(cells, NRUNCOL);
}

static void md_metrics(const struct compare_result *res, struct strbuf *out)
{
	struct strbuf cells[NCOL] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
				      STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };

	if (!res->n)
		return;
	strbuf_adds(out, "| cell | metric | baseline | candidate | Δ | p | verdict |\n"
			 "|---|---|---|---|---:|---:|---|\n");
	for (size_t r = 0; r < res->n; r++) {
		row_cells(&res->rows[r], cells);
		md_row(out, cell_label(res->rows[r].cell), cells, 0, NCOL,
		       res->rows[r].verdict == VERDICT_REGRESSION);
	}
	strbuf_addch(out, '\n');
	release_cells(cells, NCOL);
}

void compare_format_md(const struct compare_result *res, struct strbuf *out)
{
	strbuf_adds(out, "## ocbench compare");
	if (res->scenario) {
		strbuf_adds(out, ": ");
		md_escape(out, res->scenario);
	}
	strbuf_adds(out, "\n\n");
	md_headline(res, out);
	md_runs(res, out);
	md_list(out, "Allowed differences (like for like):", &res->allowed);
	md_metrics(res, out);
	md_list(out, "**Inconclusive** (a gate does not pass on missing evidence):", &res->gaps);
	md_list(out, "**Incomparable inputs:**", &res->problems);
	md_list(out, "Notes:", &res->notes);
	counts_line(res, out);
	strbuf_addch(out, '\n');
	md_headline(res, out);
}

/* ---- JSON ---- */

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jsummary(const struct stats_summary *s, size_t runs)
{
	if (!s->n && !runs)
		return json_null();
	return json_pack("{s:o,s:o,s:I,s:I}", "mean", s->n ? jnum(s->mean) : json_null(), "sd",
			 s->n ? jnum(s->sd) : json_null(), "n", (json_int_t)s->n, "runs",
			 (json_int_t)runs);
}

static json_t *jlines(const struct strbuf *sb)
{
	json_t *a = json_array();

	for (const char *p = strbuf_str(sb); *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		json_array_append_new(a, json_stringn(p, n));
		p += n + (nl ? 1 : 0);
	}
	return a;
}

static json_t *jtally(int present, const struct tally_counts *n)
{
	if (!present)
		return json_null();
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:b,s:f}", "runs_requested", (json_int_t)n->requested,
			 "runs_complete", (json_int_t)n->complete, "runs_failed", (json_int_t)n->failed,
			 "runs_incomplete", (json_int_t)n->incomplete,
			 "runs_missing", (json_int_t)tally_missing(n),
			 "requested_known", !n->requested_unknown, "failure_rate", tally_failure_rate(n));
}

static json_t *jruns(const struct compare_result *res)
{
	json_t *a = json_array();

	for (size_t i = 0; i < res->ncells; i++) {
		const struct compare_cell *c = &res->cells[i];

		json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:o,s:b}", "scenario", c->scenario,
						   "cell", c->cell, "baseline", jtally(c->in_base, &c->base),
						   "candidate", jtally(c->in_cand, &c->cand),
						   "failure_regression", c->failure_regression));
	}
	return a;
}

static json_t *jrows(const struct compare_result *res)
{
	json_t *rows = json_array();

	for (size_t i = 0; i < res->n; i++) {
		const struct compare_row *r = &res->rows[i];

		json_array_append_new(rows, json_pack(
			"{s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:s?}",
			"cell", r->cell, "metric", r->name, "unit", r->unit,
			"better", better_name(r->better), "gate", r->gate,
			"baseline", jsummary(&r->base, r->base_runs),
			"candidate", jsummary(&r->cand, r->cand_runs),
			"delta_pct", jnum(r->delta_pct), "limit_pct", jnum(r->limit_pct),
			"p", jnum(r->p), "p_welch", jnum(r->p_welch),
			"test", isnan(r->p) ? "none" : r->p_permutation ? "permutation" : "welch",
			"verdict", verdict_name(r->verdict), "note", r->note));
	}
	return rows;
}

json_t *compare_to_json(const struct compare_result *res)
{
	struct strbuf headline = STRBUF_INIT, word = STRBUF_INIT;
	json_t *j;

	compare_headline(res, &headline);
	for (const char *p = compare_verdict_word(res); *p; p++)
		strbuf_addch(&word, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
	/* the verdict and why first, the detail after (insertion order) */
	j = json_pack("{s:s,s:s?,s:s,s:i,s:s,s:o,s:o,s:o,s:o,s:o}", "schema", COMPARE_SCHEMA,
		      "scenario", res->scenario, "verdict", word.buf, "exit", compare_exit_code(res),
		      "headline", headline.buf, "runs", jruns(res),
		      "allowed_differences", jlines(&res->allowed),
		      "inconclusive_reasons", jlines(&res->gaps), "problems", jlines(&res->problems),
		      "notes", jlines(&res->notes));
	json_object_set_new(j, "threshold_pct", json_real(res->threshold_pct));
	json_object_set_new(j, "alpha", json_real(COMPARE_ALPHA));
	json_object_set_new(j, "allow_inconclusive", json_boolean(res->allow_inconclusive));
	json_object_set_new(j, "incomparable", json_boolean(res->incomparable));
	json_object_set_new(j, "summary", json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
		"metrics", (json_int_t)res->n, "gated", (json_int_t)(res->n - res->informational - res->fresh),
		"informational", (json_int_t)res->informational, "new", (json_int_t)res->fresh,
		"regressions", (json_int_t)res->regressions, "improvements", (json_int_t)res->improvements,
		"inconclusive", (json_int_t)res->inconclusive,
		"failure_regressions", (json_int_t)res->failure_regressions));
	json_object_set_new(j, "rows", jrows(res));
	strbuf_release(&headline);
	strbuf_release(&word);
	return j;
}
