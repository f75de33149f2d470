/* plot.h — gnuplot scripts for the report's figures: the canvas, panels and
 * series every figure is built from.
 *
 * Each figure is one generated script (data inline as gnuplot datablocks,
 * so the script alone reproduces the figure) kept as DIR/gnuplot/NAME.gp,
 * run with `gnuplot SCRIPT` from an argv (no shell), rendering DIR/NAME.svg
 * and DIR/NAME.png.  A figure is one or more panels (a multiplot: small
 * multiples), each with a title, axis labels with units and a legend.
 *
 * Series and colours: a panel holds at most PLOT_MAX_SERIES series, and
 * each series gets the next colour of a colour-blind-safe palette
 * (Okabe & Ito), so no two series of a panel share a colour.  A series may
 * be drawn as several plot items (the guests of one group, say): the first
 * carries the title, the others are `notitle` in the same colour.  The
 * report tests count the titled items of every `plot` command and their
 * colours from the scripts.
 *
 * Generators return 1 when they wrote a figure, 0 when the results hold
 * no data for it, -1 on error (message set).
 */
#ifndef OCB_PLOT_H
#define OCB_PLOT_H

#include "util/strbuf.h"

#define PLOT_MAX_SERIES 8
extern const char *const plot_palette[PLOT_MAX_SERIES];

/* Canvas width in pixels (SVG and PNG). */
#define PLOT_WIDTH 1100

/* One panel of a figure. */
struct plot_panel {
	struct strbuf set;	/* its settings (after `reset`) */
	struct strbuf items;	/* the plot items, one per line */
	double weight;		/* relative height */
	int nseries;		/* titled series: the palette index of the next */
	int nitems;
	int dropped;		/* series refused past PLOT_MAX_SERIES */
};

struct plot {
	struct strbuf data;	/* datablocks */
	int nblocks;
	struct plot_panel *panels;
	size_t npanels, alloc;
	char *title;		/* the figure's title (multiplot title) */
	int columns;		/* 1: stacked panels sharing the x extent; >1: a grid */
	int panel_px;		/* height of a panel of weight 1 */
};

void plot_init(struct plot *p, const char *title, int columns, int panel_px);
void plot_release(struct plot *p);

/* Start datablock $dN (the caller appends "x y ...\n" rows to p->data);
 * returns N.  plot_block_end closes it. */
int plot_block_begin(struct plot *p);
void plot_block_end(struct plot *p);

/* A new panel (the current one from now on) of relative height weight. */
struct plot_panel *plot_panel(struct plot *p, double weight);
/* A new titled series in the current panel: its first item.  -1 (and the
 * panel counts it as dropped) when the panel has PLOT_MAX_SERIES already.
 * style is gnuplot's `with` clause without a colour. */
int plot_series(struct plot *p, int block, const char *using, const char *style,
		const char *title);
/* Another item of the current series (same colour, no title). */
void plot_series_more(struct plot *p, int block, const char *using, const char *style);
/* An item that is not a series: no title, fixed colour (cap lines,
 * markers).  colour as "#rrggbb". */
void plot_extra(struct plot *p, int block, const char *using, const char *style,
		const char *colour);

/* Append s as a gnuplot single-quoted string. */
void gp_quote(struct strbuf *sb, const char *s);
/* "set CMD 'text'\n" */
void gp_set_str(struct strbuf *sb, const char *cmd, const char *text);

/* Render to DIR/NAME.{svg,png} and keep DIR/gnuplot/NAME.gp: 1 when it
 * had a series to draw, 0 when not (nothing written), -1 on error. */
int plot_write(struct plot *p, const char *dir, const char *name);

#endif
