/* compare.c — see compare.h. */
#include "reports/compare.h"
#include "reports/like.h"
#include "results/gate.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exact permutation tests up to this many arrangements, Monte Carlo past it. */
#define PERM_MAX_EXACT 200000u
#define PERM_ROUNDS 20000u

static const char *const side_name[2] = { "baseline", "candidate" };

static struct compare_row *add_row(struct compare_result *res)
{
	struct compare_row *r;

	ALLOC_GROW(res->rows, res->n + 1, res->alloc);
	r = &res->rows[res->n++];
	memset(r, 0, sizeof(*r));
	r->delta_pct = r->p = r->p_welch = r->limit_pct = NAN;
	return r;
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

/* Append "; text" (or text) to a row's note. */
static void note_add(struct compare_row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_add(struct compare_row *row, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (row->note)
		strbuf_addf(&sb, "%s; ", row->note);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(row->note);
	row->note = strbuf_detach(&sb);
}

static void set_p(struct compare_row *row, const struct agg_entry *b, const struct agg_entry *c,
		  int small)
{
	struct welch w;
	int exact = 0;

	if (stats_welch(&c->s, &b->s, &w) == 0)
		row->p_welch = w.p;
	row->p = row->p_welch;
	if (small) {
		/* the smaller side first: fewer elements to draw per arrangement */
		int swap = c->s.n < b->s.n;
		const struct agg_entry *x = swap ? c : b, *y = swap ? b : c;

		row->p = stats_permutation_p(x->vals, x->s.n, y->vals, y->s.n, PERM_MAX_EXACT,
					     PERM_ROUNDS, fnv1a(b->cell, b->name), &exact);
		row->p_permutation = 1;
	}
}

/* The statistics of one metric: change, limit, p and what they say. */
static void judge(struct compare_row *row, const struct agg_entry *b, const struct agg_entry *c,
		  double threshold)
{
	int worse, big, small = b->s.n < COMPARE_SMALL_N || c->s.n < COMPARE_SMALL_N;

	row->delta_pct = b->s.mean != 0 ? (c->s.mean - b->s.mean) / fabs(b->s.mean) * 100.0
			 : c->s.mean == 0 ? 0 : NAN;
	row->limit_pct = fmax(threshold, 2 * stats_cv_pct(&b->s));
	if (b->s.n < 2 || c->s.n < 2) {
		row->verdict = VERDICT_INCONCLUSIVE;
		note_add(row, "too few repeats (%zu baseline, %zu candidate; need >= 2 each)", b->s.n,
			 c->s.n);
		return;
	}
	set_p(row, b, c, small);
	if (row->better == BETTER_UNKNOWN) {
		row->verdict = VERDICT_INFO;
		note_add(row, "no better direction: not judged");
		return;
	}
	if (isnan(row->delta_pct)) {
		row->verdict = VERDICT_INCONCLUSIVE;
		note_add(row, "baseline mean is 0: no relative change");
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
		note_add(row, "too few repeats (%zu+%zu): no outcome can reach p < %.2f", b->s.n, c->s.n,
			 COMPARE_ALPHA);
		return;
	}
	if (!(row->p < COMPARE_ALPHA)) {
		/* a change past the limit that the repeats cannot tell from noise:
		 * in the worse direction a gate must not pass on it */
		row->verdict = worse ? VERDICT_INCONCLUSIVE : VERDICT_OK;
		note_add(row, "%s of %+.1f%% beyond the %.1f%% limit is not significant (p = %.3g)%s",
			 worse ? "a change" : "an improvement", row->delta_pct, row->limit_pct, row->p,
			 worse ? ": more repeats needed to tell" : "");
		return;
	}
	row->verdict = worse ? VERDICT_REGRESSION : VERDICT_IMPROVEMENT;
}

/* Every recorded run (failed ones too: their scenario is written first). */
static void check_scenarios(const struct result_set *const sets[2], struct compare_result *res)
{
	const struct rs_run *ref = &sets[0]->runs[0];

	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sets[s]->n; i++) {
			const struct rs_run *r = &sets[s]->runs[i];

			if (!strcmp(r->scenario, ref->scenario))
				continue;
			strbuf_addf(&res->problems, "different scenario: %s %s is '%s', baseline %s is '%s'\n",
				    side_name[s], r->dir, r->scenario, ref->dir, ref->scenario);
			res->incomparable = 1;
			return;
		}
}

static int cmp_cells(const struct tally_cell *a, const struct tally_cell *b)
{
	int c = strcmp(a->scenario, b->scenario);

	return c ? c : strcmp(a->cell, b->cell);
}

/* The union of both sides' cells, in order. */
static void merge_cells(struct compare_result *res)
{
	const struct tally *b = &res->base_tally, *c = &res->cand_tally;
	size_t i = 0, j = 0;

	res->cells = xcalloc(b->ncells + c->ncells + 1, sizeof(*res->cells));
	while (i < b->ncells || j < c->ncells) {
		struct compare_cell *out = &res->cells[res->ncells++];
		int k = i >= b->ncells ? 1 : j >= c->ncells ? -1 : cmp_cells(&b->cells[i], &c->cells[j]);
		const struct tally_cell *from = k <= 0 ? &b->cells[i] : &c->cells[j];

		out->scenario = from->scenario;
		out->cell = from->cell;
		if (k <= 0) {
			out->base = b->cells[i++].n;
			out->in_base = 1;
		}
		if (k >= 0) {
			out->cand = c->cells[j++].n;
			out->in_cand = 1;
		}
	}
}

static void cell_gap(struct compare_result *res, int side, const struct compare_cell *c,
		     const struct tally_counts *n)
{
	if (n->complete >= n->requested)
		return;
	strbuf_addf(&res->gaps, "%s [%s]: ", side_name[side], cell_label(c->cell));
	tally_describe(n, &res->gaps);
	strbuf_adds(&res->gaps, ": fewer complete runs than requested\n");
}

/* Failures are results: a higher failure rate in the candidate regresses. */
static void judge_cells(struct compare_result *res)
{
	for (size_t i = 0; i < res->ncells; i++) {
		struct compare_cell *c = &res->cells[i];

		if (!c->in_cand) {
			strbuf_addf(&res->problems, "matrix cell '%s' has no run in the candidate\n",
				    cell_label(c->cell));
			res->incomparable = 1;
			continue;
		}
		if (!c->in_base) {
			strbuf_addf(&res->notes, "matrix cell '%s' is only in the candidate: not compared\n",
				    cell_label(c->cell));
			continue;
		}
		/* cand failed / cand recorded > base failed / base recorded, in integers */
		c->failure_regression = (c->cand.failed + c->cand.incomplete) * tally_recorded(&c->base) >
					(c->base.failed + c->base.incomplete) * tally_recorded(&c->cand);
		res->failure_regressions += c->failure_regression;
		cell_gap(res, 0, c, &c->base);
		if (!c->failure_regression)	/* else the regression says it */
			cell_gap(res, 1, c, &c->cand);
	}
}

/* Invocations cut short: runs planned and never recorded. */
static void short_groups(struct compare_result *res, int side, const struct tally *t)
{
	size_t unknown = 0;

	for (size_t g = 0; g < t->ngroups; g++) {
		const struct tally_group *gr = &t->groups[g];

		if (!gr->requested)
			unknown += gr->recorded;
		else if (gr->recorded < gr->requested)
			strbuf_addf(&res->gaps, "%s %s: holds %zu of the %zu runs its `ocbench run` "
				    "planned; the others were never recorded\n", side_name[side],
				    gr->dir, gr->recorded, gr->requested);
	}
	if (unknown)
		strbuf_addf(&res->notes, "%s: %zu run(s) do not say how many runs were requested "
			    "(run.json of an older ocbench): runs never recorded cannot be counted "
			    "(--expect-runs N sets the number)\n", side_name[side], unknown);
}

static const struct compare_cell *find_cell(const struct compare_result *res, const char *scenario,
					    const char *cell)
{
	for (size_t i = 0; i < res->ncells; i++)
		if (!strcmp(res->cells[i].scenario, scenario) && !strcmp(res->cells[i].cell, cell))
			return &res->cells[i];
	return NULL;
}

/* Informational metrics are shown with what the statistics say and are
 * never a regression, an improvement or a gap. */
static void make_informational(struct compare_row *row)
{
	const char *why = results_metric_info_reason(row->name);
	char *old = row->note;
	enum verdict was = row->verdict;

	row->note = NULL;
	note_add(row, "informational, never gated: %s", why ? why : "run.json says \"gate\": false");
	if (was == VERDICT_REGRESSION || was == VERDICT_IMPROVEMENT)
		note_add(row, "as a gated metric: %s", verdict_name(was));
	if (old)
		note_add(row, "%s", old);
	free(old);
	row->verdict = VERDICT_INFO;
}

/* n per metric: a metric absent from some complete runs of its cell. */
static void flag_missing(struct compare_row *row)
{
	size_t kb = row->base_runs - row->base.n, kc = row->cand_runs - row->cand.n;

	if (!kb && !kc)
		return;
	if (kb)
		note_add(row, "missing in %zu of %zu baseline runs", kb, row->base_runs);
	if (kc)
		note_add(row, "missing in %zu of %zu candidate runs", kc, row->cand_runs);
	if (row->gate && row->verdict != VERDICT_REGRESSION)
		row->verdict = VERDICT_INCONCLUSIVE;
}

static void metric_row(struct compare_result *res, const struct agg_entry *b, double threshold)
{
	const struct agg_entry *c = agg_find(&res->cand_agg, b->scenario, b->cell, b->name);
	const struct compare_cell *cell = find_cell(res, b->scenario, b->cell);
	struct compare_row *row;

	if (!cell || !cell->cand.complete)
		return;	/* no candidate run to compare: the runs table says why */
	row = add_row(res);
	row->cell = b->cell;
	row->name = b->name;
	row->unit = b->unit;
	row->better = b->better;
	row->gate = b->gate || (c && c->gate);
	row->base = b->s;
	row->base_runs = b->runs;
	row->cand_runs = cell->cand.complete;
	if (c) {
		row->cand = c->s;
		judge(row, b, c, threshold);
	} else {
		row->verdict = VERDICT_INCONCLUSIVE;
	}
	if (!row->gate)
		make_informational(row);
	flag_missing(row);
}

static void candidate_only_rows(struct compare_result *res)
{
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
		row->gate = c->gate;
		row->cand = c->s;
		row->cand_runs = c->runs;
		row->verdict = VERDICT_NEW;
		note_add(row, "only in the candidate");
	}
}

