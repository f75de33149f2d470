/* Integration tests: each workload program runs briefly in a TCG guest,
 * started through the guest agent; its workload.json comes back into
 * guests/NAME/ and its metrics into run.json.  The same scenario with
 * --native runs the programs on the host (the bare-metal baseline). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "host/accel.h"
#include "int-util.h"

static const char *const guests[] = { "touch-1", "lat-1", "fill-1", "press-1", "bw-1" };
static const char *const programs[] = { "memtouch", "memlat", "ksmfill", "pressure", "bandwidth" };

static void check_run(const char *run, const char *want_accel)
{
	json_t *doc = int_load_json(run, "run.json");
	json_t *metrics = json_object_get(doc, "metrics");

	assert_string_equal(json_string_value(json_object_get(doc, "status")), "complete");
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "accel"), "name")),
			    want_accel);
	for (size_t i = 0; i < sizeof(guests) / sizeof(guests[0]); i++) {
		char dir[4200], prefix[128];
		const char *key;
		json_t *w, *m;
		int n = 0;

		snprintf(dir, sizeof(dir), "%s/guests/%s", run, guests[i]);
		w = int_load_json(dir, "workload.json");
		assert_string_equal(json_string_value(json_object_get(w, "schema")), "ocbench.workload/1");
		assert_string_equal(json_string_value(json_object_get(w, "program")), programs[i]);
		json_decref(w);
		/* GUEST.PROGRAM.METRIC, each with value, unit and direction */
		snprintf(prefix, sizeof(prefix), "%s.%s.", guests[i], programs[i]);
		json_object_foreach(metrics, key, m) {
			if (strncmp(key, prefix, strlen(prefix)))
				continue;
			assert_true(json_is_number(json_object_get(m, "value")));
			assert_non_null(json_string_value(json_object_get(m, "unit")));
			assert_non_null(json_string_value(json_object_get(m, "better")));
			n++;
		}
		print_message("%s: %d metrics\n", prefix, n);
		assert_true(n > 0);
	}
	json_decref(doc);
}

static void run_workloads(const char *name, const char *extra, const char *want_accel)
{
	char root[1024], run[2048];
	const char *args[] = { "run", "harness/tests/scenarios/int-workloads.ini", extra, NULL };

	assert_int_equal(int_run_fresh(name, args, root, sizeof(root), NULL), 0);
	int_find_run(root, 1, run, sizeof(run));
	check_run(run, want_accel);
	assert_int_equal(int_processes_mentioning(root), 0);
}

static void test_in_guest(void **state)
{
	char why[256];

	(void)state;
	run_workloads("workloads-guest", NULL, kvm_usable("/", why, sizeof(why)) ? "kvm" : "tcg");
}

static void test_native(void **state)
{
	(void)state;
	run_workloads("workloads-native", "--native", "native");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native),
		cmocka_unit_test(test_in_guest),
	};

	return cmocka_run_group_tests_name("integration: workloads in a guest and native", tests, NULL,
					   NULL);
}
