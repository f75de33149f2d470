/* test-programs.c — every workload runs briefly on the host: exit codes,
 * the JSON it writes, verification failure, SIGTERM, bad input.
 *
 * The binaries are $OCB_BUILD/workloads/NAME (OCB_BUILD defaults to
 * "build", the tree's own output when run from the top directory). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char dir[] = "/tmp/test-programs-XXXXXX";
static char json_path[300];

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(json_path, sizeof(json_path), "%s/out.json", dir);
	return 0;
}

static int teardown(void **state)
{
	unlink(json_path);
	return rmdir(dir);
}

static pid_t start(const char *prog, char **args)
{
	const char *build = getenv("OCB_BUILD") ? getenv("OCB_BUILD") : "build";
	char path[512], *argv[32];
	pid_t pid;
	int n = 0;

	snprintf(path, sizeof(path), "%s/workloads/%s", build, prog);
	if (access(path, X_OK) != 0)
		fail_msg("%s is not built: expected an executable (make %s)", path, path);
	argv[n++] = path;
	for (; *args && n < 30; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	unlink(json_path);
	if (posix_spawn(&pid, path, NULL, NULL, argv, environ) != 0)
		fail_msg("posix_spawn of %s failed", path);
	return pid;
}

/* Exit code, or 128 + signal. */
static int finish(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define RUN(prog, ...) ({ char *a_[] = { __VA_ARGS__, NULL }; finish(start(prog, a_)); })

/* Parse the JSON and check what every program must write. */
static json_t *load_common(const char *prog)
{
	json_error_t err;
	json_t *j = json_load_file(json_path, 0, &err), *m, *v;
	const char *name;

	if (!j)
		fail_msg("%s: %s does not parse: %s", prog, json_path, err.text);
	assert_string_equal(json_string_value(json_object_get(j, "schema")), "ocbench.workload/1");
	assert_string_equal(json_string_value(json_object_get(j, "program")), prog);
	assert_true(json_is_boolean(json_object_get(j, "partial")));
	assert_true(json_real_value(json_object_get(json_object_get(j, "timer"), "overhead_ns")) > 0);
	m = json_object_get(j, "metrics");
	assert_true(json_object_size(m) > 0);
	json_object_foreach(m, name, v) {
		const char *better = json_string_value(json_object_get(v, "better"));

		assert_true(json_is_number(json_object_get(v, "value")));
		assert_non_null(json_string_value(json_object_get(v, "unit")));
		if (!better || (strcmp(better, "lower") && strcmp(better, "higher")))
			fail_msg("%s: metric %s: better is '%s', expected lower or higher", prog, name,
				 better ? better : "(missing)");
	}
	return j;
}

static json_t *hist(json_t *j, const char *name)
{
	json_t *h = json_object_get(json_object_get(j, "histograms"), name);

	if (!h)
		fail_msg("histogram %s missing", name);
	return h;
}

static double pct(json_t *h, const char *p)
{
	return json_real_value(json_object_get(json_object_get(h, "percentiles"), p));
}

static void test_memtouch(void **state)
{
	json_t *j;

	assert_int_equal(RUN("memtouch", "--size", "8M", "--json", json_path), 0);
	j = load_common("memtouch");
	assert_int_equal(json_integer_value(json_object_get(hist(j, "first_touch_cold"), "count")), 2048);
	assert_string_equal(json_string_value(json_object_get(hist(j, "first_touch_cold"), "regime")), "cold");
	assert_string_equal(json_string_value(json_object_get(hist(j, "first_touch_warm"), "regime")), "warm");
	/* a fault costs more than a store to a resident page */
	assert_true(pct(hist(j, "first_touch_warm"), "p50") > pct(hist(j, "retouch_resident"), "p50"));
	json_decref(j);
}

static void test_memtouch_thp_unit(void **state)
{
	json_t *j;

	assert_int_equal(RUN("memtouch", "--size", "8M", "--thp", "on", "--json", json_path), 0);
	j = load_common("memtouch");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "options"), "unit_bytes")), 2 << 20);
	assert_int_equal(json_integer_value(json_object_get(hist(j, "first_touch_cold"), "count")), 4);
	json_decref(j);
}

static void test_memlat_sweep(void **state)
{
	json_t *j, *rows;

	assert_int_equal(RUN("memlat", "--size", "1M", "--sweep", "--iterations", "20", "--json", json_path), 0);
	j = load_common("memlat");
	rows = json_object_get(json_object_get(json_object_get(j, "series"), "sweep"), "rows");
	assert_int_equal(json_array_size(rows), 7);	/* 16K .. 1M */
	assert_true(json_real_value(json_array_get(json_array_get(rows, 0), 1)) > 0);
	assert_true(json_real_value(json_object_get(json_object_get(json_object_get(j, "metrics"),
								   "ns_per_access"), "value")) > 0);
	json_decref(j);
}

