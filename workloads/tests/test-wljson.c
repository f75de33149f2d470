/* test-wljson.c — the results file: shape, atomic write, partial marking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "histogram.h"
#include "stop.h"
#include "wljson.h"

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/test-wljson-XXXXXX";
static char path[256];

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/w.json", dir);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return rmdir(dir);
}

static json_t *write_and_load(void)
{
	static struct hist h;
	static const char *const cols[] = { "t_s", "v", NULL };
	static const char *const units[] = { "s", "ns", NULL };
	struct wl_common c = { .size = 8 << 20, .iterations = 3, .seed = 5 };
	json_t *root = wljson_new("unit-test", &c, 21.5), *rows, *back;
	double row[2] = { 0.5, 1.25 }, nanrow[2] = { 1.0, NAN };
	json_error_t err;

	hist_init(&h);
	for (uint64_t v = 1000; v < 2000; v++)
		hist_record(&h, v);
	wljson_hist(root, "lat", &h, "ns", 1, "ns", "warm", "test values");
	wljson_metric(root, "lat_p50", 1500, "ns", "lower");
	wljson_throughput(root, "lat", 99.5, "MiB/s");
	rows = wljson_series(root, "ts", cols, units);
	wljson_series_row(rows, 2, row);
	wljson_series_row(rows, 2, nanrow);
	assert_int_equal(wljson_finish(root, "ok", path), 0);
	back = json_load_file(path, 0, &err);
	if (!back)
		fail_msg("%s does not parse back: %s (line %d)", path, err.text, err.line);
	return back;
}

static void test_shape(void **state)
{
	json_t *j = write_and_load(), *hh, *b;
	json_int_t total = 0;
	size_t i;

	wl_stop = 0;
	assert_string_equal(json_string_value(json_object_get(j, "schema")), "ocbench.workload/1");
	assert_string_equal(json_string_value(json_object_get(j, "program")), "unit-test");
	assert_true(json_is_false(json_object_get(j, "partial")));
	assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "options"), "size_bytes")), 8 << 20);
	assert_true(json_is_null(json_object_get(json_object_get(j, "options"), "duration_ns")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "timer"), "source")),
			    "clock_gettime(CLOCK_MONOTONIC)");
	hh = json_object_get(json_object_get(j, "histograms"), "lat");
	assert_non_null(hh);
	assert_string_equal(json_string_value(json_object_get(hh, "unit")), "ns");
	assert_string_equal(json_string_value(json_object_get(hh, "regime")), "warm");
	assert_int_equal(json_integer_value(json_object_get(hh, "count")), 1000);
	assert_true(json_real_value(json_object_get(hh, "relative_error")) <= 0.01);
	assert_true(fabs(json_real_value(json_object_get(json_object_get(hh, "percentiles"), "p50")) - 1499) <= 1499 * 0.01);
	assert_true(json_real_value(json_object_get(json_object_get(hh, "percentiles"), "max")) == 1999);
	assert_non_null(json_object_get(json_object_get(hh, "percentiles"), "p99.9"));
	json_array_foreach(json_object_get(hh, "buckets"), i, b) {
		assert_int_equal(json_array_size(b), 3);
		assert_true(json_integer_value(json_array_get(b, 0)) < json_integer_value(json_array_get(b, 1)));
		total += json_integer_value(json_array_get(b, 2));
	}
	assert_int_equal(total, 1000);
	b = json_object_get(json_object_get(j, "metrics"), "lat_p50");
	assert_true(json_real_value(json_object_get(b, "value")) == 1500);
	assert_string_equal(json_string_value(json_object_get(b, "unit")), "ns");
	assert_string_equal(json_string_value(json_object_get(b, "better")), "lower");
	b = json_object_get(json_object_get(json_object_get(j, "series"), "ts"), "rows");
	assert_int_equal(json_array_size(b), 2);
	assert_true(json_is_null(json_array_get(json_array_get(b, 1), 1)));
	json_decref(j);
}

static void test_no_temp_file_left(void **state)
{
	DIR *d;
	struct dirent *e;
	int files = 0;

	json_decref(write_and_load());
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			assert_string_equal(e->d_name, "w.json");
			files++;
		}
	closedir(d);
	assert_int_equal(files, 1);
}

static void test_partial_on_sigterm(void **state)
{
	json_t *j;

	wl_stop = SIGTERM;
	j = write_and_load();
	wl_stop = 0;
	assert_true(json_is_true(json_object_get(j, "partial")));
	assert_string_equal(json_string_value(json_object_get(j, "stop_reason")), "SIGTERM");
	json_decref(j);
}

static void test_unwritable_path(void **state)
{
	json_t *v = json_object();

	assert_int_equal(wljson_write_atomic(v, "/nonexistent-dir/x.json"), -1);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_no_temp_file_left),
		cmocka_unit_test(test_partial_on_sigterm),
		cmocka_unit_test(test_unwritable_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
