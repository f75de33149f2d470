/* compare.h — baseline vs candidate: the regression rule of `ocbench compare`.
 *
 * Metrics are matched by (matrix cell, name) over the complete runs of each
 * side.  A line is a regression when the change goes in the metric's worse
 * direction, is statistically significant (Welch's t-test, p < 0.05; for
 * fewer than COMPARE_SMALL_N repeats on a side the exact permutation test's
 * p is used instead, since the t distribution cannot be trusted there) and
 * is larger than max(threshold, 2 x the baseline's coefficient of
 * variation).  Fewer than 2 repeats on a side, or so few that no outcome
 * could be significant, gives "inconclusive", never a verdict.
 *
 * The inputs are incomparable (exit 2) when the scenarios differ, the
 * stable host fingerprint differs (unless allowed), a baseline cell or
 * metric is missing from the candidate, or a side has no complete run.
 * Measurement apart from presentation: compare_sets() fills a
 * compare_result; text, Markdown and JSON are emitters over it.
 */
#ifndef OCB_COMPARE_H
#define OCB_COMPARE_H

#include "reports/aggregate.h"
#include "reports/resultset.h"
#include "util/strbuf.h"

#define COMPARE_SMALL_N 10
#define COMPARE_ALPHA 0.05

struct compare_opts {
	double threshold_pct;		/* default 5 */
	int allow_host_change;		/* every fingerprint field */
	const char *allow_fields;	/* comma list of fields allowed to differ */
};

#define COMPARE_OPTS_INIT { 5.0, 0, NULL }

enum verdict {
	VERDICT_OK,
	VERDICT_REGRESSION,
	VERDICT_IMPROVEMENT,
	VERDICT_INCONCLUSIVE,
	VERDICT_INFO,		/* no better-direction: shown, never judged */
	VERDICT_NEW,		/* only in the candidate */
};

const char *verdict_name(enum verdict v);

struct compare_row {
	const char *cell;	/* borrowed from the result sets */
	const char *name;
	const char *unit;
	enum better better;
	struct stats_summary base, cand;
	double delta_pct;	/* (cand - base) / |base| * 100; NAN when undefined */
	double limit_pct;	/* max(threshold, 2 x baseline CV) */
	double p;		/* the p the verdict used; NAN when none */
	double p_welch;
	int p_permutation;	/* p came from the permutation test */
	enum verdict verdict;
	char *note;		/* why, for inconclusive/ok lines; may be NULL */
};

struct compare_result {
	struct compare_row *rows;
	size_t n, alloc;
	struct agg base_agg, cand_agg;
	const char *scenario;
	double threshold_pct;
	size_t regressions, improvements, inconclusive;
	int incomparable;
	struct strbuf problems;	/* one reason per line when incomparable */
	struct strbuf notes;	/* warnings that do not change the exit code */
};

/* Fill res (valid while both sets live).  Returns 0; incomparability is a
 * result, not an error. */
int compare_sets(const struct result_set *base, const struct result_set *cand,
		 const struct compare_opts *opts, struct compare_result *res);
/* 0 no regression, 1 regression, 2 incomparable. */
int compare_exit_code(const struct compare_result *res);
void compare_release(struct compare_result *res);

void compare_format_text(const struct compare_result *res, struct strbuf *out);
void compare_format_md(const struct compare_result *res, struct strbuf *out);
/* The JSON document (schema "ocbench.compare/1"); caller decrefs. */
json_t *compare_to_json(const struct compare_result *res);

#endif