static void count_rows(struct compare_result *res)
{
	for (size_t i = 0; i < res->n; i++) {
		const struct compare_row *r = &res->rows[i];

		res->regressions += r->verdict == VERDICT_REGRESSION;
		res->improvements += r->verdict == VERDICT_IMPROVEMENT;
		res->informational += r->verdict == VERDICT_INFO;
		res->fresh += r->verdict == VERDICT_NEW;
		if (r->verdict != VERDICT_INCONCLUSIVE)
			continue;
		res->inconclusive++;
		strbuf_addf(&res->gaps, "metric %s [%s]: %s\n", r->name, cell_label(r->cell),
			    r->note ? r->note : "inconclusive");
	}
}

static int first_complete(const struct result_set *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		if (run_is_complete(&rs->runs[i]))
			return 1;
	return 0;
}

int compare_sets(const struct result_set *base, const struct result_set *cand,
		 const struct compare_opts *opts, struct compare_result *res)
{
	const struct result_set *const sets[2] = { base, cand };
	const struct like_opts lo = { opts->allow_host_change, opts->allow_fields };

	memset(res, 0, sizeof(*res));
	res->threshold_pct = opts->threshold_pct;
	res->allow_inconclusive = opts->allow_inconclusive;
	agg_build(base, &res->base_agg);
	agg_build(cand, &res->cand_agg);
	tally_build(base, opts->expect_runs, &res->base_tally);
	tally_build(cand, opts->expect_runs, &res->cand_tally);
	if (!base->n || !cand->n) {
		strbuf_addf(&res->problems, "%s has no run\n", !base->n ? "baseline" : "candidate");
		res->incomparable = 1;
		return 0;
	}
	res->scenario = base->runs[0].scenario;
	check_scenarios(sets, res);
	if (res->incomparable)
		return 0;
	merge_cells(res);
	if (!first_complete(base)) {
		strbuf_adds(&res->problems, "baseline has no complete run: nothing to compare against\n");
		res->incomparable = 1;
	}
	if (like_compare(base, cand, &lo, &res->problems, &res->allowed))
		res->incomparable = 1;
	judge_cells(res);
	short_groups(res, 0, &res->base_tally);
	short_groups(res, 1, &res->cand_tally);
	for (size_t i = 0; i < res->base_agg.n; i++)
		metric_row(res, &res->base_agg.e[i], opts->threshold_pct);
	candidate_only_rows(res);
	count_rows(res);
	return 0;
}
