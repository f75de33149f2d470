/* report-tables.h — the report's tables after its figures:
 *   Metrics: every gated metric, one row per name and one column per
 *     matrix cell (mean ± sd, n against the cell's complete runs);
 *   Runs: each run, its cell, status and the reason it did not complete;
 *   Harness overhead: the informational metrics (results/gate.h: ocbench's
 *     own cost and the scenario's settings), shown and never gated. */
#ifndef OCB_REPORT_TABLES_H
#define OCB_REPORT_TABLES_H

#include "reports/report-ctx.h"

void report_metrics(struct report_ctx *c);
void report_runs(struct report_ctx *c);
void report_overhead(struct report_ctx *c);

#endif
