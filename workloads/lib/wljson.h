/* wljson.h — the workloads' results file, schema "ocbench.workload/1".
 *
 * The measurement code fills histograms and numbers; this file turns them
 * into JSON (with jansson) only after the timed loops are done.  Layout:
 *
 *   schema, program, partial, stop_reason, status,
 *   options      {size_bytes, duration_ns|null, iterations|null, seed, ...}
 *   timer        {source, overhead_ns}
 *   environment  {kernel, machine, page_size, thp_enabled, mem_total_bytes}
 *   histograms   {NAME: {unit, regime, description, count, min, max, mean,
 *                        relative_error, percentiles {p50 p90 p99 p99.9 max},
 *                        bucket_unit, buckets [[lo, hi_exclusive, count]...]}}
 *   throughput   {NAME: {value, unit}}
 *   series       {NAME: {columns [...], units [...], rows [[...]...]}}
 *   metrics      {NAME: {value, unit, better: "lower"|"higher"}}
 *
 * "metrics" holds the headline figures the harness copies into run.json.
 * The file is written to a temporary name and renamed into place.
 */
#ifndef OCB_WL_JSON_H
#define OCB_WL_JSON_H

#include <jansson.h>

#include "histogram.h"
#include "wlopt.h"

#define WL_SCHEMA "ocbench.workload/1"

/* A new results object with the common parts filled in. */
json_t *wljson_new(const char *program, const struct wl_common *c, double timer_overhead_ns);
/* The "options" object, for the program's own options. */
json_t *wljson_options(json_t *root);

/* Add histogram NAME.  Values were recorded in bucket_unit; percentiles,
 * min, max and mean are divided by divisor and given in unit (e.g.
 * recorded in ps, reported in ns with divisor 1000).  regime is "cold",
 * "warm", "resident" or NULL when it does not apply. */
void wljson_hist(json_t *root, const char *name, const struct hist *h, const char *bucket_unit,
		 double divisor, const char *unit, const char *regime, const char *description);
void wljson_throughput(json_t *root, const char *name, double value, const char *unit);
void wljson_metric(json_t *root, const char *name, double value, const char *unit,
		   const char *better);
/* A time series: columns and units are NULL-terminated; append rows with
 * wljson_series_row (the returned array). */
json_t *wljson_series(json_t *root, const char *name, const char *const *columns,
		      const char *const *units);
void wljson_series_row(json_t *rows, int n, const double *values);

/* Stamp partial/stop_reason (from stop.h) and status, write atomically to
 * path (nothing when path is NULL), free root.  0, or -1 with ocb_errmsg(). */
int wljson_finish(json_t *root, const char *status, const char *path);
/* Write any JSON value to path atomically (temp file + rename). */
int wljson_write_atomic(json_t *v, const char *path);

#endif
