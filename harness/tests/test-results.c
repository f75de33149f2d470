/* Unit tests: results/ — the gate table and its "gate" field in run.json,
 * SHA-256, and the guest image identity recorded for compare. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results/gate.h"
#include "results/image-id.h"
#include "results/results.h"
#include "results/sha256.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char tmpdir[] = "/tmp/ocb-test-results-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return remove_tree(tmpdir);
}

static void put(const char *name, const char *text)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", tmpdir, name);
	assert_int_equal(write_file_atomic(p.buf, text, strlen(text), 0644), 0);
	strbuf_release(&p);
}

static void test_gate_table(void **state)
{
	/* issue 14: the harness's own cost is not the system under test */
	static const char *const info[] = { "sampler_cpu_pct", "sampler_busy_pct", "sampler_rows",
					    "harness_cpu_pct", "timeline_late_max_ms",
					    "guest_memory_declared_mib", "overcommit_declared",
					    "cgroup_limit_mib", NULL };
	static const char *const gated[] = { "guest-1.balloon_inflate_s", "guest-1.boot_s",
					     "qemu_rss_peak_mib", "ksm_merged_mib", "overcommit_measured",
					     "guest-1.memlat.latency_p99_ns", "cgroup_oom_kill",
					     "xsampler_cpu_pct", NULL };

	(void)state;
	for (size_t i = 0; info[i]; i++) {
		if (results_metric_gated(info[i]))
			fail_msg("%s is gated; expected informational", info[i]);
		assert_non_null(results_metric_info_reason(info[i]));
	}
	for (size_t i = 0; gated[i]; i++) {
		if (!results_metric_gated(gated[i]))
			fail_msg("%s is informational (%s); expected gated", gated[i],
				 results_metric_info_reason(gated[i]));
		assert_null(results_metric_info_reason(gated[i]));
	}
}

/* Every metric of run.json carries the table's decision, also those put in
 * without results_metric() (a workload's, copied from the guest), and a
 * "gate" the guest wrote is overruled. */
static void test_gate_in_run_json(void **state)
{
	struct results_run r;
	struct strbuf dir = STRBUF_INIT, file = STRBUF_INIT;
	json_t *doc, *m;

	(void)state;
	strbuf_addf(&dir, "%s/run", tmpdir);
	assert_int_equal(results_open(&r, dir.buf, json_pack("{s:s}", "scenario", "t")), 0);
	results_metric(&r, "guest-1.balloon_inflate_s", 0.8, "s", "lower");
	results_metric(&r, "sampler_cpu_pct", 3.5, "%", "lower");
	json_object_set_new(r.metrics, "guest-1.memlat.latency_p99_ns",
			    json_pack("{s:f,s:s,s:s}", "value", 900.0, "unit", "ns", "better", "lower"));
	json_object_set_new(r.metrics, "sampler_rows",
			    json_pack("{s:f,s:s,s:s,s:b}", "value", 5.0, "unit", "rows", "better",
				      "higher", "gate", 1));
	assert_int_equal(results_close(&r, "complete", NULL), 0);
	strbuf_addf(&file, "%s/run.json", dir.buf);
	doc = json_load_file(file.buf, 0, NULL);
	assert_non_null(doc);
	m = json_object_get(doc, "metrics");
	assert_true(json_is_true(json_object_get(json_object_get(m, "guest-1.balloon_inflate_s"), "gate")));
	assert_true(json_is_false(json_object_get(json_object_get(m, "sampler_cpu_pct"), "gate")));
	assert_true(json_is_true(json_object_get(json_object_get(m, "guest-1.memlat.latency_p99_ns"),
						 "gate")));
	assert_true(json_is_false(json_object_get(json_object_get(m, "sampler_rows"), "gate")));
	json_decref(doc);
	strbuf_release(&dir);
	strbuf_release(&file);
}

static char *file_text(const char *dir, const char *rel)
{
	struct strbuf p = STRBUF_INIT, t = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", dir, rel);
	if (read_file(p.buf, &t) < 0)
		strbuf_adds(&t, "(missing)");
	strbuf_release(&p);
	return strbuf_detach(&t);
}

/* CSVs are streamed: the first line reaches the disk at once, later ones
 * within a second (results_sync_due), whole lines, header once. */
