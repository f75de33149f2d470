/* compare.c — see compare.h. */
#include "reports/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exact permutation tests up to this many arrangements, Monte Carlo past it. */
#define PERM_MAX_EXACT 200000u
#define PERM_ROUNDS 20000u

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_OK: return "ok";
	case VERDICT_REGRESSION: return "REGRESSION";
	case VERDICT_IMPROVEMENT: return "improvement";
	case VERDICT_INCONCLUSIVE: return "inconclusive";
	case VERDICT_INFO: return "info";
	case VERDICT_NEW: return "new";
	}
	return "?";
}

static struct compare_row *add_row(struct compare_result *res)
{
	struct compare_row *r;

	if (res->n >= res->alloc) {
		res->alloc = res->alloc ? 2 * res->alloc : 32;
		res->rows = realloc(res->rows, res->alloc * sizeof(*res->rows));
		if (!res->rows)
			abort();
	}
	r = &res->rows[res->n++];
	memset(r, 0, sizeof(*r));
	r->delta_pct = r->p = r->p_welch = r->limit_pct = NAN;
	return r;
}

static int field_allowed(const struct compare_opts *o, const char *field)
{
	const char *p = o->allow_fields;
	size_t len = strlen(field);

	if (o->allow_host_change)
		return 1;
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n == len && !strncmp(p, field, n))
			return 1;
		p += n + (comma ? 1 : 0);
	}
	return 0;
}

static const struct rs_run *first_complete(const struct result_set *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		if (run_is_complete(&rs->runs[i]))
			return &rs->runs[i];
	return NULL;
}

static void check_scenarios(const struct result_set *base, const struct result_set *cand,
			    const struct rs_run *ref, struct compare_result *res)
{
	const struct result_set *sets[2] = { base, cand };
	const char *side[2] = { "baseline", "candidate" };

	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sets[s]->n; i++) {
			const struct rs_run *r = &sets[s]->runs[i];

			if (!run_is_complete(r) || !strcmp(r->scenario, ref->scenario))
				continue;
			strbuf_addf(&res->problems,
				    "different scenario: %s %s is '%s', baseline %s is '%s'\n",
				    side[s], r->dir, r->scenario, ref->dir, ref->scenario);
			res->incomparable = 1;
			return;
		}
}

static void check_hosts(const struct result_set *base, const struct result_set *cand,
			const struct rs_run *ref, const struct compare_opts *o,
			struct compare_result *res)
{
	const struct result_set *sets[2] = { base, cand };
	const char *side[2] = { "baseline", "candidate" };

	for (int f = 0; f < HOST_NFIELDS; f++) {
		const char *field = host_field_names[f];
		char *want = run_host_field(ref, field);
		int reported = 0;

		for (int s = 0; s < 2 && !reported; s++)
			for (size_t i = 0; i < sets[s]->n && !reported; i++) {
				const struct rs_run *r = &sets[s]->runs[i];
				char *got;

				if (!run_is_complete(r))
					continue;
				got = run_host_field(r, field);
				if (strcmp(got, want)) {
					int ok = field_allowed(o, field);

					strbuf_addf(ok ? &res->notes : &res->problems,
						    "host %s differs: %s %s has '%s', baseline %s has '%s'%s\n",
						    field, side[s], r->dir, got, ref->dir, want,
						    ok ? " (allowed)" :
						    " (use --allow-host-change to compare anyway)");
					if (!ok)
						res->incomparable = 1;
					reported = 1;
				}
				free(got);
			}
		free(want);
	}
}

static int cell_present(const struct agg *a, const char *scenario, const char *cell)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->e[i].scenario, scenario) && !strcmp(a->e[i].cell, cell))
			return 1;
	return 0;
}

static uint64_t fnv1a(const char *a, const char *b)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 0x100000001b3ull;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 0x100000001b3ull;
	return h;
}

static char *xstrdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xstrdupf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb);
}

