/* plot-bars.c — see plot-bars.h. */
#include "reports/plot-bars.h"
#include "reports/plot.h"
#include "util/strbuf.h"

#include <stdio.h>

#define PANEL_PX 230
#define COLUMNS 3

static int has_value(const struct hl_row *row, size_t ncells)
{
	for (size_t c = 0; c < ncells; c++)
		if (row->val[c].nv)
			return 1;
	return 0;
}

static size_t primaries(const struct headline *h, const struct hl_row **out)
{
	size_t n = 0;

	for (size_t i = 0; i < h->n && n < HEADLINE_PRIMARY; i++)
		if (h->rows[i].kind == HL_METRIC && has_value(&h->rows[i], h->ncells))
			out[n++] = &h->rows[i];
	return n;
}

static void bar_panel(struct plot *p, const struct headline *h, const struct hl_row *row)
{
	struct plot_panel *pp = plot_panel(p, 1);
	struct strbuf t = STRBUF_INIT, tics = STRBUF_INIT;
	double div;
	const char *unit = headline_unit(h, row, &div);
	size_t ncells = h->ncells;
	int negative = 0;

	if (ncells > PLOT_MAX_SERIES)
		ncells = PLOT_MAX_SERIES;
	for (size_t c = 0; c < ncells; c++) {
		const struct hl_val *v = &row->val[c];
		char letter[4];
		int id = plot_block_begin(p);

		cells_letter(c, letter);
		/* a missing cell keeps its colour (and its place): NaN draws nothing */
		if (v->nv)
			strbuf_addf(&p->data, "%zu %.6g %.6g\n", c + 1, v->s.mean / div, v->s.sd / div);
		else
			strbuf_addf(&p->data, "%zu NaN NaN\n", c + 1);
		plot_block_end(p);
		negative |= v->nv && v->s.mean < 0;
		plot_series(p, id, "1:2:3", "boxerrorbars lw 1.5", letter);
		if (!v->nv)
			strbuf_addf(&pp->set, "set label 'missing' at %zu, graph 0.06 center font ',8' "
					      "tc rgb '#777777'\n", c + 1);
		strbuf_addf(&tics, "%s'%s' %zu", c ? ", " : "", h->ncells > 1 ? letter : "", c + 1);
	}
	strbuf_addf(&t, "%s%s", row->label, h->ncells > PLOT_MAX_SERIES ? " (first 8 cells)" : "");
	gp_set_str(&pp->set, "set title", t.buf);
	strbuf_addf(&pp->set, "unset key\nset boxwidth 0.7\nset style fill solid 0.75 border\nset xrange [0.4:%zu.6]\nset xtics (%s)\n"
			      "set ylabel '%s'\n%s",
		    ncells, tics.buf, unit, negative ? "set xzeroaxis\n" : "set yrange [0:*]\n");
	strbuf_release(&t);
	strbuf_release(&tics);
}

int plot_headline(const char *dir, const char *name, const struct headline *h,
		  const struct cells *cs)
{
	const struct hl_row *rows[HEADLINE_PRIMARY];
	size_t n = primaries(h, rows);
	struct plot p;
	int rc;

	(void)cs;
	if (!n)
		return 0;
	plot_init(&p, "Headline metrics: mean ± sd per matrix cell", n < COLUMNS ? (int)n : COLUMNS,
		  PANEL_PX);
	for (size_t i = 0; i < n; i++)
		bar_panel(&p, h, rows[i]);
	rc = plot_write(&p, dir, name);
	plot_release(&p);
	return rc;
}
