/* report-ksm.c — see report-ksm.h. */
#include "reports/report-ksm.h"
#include "reports/aggregate.h"
#include "reports/fmt.h"
#include "reports/plot.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>

#define PAGE_MIB (4096.0 / 1048576.0)

void ksm_frontier(const struct ksm_point *p, size_t n, int *on_frontier)
{
	for (size_t i = 0; i < n; i++) {
		on_frontier[i] = p[i].have;
		for (size_t j = 0; j < n && on_frontier[i]; j++)
			if (j != i && p[j].have && p[j].cpu_pct <= p[i].cpu_pct &&
			    p[j].saved_mib >= p[i].saved_mib &&
			    (p[j].cpu_pct < p[i].cpu_pct || p[j].saved_mib > p[i].saved_mib))
				on_frontier[i] = 0;
	}
}

/* Saved MiB against ksmd's CPU seconds, per cell (first complete run):
 * each ksmd sample with the pages_sharing sampled at or before it. */
static int plot_cost_over_time(struct report_ctx *c, const char *name)
{
	struct plot p;
	struct plot_panel *pp;
	int rc;

	plot_init(&p, "KSM saving against ksmd CPU, per matrix cell", 1, 320);
	pp = plot_panel(&p, 1);
	for (size_t i = 0; i < c->cs->n; i++) {
		const struct rs_run *run = &c->rs->runs[c->cs->c[i].first];
		const struct rs_series *cpu = run_series(run, "ksmd", "ksmd_cpu_s");
		const struct rs_series *sh = run_series(run, "ksm", "pages_sharing");
		size_t k = 0;
		char l[4];
		int id;

		if (!cpu || !sh || !cpu->n || !sh->n)
			continue;
		id = plot_block_begin(&p);
		for (size_t j = 0; j < cpu->n; j++) {
			while (k + 1 < sh->n && sh->pts[k + 1].t_s <= cpu->pts[j].t_s)
				k++;
			strbuf_addf(&p.data, "%.6g %.6g\n", cpu->pts[j].v, sh->pts[k].v * PAGE_MIB);
		}
		plot_block_end(&p);
		/* the cell's letter: the table above says what it is */
		cells_letter(i, l);
		plot_series(&p, id, "1:2", "lines lw 2", l);
	}
	strbuf_adds(&pp->set, "set xlabel 'ksmd CPU since the run started (s)'\n"
			      "set ylabel 'KSM saved (MiB)'\nset yrange [0:*]\nset xrange [0:*]\n"
			      "set key outside right top vertical font ',9'\n");
	rc = pp->nseries ? plot_write(&p, c->outdir, name) : 0;
	plot_release(&p);
	return rc;
}

/* One point per cell, the frontier's points joined by a line. */
static int plot_frontier(struct report_ctx *c, const char *name, const struct ksm_point *pt,
			 const int *front)
{
	struct plot p;
	struct plot_panel *pp;
	int id, fid, rc, nf = 0;

	plot_init(&p, "KSM cost/benefit frontier: one point per matrix cell", 1, 360);
	pp = plot_panel(&p, 1);
	id = plot_block_begin(&p);
	for (size_t i = 0; i < c->cs->n; i++) {
		char l[4];

		cells_letter(i, l);
		if (!pt[i].have)
			continue;
		strbuf_addf(&p.data, "%.6g %.6g\n", pt[i].cpu_pct, pt[i].saved_mib);
		/* each point named by its cell's letter, as in the tables */
		strbuf_addf(&pp->set, "set label '%s' at %.6g,%.6g offset 0.8,0.8\n", l, pt[i].cpu_pct,
			    pt[i].saved_mib);
	}
	plot_block_end(&p);
	fid = plot_block_begin(&p);
	/* the frontier in order of CPU: insertion order over the cells */
	for (double last = -1;;) {
		size_t best = c->cs->n;

		for (size_t i = 0; i < c->cs->n; i++)
			if (front[i] && pt[i].cpu_pct > last &&
			    (best == c->cs->n || pt[i].cpu_pct < pt[best].cpu_pct))
				best = i;
		if (best == c->cs->n)
			break;
		strbuf_addf(&p.data, "%.6g %.6g\n", pt[best].cpu_pct, pt[best].saved_mib);
		last = pt[best].cpu_pct;
		nf++;
	}
	plot_block_end(&p);
	plot_series(&p, id, "1:2", "points pt 7 ps 1.5", "cell (mean over repeats)");
	if (nf)
		plot_series(&p, fid, "1:2", "linespoints lw 2 pt 6 ps 2", "frontier");
	strbuf_adds(&pp->set, "set xlabel 'ksmd CPU (% of one core, mean over the run)'\n"
			      "set ylabel 'KSM saved (MiB, peak)'\nset yrange [0:*]\nset xrange [0:*]\n"
			      "set key outside right top vertical font ',9'\n");
	rc = plot_write(&p, c->outdir, name);
	plot_release(&p);
	return rc;
}

