/* report-ksm.h — the report's section "KSM cost vs benefit": what KSM
 * saved against the CPU ksmd spent, over time per cell and as the
 * cost/benefit frontier over the cells of a matrix (one point per cell;
 * the cells no other cell beats on both saving and CPU are the frontier).
 * Present when the runs recorded ksmd's CPU (the sampler's ksmd source). */
#ifndef OCB_REPORT_KSM_H
#define OCB_REPORT_KSM_H

#include "reports/report-ctx.h"

#include <stddef.h>

/* One cell's point: mean ksmd CPU (%) and mean saving (MiB). */
struct ksm_point {
	double cpu_pct, saved_mib;
	int have;
};

/* on_frontier[i] = 1 when no other point has at most its CPU and at least
 * its saving with one of the two strictly better (points without a value
 * are never on it). */
void ksm_frontier(const struct ksm_point *p, size_t n, int *on_frontier);

int report_ksm_cost(struct report_ctx *c);

#endif