static void judge(struct compare_row *row, const struct agg_entry *b, const struct agg_entry *c,
		  double threshold)
{
	struct welch w;
	int worse, big, small, exact = 0;

	row->delta_pct = b->s.mean != 0 ? (c->s.mean - b->s.mean) / fabs(b->s.mean) * 100.0
			 : c->s.mean == 0 ? 0 : NAN;
	row->limit_pct = fmax(threshold, 2 * stats_cv_pct(&b->s));
	if (b->s.n < 2 || c->s.n < 2) {
		row->verdict = VERDICT_INCONCLUSIVE;
		row->note = xstrdupf("too few repeats (%zu baseline, %zu candidate; need >= 2 each)",
				     b->s.n, c->s.n);
		return;
	}
	if (stats_welch(&c->s, &b->s, &w) == 0)
		row->p_welch = w.p;
	row->p = row->p_welch;
	small = b->s.n < COMPARE_SMALL_N || c->s.n < COMPARE_SMALL_N;
	if (small) {
		/* the smaller side first: fewer elements to draw per arrangement */
		int swap = c->s.n < b->s.n;
		const struct agg_entry *x = swap ? c : b, *y = swap ? b : c;

		row->p = stats_permutation_p(x->vals, x->s.n, y->vals, y->s.n, PERM_MAX_EXACT,
					     PERM_ROUNDS, fnv1a(b->cell, b->name), &exact);
		row->p_permutation = 1;
	}
	if (row->better == BETTER_UNKNOWN) {
		row->verdict = VERDICT_INFO;
		return;
	}
	if (isnan(row->delta_pct)) {
		row->verdict = VERDICT_INCONCLUSIVE;
		row->note = xstrdupf("baseline mean is 0: no relative change");
		return;
	}
	worse = row->better == BETTER_LOWER ? row->delta_pct > 0 : row->delta_pct < 0;
	big = fabs(row->delta_pct) > row->limit_pct;
	if (!big) {
		row->verdict = VERDICT_OK;
		return;
	}
	if (small && stats_permutation_min_p(b->s.n, c->s.n) >= COMPARE_ALPHA) {
		row->verdict = VERDICT_INCONCLUSIVE;
		row->note = xstrdupf("too few repeats (%zu+%zu): no outcome can reach p < %.2f",
				     b->s.n, c->s.n, COMPARE_ALPHA);
		return;
	}
	if (!(row->p < COMPARE_ALPHA)) {
		row->verdict = VERDICT_OK;
		row->note = xstrdupf("change not significant (p = %.3g)", row->p);
		return;
	}
	row->verdict = worse ? VERDICT_REGRESSION : VERDICT_IMPROVEMENT;
}

int compare_sets(const struct result_set *base, const struct result_set *cand,
		 const struct compare_opts *opts, struct compare_result *res)
{
	const struct rs_run *ref = first_complete(base);
	int missing_cells_reported = 0;

	memset(res, 0, sizeof(*res));
	res->threshold_pct = opts->threshold_pct;
	agg_build(base, &res->base_agg);
	agg_build(cand, &res->cand_agg);
	if (res->base_agg.runs_skipped)
		strbuf_addf(&res->notes, "baseline: %zu run(s) not complete, left out\n",
			    res->base_agg.runs_skipped);
	if (res->cand_agg.runs_skipped)
		strbuf_addf(&res->notes, "candidate: %zu run(s) not complete, left out\n",
			    res->cand_agg.runs_skipped);
	if (!ref || !first_complete(cand)) {
		strbuf_addf(&res->problems, "%s has no complete run\n",
			    !ref ? "baseline" : "candidate");
		res->incomparable = 1;
		return 0;
	}
	res->scenario = ref->scenario;
	check_scenarios(base, cand, ref, res);
	if (res->incomparable)
		return 0;
	check_hosts(base, cand, ref, opts, res);

	for (size_t i = 0; i < res->base_agg.n; i++) {
		const struct agg_entry *b = &res->base_agg.e[i];
		const struct agg_entry *c = agg_find(&res->cand_agg, b->scenario, b->cell, b->name);
		struct compare_row *row;

		if (!c) {
			res->incomparable = 1;
			if (!cell_present(&res->cand_agg, b->scenario, b->cell)) {
				/* one line per missing cell, not per metric */
				if (i == 0 || strcmp(res->base_agg.e[i - 1].cell, b->cell) ||
				    !missing_cells_reported)
					strbuf_addf(&res->problems,
						    "matrix cell '%s' has no complete run in the candidate\n",
						    cell_label(b->cell));
				missing_cells_reported = 1;
			} else {
				strbuf_addf(&res->problems,
					    "metric '%s' (cell '%s') is missing from the candidate\n",
					    b->name, cell_label(b->cell));
			}
			continue;
		}
		row = add_row(res);
		row->cell = b->cell;
		row->name = b->name;
		row->unit = b->unit;
		row->better = b->better;
		row->base = b->s;
		row->cand = c->s;
		judge(row, b, c, opts->threshold_pct);
	}
	for (size_t i = 0; i < res->cand_agg.n; i++) {
		const struct agg_entry *c = &res->cand_agg.e[i];
		struct compare_row *row;

		if (agg_find(&res->base_agg, c->scenario, c->cell, c->name))
			continue;
		row = add_row(res);
		row->cell = c->cell;
		row->name = c->name;
		row->unit = c->unit;
		row->better = c->better;
		row->cand = c->s;
		row->verdict = VERDICT_NEW;
		row->note = xstrdupf("only in the candidate");
	}
	for (size_t i = 0; i < res->n; i++) {
		res->regressions += res->rows[i].verdict == VERDICT_REGRESSION;
		res->improvements += res->rows[i].verdict == VERDICT_IMPROVEMENT;
		res->inconclusive += res->rows[i].verdict == VERDICT_INCONCLUSIVE;
	}
	return 0;
}

