/* plot-latency.c — see plot-latency.h. */
#include "reports/plot-latency.h"
#include "reports/plot.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdio.h>

#define PANEL_PX 300

static const char *key_place(const struct plot *p, int cdf)
{
	if (p->columns == 1)
		return "set key outside right top vertical font ',9'\n";
	return cdf ? "set key inside right bottom font ',8' opaque box\n"
		   : "set key inside left top Left reverse font ',8' opaque box\n";
}

static void panel_title(struct plot_panel *pp, const struct lat_row *row)
{
	struct strbuf t = STRBUF_INIT;

	latency_label(row, &t);
	if (*row->regime)
		strbuf_addf(&t, " (%s)", row->regime);
	if (pp->dropped)
		strbuf_addf(&t, " - first %d cells", PLOT_MAX_SERIES);
	gp_set_str(&pp->set, "set title", t.buf);
	strbuf_release(&t);
}

static void start(struct plot *p, const struct latency *l, const char *what)
{
	size_t panels = l->n;
	struct strbuf t = STRBUF_INIT;

	if (panels > PLOT_MAX_SERIES)
		panels = PLOT_MAX_SERIES;

	strbuf_adds(&t, what);
	if (l->n > PLOT_MAX_SERIES)
		strbuf_addf(&t, " (first %d of %zu histograms)", PLOT_MAX_SERIES, l->n);
	plot_init(p, t.buf, panels > 1 ? 2 : 1, PANEL_PX);
	strbuf_release(&t);
}

int plot_percentiles(const char *dir, const char *name, const struct latency *l,
		     const struct cells *cs)
{
	struct plot p;
	struct strbuf t = STRBUF_INIT, using = STRBUF_INIT;
	int rc;

	start(&p, l, "Latency percentiles per matrix cell (mean ± sd over guests and repeats)");
	for (size_t i = 0; i < l->n && i < PLOT_MAX_SERIES; i++) {
		struct plot_panel *pp = plot_panel(&p, 1);

		for (size_t c = 0; c < l->ncells; c++) {
			const struct lat_cell *lc = &l->rows[i].cell[c];
			int id;

			if (!lc->n)
				continue;
			id = plot_block_begin(&p);
			for (int k = 0; k < RESULT_NPCT; k++)
				if (lc->pct[k].n)
					strbuf_addf(&p.data, "%d %s %.6g %.6g\n", k,
						result_pct_names[k], lc->pct[k].mean, lc->pct[k].sd);
			plot_block_end(&p);
			strbuf_reset(&t);
			strbuf_addf(&t, "%s (n=%zu)", cs->c[c].label, lc->n);
			strbuf_reset(&using);
			/* side by side within a percentile, so error bars do not hide each other */
			strbuf_addf(&using, "($1+%.3f):3:4:xtic(2)", 0.06 * ((double)c - (l->ncells - 1) / 2.0));
			plot_series(&p, id, using.buf, "yerrorlines lw 2 pt 7 ps 0.7", t.buf);
		}
		panel_title(pp, &l->rows[i]);
		strbuf_addf(&pp->set, "set xlabel 'percentile'\nset ylabel 'ns (log scale)'\n"
				      "set logscale y\nset xrange [-0.4:%d.4]\n%s",
			    RESULT_NPCT - 1, key_place(&p, 0));
	}
	rc = plot_write(&p, dir, name);
	plot_release(&p);
	strbuf_release(&t);
	strbuf_release(&using);
	return rc;
}

static void cdf_block(struct plot *p, const struct lat_cell *lc)
{
	double total = 0, cum = 0;

	for (size_t k = 0; k < lc->nb; k++)
		total += lc->b[k].count;
	if (lc->nb)
		strbuf_addf(&p->data, "%.6g 0\n", lc->b[0].lo_ns > 0 ? lc->b[0].lo_ns : lc->b[0].hi_ns);
	for (size_t k = 0; k < lc->nb; k++) {
		cum += lc->b[k].count;
		/* the fraction of samples below the bucket's upper edge */
		strbuf_addf(&p->data, "%.6g %.8g\n", lc->b[k].hi_ns, cum / total);
	}
}

int plot_cdf(const char *dir, const char *name, const struct latency *l, const struct cells *cs)
{
	struct plot p;
	struct strbuf t = STRBUF_INIT;
	int rc;

	start(&p, l, "Latency CDF per matrix cell (histograms merged over guests and repeats)");
	for (size_t i = 0; i < l->n && i < PLOT_MAX_SERIES; i++) {
		struct plot_panel *pp = plot_panel(&p, 1);

		for (size_t c = 0; c < l->ncells; c++) {
			const struct lat_cell *lc = &l->rows[i].cell[c];
			int id;

			if (!lc->nb)
				continue;
			id = plot_block_begin(&p);
			cdf_block(&p, lc);
			plot_block_end(&p);
			strbuf_reset(&t);
			strbuf_addf(&t, "%s (%.0f samples)", cs->c[c].label, lc->samples);
			plot_series(&p, id, "1:2", "steps lw 2", t.buf);
		}
		panel_title(pp, &l->rows[i]);
		strbuf_addf(&pp->set, "set xlabel 'ns (log scale)'\nset ylabel 'fraction at or below'\n"
				      "set logscale x\nset yrange [0:1.02]\n%s", key_place(&p, 1));
	}
	rc = plot_write(&p, dir, name);
	plot_release(&p);
	strbuf_release(&t);
	return rc;
}
