/* wljson.c — see wljson.h. */
#include "wljson.h"
#include "util/error.h"
#include "meminfo.h"
#include "stop.h"
#include "timer.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static json_t *u64_or_null(uint64_t v)
{
	return v ? json_integer((json_int_t)v) : json_null();
}

static json_t *environment(void)
{
	json_t *env = json_object();
	struct utsname u;
	char thp[128];
	int64_t total = meminfo_field("/proc/meminfo", "MemTotal");

	if (uname(&u) == 0) {
		json_object_set_new(env, "kernel", json_string(u.release));
		json_object_set_new(env, "machine", json_string(u.machine));
	}
	json_object_set_new(env, "page_size", json_integer(sysconf(_SC_PAGESIZE)));
	json_object_set_new(env, "thp_enabled",
			    meminfo_read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp,
					      sizeof(thp)) == 0 ? json_string(thp) : json_null());
	json_object_set_new(env, "mem_total_bytes", total >= 0 ? json_integer(total) : json_null());
	json_object_set_new(env, "pid", json_integer(getpid()));
	return env;
}

json_t *wljson_new(const char *program, const struct wl_common *c, double timer_overhead_ns)
{
	json_t *root = json_object(), *opts = json_object(), *timer = json_object();

	json_object_set_new(root, "schema", json_string(WL_SCHEMA));
	json_object_set_new(root, "program", json_string(program));
	json_object_set_new(root, "partial", json_false());
	json_object_set_new(root, "stop_reason", json_null());
	json_object_set_new(root, "status", json_string("running"));
	json_object_set_new(opts, "size_bytes", json_integer((json_int_t)c->size));
	json_object_set_new(opts, "duration_ns", u64_or_null(c->duration_ns));
	json_object_set_new(opts, "iterations", u64_or_null(c->iterations));
	json_object_set_new(opts, "seed", json_integer((json_int_t)c->seed));
	json_object_set_new(root, "options", opts);
	json_object_set_new(timer, "source", json_string(TIMER_SOURCE));
	json_object_set_new(timer, "overhead_ns", json_real(timer_overhead_ns));
	json_object_set_new(root, "timer", timer);
	json_object_set_new(root, "environment", environment());
	json_object_set_new(root, "histograms", json_object());
	json_object_set_new(root, "throughput", json_object());
	json_object_set_new(root, "series", json_object());
	json_object_set_new(root, "metrics", json_object());
	return root;
}

json_t *wljson_options(json_t *root)
{
	return json_object_get(root, "options");
}

static json_t *buckets(const struct hist *h)
{
	json_t *a = json_array();

	for (size_t i = 0; i < HIST_BUCKETS; i++) {
		uint64_t lo, hi;

		if (!h->counts[i])
			continue;
		hist_bucket_range(i, &lo, &hi);
		json_array_append_new(a, json_pack("[I,I,I]", (json_int_t)lo, (json_int_t)hi,
						   (json_int_t)h->counts[i]));
	}
	return a;
}

static json_t *percentiles(const struct hist *h, double divisor)
{
	static const struct { const char *name; double p; } ps[] = {
		{ "p50", 50 }, { "p90", 90 }, { "p99", 99 }, { "p99.9", 99.9 }, { "max", 100 },
	};
	json_t *o = json_object();

	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
		json_object_set_new(o, ps[i].name,
				    json_real((double)hist_percentile(h, ps[i].p) / divisor));
	return o;
}

void wljson_hist(json_t *root, const char *name, const struct hist *h, const char *bucket_unit,
		 double divisor, const char *unit, const char *regime, const char *description)
{
	json_t *o = json_object();

	json_object_set_new(o, "unit", json_string(unit));
	json_object_set_new(o, "regime", regime ? json_string(regime) : json_null());
	json_object_set_new(o, "description", json_string(description));
	json_object_set_new(o, "count", json_integer((json_int_t)h->count));
	json_object_set_new(o, "min", json_real(h->count ? (double)h->min / divisor : 0));
	json_object_set_new(o, "max", json_real((double)h->max / divisor));
	json_object_set_new(o, "mean", json_real(hist_mean(h) / divisor));
	json_object_set_new(o, "relative_error", json_real(HIST_REL_ERROR));
	json_object_set_new(o, "percentiles", percentiles(h, divisor));
	json_object_set_new(o, "bucket_unit", json_string(bucket_unit));
	json_object_set_new(o, "buckets", buckets(h));
	json_object_set_new(json_object_get(root, "histograms"), name, o);
}

void wljson_throughput(json_t *root, const char *name, double value, const char *unit)
{
	json_object_set_new(json_object_get(root, "throughput"), name,
			    json_pack("{s:f,s:s}", "value", value, "unit", unit));
}

void wljson_metric(json_t *root, const char *name, double value, const char *unit,
		   const char *better)
{
	json_object_set_new(json_object_get(root, "metrics"), name,
			    json_pack("{s:f,s:s,s:s}", "value", value, "unit", unit, "better", better));
}

static json_t *string_array(const char *const *s)
{
	json_t *a = json_array();

	for (; *s; s++)
		json_array_append_new(a, json_string(*s));
	return a;
}

json_t *wljson_series(json_t *root, const char *name, const char *const *columns,
		      const char *const *units)
{
	json_t *o = json_object(), *rows = json_array();

	json_object_set_new(o, "columns", string_array(columns));
	json_object_set_new(o, "units", string_array(units));
	json_object_set_new(o, "rows", rows);
	json_object_set_new(json_object_get(root, "series"), name, o);
	return rows;
}

void wljson_series_row(json_t *rows, int n, const double *values)
{
	json_t *row = json_array();

	/* NaN (nothing to measure at that moment) is null: JSON has no NaN. */
	for (int i = 0; i < n; i++)
		json_array_append_new(row, isnan(values[i]) ? json_null() : json_real(values[i]));
	json_array_append_new(rows, row);
}

int wljson_write_atomic(json_t *v, const char *path)
{
	char tmp[4096];
	FILE *f;
	int rc;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= sizeof(tmp))
		return ocb_fail("JSON path '%s' is too long (expected under %zu bytes)", path,
				sizeof(tmp) - 16);
	f = fopen(tmp, "we");
	if (!f)
		return ocb_fail_errno("cannot create '%s' for the results", tmp);
	rc = json_dumpf(v, f, JSON_COMPACT | JSON_REAL_PRECISION(9));
	if (rc == 0 && fputc('\n', f) == EOF)
		rc = -1;
	if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0) {
		ocb_fail_errno("writing the results to '%s' failed", tmp);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		ocb_fail_errno("renaming '%s' to '%s' failed", tmp, path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

int wljson_finish(json_t *root, const char *status, const char *path)
{
	const char *why = stop_reason();
	int rc = 0;

	json_object_set_new(root, "partial", json_boolean(why != NULL));
	json_object_set_new(root, "stop_reason", why ? json_string(why) : json_null());
	json_object_set_new(root, "status", json_string(status));
	if (path)
		rc = wljson_write_atomic(root, path);
	json_decref(root);
	return rc;
}
