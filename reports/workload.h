/* workload.h — a guest's workload.json read back for the report: its latency
 * histograms and its latency over time.
 *
 * The programs of workloads/ write schema "ocbench.workload/1"
 * (workloads/lib/wljson.h):
 *   histograms {NAME: {unit, regime, count, percentiles {p50 .. max},
 *                      bucket_unit, buckets [[lo, hi_exclusive, count]...]}}
 *   series     {NAME: {columns [...], units [...], rows [[...]...]}}
 * A histogram is a latency when its unit is "ns" (bandwidth's are MiB/s and
 * are left out); its buckets are converted from bucket_unit to ns.  A
 * series is a latency over time when its columns hold "t_s" in s and one
 * or more columns in ns (pressure --interval: ns_per_access); its times
 * are seconds since the workload started.  A file that is missing or not
 * a workload document leaves the guest without a program: the report
 * counts that workload as not ok.
 */
#ifndef OCB_REPORTS_WORKLOAD_H
#define OCB_REPORTS_WORKLOAD_H

#include <stddef.h>

/* A sample: seconds and a value (samples.csv's rows and workload series). */
struct rs_point {
	double t_s;
	double v;
};

#define RESULT_NPCT 5
extern const char *const result_pct_names[RESULT_NPCT];	/* p50 .. max */

struct rs_hist_bucket {
	double lo_ns, hi_ns;	/* [lo, hi) */
	double count;
};

struct rs_hist {
	char *name;		/* "access" */
	char *regime;		/* "resident", "cold", "warm" or "" */
	double count;		/* samples recorded */
	double pct[RESULT_NPCT];	/* ns; NAN when absent */
	struct rs_hist_bucket *b;	/* ascending, as written */
	size_t nb;
};

/* ns over time: t_s since the workload started */
struct rs_latseries {
	char *name;		/* "latency.ns_per_access" */
	struct rs_point *pts;
	size_t n;
};

struct rs_workload {
	char *program;		/* NULL: no readable workload.json */
	char *status;		/* "ok", "oom-killed", "error", ... ("" when absent) */
	struct rs_hist *hist;
	size_t nhist;
	struct rs_latseries *lat;
	size_t nlat;
};

/* Read path into w (zeroed by the caller).  A missing or malformed file
 * leaves w->program NULL: never an error, since a failed workload is a
 * result the report shows. */
void workload_load(struct rs_workload *w, const char *path);
void workload_release(struct rs_workload *w);
/* The histogram called name, or NULL. */
const struct rs_hist *workload_hist(const struct rs_workload *w, const char *name);
/* Did the workload finish as it should (a document with status "ok")? */
int workload_ok(const struct rs_workload *w);

/* The guest group of a guest name: "busy-2" -> "busy" (the [guest NAME]
 * section; names without a -N suffix are their own group).  Writes into
 * buf and returns it. */
const char *guest_group(const char *guest, char *buf, size_t size);

#endif