int compare_exit_code(const struct compare_result *res)
{
	if (res->incomparable)
		return 2;
	return res->regressions ? 1 : 0;
}

void compare_release(struct compare_result *res)
{
	for (size_t i = 0; i < res->n; i++)
		free(res->rows[i].note);
	free(res->rows);
	agg_release(&res->base_agg);
	agg_release(&res->cand_agg);
	strbuf_release(&res->problems);
	strbuf_release(&res->notes);
	memset(res, 0, sizeof(*res));
}

/* ---- emitters ---- */

static void fmt_summary(struct strbuf *sb, const struct stats_summary *s, const char *unit)
{
	if (!s->n) {
		strbuf_adds(sb, "-");
		return;
	}
	strbuf_addf(sb, "%.4g ± %.2g%s%s (n=%zu)", s->mean, s->sd, *unit ? " " : "", unit, s->n);
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
	fmt_summary(&cells[COL_BASE], &r->base, r->unit);
	fmt_summary(&cells[COL_CAND], &r->cand, r->unit);
	fmt_delta(&cells[COL_DELTA], r->delta_pct);
	fmt_p(&cells[COL_P], r);
	strbuf_adds(&cells[COL_VERDICT], verdict_name(r->verdict));
	if (r->verdict == VERDICT_REGRESSION || r->verdict == VERDICT_IMPROVEMENT)
		strbuf_addf(&cells[COL_VERDICT], " (limit %.1f%%)", r->limit_pct);
	if (r->note)
		strbuf_addf(&cells[COL_VERDICT], ": %s", r->note);
}

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

static void summary_line(const struct compare_result *res, struct strbuf *out)
{
	if (res->incomparable) {
		strbuf_adds(out, "verdict: incomparable inputs (exit 2)\n");
		return;
	}
	strbuf_addf(out, "verdict: %zu metric(s), %zu regression(s), %zu improvement(s), "
		    "%zu inconclusive; threshold %.1f%% (exit %d)\n",
		    res->n, res->regressions, res->improvements, res->inconclusive,
		    res->threshold_pct, compare_exit_code(res));
}

