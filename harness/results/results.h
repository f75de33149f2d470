/* results.h — one run's results directory (DESIGN.md "Results directory").
 *
 *   RUN/run.json       schema ocbench.run/1; written at the start with
 *                      status "incomplete" and rewritten (atomically) at
 *                      the end, so a run killed half way says so
 *   RUN/events.jsonl   one JSON object a line, each line one write(2)
 *   RUN/samples.csv    t_ms,source,series,value
 *   RUN/guests/NAME/   free.csv, console.log, qemu.log, workload.json
 *
 * CSV files are kept in memory and written atomically (temp + rename) by
 * results_flush(), which the runner calls at the end and on every error
 * and signal path.  All times are ms on the run's monotonic clock.
 */
#ifndef OCB_RESULTS_H
#define OCB_RESULTS_H

#include <jansson.h>
#include <stdint.h>

#include "util/strbuf.h"

#define RESULTS_SCHEMA_RUN "ocbench.run/1"
#define RESULTS_SCHEMA_INDEX "ocbench.index/1"

struct results_file;

struct results_run {
	char dir[4096];
	json_t *run;			/* the run.json document */
	json_t *metrics;		/* borrowed: run["metrics"] */
	int events_fd;
	uint64_t t0_ns;			/* the run's clock origin */
	struct results_file *files;	/* buffered CSVs */
};

/* Create DIR (and guests/), write run.json {status: incomplete} with the
 * given fields (stolen), open events.jsonl.  t0 = now. */
int results_open(struct results_run *r, const char *dir, json_t *fields);
/* ms since the run's start. */
uint64_t results_t_ms(const struct results_run *r);
/* Append {"t_ms":..., "type": type, ...fields} to events.jsonl. */
void results_event(struct results_run *r, const char *type, json_t *fields);
/* metrics[name] = {value, unit, better, gate}. better: "lower" or
 * "higher"; gate comes from results/gate.h's table (results_flush() sets it
 * on metrics put into r->metrics any other way too). */
void results_metric(struct results_run *r, const char *name, double value, const char *unit,
		    const char *better);
/* Append a line to a buffered file (relative to the run dir); the header
 * is written first when the file is new. */
void results_append(struct results_run *r, const char *relpath, const char *header,
		    const char *line);
/* Write run.json and the buffered files atomically. */
int results_flush(struct results_run *r);
/* Set status (+ reason when not complete), flush, close. */
int results_close(struct results_run *r, const char *status, const char *reason);

/* Write an index.json listing runs (array of objects, stolen). */
int results_write_index(const char *dir, const char *scenario, json_t *runs);
/* Write a JSON document atomically. */
int results_write_json(const char *path, json_t *doc);

#endif
