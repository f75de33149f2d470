/* report-results.h — the report's first section, the answer: what ran and
 * where in one line, the scenario's question, the headline table
 * (headline.h: one row per metric, one column per matrix cell lettered
 * A, B, ...; the best cell marked; missing values shown as missing) and the
 * bars of its primary metrics. */
#ifndef OCB_REPORT_RESULTS_H
#define OCB_REPORT_RESULTS_H

#include "reports/report-ctx.h"

int report_results(struct report_ctx *c);

#endif
