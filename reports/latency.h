/* latency.h — the workloads' latency per matrix cell: for every (guest
 * group, program, histogram) the percentiles summarized over the guests of
 * the group in every complete run of the cell, and their histograms merged
 * into one (the CDF).  Only histograms with samples count; a guest whose
 * workload left no histogram of that name is missing from n, which is
 * shown against the guests x runs that ran the program.
 */
#ifndef OCB_REPORTS_LATENCY_H
#define OCB_REPORTS_LATENCY_H

#include "reports/cells.h"
#include "reports/resultset.h"
#include "reports/stats.h"
#include "util/strbuf.h"

struct lat_cell {
	struct stats_summary pct[RESULT_NPCT];	/* ns, over guests x runs */
	size_t n;			/* guests x runs with the histogram */
	size_t want;			/* guests x runs that ran the program */
	double samples;			/* their samples, summed */
	struct rs_hist_bucket *b;	/* merged: ascending, equal ranges added up */
	size_t nb;
};

struct lat_row {
	char *group;		/* "busy" */
	char *program;		/* "pressure" */
	char *hist;		/* "access" */
	char *regime;		/* "resident", ... or "" */
	struct lat_cell *cell;	/* one per column of cells.h */
};

struct latency {
	struct lat_row *rows;
	size_t n, alloc;
	size_t ncells;
};

void latency_build(const struct result_set *rs, const struct cells *cs, struct latency *l);
void latency_release(struct latency *l);
/* "busy-* pressure access" */
void latency_label(const struct lat_row *row, struct strbuf *out);

#endif
