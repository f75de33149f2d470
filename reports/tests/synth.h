/* synth.h — synthetic results directories for the report/compare tests and
 * the compare benchmark (static inline: included, not linked).
 *
 * A run is written in the shape harness/run/runner.c and
 * harness/results/results.c give it (run.json: scenario, matrix, repeat,
 * run_index, runs_requested, quick, accel, backend, host fingerprint,
 * guest_image, knobs, guests, summary, metrics with "gate", duration,
 * reason; test-compare checks it against run.schema.json), with metric
 * values and run facts chosen by the caller, so a test controls the mean,
 * the noise, the number of repeats and the outcome of every run.
 */
#ifndef OCB_TEST_SYNTH_H
#define OCB_TEST_SYNTH_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/gate.h"
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

/* Standardized noise for up to 16 repeats (mean 0, sd ~1). */
static const double synth_z[16] = { -1.26, 0.63, 0.0, -0.63, 1.26, 0.9, -0.9, 0.3,
				    -0.3, 0.0, 1.5, -1.5, 0.45, -0.45, 1.05, -1.05 };

static inline void synth_file(const char *dir, const char *name, const char *text)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", dir, name);
	if (write_file_atomic(p.buf, text, strlen(text), 0644) < 0)
		abort();
	strbuf_release(&p);
}

/* guests/NAME/workload.json in the workloads' own schema
 * (workloads/lib/wljson.h): a "pressure" document with an access-latency
 * histogram (recorded in ps, as pressure records it), its percentiles in
 * ns, and its latency series over the workload's time (null in the first
 * interval, as pressure writes it).  shift moves every latency, so repeats
 * and cells differ. */
static inline void synth_workload(const char *guest_dir, double shift)
{
	struct strbuf s = STRBUF_INIT;

	strbuf_addf(&s, "{\"schema\":\"ocbench.workload/1\",\"program\":\"pressure\",\"status\":\"ok\","
		    "\"histograms\":{\"access\":{\"unit\":\"ns\",\"regime\":\"resident\",\"count\":1000,"
		    "\"percentiles\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p99.9\":%.1f,\"max\":%.1f},"
		    "\"bucket_unit\":\"ps\",\"buckets\":[", 180 + shift, 260 + shift, 900 + shift,
		    4000 + shift, 25000 + shift);
	for (int b = 0; b < 40; b++)
		strbuf_addf(&s, "%s[%.0f,%.0f,%d]", b ? "," : "", (100 + b * b * 20 + shift) * 1000,
			    (120 + b * b * 20 + shift) * 1000, 1000 / (b + 1));
	strbuf_adds(&s, "]},\"alloc_again\":{\"unit\":\"ns\",\"count\":0,\"percentiles\":{\"p50\":0},"
			"\"bucket_unit\":\"ns\",\"buckets\":[]}},"
			"\"throughput\":{},\"series\":{\"latency\":{\"columns\":[\"t_s\",\"allocated_mib\","
			"\"ns_per_access\"],\"units\":[\"s\",\"MiB\",\"ns\"],\"rows\":[[0.0,0,null]");
	for (int t = 1; t <= 16; t++)
		strbuf_addf(&s, ",[%.2f,%d,%.1f]", t * 0.5, 10 * t, 200 + shift + 15 * (t % 5));
	strbuf_adds(&s, "]}},\"metrics\":{}}\n");
	synth_file(guest_dir, "workload.json", s.buf);
	strbuf_release(&s);
}

/* samples.csv, events.jsonl and guests/guest-1/ of a run. */
static inline void synth_series(const char *dir, const char *matrix, int repeat)
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
	strbuf_adds(&s, "{\"t_ms\":1000,\"type\":\"action\",\"action\":\"workload guest-1 start\"}\n"
			"{\"t_ms\":1010,\"type\":\"workload_start\",\"guest\":\"guest-1\","
			"\"workload\":\"pressure --size 16M\"}\n"
			"{\"t_ms\":4000,\"type\":\"action\",\"action\":\"balloon guest-1 512M\"}\n"
			"{\"t_ms\":4400,\"type\":\"qmp_event\",\"guest\":\"guest-1\","
			"\"event\":\"BALLOON_CHANGE\",\"data\":{\"actual\":536870912}}\n"
			"{\"t_ms\":4420,\"type\":\"action\",\"action\":\"free guest-1\"}\n"
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
	synth_workload(g.buf, repeat + (ksm_on ? 0 : 40));
	strbuf_release(&s);
	strbuf_release(&g);
}

