/* verdict.h — what `ocbench compare` found, and the exit code that sums it
 * up: the types the engine (compare.h) fills and the emitters
 * (compare-emit.h) print.
 *
 * Exit codes, strongest first:
 *   2 incomparable: different scenario, host, accelerator, backend, quick
 *     mode, guest image or knobs (like.h) unless allowed by name, a
 *     baseline cell the candidate never ran, no complete baseline run;
 *   1 regression: the candidate's runs fail more often in some matrix cell
 *     (failed and incomplete runs over recorded runs; any rise counts), or
 *     a gated metric regressed;
 *   3 inconclusive: the evidence has a gap — a side has fewer complete
 *     runs than were requested, runs were never recorded, a gated metric
 *     is missing from some runs, or a gated metric could not be judged
 *     (too few repeats, a large change that is not significant, no
 *     baseline to measure a change from); 0 instead with
 *     --allow-inconclusive;
 *   0 none of these.
 */
#ifndef OCB_VERDICT_H
#define OCB_VERDICT_H

#include "reports/aggregate.h"
#include "reports/tally.h"
#include "util/strbuf.h"

#define COMPARE_SMALL_N 10
#define COMPARE_ALPHA 0.05

enum compare_exit {
	COMPARE_EXIT_OK = 0,
	COMPARE_EXIT_REGRESSION = 1,
	COMPARE_EXIT_INCOMPARABLE = 2,
	COMPARE_EXIT_INCONCLUSIVE = 3,
};

enum verdict {
	VERDICT_OK,
	VERDICT_REGRESSION,
	VERDICT_IMPROVEMENT,
	VERDICT_INCONCLUSIVE,
	VERDICT_INFO,		/* informational or no better-direction: shown, never judged */
	VERDICT_NEW,		/* only in the candidate */
};

const char *verdict_name(enum verdict v);

struct compare_row {
	const char *cell;	/* borrowed from the result sets */
	const char *name;
	const char *unit;
	enum better better;
	int gate;		/* 0: informational (results/gate.h) */
	struct stats_summary base, cand;
	size_t base_runs, cand_runs;	/* complete runs of the cell: n < runs means missing */
	double delta_pct;	/* (cand - base) / |base| * 100; NAN when undefined */
	double limit_pct;	/* max(threshold, 2 x baseline CV) */
	double p;		/* the p the verdict used; NAN when none */
	double p_welch;
	int p_permutation;	/* p came from the permutation test */
	enum verdict verdict;
	char *note;		/* why, for inconclusive/ok/info lines; may be NULL */
};

/* The runs of one matrix cell on both sides. */
struct compare_cell {
	const char *scenario;	/* borrowed */
	const char *cell;
	struct tally_counts base, cand;
	int in_base, in_cand;
	int failure_regression;	/* the candidate's failure rate is higher */
};

struct compare_result {
	struct compare_row *rows;
	size_t n, alloc;
	struct compare_cell *cells;	/* sorted by scenario, cell */
	size_t ncells;
	struct agg base_agg, cand_agg;
	struct tally base_tally, cand_tally;
	const char *scenario;
	double threshold_pct;
	int allow_inconclusive;
	size_t regressions, improvements, inconclusive;	/* gated rows */
	size_t informational, fresh;			/* rows never judged */
	size_t failure_regressions;			/* cells */
	int incomparable;
	struct strbuf problems;	/* why incomparable, one reason a line */
	struct strbuf gaps;	/* why inconclusive, one reason a line */
	struct strbuf allowed;	/* like-for-like differences allowed by name */
	struct strbuf notes;	/* warnings that do not change the exit code */
};

/* COMPARE_EXIT_* by the rules above. */
int compare_exit_code(const struct compare_result *res);
/* "OK", "REGRESSION", "INCONCLUSIVE" or "INCOMPARABLE" */
const char *compare_verdict_word(const struct compare_result *res);
/* "verdict: WORD (exit N): why" on one line, no newline: the reasons in
 * order of weight — runs that fail, metrics that regress, gaps. */
void compare_headline(const struct compare_result *res, struct strbuf *out);
void compare_release(struct compare_result *res);

#endif
