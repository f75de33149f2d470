/* resultset.h — results directories read back into memory (the reader side of
 * the contract of results/results.h and README "Where results go").
 *
 * A PATH given to report/compare is one of
 *   - a run directory (has run.json),
 *   - an index directory (has index.json listing runs, as a sweep writes),
 *   - a plain directory whose subdirectories are either of the above.
 * All of them become one flat result_set of runs.  run.json is always
 * loaded; the time series, events and per-guest files only with
 * RESULTSET_SERIES, because compare needs none of them and must read a
 * thousand runs in well under a second.  Missing optional files and
 * unknown fields are tolerated; a missing or malformed run.json is an
 * error naming the file.
 */
#ifndef OCB_RESULTSET_H
#define OCB_RESULTSET_H

#include <jansson.h>
#include <stddef.h>

#include "reports/workload.h"

enum better {
	BETTER_UNKNOWN = 0,
	BETTER_LOWER,
	BETTER_HIGHER,
};

struct rs_metric {
	char *name;
	char *unit;		/* "" when absent */
	double value;
	enum better better;
	int gate;		/* run.json's "gate"; results/gate.h's table when absent */
};

/* A metric the run could not measure: run.json's {"value": null,
 * "reason": why}.  The strings point into run.json. */
struct rs_unmeasured {
	const char *name;
	const char *unit;
	const char *reason;	/* "" when run.json gives none */
	enum better better;
};

/* one (source, series) of samples.csv */
struct rs_series {
	char *source;
	char *name;
	struct rs_point *pts;
	size_t n, alloc;
};

struct rs_event {
	double t_s;
	char *type;
	char *label;	/* action text, event name or error message */
	char *guest;	/* "" when the event is not a guest's */
};

/* a guest's `free -m` row, MiB */
struct rs_free_row {
	double t_s, total, used, free, shared, buff_cache, available;
};

struct rs_guest {
	char *name;
	int wanted;		/* run.json gives it a workload */
	struct rs_workload w;	/* its workload.json (w.program NULL: none) */
	double start_s;		/* run clock of its workload_start event; NAN */
	struct rs_free_row *free;
	size_t nfree;
};

struct rs_run {
	char *dir;
	json_t *json;		/* run.json, owned; the strings below point into it */
	const char *scenario;	/* "" when absent */
	const char *run_id;
	const char *status;	/* "complete", "failed", "incomplete" */
	const char *reason;	/* "" when absent */
	int repeat;
	int runs_requested;	/* runs its `ocbench run` planned; 0 when not recorded */
	char *cell;		/* "host.ksm=on host.thp=never"; "" without a matrix */
	struct rs_metric *metrics;
	size_t nmetrics;
	struct rs_unmeasured *unmeasured;	/* never in metrics[], never averaged */
	size_t nunmeasured;
	/* RESULTSET_SERIES only */
	struct rs_series *series;
	size_t nseries;
	struct rs_event *events;
	size_t nevents;
	struct rs_guest *guests;
	size_t nguests;
};

struct result_set {
	char *path;
	struct rs_run *runs;
	size_t n, alloc;
};

#define RESULTSET_INIT { NULL, NULL, 0, 0 }

#define RESULTSET_SERIES 1u

/* Append the runs found under path to rs (call again for more paths). */
int resultset_load(struct result_set *rs, const char *path, unsigned flags);
void resultset_release(struct result_set *rs);

int run_is_complete(const struct rs_run *r);
const struct rs_metric *run_metric(const struct rs_run *r, const char *name);
/* Why the run has no value of name ("" when it gave no reason), or NULL
 * when run.json does not list it as unmeasured. */
const char *run_unmeasured(const struct rs_run *r, const char *name);
const struct rs_series *run_series(const struct rs_run *r, const char *source,
				const char *name);
/* The matrix cell of a run shown to people: the cell, or "(no matrix)". */
const char *cell_label(const char *cell);

/* The stable host fingerprint fields compare insists on. */
#define HOST_NFIELDS 4
extern const char *const host_field_names[HOST_NFIELDS];	/* "cpu.vendor", ... */
/* The value of one fingerprint field as text ("" when absent); the caller
 * frees it. */
char *run_host_field(const struct rs_run *r, const char *dotted);

enum better better_parse(const char *s);
const char *better_name(enum better b);

#endif
