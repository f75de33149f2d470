/* report-figures.c — see report-figures.h. */
#include "reports/report-figures.h"
#include "reports/fmt.h"
#include "reports/latency.h"
#include "reports/plot-latency.h"
#include "reports/plot-timeline.h"

#include <math.h>
#include <string.h>

static int any_workload(const struct result_set *rs)
{
	for (size_t r = 0; r < rs->n; r++)
		for (size_t g = 0; g < rs->runs[r].nguests; g++)
			if (rs->runs[r].guests[g].wanted || rs->runs[r].guests[g].w.program)
				return 1;
	return 0;
}

/* One unit for a histogram's row, from its largest p50, so cells compare. */
static const char *unit_of(const struct lat_row *row, size_t ncells, double *div)
{
	double top = 0;

	for (size_t c = 0; c < ncells; c++)
		if (row->cell[c].pct[0].n)
			top = fmax(top, row->cell[c].pct[0].mean);
	*div = top >= 1e9 ? 1e9 : top >= 1e6 ? 1e6 : top >= 1e3 ? 1e3 : 1;
	return top >= 1e9 ? "s" : top >= 1e6 ? "ms" : top >= 1e3 ? "µs" : "ns";
}

static void lat_row(struct doc_table *t, const struct lat_row *row, const struct cell_col *cc,
		    const struct lat_cell *lc, double div, const char *unit)
{
	struct strbuf sb = STRBUF_INIT;

	latency_label(row, &sb);
	strbuf_addf(&sb, " (%s)", unit);
	dt_cell(t, DT_KEY, sb.buf);
	dt_cell(t, 0, cc->label);
	for (int k = 0; k < RESULT_NPCT; k++) {
		strbuf_reset(&sb);
		if (!lc->pct[k].n) {
			dt_cell(t, DT_NUM | DT_MISSING, "missing");
			continue;
		}
		fmt_mean_sd(&sb, lc->pct[k].mean, lc->pct[k].sd, lc->pct[k].n, div);
		dt_cell(t, DT_NUM, sb.buf);
	}
	strbuf_reset(&sb);
	fmt_num(&sb, lc->samples, 3);
	dt_cell(t, DT_NUM, sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%zu", lc->n);
	if (lc->want > lc->n)
		strbuf_addf(&sb, " of %zu", lc->want);
	dt_cell(t, DT_NUM | (lc->want > lc->n ? DT_MISSING : 0), sb.buf);
	dt_row(t);
	strbuf_release(&sb);
}

static void lat_table(struct report_ctx *c, const struct latency *l)
{
	static const char *const head[] = { "workload (guest group, program, histogram)", "cell" };
	struct doc_table t = DOC_TABLE_INIT;

	for (size_t i = 0; i < 2; i++)
		dt_cell(&t, 0, head[i]);
	for (int k = 0; k < RESULT_NPCT; k++)
		dt_cell(&t, DT_NUM, result_pct_names[k]);
	dt_cell(&t, DT_NUM, "samples");
	dt_cell(&t, DT_NUM, "n");
	dt_row(&t);
	for (size_t i = 0; i < l->n; i++) {
		double div;
		const char *unit = unit_of(&l->rows[i], l->ncells, &div);

		for (size_t k = 0; k < l->ncells; k++)
			if (c->cs->c[k].complete)
				lat_row(&t, &l->rows[i], &c->cs->c[k], &l->rows[i].cell[k], div, unit);
	}
	dt_emit(c->d, &t, "latency");
}

int report_latency(struct report_ctx *c)
{
	struct latency l;
	int r = 0;

	if (!any_workload(c->rs))
		return 0;
	doc_section(c->d, "latency", "Latency");
	latency_build(c->rs, c->cs, &l);
	if (!l.n) {
		doc_para(c->d, NULL, "The workloads recorded no latency histogram (only throughput or "
				     "counters, or no workload.json came back: see Runs).");
		goto out;
	}
	doc_para(c->d, "note", "Each workload's histograms (workload.json): percentiles mean ± sd over "
			       "the guests of the group and the complete runs of the cell; n of them "
			       "against the guests x runs that ran the program; samples summed.");
	lat_table(c, &l);
	r = plot_percentiles(c->outdir, "latency-percentiles", &l, c->cs);
	if (r > 0)
		doc_figure(c->d, "latency-percentiles", "Latency percentiles per matrix cell");
	if (r >= 0)
		r = plot_cdf(c->outdir, "latency-cdf", &l, c->cs);
	if (r > 0)
		doc_figure(c->d, "latency-cdf", "Latency CDF per matrix cell (merged histograms)");
out:
	latency_release(&l);
	return r < 0 ? -1 : 0;
}

int report_timelines(struct report_ctx *c)
{
	struct strbuf name = STRBUF_INIT, title = STRBUF_INIT;
	int r = 0;

	doc_section(c->d, "timelines", "Timelines");
	doc_para(c->d, "note", "The first complete run of each matrix cell on the run's clock: one "
			       "panel per guest group, the host, the workloads' latency over time, "
			       "and the timeline's actions (dashed through every panel).");
	for (size_t i = 0; i < c->cs->n && i < REPORT_MAX_TIMELINES && r >= 0; i++) {
		const struct rs_run *run = &c->rs->runs[c->cs->c[i].first];

		strbuf_reset(&name);
		strbuf_addf(&name, "timeline-%zu", i + 1);
		strbuf_reset(&title);
		strbuf_addf(&title, "Timeline: %s, repeat %d (%s)%s",
			    *run->cell ? c->cs->c[i].label : run->scenario, run->repeat,
			    *run->run_id ? run->run_id : run->dir,
			    run_is_complete(run) ? "" : ", not complete");
		r = plot_timeline(c->outdir, name.buf, run, title.buf);
		if (r > 0)
			doc_figure(c->d, name.buf, title.buf);
	}
	if (c->cs->n > REPORT_MAX_TIMELINES) {
		strbuf_reset(&title);
		strbuf_addf(&title, "Timelines of the first %d of %zu cells.", REPORT_MAX_TIMELINES,
			    c->cs->n);
		doc_para(c->d, "note", title.buf);
	}
	if (r >= 0)
		r = plot_ksm(c->outdir, "ksm-merged", c->rs, c->cs);
	if (r > 0)
		doc_figure(c->d, "ksm-merged", "KSM merged memory over time per matrix cell");
	strbuf_release(&name);
	strbuf_release(&title);
	return r < 0 ? -1 : 0;
}
