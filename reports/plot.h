/* plot.h — gnuplot scripts for the report's figures.
 *
 * Each figure is one generated script (data inline as gnuplot datablocks,
 * so the script alone reproduces the figure) kept as DIR/gnuplot/NAME.gp,
 * run with `gnuplot SCRIPT` from an argv (no shell), rendering DIR/NAME.svg
 * and DIR/NAME.png.  Every figure has a title, axis labels with units and
 * a legend naming guests, programs or matrix cells.  Generators return 1
 * when they wrote a figure, 0 when the results hold no data for it, -1 on
 * error (message set).
 */
#ifndef OCB_PLOT_H
#define OCB_PLOT_H

#include "reports/resultset.h"
#include "util/strbuf.h"

/* At most this many lines in one overlay; the title says when cut. */
#define PLOT_MAX_LINES 12

/* Append s as a gnuplot single-quoted string. */
void gp_quote(struct strbuf *sb, const char *s);
/* Render body (terminal and output are added here) to DIR/NAME.{svg,png}. */
int plot_render(const char *dir, const char *name, const char *body);

/* Overcommit timeline of one run: balloon actual, guest free -m used and
 * available, QEMU RSS, host MemAvailable and swap, KSM merged; timeline
 * actions as marked vertical lines. */
int plot_timeline(const char *dir, const char *name, const struct rs_run *r,
		  const char *title);
/* Latency percentiles (p50..max, mean ± sd over repeats and guests) per
 * matrix cell and workload program. */
int plot_percentiles(const char *dir, const char *name, const struct result_set *rs);
/* Latency CDF overlay (merged histograms) per matrix cell and program. */
int plot_cdf(const char *dir, const char *name, const struct result_set *rs);
/* KSM merged MiB over time, one line per matrix cell (e.g. ksm on vs off). */
int plot_ksm(const char *dir, const char *name, const struct result_set *rs);

#endif