static void test_ksmfill_verifies(void **state)
{
	json_t *j;

	assert_int_equal(RUN("ksmfill", "--size", "8M", "--iterations", "1", "--interval", "10ms", "--cow",
			     "--json", json_path), 0);
	j = load_common("ksmfill");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "verify"), "mismatched_pages")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "pages"), "total")), 2048);
	json_decref(j);
}

static void test_ksmfill_catches_corruption(void **state)
{
	json_t *j, *first;

	assert_int_equal(RUN("ksmfill", "--size", "8M", "--iterations", "1", "--interval", "10ms",
			     "--corrupt-page", "1234", "--json", json_path), 1);
	j = load_common("ksmfill");
	assert_string_equal(json_string_value(json_object_get(j, "status")), "verify-failed");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "verify"), "mismatched_pages")), 1);
	first = json_array_get(json_object_get(json_object_get(j, "verify"), "first_mismatches"), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "page")), 1234);
	json_decref(j);
}

static void test_ksmfill_same_seed_same_identical_pages(void **state)
{
	json_t *a, *b;

	assert_int_equal(RUN("ksmfill", "--size", "4M", "--iterations", "1", "--seed", "9", "--json", json_path), 0);
	a = load_common("ksmfill");
	assert_int_equal(RUN("ksmfill", "--size", "4M", "--iterations", "1", "--seed", "9", "--json", json_path), 0);
	b = load_common("ksmfill");
	assert_true(json_equal(json_object_get(a, "pages"), json_object_get(b, "pages")));
	json_decref(a);
	json_decref(b);
}

static void test_pressure(void **state)
{
	json_t *j, *rows;

	assert_int_equal(RUN("pressure", "--size", "16M", "--profile", "ramp:200ms,hold:100ms,release:100ms",
			     "--interval", "20ms", "--loads", "200", "--json", json_path), 0);
	j = load_common("pressure");
	assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
	assert_int_equal(json_integer_value(json_object_get(j, "peak_bytes")), 16 << 20);
	rows = json_object_get(json_object_get(json_object_get(j, "series"), "latency"), "rows");
	assert_true(json_array_size(rows) >= 10);
	json_decref(j);
}

static void test_bandwidth(void **state)
{
	json_t *j;

	assert_int_equal(RUN("bandwidth", "--size", "8M", "--iterations", "3", "--json", json_path), 0);
	j = load_common("bandwidth");
	assert_int_equal(json_integer_value(json_object_get(hist(j, "copy"), "count")), 3);
	assert_true(json_real_value(json_object_get(json_object_get(json_object_get(j, "metrics"),
								   "read_mibs"), "value")) > 100);
	json_decref(j);
}

static void test_sigterm_writes_partial(void **state)
{
	char *args[] = { "ksmfill", "--size", "4M", "--duration", "60s", "--json", json_path, NULL };
	struct timespec ts = { 0, 300000000 };
	pid_t pid = start("ksmfill", args + 1);
	json_t *j;

	nanosleep(&ts, NULL);
	kill(pid, SIGTERM);
	assert_int_equal(finish(pid), 0);
	j = load_common("ksmfill");
	assert_true(json_is_true(json_object_get(j, "partial")));
	assert_string_equal(json_string_value(json_object_get(j, "stop_reason")), "SIGTERM");
	json_decref(j);
}

static void test_bad_input_exits_2(void **state)
{
	static const char *const progs[] = { "memtouch", "memlat", "ksmfill", "pressure", "bandwidth" };

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		assert_int_equal(RUN(progs[i], "--no-such-option"), 2);
		assert_int_equal(RUN(progs[i], "--size", "lots"), 2);
		/* larger than any machine: a clear error, not an OOM kill */
		assert_int_equal(RUN(progs[i], "--size", "900T"), 2);
		assert_int_equal(RUN(progs[i], "--help"), 0);
	}
	assert_int_equal(RUN("ksmfill", "--identical", "0.8", "--zero", "0.5"), 2);
	assert_int_equal(RUN("ksmfill", "--size", "4K", "--corrupt-page", "1"), 2);
	assert_int_equal(RUN("pressure", "--profile", "ramp:1s,fly:1s"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memtouch),
		cmocka_unit_test(test_memtouch_thp_unit),
		cmocka_unit_test(test_memlat_sweep),
		cmocka_unit_test(test_ksmfill_verifies),
		cmocka_unit_test(test_ksmfill_catches_corruption),
		cmocka_unit_test(test_ksmfill_same_seed_same_identical_pages),
		cmocka_unit_test(test_pressure),
		cmocka_unit_test(test_bandwidth),
		cmocka_unit_test(test_sigterm_writes_partial),
		cmocka_unit_test(test_bad_input_exits_2),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
