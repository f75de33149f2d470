/* results.h — one run's results directory (README "Where results go").
 *
 *   RUN/run.json       schema ocbench.run/1; written at the start with
 *                      status "incomplete" and rewritten (atomically) at
 *                      the end, so a run killed half way says so
 *   RUN/events.jsonl   one JSON object a line, each line one write(2)
 *   RUN/samples.csv    t_ms,source,series,value
 *   RUN/guests/NAME/   free.csv, console.log, qemu.log, workload.json
 *
 * CSV files are streamed: appended as they are taken and written out at
 * least every second (results_sync_due() from the run's loop, or the next
 * append), in whole lines, so a run killed even with SIGKILL keeps them up
 * to its last second; run.json is rewritten atomically (temp + rename).
 * All times are ms on the run's monotonic clock.
 */
#ifndef OCB_RESULTS_H
#define OCB_RESULTS_H

#include <jansson.h>
#include <stdint.h>

#include "util/strbuf.h"

#define RESULTS_SCHEMA_RUN "ocbench.run/1"
/* run.json's reason from results_open() until results_close(): the run is
 * still going, or its harness (pid %ld) died before it could say how the
 * run ended. */
#define RESULTS_REASON_UNENDED "not ended: ocbench (pid %ld) is still running it, or was killed " \
	"(SIGKILL, a crash, a power cut) before it could record how the run ended"
#define RESULTS_SCHEMA_INDEX "ocbench.index/1"
/* ocbench conform --json (conform/emit.c); report reads it (reports/qualify.c) */
#define RESULTS_SCHEMA_CONFORM "ocbench.conform/1"

struct results_file;

struct results_run {
	char dir[4096];
	json_t *run;			/* the run.json document */
	json_t *metrics;		/* borrowed: run["metrics"] */
	int events_fd;
	uint64_t t0_ns;			/* the run's clock origin */
	struct results_file *files;	/* buffered CSVs */
	char lost[512];			/* the first write that failed: "" none */
};

/* Create DIR (and guests/), write run.json {status: incomplete} with the
 * given fields (stolen), open events.jsonl.  t0 = now. */
int results_open(struct results_run *r, const char *dir, json_t *fields);
/* The first results write that failed ("cannot write DIR/samples.csv:
 * No space left on device"), or NULL while every write succeeded: a run
 * whose results are being lost stops (its reason says so). */
const char *results_lost(const struct results_run *r);
/* ms since the run's start. */
uint64_t results_t_ms(const struct results_run *r);
/* Append {"t_ms":..., "type": type, ...fields} to events.jsonl. */
void results_event(struct results_run *r, const char *type, json_t *fields);
/* A cap on what one untrusted source (a guest and its QEMU: QMP events
 * such as BALLOON_CHANGE, libvirt's domain events) may add to
 * events.jsonl in one run, so that a guest that makes its device or QEMU
 * emit events without end cannot grow the results (nor the harness's
 * time) without bound.  QEMU itself sends BALLOON_CHANGE at most once a
 * second, so an honest hour-long run stays far below the default. */
#define RESULTS_SOURCE_EVENTS_MAX 10000u
struct results_event_cap {
	unsigned max;			/* RESULTS_SOURCE_EVENTS_MAX; tests lower it */
	unsigned written;
	unsigned long long dropped;	/* events past the cap, counted only */
};
#define RESULTS_EVENT_CAP_INIT { RESULTS_SOURCE_EVENTS_MAX, 0, 0 }
/* results_event() while the source is under its cap: 1.  Past it the event
 * is only counted (fields freed): 0; the first one dropped writes
 * {"type": "events_dropped", "guest": source, "max": N, "reason": ...}. */
int results_event_capped(struct results_run *r, struct results_event_cap *cap, const char *source,
			 const char *type, json_t *fields);
/* At the end of the run: when the source lost any, one more
 * events_dropped event with the final count ("dropped"). */
void results_event_cap_close(struct results_run *r, const struct results_event_cap *cap,
			     const char *source);
/* metrics[name] = {value, unit, better, gate}. better: "lower" or
 * "higher"; gate comes from results/gate.h's table (results_flush() sets it
 * on metrics put into r->metrics any other way too). */
void results_metric(struct results_run *r, const char *name, double value, const char *unit,
		    const char *better);
/* A metric this run can produce but could not measure: written anyway,
 * {"value": null, ..., "reason": why}, so that every run of a scenario
 * has the same metrics and a mean never silently leaves a run out. */
void results_metric_missing(struct results_run *r, const char *name, const char *unit,
			    const char *better, const char *reason);
/* Append a line to a streamed file (relative to the run dir); the header
 * is written first when the file is new.  A file that cannot be written
 * is reported once on stderr and results_flush() then fails. */
void results_append(struct results_run *r, const char *relpath, const char *header,
		    const char *line);
/* Write out the streamed lines older than a second (cheap otherwise). */
void results_sync_due(struct results_run *r);
/* Write out every streamed line and rewrite run.json atomically.  -1 when
 * anything of the run could not be written. */
int results_flush(struct results_run *r);
/* Set status (+ reason when not complete), flush, close. */
int results_close(struct results_run *r, const char *status, const char *reason);

/* Create OUT/NAME-STAMP (or NAME-STAMP-2 ... -99 when taken) into dir
 * (len bytes), OUT itself with its parents when missing.  Race-free: the
 * final directory is made with one mkdir(2) and a name that exists in any
 * form (directory, file, dangling symlink) is never reused, so two runs
 * started in the same second, or a link planted in OUT, cannot share or
 * redirect it.  NAME must be a plain file-name component (the scenario
 * layer checks it).  -1 with a message naming the path. */
int results_make_index_dir(const char *out, const char *name, const char *stamp, char *dir,
			   size_t len);
/* Write an index.json listing runs (array of objects, stolen). */
int results_write_index(const char *dir, const char *scenario, json_t *runs);
/* Write a JSON document atomically. */
int results_write_json(const char *path, json_t *doc);

#endif