void compare_format_text(const struct compare_result *res, struct strbuf *out)
{
	struct strbuf cells[NCOL] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
				      STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	size_t w[NCOL];

	if (res->scenario)
		strbuf_addf(out, "scenario: %s\n", res->scenario);
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
			strbuf_addf(out, "\n[%s]\n  ", cell_label(row->cell));
			for (int i = 0; i < NCOL; i++) {
				pad(out, col_names[i], i == NCOL - 1 ? 0 : w[i]);
				strbuf_adds(out, i == NCOL - 1 ? "\n" : "  ");
			}
		}
		row_cells(row, cells);
		strbuf_adds(out, "  ");
		for (int i = 0; i < NCOL; i++) {
			pad(out, cells[i].buf, i == NCOL - 1 ? 0 : w[i]);
			strbuf_adds(out, i == NCOL - 1 ? "\n" : "  ");
		}
	}
	if (res->n)
		strbuf_addch(out, '\n');
	if (res->problems.len)
		strbuf_addf(out, "incomparable:\n%s", res->problems.buf);
	if (res->notes.len)
		strbuf_addf(out, "notes:\n%s", res->notes.buf);
	summary_line(res, out);
	for (int i = 0; i < NCOL; i++)
		strbuf_release(&cells[i]);
}

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

void compare_format_md(const struct compare_result *res, struct strbuf *out)
{
	struct strbuf cells[NCOL] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
				      STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };

	strbuf_adds(out, "## ocbench compare");
	if (res->scenario) {
		strbuf_adds(out, ": ");
		md_escape(out, res->scenario);
	}
	strbuf_adds(out, "\n\n");
	if (res->n) {
		strbuf_adds(out, "| cell | metric | baseline | candidate | Δ | p | verdict |\n"
				 "|---|---|---|---|---:|---:|---|\n");
		for (size_t r = 0; r < res->n; r++) {
			row_cells(&res->rows[r], cells);
			strbuf_adds(out, "| ");
			md_escape(out, cell_label(res->rows[r].cell));
			for (int i = 0; i < NCOL; i++) {
				strbuf_adds(out, " | ");
				if (i == COL_VERDICT && res->rows[r].verdict == VERDICT_REGRESSION)
					strbuf_adds(out, "**");
				md_escape(out, cells[i].buf);
				if (i == COL_VERDICT && res->rows[r].verdict == VERDICT_REGRESSION)
					strbuf_adds(out, "**");
			}
			strbuf_adds(out, " |\n");
		}
		strbuf_addch(out, '\n');
	}
	md_list(out, "**Incomparable inputs:**", &res->problems);
	md_list(out, "Notes:", &res->notes);
	summary_line(res, out);
	for (int i = 0; i < NCOL; i++)
		strbuf_release(&cells[i]);
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jsummary(const struct stats_summary *s)
{
	if (!s->n)
		return json_null();
	return json_pack("{s:o,s:o,s:I}", "mean", jnum(s->mean), "sd", jnum(s->sd),
			 "n", (json_int_t)s->n);
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

json_t *compare_to_json(const struct compare_result *res)
{
	json_t *rows = json_array();

	for (size_t i = 0; i < res->n; i++) {
		const struct compare_row *r = &res->rows[i];

		json_array_append_new(rows, json_pack(
			"{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:s?}",
			"cell", r->cell, "metric", r->name, "unit", r->unit,
			"better", better_name(r->better),
			"baseline", jsummary(&r->base), "candidate", jsummary(&r->cand),
			"delta_pct", jnum(r->delta_pct), "limit_pct", jnum(r->limit_pct),
			"p", jnum(r->p), "p_welch", jnum(r->p_welch),
			"test", isnan(r->p) ? "none" : r->p_permutation ? "permutation" : "welch",
			"verdict", verdict_name(r->verdict), "note", r->note));
	}
	return json_pack("{s:s,s:s?,s:f,s:f,s:i,s:b,s:o,s:o,s:{s:I,s:I,s:I,s:I},s:o}",
			 "schema", "ocbench.compare/1", "scenario", res->scenario,
			 "threshold_pct", res->threshold_pct, "alpha", COMPARE_ALPHA,
			 "exit", compare_exit_code(res), "incomparable", res->incomparable,
			 "problems", jlines(&res->problems), "notes", jlines(&res->notes),
			 "summary", "metrics", (json_int_t)res->n,
			 "regressions", (json_int_t)res->regressions,
			 "improvements", (json_int_t)res->improvements,
			 "inconclusive", (json_int_t)res->inconclusive,
			 "rows", rows);
}