static void cell_value(struct doc_table *t, const struct agg *a, const struct cell_col *col,
		       const char *metric)
{
	const struct agg_entry *e = agg_find(a, col->scenario, col->cell, metric);
	struct strbuf v = STRBUF_INIT;

	if (e && e->s.n) {
		fmt_mean_sd(&v, e->s.mean, e->s.sd, e->s.n, 1);
		dt_cell(t, DT_NUM, v.buf);
	} else {
		dt_cell(t, DT_NUM | DT_MISSING, "missing");
	}
	strbuf_release(&v);
}

static void cost_table(struct report_ctx *c, const struct agg *a, const int *front)
{
	static const char *const cols[] = { "ksmd_cpu_pct", "ksm_saved_mib",
		"ksm_saved_mib_per_cpu_s", "ksm_saved_t90_s" };
	struct doc_table t = DOC_TABLE_INIT;
	struct strbuf h = STRBUF_INIT;

	dt_cell(&t, 0, "cell");
	dt_cell(&t, DT_NUM, "ksmd CPU (%)");
	dt_cell(&t, DT_NUM, "saved (MiB)");
	dt_cell(&t, DT_NUM, "MiB per ksmd CPU-s");
	dt_cell(&t, DT_NUM, "90 % of the saving (s)");
	dt_cell(&t, 0, "frontier");
	dt_row(&t);
	for (size_t i = 0; i < c->cs->n; i++) {
		strbuf_reset(&h);
		cells_heading(c->cs, i, &h);
		dt_cell(&t, DT_KEY, h.buf);
		for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
			cell_value(&t, a, &c->cs->c[i], cols[k]);
		dt_cell(&t, front[i] ? DT_BEST : 0, front[i] ? "yes" : "");
		dt_row(&t);
	}
	dt_emit(c->d, &t, "results");
	strbuf_release(&h);
}

int report_ksm_cost(struct report_ctx *c)
{
	struct agg a = AGG_INIT;
	struct ksm_point *pt;
	int *front, any = 0, rc = 0;

	agg_build(c->rs, &a);
	pt = xcalloc(c->cs->n + 1, sizeof(*pt));
	front = xcalloc(c->cs->n + 1, sizeof(*front));
	for (size_t i = 0; i < c->cs->n; i++) {
		const struct agg_entry *cpu = agg_find(&a, c->cs->c[i].scenario, c->cs->c[i].cell,
						       "ksmd_cpu_pct");
		const struct agg_entry *sv = agg_find(&a, c->cs->c[i].scenario, c->cs->c[i].cell,
						      "ksm_saved_mib");

		pt[i].have = cpu && sv && cpu->s.n && sv->s.n;
		if (pt[i].have) {
			pt[i].cpu_pct = cpu->s.mean;
			pt[i].saved_mib = sv->s.mean;
			/* KSM was in play in some cell: ksmd ran or something merged
			 * (a run with KSM off everywhere has no trade-off to show) */
			if (pt[i].cpu_pct > 0 || pt[i].saved_mib > 0)
				any = 1;
		}
	}
	if (!any)
		goto out;
	ksm_frontier(pt, c->cs->n, front);
	doc_section(c->d, "ksm-cost", "KSM cost vs benefit");
	doc_para(c->d, "note", "What KSM saved (peak pages_sharing) against the CPU its ksmd thread "
		 "used (utime + stime of /proc/PID/stat), mean ± sd over the repeats of each cell. "
		 "A cell is on the frontier when no other cell saved at least as much for at most "
		 "as much CPU.");
	cost_table(c, &a, front);
	rc = plot_cost_over_time(c, "ksm-cost-time");
	if (rc > 0)
		doc_figure(c->d, "ksm-cost-time", "KSM saving against ksmd CPU time, per cell");
	if (rc >= 0 && c->cs->n > 1) {
		rc = plot_frontier(c, "ksm-frontier", pt, front);
		if (rc > 0)
			doc_figure(c->d, "ksm-frontier", "KSM cost/benefit frontier, one point per cell");
	}
out:
	free(pt);
	free(front);
	agg_release(&a);
	return rc < 0 ? -1 : 0;
}
