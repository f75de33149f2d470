/* report-tables.c — see report-tables.h. */
#include "reports/report-tables.h"
#include "reports/aggregate.h"
#include "reports/fmt.h"
#include "results/gate.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(const struct agg_entry *const *)a)->name,
		      (*(const struct agg_entry *const *)b)->name);
}

/* One entry per metric name with the given gate, sorted by name. */
static size_t names(const struct agg *a, int gated, const struct agg_entry ***out)
{
	const struct agg_entry **v = xcalloc(a->n ? a->n : 1, sizeof(*v));
	size_t n = 0, k = 0;

	for (size_t i = 0; i < a->n; i++)
		if (!!a->e[i].gate == gated)
			v[n++] = &a->e[i];
	qsort(v, n, sizeof(*v), cmp_name);
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(v[k - 1]->name, v[i]->name))
			v[k++] = v[i];
	*out = v;
	return k;
}

static void header(struct doc_table *t, const struct cells *cs, const char *extra, size_t from,
		   size_t to)
{
	dt_cell(t, 0, "metric");
	dt_cell(t, 0, "unit");
	dt_cell(t, 0, extra);
	for (size_t i = from; i < to; i++) {
		struct strbuf h = STRBUF_INIT;

		cells_heading(cs, i, &h);
		dt_cell(t, DT_NUM, h.buf);
		strbuf_release(&h);
	}
	dt_row(t);
}

/* Why the complete runs of a cell have no value of name (run.json's
 * reason of the first that gave one), or NULL. */
static const char *reason(const struct result_set *rs, const struct cell_col *cc, const char *name)
{
	for (size_t r = 0; r < rs->n; r++) {
		const struct rs_run *run = &rs->runs[r];
		const char *why;

		if (run_is_complete(run) && !strcmp(run->scenario, cc->scenario) &&
		    !strcmp(run->cell, cc->cell) && (why = run_unmeasured(run, name)) && *why)
			return why;
	}
	return NULL;
}

static void values(struct doc_table *t, const struct agg *a, const struct report_ctx *c,
		   const char *name, size_t from, size_t to)
{
	const struct cells *cs = c->cs;
	struct strbuf sb = STRBUF_INIT;

	for (size_t k = from; k < to; k++) {
		const struct agg_entry *e = agg_find(a, cs->c[k].scenario, cs->c[k].cell, name);
		const char *why;

		strbuf_reset(&sb);
		if (!e) {
			why = cs->c[k].complete ? reason(c->rs, &cs->c[k], name) : NULL;
			if (why)
				strbuf_addf(&sb, "missing: %s", why);
			dt_cell(t, DT_NUM | DT_MISSING, why ? sb.buf : cs->c[k].complete ? "missing"
											  : "no complete run");
			continue;
		}
		fmt_mean_sd(&sb, e->s.mean, e->s.sd, e->s.n, 1);
		strbuf_addf(&sb, " (n=%zu", e->s.n);
		if (e->runs > e->s.n)
			strbuf_addf(&sb, " of %zu", e->runs);
		strbuf_adds(&sb, ")");
		dt_cell(t, DT_NUM | (e->runs > e->s.n ? DT_MISSING : 0), sb.buf);
	}
	strbuf_release(&sb);
}

/* The cells from..to of every metric of names[]. */
static void metric_rows(struct report_ctx *c, const struct agg *a, const struct agg_entry **v,
			size_t n, int gated, size_t from, size_t to)
{
	struct doc_table t = DOC_TABLE_INIT;

	if (from || to < c->cs->n) {
		struct strbuf sb = STRBUF_INIT;
		char x[4], y[4];

		cells_letter(from, x);
		cells_letter(to - 1, y);
		strbuf_addf(&sb, "Cells %s to %s of %zu:", x, y, c->cs->n);
		doc_para(c->d, "note", sb.buf);
		strbuf_release(&sb);
	}
	header(&t, c->cs, gated ? "better" : "why it is not gated", from, to);
	for (size_t i = 0; i < n; i++) {
		const char *why = results_metric_info_reason(v[i]->name);

		dt_cell(&t, DT_KEY, v[i]->name);
		dt_cell(&t, 0, v[i]->unit);
		dt_cell(&t, 0, gated ? better_name(v[i]->better) : why ? why : "run.json says \"gate\": false");
		values(&t, a, c, v[i]->name, from, to);
		dt_row(&t);
	}
	dt_emit(c->d, &t, gated ? "metrics" : "overhead");
}

static void metric_table(struct report_ctx *c, int gated)
{
	struct agg a;
	const struct agg_entry **v;
	size_t n;

	agg_build(c->rs, &a);
	n = names(&a, gated, &v);
	if (!n)
		doc_para(c->d, NULL, gated ? "No gated metric: no complete run recorded one."
					   : "No informational metric: no complete run recorded one.");
	for (size_t k = 0; n && k < c->cs->n; k += REPORT_CELLS_PER_TABLE)
		metric_rows(c, &a, v, n, gated, k,
			    k + REPORT_CELLS_PER_TABLE < c->cs->n ? k + REPORT_CELLS_PER_TABLE : c->cs->n);
	free(v);
	agg_release(&a);
}

void report_metrics(struct report_ctx *c)
{
	doc_section(c->d, "metrics", "Metrics");
	doc_para(c->d, "note", "Every gated metric of the runs, mean ± sd over the complete runs of "
			       "each cell; n against them when a metric is missing from some.");
	metric_table(c, 1);
}

void report_overhead(struct report_ctx *c)
{
	doc_section(c->d, "overhead", "Harness overhead");
	doc_para(c->d, "note", "ocbench's own cost and the scenario's settings: shown, never gated by "
			       "ocbench compare.");
	metric_table(c, 0);
}

static const char *short_dir(const struct result_set *rs, const char *dir)
{
	size_t n = rs->path ? strlen(rs->path) : 0;

	if (n && !strncmp(dir, rs->path, n) && dir[n] == '/')
		return dir + n + 1;
	return dir;
}

void report_runs(struct report_ctx *c)
{
	static const char *const head[] = { "run", "cell", "repeat", "status", "reason",
					    "duration (s)" };
	struct doc_table t = DOC_TABLE_INIT;
	struct strbuf sb = STRBUF_INIT;

	doc_section(c->d, "runs", "Runs");
	for (size_t i = 0; i < c->ninputs; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "Results read from ", c->inputs[i]);
	if (sb.len) {
		strbuf_adds(&sb, ".");
		doc_para(c->d, "note", sb.buf);
	}
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		dt_cell(&t, i == 2 || i == 5 ? DT_NUM : 0, head[i]);
	dt_row(&t);
	for (size_t i = 0; i < c->rs->n; i++) {
		const struct rs_run *r = &c->rs->runs[i];
		json_t *dur = json_object_get(r->json, "duration_s");

		dt_cell(&t, DT_KEY, short_dir(c->rs, r->dir));
		dt_cell(&t, 0, c->cs->c[cells_of(c->cs, r)].label);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%d", r->repeat);
		dt_cell(&t, DT_NUM, sb.buf);
		dt_cell(&t, 0, r->status);
		dt_cell(&t, 0, r->reason);
		strbuf_reset(&sb);
		if (json_is_number(dur))
			strbuf_addf(&sb, "%.1f", json_number_value(dur));
		dt_cell(&t, DT_NUM, sb.buf);
		dt_row(&t);
	}
	dt_emit(c->d, &t, "runs");
	strbuf_release(&sb);
}