/* What a run.json says about the run, beside its metrics. */
struct synth_opts {
	const char *scenario;
	const char *matrix;		/* JSON object text, NULL: no matrix */
	int repeat;			/* 0-based */
	int runs_requested;		/* 0: not written (run.json of an older ocbench) */
	const char *status;		/* complete, failed, incomplete */
	const char *qemu_version;
	const char *accel;		/* NULL: tcg */
	const char *backend;		/* NULL: qemu */
	int quick;
	const char *initrd_sha256;	/* NULL: the default guest's */
	const char *knobs;		/* run.json "knobs" as JSON text, NULL: none applied */
	int series;			/* also samples, events, guests/ (with a workload) */
	const char *scenario_file;	/* NULL: scenarios/quickstart.ini */
};

#define SYNTH_OPTS_INIT { "quickstart", NULL, 0, 0, "complete", "7.2.22", NULL, NULL, 0, NULL, NULL, 0, NULL }

#define SYNTH_KERNEL_SHA "85667e6c72245133bd7e3e80bac7d16b26fda15c0a3c68faa4b713850ea526cd"
#define SYNTH_INITRD_SHA "6ecedd56d70176d84f2baa4d446a17a92b7633d9b4cd33cd1738158f2a132ac8"
#define SYNTH_CMDLINE "console=ttyS0 panic=-1 rdinit=/init quiet"

/* "host" as knob_host_fingerprint() writes it (abridged: the fields
 * compare reads and a few around them), qemu_version added at the end of
 * the run as record_guests() does. */
static inline json_t *synth_host(const char *qemu_version)
{
	return json_pack("{s:s,s:s,s:s,s:{s:s,s:s,s:i,s:i,s:i,s:i,s:{s:b,s:b}},s:I,s:s,s:s,s:s,"
			 "s:s,s:{s:b,s:s},s:b,s:[]}",
			 "schema", "ocbench.host/1", "hostname", "ci-runner-1", "kernel", "6.1.0-test",
			 "cpu", "vendor", "AuthenticAMD", "model_name", "AMD EPYC", "family", 25,
			 "model", 1, "cores", 2, "threads", 2, "flags", "vmx", 0, "svm", 1,
			 "memory_kib", (json_int_t)16318412,
			 "qemu", "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18)",
			 "qemu_path", "/usr/bin/qemu-system-x86_64", "qemu_version", qemu_version,
			 "libvirt", "9.0.0", "kvm", "kvm_usable", 0, "kvm_reason", "no usable /dev/kvm",
			 "is_root", 1, "unwritable_knobs");
}

/* One guest of guests[], as record_guests() and the qemu backend write it. */
static inline json_t *synth_guest(void)
{
	return json_pack("{s:s,s:I,s:i,s:s,s:s,s:b,s:s,s:s,s:s,s:f,s:b,s:f,s:[s,s,s,s,s]}",
			 "name", "guest-1", "memory_mib", (json_int_t)2048, "vcpus", 1, "balloon",
			 "virtio", "backing", "anonymous", "mem_merge", 1,
			 "kernel", "/usr/local/share/ocbench/guest/vmlinuz",
			 "initrd", "/usr/local/share/ocbench/guest/initramfs.cpio",
			 "append", SYNTH_CMDLINE, "boot_s", 2.4, "balloon_clamped", 0,
			 "balloon_tolerance_mib", 10.24, "argv", "/usr/bin/qemu-system-x86_64", "-name",
			 "guest-1", "-m", "2048M");
}

/* metrics: {"name": {"value":..,"unit":..,"better":..,"gate":..}}, stolen.
 * The document has the shape harness/run/runner.c and results/results.c
 * write (keys in their order of writing; results_write_json sorts them). */
