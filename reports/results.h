/* results.h — results directories read back into memory (the reader side of
 * the contract in DESIGN.md "Results directory").
 *
 * A PATH given to report/compare is one of
 *   - a run directory (has run.json),
 *   - an index directory (has index.json listing runs, as a sweep writes),
 *   - a plain directory whose subdirectories are either of the above.
 * All of them become one flat result_set of runs.  run.json is always
 * loaded; the time series, events and per-guest files only with
 * RESULTS_SERIES, because compare needs none of them and must read a
 * thousand runs in well under a second.  Missing optional files and
 * unknown fields are tolerated; a missing or malformed run.json is an
 * error naming the file.
 */
#ifndef OCB_RESULTS_H
#define OCB_RESULTS_H

#include <jansson.h>
#include <stddef.h>

enum better {
	BETTER_UNKNOWN = 0,
	BETTER_LOWER,
	BETTER_HIGHER,
};

struct metric {
	char *name;
	char *unit;		/* "" when absent */
	double value;
	enum better better;
};

struct point {
	double t_s;
	double v;
};

/* one (source, series) of samples.csv */
struct series {
	char *source;
	char *name;
	struct point *pts;
	size_t n, alloc;
};

struct event {
	double t_s;
	char *type;
	char *label;	/* action text, event name or error message */
};

/* a guest's `free -m` row, MiB */
struct free_row {
	double t_s, total, used, free, shared, buff_cache, available;
};

struct hist_bucket {
	double value_ns;
	double count;
};

#define RESULT_NPCT 5
extern const char *const result_pct_names[RESULT_NPCT];	/* p50 .. max */

struct guest_result {
	char *name;
	char *program;		/* NULL when no workload.json */
	double pct[RESULT_NPCT];	/* ns, NAN when absent */
	struct hist_bucket *hist;
	size_t nhist;
	struct free_row *free;
	size_t nfree;
};

struct run_result {
	char *dir;
	json_t *json;		/* run.json, owned; the strings below point into it */
	const char *scenario;	/* "" when absent */
	const char *run_id;
	const char *status;	/* "complete", "failed", "incomplete" */
	const char *reason;	/* "" when absent */
	int repeat;
	char *cell;		/* "host.ksm=on host.thp=never"; "" without a matrix */
	struct metric *metrics;
	size_t nmetrics;
	/* RESULTS_SERIES only */
	struct series *series;
	size_t nseries;
	struct event *events;
	size_t nevents;
	struct guest_result *guests;
	size_t nguests;
};

struct result_set {
	char *path;
	struct run_result *runs;
	size_t n, alloc;
};

#define RESULT_SET_INIT { NULL, NULL, 0, 0 }

#define RESULTS_SERIES 1u

/* Append the runs found under path to rs (call again for more paths). */
int results_load(struct result_set *rs, const char *path, unsigned flags);
void results_release(struct result_set *rs);

int run_is_complete(const struct run_result *r);
const struct metric *run_metric(const struct run_result *r, const char *name);
const struct series *run_series(const struct run_result *r, const char *source,
				const char *name);
/* The matrix cell of a run shown to people: the cell, or "(no matrix)". */
const char *cell_label(const char *cell);

/* The stable host fingerprint fields compare insists on. */
#define HOST_NFIELDS 4
extern const char *const host_field_names[HOST_NFIELDS];	/* "cpu.vendor", ... */
/* The value of one fingerprint field as text ("" when absent); the caller
 * frees it. */
char *run_host_field(const struct run_result *r, const char *dotted);

enum better better_parse(const char *s);
const char *better_name(enum better b);

#endif
