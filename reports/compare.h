/* compare.h — baseline vs candidate: the rules of `ocbench compare`.
 *
 * 1. Like for like (like.h): both sides ran the same scenario on the same
 *    kind of host, accelerator, backend, quick mode, guest image and host
 *    knobs; a difference makes the inputs incomparable unless the field is
 *    allowed by name, and allowed differences are listed in the verdict.
 * 2. Failures are results (tally.h): per matrix cell, the runs recorded
 *    complete, failed and incomplete on each side.  A higher failure rate
 *    in the candidate is a regression, stated before any metric.
 * 3. Metrics are matched by (matrix cell, name) over the complete runs of
 *    each side.  A line is a regression when the change goes in the
 *    metric's worse direction, is statistically significant (Welch's
 *    t-test, p < 0.05; below COMPARE_SMALL_N repeats on a side the exact
 *    permutation test's p, since the t distribution cannot be trusted
 *    there) and is larger than max(threshold, 2 x the baseline's
 *    coefficient of variation).  Only gated metrics count
 *    (results/gate.h); informational ones are shown and never judged.
 * 4. A gate never passes on missing evidence: fewer complete runs than
 *    requested, runs never recorded, a gated metric absent from some runs
 *    (its n is shown against the cell's runs), or a gated metric that
 *    cannot be judged — too few repeats for any outcome to be significant,
 *    a change beyond the limit in the worse direction that is not
 *    significant — make the verdict inconclusive (verdict.h, exit 3).
 *
 * Measurement apart from presentation: compare_sets() fills a
 * compare_result (verdict.h); text, Markdown and JSON are emitters over it
 * (compare-emit.h).
 */
#ifndef OCB_COMPARE_H
#define OCB_COMPARE_H

#include "reports/aggregate.h"
#include "reports/compare-emit.h"
#include "reports/resultset.h"
#include "reports/verdict.h"

struct compare_opts {
	double threshold_pct;		/* default 5 */
	int allow_host_change;		/* the four host fingerprint fields (like.h) */
	const char *allow_fields;	/* comma list of like.h fields allowed to differ */
	int allow_inconclusive;		/* exit 0 instead of 3 */
	size_t expect_runs;		/* complete runs every cell needs (0: as requested) */
};

#define COMPARE_OPTS_INIT { 5.0, 0, NULL, 0, 0 }

/* Fill res (valid while both sets live).  Returns 0; incomparability is a
 * result, not an error. */
int compare_sets(const struct result_set *base, const struct result_set *cand,
		 const struct compare_opts *opts, struct compare_result *res);

#endif