static inline void synth_run_opts(const char *dir, const struct synth_opts *o, json_t *metrics)
{
	json_t *run, *image;
	char *text, id[96];
	int complete = !strcmp(o->status, "complete");

	if (mkdir_p(dir, 0755) < 0)
		abort();
	snprintf(id, sizeof(id), "%s-1735689600-%d", o->scenario, o->repeat + 1);
	image = json_pack("{s:{s:s,s:s,s:s,s:s}}", "guest-1", "kernel_release", "6.1.0-57-amd64",
			  "kernel_sha256", SYNTH_KERNEL_SHA, "initrd_sha256",
			  o->initrd_sha256 ? o->initrd_sha256 : SYNTH_INITRD_SHA, "cmdline", SYNTH_CMDLINE);
	run = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:i,s:i,s:b,s:{s:s,s:s},s:s,s:s}",
			"schema", "ocbench.run/1", "status", o->status, "scenario", o->scenario,
			"run_id", id, "started", "2025-01-01T00:00:00Z",
			"matrix", o->matrix ? json_loads(o->matrix, 0, NULL) : json_object(),
			"repeat", o->repeat, "run_index", o->repeat + 1, "quick", o->quick,
			"accel", "name", o->accel ? o->accel : "tcg", "reason",
			"no usable /dev/kvm: falling back to TCG", "backend", o->backend ? o->backend : "qemu",
			"scenario_file", o->scenario_file ? o->scenario_file : "scenarios/quickstart.ini");
	if (o->runs_requested)
		json_object_set_new(run, "runs_requested", json_integer(o->runs_requested));
	json_object_set_new(run, "host", synth_host(o->qemu_version));
	json_object_set_new(run, "guest_image", image);
	json_object_set_new(run, "metrics", metrics);
	if (o->knobs)
		json_object_set_new(run, "knobs", json_loads(o->knobs, 0, NULL));
	json_object_set_new(run, "guests", json_pack("[o]", synth_guest()));
	if (o->series)	/* the guest ran the workload synth_series writes */
		json_object_set_new(json_array_get(json_object_get(run, "guests"), 0), "workload",
				    json_string("pressure --size 16M --interval 500ms"));
	json_object_set_new(run, "summary", json_pack("[s]", complete ?
			    "guest-1: MemTotal 1967 → 431 MiB → 1967 MiB (balloon 2048 → 512 MiB in 0.82 s)" :
			    "guest-1: did not boot"));
	json_object_set_new(run, "duration_s", json_real(12.0));
	if (!complete)
		json_object_set_new(run, "reason", json_string(!strcmp(o->status, "failed") ?
				    "guest-1: QEMU exited with status 1 before the agent answered" :
				    "interrupted by SIGINT"));
	text = json_dumps(run, JSON_INDENT(2) | JSON_SORT_KEYS);
	synth_file(dir, "run.json", text);
	free(text);
	json_decref(run);
	if (o->series)
		synth_series(dir, o->matrix, o->repeat);
}

/* The older helper: a run without runs_requested. */
static inline void synth_run(const char *dir, const char *scenario, const char *matrix,
			     int repeat, const char *status, const char *qemu_version,
			     json_t *metrics, int series)
{
	struct synth_opts o = SYNTH_OPTS_INIT;

	o.scenario = scenario;
	o.matrix = matrix;
	o.repeat = repeat;
	o.status = status;
	o.qemu_version = qemu_version;
	o.series = series;
	synth_run_opts(dir, &o, metrics);
}

/* One metric object for synth_run's metrics argument. */
static inline void synth_metric(json_t *metrics, const char *name, double value, const char *unit,
				const char *better)
{
	json_object_set_new(metrics, name, json_pack("{s:f,s:s,s:s,s:b}", "value", value, "unit", unit,
						     "better", better, "gate", results_metric_gated(name)));
}

/* index.json over the given relative run directories, as `ocbench run`
 * writes it (each entry's status and reason read from its run.json). */
static inline void synth_index(const char *dir, const char *scenario, char **runs, size_t n)
{
	json_t *idx = json_pack("{s:s,s:s,s:[]}", "schema", "ocbench.index/1", "scenario", scenario,
				"runs");
	struct strbuf p = STRBUF_INIT;
	char *text;

	for (size_t i = 0; i < n; i++) {
		json_t *run;

		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s/run.json", dir, runs[i]);
		run = json_load_file(p.buf, 0, NULL);
		json_array_append_new(json_object_get(idx, "runs"),
				      json_pack("{s:s,s:O,s:O,s:s,s:s}", "dir", runs[i], "matrix",
						json_object_get(run, "matrix"), "repeat",
						json_object_get(run, "repeat"), "status",
						json_string_value(json_object_get(run, "status")) ?: "complete",
						"reason",
						json_string_value(json_object_get(run, "reason")) ?: ""));
		json_decref(run);
	}
	if (mkdir_p(dir, 0755) < 0)
		abort();
	text = json_dumps(idx, JSON_INDENT(2) | JSON_SORT_KEYS);
	synth_file(dir, "index.json", text);
	free(text);
	json_decref(idx);
	strbuf_release(&p);
}

#endif