static void test_csv_streamed(void **state)
{
	struct results_run r;
	struct strbuf dir = STRBUF_INIT;
	char *t;

	(void)state;
	strbuf_addf(&dir, "%s/stream", tmpdir);
	assert_int_equal(results_open(&r, dir.buf, NULL), 0);
	results_append(&r, "samples.csv", "t_ms,source,series,value", "0,host,a,1");
	t = file_text(dir.buf, "samples.csv");
	assert_string_equal(t, "t_ms,source,series,value\n0,host,a,1\n");
	free(t);
	results_append(&r, "samples.csv", "t_ms,source,series,value", "1,host,a,2");
	results_append(&r, "guests/g/free.csv", "h", "x");
	results_sync_due(&r);		/* not a second yet: still pending */
	t = file_text(dir.buf, "samples.csv");
	assert_string_equal(t, "t_ms,source,series,value\n0,host,a,1\n");
	free(t);
	sleep_ns(1100000000ull, NULL);
	results_sync_due(&r);
	t = file_text(dir.buf, "samples.csv");
	assert_string_equal(t, "t_ms,source,series,value\n0,host,a,1\n1,host,a,2\n");
	free(t);
	t = file_text(dir.buf, "guests/g/free.csv");
	assert_string_equal(t, "h\nx\n");
	free(t);
	assert_int_equal(results_close(&r, "complete", NULL), 0);
	strbuf_release(&dir);
}

/* A CSV that cannot be written fails the flush (the run is then not
 * "complete"), and is reported once, not at every line. */
/* A failed run's reason quotes a guest's stderr, which may be any bytes:
 * run.json keeps the reason, invalid UTF-8 shown as U+FFFD, instead of
 * losing it (jansson refuses such a string). */
static void test_reason_keeps_guest_bytes(void **state)
{
	struct results_run r;
	struct strbuf dir = STRBUF_INIT;
	json_t *run;

	(void)state;
	strbuf_addf(&dir, "%s/reason", tmpdir);
	assert_int_equal(results_open(&r, dir.buf, NULL), 0);
	assert_int_equal(results_close(&r, "failed", "guest-1: workload exited with 1: \xff\xfe oops"), 0);
	strbuf_addf(&dir, "/run.json");
	run = json_load_file(dir.buf, 0, NULL);
	assert_non_null(run);
	assert_string_equal(json_string_value(json_object_get(run, "reason")),
			    "guest-1: workload exited with 1: \xef\xbf\xbd\xef\xbf\xbd oops");
	json_decref(run);
	strbuf_release(&dir);
}

static void test_csv_unwritable(void **state)
{
	struct results_run r;
	struct strbuf dir = STRBUF_INIT;

	(void)state;
	strbuf_addf(&dir, "%s/unwritable", tmpdir);
	assert_int_equal(results_open(&r, dir.buf, NULL), 0);
	put("unwritable/guests/g", "a file where a directory must go");
	results_append(&r, "guests/g/free.csv", "h", "x");
	results_append(&r, "guests/g/free.csv", "h", "y");
	assert_int_equal(results_flush(&r), -1);
	assert_non_null(strstr(ocb_errmsg(), "guests/g"));
	assert_int_equal(results_close(&r, "complete", NULL), -1);
	strbuf_release(&dir);
}

/* A file system that fills up takes part of a write and refuses the
 * rest (ENOSPC; here the same short write from RLIMIT_FSIZE, in a child
 * so that nothing else of the test is limited): the CSV and events.jsonl
 * keep whole lines only, the failed part is cut back, the flush fails. */
static void test_full_fs_whole_lines(void **state)
{
	struct results_run r;
	struct strbuf dir = STRBUF_INIT;
	char *t;
	pid_t pid;
	int st;

	(void)state;
	strbuf_addf(&dir, "%s/full", tmpdir);
	assert_int_equal(results_open(&r, dir.buf, NULL), 0);
	results_append(&r, "samples.csv", "t_ms,source,series,value", "0,host,a,1");
	assert_null(results_lost(&r));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit lim = { 60, 60 };

		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &lim) < 0)
			_exit(2);
		results_event(&r, "first", json_pack("{s:s}", "k", "0123456789"));	/* fits */
		results_event(&r, "second", json_pack("{s:s}", "k", "0123456789"));	/* crosses */
		results_append(&r, "samples.csv", "t_ms,source,series,value",
			       "1000,host,a_longer_series_name,2.5");
		st = results_flush(&r) == -1 ? 0 : 3;
		/* the first loss is kept for the run's reason */
		if (!results_lost(&r) || !strstr(results_lost(&r), "events.jsonl"))
			st = 4;
		results_close(&r, "failed", "test");	/* frees (valgrind watches the child too) */
		_exit(st);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	t = file_text(dir.buf, "samples.csv");
	assert_string_equal(t, "t_ms,source,series,value\n0,host,a,1\n");
	free(t);
	t = file_text(dir.buf, "events.jsonl");
	assert_non_null(strstr(t, "\"type\":\"first\""));
	assert_null(strstr(t, "second"));
	assert_true(t[strlen(t) - 1] == '\n');
	free(t);
	results_close(&r, "failed", "test");
	strbuf_release(&dir);
}

