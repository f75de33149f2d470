/* headline.h — the answer of a scenario: its headline metrics, one row per
 * metric and one column per matrix cell (cells.h).
 *
 * A scenario names them in `[report] headline = PATTERN, ...`; without
 * that, HEADLINE_DEFAULT.  Each PATTERN is an fnmatch(3) glob ('*' matches
 * dots too) over the names a run offers:
 *   - run.json's metrics ("idle-1.balloon_inflate_s", "ksm_saved_mib");
 *   - the workloads' latency percentiles from their histograms,
 *     "GUEST.PROGRAM.latency.HISTOGRAM.PCT" with PCT p50, p90, p99, p99.9
 *     or max ("busy-1.pressure.latency.access.p99"), in ns;
 *   - runs_failed (failed or incomplete runs of the cell) and
 *     workloads_failed (workloads of its complete runs that did not end
 *     "ok": killed, failed, or no result file).
 * A guest's name is folded into its group ("busy-1." -> "busy-*."), so a
 * row holds every guest of a [guest NAME] section: its mean, sd and n are
 * over the guests of every complete run of the cell, and n is shown
 * against the values expected (guests x runs) — a value missing from some
 * guest or run reads "n=2 of 3", and a cell without any reads "missing"
 * (with the reason a run gave for its null value); nothing is averaged
 * away.  A pattern that matches a guest's own name
 * ("busy-1.*") and not the folded one keeps that guest apart.
 *
 * Rows come in the order of the patterns (names sorted within one), the
 * percentiles of one histogram side by side.  The best cell of a row (the
 * best mean in the metric's better direction, when two or more cells have
 * a value and it is ahead of the next by more than HEADLINE_BEST_MARGIN)
 * is marked.
 */
#ifndef OCB_REPORTS_HEADLINE_H
#define OCB_REPORTS_HEADLINE_H

#include "reports/cells.h"
#include "reports/resultset.h"
#include "reports/stats.h"
#include "util/strbuf.h"

#define HEADLINE_DEFAULT                                                                     \
	"*.latency.*.p50, *.latency.*.p99, *.balloon_inflate_s, *.balloon_deflate_s, "       \
	"*.balloon_reached_pct, ksm_saved_mib, ksm_merged_mib, ksm_settle_s, "                \
	"qemu_pss_peak_mib, overcommit_measured, cgroup_peak_mib, cgroup_oom_events, "       \
	"cgroup_oom_kill, runs_failed, workloads_failed"

/* The best cell is marked when it is ahead of the next by more than this
 * fraction of its mean (so 97.35 vs 97.32 marks nothing). */
#define HEADLINE_BEST_MARGIN 0.01

/* The bar chart shows at most this many rows (the first with values). */
#define HEADLINE_PRIMARY 6

enum hl_kind {
	HL_METRIC,	/* mean ± sd (n) */
	HL_COUNT,	/* k of n */
};

struct hl_val {
	double *v;		/* the values of the cell, owned */
	size_t nv, alloc;
	struct stats_summary s;
	size_t want;		/* values expected: guests x complete runs, or runs */
	const char *reason;	/* why a run could not measure it (run.json), or NULL */
};

struct hl_row {
	char *key;		/* "busy-*.pressure.latency.access.p99" */
	char *label;		/* what the table shows */
	char *unit;
	enum better better;
	enum hl_kind kind;
	int folded;		/* the key is a group's ("NAME-*.") */
	int latency;		/* a workload histogram's percentile */
	struct hl_val *val;	/* one per cell */
	long best;		/* the best cell, -1 when none */
	int drop;		/* nothing to show (no workload to count) */
};

struct headline {
	struct hl_row *rows;
	size_t n, alloc;
	size_t ncells;
	int from_scenario;	/* the patterns are the scenario's */
	struct strbuf unmatched;	/* patterns that matched nothing, ", "-separated */
};

/* spec: the scenario's headline (NULL or "" for HEADLINE_DEFAULT). */
void headline_build(const struct result_set *rs, const struct cells *cs, const char *spec,
		    struct headline *h);
void headline_release(struct headline *h);

/* The unit a row is shown in and the divisor from its values (ns rows in
 * µs, ms or s when large). */
const char *headline_unit(const struct headline *h, const struct hl_row *row, double *divisor);

#endif
