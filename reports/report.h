/* report.h — results -> a report directory a person reads.
 *
 * OUT/index.html (self-contained: inline CSS and script, images beside it,
 * nothing fetched from the network), OUT/report.md with the same sections
 * in the same order, the figures as OUT/NAME.svg + OUT/NAME.png and their
 * scripts in OUT/gnuplot/.  The answer first:
 *   1. Results: what ran and where in one line, then the headline metrics
 *      (headline.h), one row per metric and one column per matrix cell,
 *      and their bars;
 *   2. Latency: the workloads' percentiles per cell and guest group, CDFs
 *      of the merged histograms (when a workload recorded any);
 *   3. Timelines: small multiples per cell (plot-timeline.h);
 *   4. Metrics: every gated metric, one column per cell;
 *   5. Runs: each run, its status and why;
 *   6. Host: a one-table fingerprint, every field in a collapsed list;
 *   7. Harness overhead: the informational metrics (never gated).
 * The HTML's script marks <body> with what the headless-browser test
 * reads: images loaded, elements wider than the window, the first section.
 */
#ifndef OCB_REPORT_H
#define OCB_REPORT_H

#include "reports/report-opts.h"
#include "reports/resultset.h"

struct report_info {
	size_t runs;
	size_t figures;
};

/* rs must have been loaded with RESULTSET_SERIES.  Creates outdir.  opts
 * may be NULL. */
int report_write(const struct result_set *rs, const char *const *inputs, size_t ninputs,
		 const char *outdir, const struct report_opts *opts, struct report_info *info);

#endif