static json_t *load_json(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	json_t *doc;

	strbuf_addf(&p, "%s/%s", dir, name);
	doc = json_load_file(p.buf, 0, NULL);
	strbuf_release(&p);
	assert_non_null(doc);
	return doc;
}

/* A run's harness SIGKILLed leaves the run.json results_open() wrote:
 * it must say incomplete with a reason (the schema requires one) naming
 * the harness and the kill; a complete run has no reason, a failed one
 * its own. */
static void test_run_json_before_its_end(void **state)
{
	struct results_run r;
	struct strbuf dir = STRBUF_INIT;
	char pid[32];
	json_t *doc;

	(void)state;
	strbuf_addf(&dir, "%s/unended", tmpdir);
	assert_int_equal(results_open(&r, dir.buf, NULL), 0);
	doc = load_json(dir.buf, "run.json");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "incomplete");
	snprintf(pid, sizeof(pid), "pid %ld", (long)getpid());
	assert_non_null(strstr(json_string_value(json_object_get(doc, "reason")), pid));
	assert_non_null(strstr(json_string_value(json_object_get(doc, "reason")), "SIGKILL"));
	json_decref(doc);
	assert_int_equal(results_close(&r, "complete", NULL), 0);
	doc = load_json(dir.buf, "run.json");
	assert_null(json_object_get(doc, "reason"));
	json_decref(doc);

	assert_int_equal(results_open(&r, dir.buf, NULL), 0);
	assert_int_equal(results_close(&r, "failed", "guest-1: QEMU killed by signal 9"), 0);
	doc = load_json(dir.buf, "run.json");
	assert_string_equal(json_string_value(json_object_get(doc, "reason")), "guest-1: QEMU killed by signal 9");
	json_decref(doc);
	strbuf_release(&dir);
}

static void hex_of(const char *msg, size_t n, char hex[SHA256_HEX_LEN + 1])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, msg, n);
	sha256_final_hex(&s, hex);
}

