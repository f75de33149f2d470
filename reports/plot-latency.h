/* plot-latency.h — the workloads' latency per matrix cell, one panel per
 * (guest group, program, histogram) and one series per cell:
 *   - percentiles p50 .. max, mean ± sd over the guests and repeats;
 *   - the CDF of the histograms merged over the guests and repeats.
 * At most PLOT_MAX_SERIES cells and as many panels (the title says when
 * some were left out).
 */
#ifndef OCB_PLOT_LATENCY_H
#define OCB_PLOT_LATENCY_H

#include "reports/cells.h"
#include "reports/latency.h"

int plot_percentiles(const char *dir, const char *name, const struct latency *l,
		     const struct cells *cs);
int plot_cdf(const char *dir, const char *name, const struct latency *l, const struct cells *cs);

#endif
