/* tally.h — how many runs each matrix cell asked for, and how they ended.
 *
 * Failures are results (issue 14): compare counts, per (scenario, matrix
 * cell), the runs recorded complete, failed and incomplete, against the
 * runs that were requested.  The runs of one `ocbench run` live in one
 * directory (its index directory), and their run.json says how many runs
 * that invocation planned (runs_requested: matrix combinations x repeats);
 * an invocation that planned R runs over C cells asked for R / C of each.
 * Runs it planned but never recorded (killed before writing run.json, or
 * left out of the directory given) are *missing*: evidence the comparison
 * does not have.  Runs without runs_requested (written by an older
 * ocbench) count as their own request, so their missing runs cannot be
 * seen; requested_unknown says so.
 */
#ifndef OCB_TALLY_H
#define OCB_TALLY_H

#include "reports/resultset.h"
#include "util/strbuf.h"

struct tally_counts {
	size_t complete, failed, incomplete;	/* runs recorded, by status */
	size_t requested;			/* >= the runs recorded */
	int requested_unknown;			/* a run did not say (older run.json) */
};

struct tally_cell {
	const char *scenario;	/* borrowed from the result set */
	const char *cell;
	struct tally_counts n;
};

/* The runs of one `ocbench run`: a directory of run directories. */
struct tally_group {
	char *dir;
	size_t recorded;
	size_t requested;	/* its runs_requested; 0 when not recorded */
};

struct tally {
	struct tally_cell *cells;	/* sorted by scenario, cell */
	size_t ncells;
	struct tally_group *groups;	/* in the order first seen */
	size_t ngroups;
};

/* Valid while rs lives.  expect_runs: every cell asks for at least that
 * many runs (compare --expect-runs; 0: only what run.json says). */
void tally_build(const struct result_set *rs, size_t expect_runs, struct tally *t);
const struct tally_counts *tally_find(const struct tally *t, const char *scenario, const char *cell);
size_t tally_recorded(const struct tally_counts *n);
/* requested runs never recorded */
size_t tally_missing(const struct tally_counts *n);
/* (failed + incomplete) / recorded: 0 when nothing was recorded */
double tally_failure_rate(const struct tally_counts *n);
/* "3/5 complete, 1 failed, 1 missing" (the counts that are not 0) */
void tally_describe(const struct tally_counts *n, struct strbuf *out);
void tally_release(struct tally *t);

#endif
