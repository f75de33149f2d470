/* report.h — results -> a report directory a person reads.
 *
 * OUT/index.html (self-contained: inline CSS and script, images beside it,
 * nothing fetched from the network), OUT/report.md, the figures as
 * OUT/NAME.svg + OUT/NAME.png and their scripts in OUT/gnuplot/.  Contents:
 * scenario and runs, host fingerprint and acceleration, the matrix, one
 * metric table per matrix cell with repeats aggregated (mean, sd, n, with
 * units), then the figures.  The HTML marks <body data-report-ready> with
 * how many images loaded, which is what the headless-browser test reads.
 */
#ifndef OCB_REPORT_H
#define OCB_REPORT_H

#include "reports/resultset.h"

struct report_info {
	size_t runs;
	size_t figures;
};

/* rs must have been loaded with RESULTSET_SERIES.  Creates outdir. */
int report_write(const struct result_set *rs, const char *const *inputs, size_t ninputs,
		 const char *outdir, struct report_info *info);

#endif