/* FIPS 180-4 / NIST CSRC example vectors */
static void test_sha256_vectors(void **state)
{
	char hex[SHA256_HEX_LEN + 1], split[SHA256_HEX_LEN + 1];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char *million = malloc(1000000);
	struct sha256 s;

	(void)state;
	assert_non_null(million);
	hex_of("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of(two, strlen(two), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', 1000000);
	hex_of(million, 1000000, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* the same message fed in uneven pieces */
	sha256_init(&s);
	for (size_t off = 0, step = 1; off < 1000000; off += step, step = step * 7 % 1000 + 1)
		sha256_update(&s, million + off, off + step > 1000000 ? 1000000 - off : step);
	sha256_final_hex(&s, split);
	assert_string_equal(split, hex);
	free(million);
}

static void test_sha256_file(void **state)
{
	char hex[SHA256_HEX_LEN + 1];
	struct strbuf p = STRBUF_INIT;

	(void)state;
	put("abc", "abc");
	strbuf_addf(&p, "%s/abc", tmpdir);
	assert_int_equal(sha256_file(p.buf, hex), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	strbuf_addf(&p, ".missing");
	assert_int_equal(sha256_file(p.buf, hex), -1);
	assert_non_null(strstr(ocb_errmsg(), p.buf));
	strbuf_release(&p);
}

static void test_image_identity(void **state)
{
	struct strbuf k = STRBUF_INIT, i = STRBUF_INIT, d = STRBUF_INIT;
	char hex[SHA256_HEX_LEN + 1];
	json_t *id;

	(void)state;
	put("vmlinuz", "kernel bytes");
	put("initramfs.cpio", "initramfs bytes");
	put("guest.json", "{\"schema\":\"ocbench.guest/1\",\"kernel_release\":\"6.1.0-test\"}");
	put("disk.qcow2", "disk bytes");
	strbuf_addf(&k, "%s/vmlinuz", tmpdir);
	strbuf_addf(&i, "%s/initramfs.cpio", tmpdir);
	strbuf_addf(&d, "%s/disk.qcow2", tmpdir);

	id = results_image_identity(k.buf, i.buf, "console=ttyS0 quiet", NULL);
	assert_string_equal(json_string_value(json_object_get(id, "kernel_release")), "6.1.0-test");
	assert_int_equal(sha256_file(k.buf, hex), 0);
	assert_string_equal(json_string_value(json_object_get(id, "kernel_sha256")), hex);
	assert_int_equal(sha256_file(i.buf, hex), 0);
	assert_string_equal(json_string_value(json_object_get(id, "initrd_sha256")), hex);
	assert_string_equal(json_string_value(json_object_get(id, "cmdline")), "console=ttyS0 quiet");
	assert_null(json_object_get(id, "disk_sha256"));
	json_decref(id);

	/* a rebuilt initramfs at the same path is another image (the cache
	 * looks at size and mtime, not only the path) */
	put("initramfs.cpio", "another initramfs, longer");
	id = results_image_identity(k.buf, i.buf, "console=ttyS0 quiet", NULL);
	assert_int_equal(sha256_file(i.buf, hex), 0);
	assert_string_equal(json_string_value(json_object_get(id, "initrd_sha256")), hex);
	json_decref(id);

	/* a file that cannot be read is recorded as such, not dropped */
	strbuf_addf(&i, ".gone");
	id = results_image_identity(NULL, i.buf, NULL, d.buf);
	assert_null(json_object_get(id, "initrd_sha256"));
	assert_non_null(strstr(json_string_value(json_object_get(id, "initrd_error")), i.buf));
	assert_int_equal(sha256_file(d.buf, hex), 0);
	assert_string_equal(json_string_value(json_object_get(id, "disk_sha256")), hex);
	assert_null(json_object_get(id, "cmdline"));
	json_decref(id);
	strbuf_release(&k);
	strbuf_release(&i);
	strbuf_release(&d);
}

/* A name that exists in any form is never reused, nor followed: old
 * code checked existence (following links) and then mkdir -p'd, so a
 * dangling link planted as NAME-STAMP failed the run, and a directory
 * made between the check and the mkdir was shared. */
static void test_index_dir(void **state)
{
	struct strbuf out = STRBUF_INIT, p = STRBUF_INIT;
	char dir[512], small[16];
	struct stat st;

	(void)state;
	strbuf_addf(&out, "%s/idx/results", tmpdir);
	assert_int_equal(results_make_index_dir(out.buf, "sc", "20260101T000000", dir, sizeof(dir)), 0);
	strbuf_addf(&p, "%s/sc-20260101T000000", out.buf);
	assert_string_equal(dir, p.buf);
	assert_int_equal(lstat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* taken by the run above; -2 by a dangling link; -3 by a file */
	strbuf_addf(&p, "-2");
	assert_int_equal(symlink("/nonexistent/ocb-elsewhere", p.buf), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/sc-20260101T000000-3", out.buf);
	assert_int_equal(write_file_atomic(p.buf, "x", 1, 0644), 0);
	assert_int_equal(results_make_index_dir(out.buf, "sc", "20260101T000000", dir, sizeof(dir)), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/sc-20260101T000000-4", out.buf);
	assert_string_equal(dir, p.buf);
	assert_int_equal(lstat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* a path that does not fit says so instead of truncating */
	assert_int_equal(results_make_index_dir(out.buf, "sc", "20260101T000000", small,
						sizeof(small)), -1);
	assert_non_null(strstr(ocb_errmsg(), "path longer than 15 bytes"));
	strbuf_release(&out);
	strbuf_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate_table),
		cmocka_unit_test(test_gate_in_run_json),
		cmocka_unit_test(test_csv_streamed),
		cmocka_unit_test(test_csv_unwritable),
		cmocka_unit_test(test_reason_keeps_guest_bytes),
		cmocka_unit_test(test_run_json_before_its_end),
		cmocka_unit_test(test_full_fs_whole_lines),
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_sha256_file),
		cmocka_unit_test(test_image_identity),
		cmocka_unit_test(test_index_dir),
	};

	return cmocka_run_group_tests_name("results", tests, setup, teardown);
}
