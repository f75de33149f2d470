/* synth.h — synthetic results directories for the report/compare tests and
 * the compare benchmark (static inline: included, not linked).
 *
 * A run is written exactly as the results contract describes it, with
 * metric values chosen by the caller, so a test controls the mean, the
 * noise and the number of repeats of every metric.
 */
#ifndef OCB_TEST_SYNTH_H
#define OCB_TEST_SYNTH_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fsutil.h"
#include "util/strbuf.h"

/* Each test binary works in one private directory, made before its first
 * test and removed after its last (cmocka group setup and teardown). */
static char tmpdir[] = "/tmp/ocb-test-reports-XXXXXX";

static inline int tmpdir_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static inline int tmpdir_teardown(void **state)
{
	(void)state;
	return remove_tree(tmpdir);
}

/* Standardized noise for up to 10 repeats (mean 0, sd ~1). */
static const double synth_z[10] = { -1.26, 0.63, 0.0, -0.63, 1.26, 0.9, -0.9, 0.3, -0.3, 0.0 };

static inline void synth_file(const char *dir, const char *name, const char *text)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", dir, name);
	if (write_file_atomic(p.buf, text, strlen(text), 0644) < 0)
		abort();
	strbuf_release(&p);
}

/* metrics: {"name": {"value":..,"unit":..,"better":..}}, stolen.
 * matrix: JSON object text or NULL.  series: also samples, events, guests. */
static inline void synth_run(const char *dir, const char *scenario, const char *matrix,
			     int repeat, const char *status, const char *qemu_version,
			     json_t *metrics, int series)
{
	json_t *run;
	char *text;

	if (mkdir_p(dir, 0755) < 0)
		abort();
	run = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:o,s:{s:s,s:s},"
			"s:{s:{s:s,s:s},s:s,s:s},s:{},s:[{s:s,s:i}],s:o}",
			"schema", "ocbench.run/1", "scenario", scenario, "run_id", dir,
			"status", status, "started", "2025-01-01T00:00:00Z", "duration_s", 12,
			"repeat", repeat,
			"matrix", matrix ? json_loads(matrix, 0, NULL) : json_object(),
			"accel", "name", "tcg", "reason", "no vmx/svm",
			"host", "cpu", "vendor", "AuthenticAMD", "model_name", "AMD EPYC",
			"kernel", "6.1.0-test", "qemu_version", qemu_version,
			"knobs", "guests", "name", "guest-1", "memory_mib", 2048,
			"metrics", metrics);
	if (strcmp(status, "complete"))
		json_object_set_new(run, "reason", json_string("interrupted by SIGINT"));
	text = json_dumps(run, JSON_INDENT(2));
	synth_file(dir, "run.json", text);
	free(text);
	json_decref(run);
	if (!series)
		return;

	{
		struct strbuf s = STRBUF_INIT, g = STRBUF_INIT;
		int ksm_on = matrix && strstr(matrix, "\"on\"");

		strbuf_adds(&s, "t_ms,source,series,value\n");
		for (int t = 0; t <= 12000; t += 500) {
			double actual = t < 4000 ? 2048 : t < 9000 ? 512 : 2048;

			strbuf_addf(&s, "%d,balloon,guest-1.actual_mib,%.0f\n", t, actual);
			strbuf_addf(&s, "%d,qemu,guest-1.rss_mib,%d\n", t, 300 + t / 40);
			strbuf_addf(&s, "%d,ksm,pages_sharing,%d\n", t, ksm_on ? t * 5 : 0);
			strbuf_addf(&s, "%d,host,MemAvailable_mib,%d\n", t, 20000 - t / 20);
			strbuf_addf(&s, "%d,host,SwapTotal_mib,1024\n", t);
			strbuf_addf(&s, "%d,host,SwapFree_mib,%d\n", t, 1024 - t / 100);
		}
		synth_file(dir, "samples.csv", s.buf);
		strbuf_reset(&s);
		strbuf_adds(&s, "{\"t_ms\":4000,\"type\":\"action\",\"action\":\"balloon guest-1 512M\"}\n"
				"{\"t_ms\":4400,\"type\":\"qmp_event\",\"guest\":\"guest-1\","
				"\"event\":\"BALLOON_CHANGE\",\"data\":{\"actual\":536870912}}\n"
				"{\"t_ms\":9000,\"type\":\"action\",\"action\":\"balloon guest-1 2G\"}\n");
		synth_file(dir, "events.jsonl", s.buf);

		strbuf_addf(&g, "%s/guests/guest-1", dir);
		if (mkdir_p(g.buf, 0755) < 0)
			abort();
		strbuf_reset(&s);
		strbuf_adds(&s, "t_ms,total,used,free,shared,buff_cache,available\n");
		for (int t = 0; t <= 12000; t += 1000)
			strbuf_addf(&s, "%d,%d,%d,%d,1,50,%d\n", t, t < 4000 || t >= 9000 ? 1967 : 431,
				    120 + t / 100, 1500, t < 4000 || t >= 9000 ? 1800 : 280);
		synth_file(g.buf, "free.csv", s.buf);
		strbuf_reset(&s);
		strbuf_addf(&s, "{\"schema\":\"ocbench.workload/1\",\"program\":\"memlat\","
			    "\"percentiles\":{\"p50\":%d,\"p90\":%d,\"p99\":%d,\"p99.9\":%d,\"max\":%d},"
			    "\"histogram\":[", 180 + repeat, 260, 900, 4000, 25000);
		for (int b = 0; b < 40; b++)
			strbuf_addf(&s, "%s{\"value_ns\":%d,\"count\":%d}", b ? "," : "",
				    100 + b * b * 20, 1000 / (b + 1));
		strbuf_adds(&s, "],\"metrics\":{}}\n");
		synth_file(g.buf, "workload.json", s.buf);
		strbuf_release(&s);
		strbuf_release(&g);
	}
}

/* One metric object for synth_run's metrics argument. */
static inline void synth_metric(json_t *metrics, const char *name, double value, const char *unit,
				const char *better)
{
	json_object_set_new(metrics, name, json_pack("{s:f,s:s,s:s}", "value", value, "unit", unit,
						     "better", better));
}

/* index.json over the given relative run directories. */
static inline void synth_index(const char *dir, const char *scenario, char **runs, size_t n)
{
	json_t *idx = json_pack("{s:s,s:s,s:[]}", "schema", "ocbench.index/1", "scenario", scenario,
				"runs");
	char *text;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(json_object_get(idx, "runs"),
				      json_pack("{s:s,s:{},s:i,s:s}", "dir", runs[i], "matrix",
						"repeat", (int)i, "status", "complete"));
	if (mkdir_p(dir, 0755) < 0)
		abort();
	text = json_dumps(idx, JSON_INDENT(2));
	synth_file(dir, "index.json", text);
	free(text);
	json_decref(idx);
}

#endif
