/* aggregate.h — repeats of one matrix cell folded into mean, sd and n.
 *
 * Both the report tables and compare work on these: every complete run's
 * metrics grouped by (scenario, matrix cell, metric name).  Runs that are
 * not complete are left out (and counted) — a failed run's figures are
 * not a sample of the same distribution; compare counts them as failures
 * (reports/tally.h).  A metric absent from some complete runs of its cell
 * has s.n < runs: its mean is over fewer runs, which the tables and compare
 * say (issue 14: never average over a silently smaller set).
 */
#ifndef OCB_AGGREGATE_H
#define OCB_AGGREGATE_H

#include "reports/resultset.h"
#include "reports/stats.h"

struct agg_entry {
	const char *scenario;	/* borrowed from the result_set */
	const char *cell;
	const char *name;
	const char *unit;
	enum better better;
	int gate;		/* gated in at least one run (resultset.h) */
	double *vals;		/* one per repeat, owned */
	struct stats_summary s;
	size_t runs;		/* complete runs of the cell; runs - s.n lack the metric */
};

struct agg {
	struct agg_entry *e;	/* sorted by scenario, cell, name */
	size_t n;
	size_t runs_used;
	size_t runs_skipped;	/* not complete */
};

#define AGG_INIT { NULL, 0, 0, 0 }

/* Valid while rs lives. */
void agg_build(const struct result_set *rs, struct agg *a);
const struct agg_entry *agg_find(const struct agg *a, const char *scenario, const char *cell,
				 const char *name);
void agg_release(struct agg *a);

#endif
