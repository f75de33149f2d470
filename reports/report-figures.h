/* report-figures.h — the report's sections of figures:
 *   Latency: a table of the workloads' percentiles per guest group and
 *     matrix cell (latency.h), the percentile and CDF figures
 *     (plot-latency.h); left out when no run had a workload;
 *   Timelines: the small multiples of each cell's first complete run
 *     (plot-timeline.h) and, with two or more cells, KSM merged over time
 *     per cell. */
#ifndef OCB_REPORT_FIGURES_H
#define OCB_REPORT_FIGURES_H

#include "reports/report-ctx.h"

/* Most timelines drawn (one per cell); the section says when cut. */
#define REPORT_MAX_TIMELINES 16

int report_latency(struct report_ctx *c);
int report_timelines(struct report_ctx *c);

#endif
