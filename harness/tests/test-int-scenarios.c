/* Integration tests of the shipped scenarios in quick mode, under TCG:
 * the 6-guest overcommit scenario completes under its cgroup cap; the
 * KSM scenario's matrix shows merging with KSM on (a finite settle time,
 * pages_sharing rising) and a skipped settle with KSM off; and SIGINT in
 * a run that changed host knobs gives them back, those its [policy]
 * controller wrote (ksmtuned) included, after both its policies ticked
 * (the same boot: about a second more). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>

#include "util/clock.h"
#include "int-util.h"

static const char *status_of(json_t *doc)
{
	return json_string_value(json_object_get(doc, "status"));
}

static void test_overcommit_6x2g_quick(void **state)
{
	char root[1024], run[2048];
	const char *args[] = { "run", "scenarios/balloon-overcommit-6x2g.ini", "--quick", NULL };
	json_t *doc, *cap;

	(void)state;
	assert_int_equal(int_run_fresh("6x2g", args, root, sizeof(root), NULL), 0);
	int_find_run(root, 1, run, sizeof(run));
	doc = int_load_json(run, "run.json");
	assert_string_equal(status_of(doc), "complete");
	assert_int_equal(json_array_size(json_object_get(doc, "guests")), 6);
	cap = json_object_get(doc, "host_memory_limit");
	assert_non_null(cap);
	assert_true(json_number_value(json_object_get(cap, "limit_mib")) == 2048.0);
	assert_true(json_number_value(json_object_get(cap, "peak_mib")) <= 2048.0);
	/* the idle guests gave their memory to the balloon, the busy ones
	 * ran pressure */
	for (int i = 1; i <= 3; i++) {
		char name[96];

		snprintf(name, sizeof(name), "idle-%d.memtotal_ballooned_mib", i);
		assert_true(int_metric(doc, name) < 200);
		snprintf(name, sizeof(name), "busy-%d.pressure.access_ns_p50", i);
		assert_true(int_metric(doc, name) > 0);
	}
	assert_true(int_metric(doc, "overcommit_declared") >= 1.0);
	json_decref(doc);
	assert_int_equal(int_processes_mentioning(root), 0);
}

/* The largest pages_sharing in samples.csv over the first one. */
static void pages_sharing(const char *run, double *first, double *max)
{
	char path[2200];
	struct strbuf csv = STRBUF_INIT;
	char *save = NULL;
	int n = 0;

	snprintf(path, sizeof(path), "%s/samples.csv", run);
	assert_int_equal(read_file(path, &csv), 0);
	*first = *max = 0;
	for (char *l = strtok_r(csv.buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		const char *p = strstr(l, ",ksm,pages_sharing,");

		if (!p)
			continue;
		double v = atof(p + strlen(",ksm,pages_sharing,"));

		if (!n++)
			*first = v;
		if (v > *max)
			*max = v;
	}
	strbuf_release(&csv);
}

static void test_ksm_identical_guests_quick(void **state)
{
	char root[1024], run[2048];
	const char *args[] = { "run", "scenarios/ksm-identical-guests.ini", "--quick", NULL };
	double first, max;
	json_t *doc;

	(void)state;
	assert_int_equal(int_run_fresh("ksm-identical", args, root, sizeof(root), NULL), 0);

	/* run 1: host.ksm = on */
	int_find_run(root, 1, run, sizeof(run));
	doc = int_load_json(run, "run.json");
	assert_string_equal(status_of(doc), "complete");
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "matrix"), "host.ksm")), "on");
	assert_true(isfinite(int_metric(doc, "ksm_settle_s")) && int_metric(doc, "ksm_settle_s") > 0);
	/* attributed to each guest through its QEMU's ksm_merging_pages */
	assert_true(int_metric(doc, "fill-1.ksm_merging_peak_mib") > 32);
	assert_true(int_metric(doc, "fill-2.ksm_merging_peak_mib") > 32);
	json_decref(doc);
	pages_sharing(run, &first, &max);
	print_message("KSM on: pages_sharing %.0f -> %.0f\n", first, max);
	assert_true(max > first);

	/* run 2: host.ksm = off: the settle wait is skipped, not failed */
	int_find_run(root, 2, run, sizeof(run));
	doc = int_load_json(run, "run.json");
	assert_string_equal(status_of(doc), "complete");
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "matrix"), "host.ksm")), "off");
	json_decref(doc);
	assert_int_equal(int_processes_mentioning(root), 0);
}

static int read_knob(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int v;

	assert_int_equal(read_file(path, &sb), 0);
	v = atoi(sb.buf);
	strbuf_release(&sb);
	return v;
}

static void test_sigint_restores_knobs(void **state)
{
	static const char scan[] = "/sys/kernel/mm/ksm/pages_to_scan", sleep_ms[] = "/sys/kernel/mm/ksm/sleep_millisecs";
	static const char ksm_run[] = "/sys/kernel/mm/ksm/run";
	char root[1024], log[1200], run[2048], events[2200];
	const char *args[] = { "run", "harness/tests/scenarios/int-long-knobs.ini", "-o", NULL, NULL };
	int scan0, sleep0, run0, scan_during, sleep_during, st;
	uint64_t deadline = mono_ns() + 90 * 1000000000ull;
	struct child c;
	json_t *doc;

	(void)state;
	if (geteuid() != 0 || !path_exists(scan)) {
		print_message("SKIP: needs root and KSM (%s)\n", scan);
		skip();
	}
	scan0 = read_knob(scan);
	sleep0 = read_knob(sleep_ms);
	run0 = read_knob(ksm_run);
	int_tmpdir("sigint-knobs", root, sizeof(root));
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	args[3] = root;
	int_start(&c, log, args);
	/* wait until the guest is up (the knobs are applied before boot) and
	 * both policies ([policy] mom + ksmtuned, every second) have ticked */
	for (;;) {
		struct strbuf ev = STRBUF_INIT;
		int up;

		assert_true(mono_ns() < deadline);
		sleep_ns(100000000, NULL);
		if (!path_exists(root))
			continue;
		run[0] = '\0';
		{
			DIR *d = opendir(root);
			struct dirent *e;

			while (d && (e = readdir(d)))
				if (!strncmp(e->d_name, "int-long-knobs", 14))
					snprintf(run, sizeof(run), "%s/%s/run-001", root, e->d_name);
			if (d)
				closedir(d);
		}
		snprintf(events, sizeof(events), "%s/events.jsonl", run);
		up = run[0] && read_file(events, &ev) == 0 && strstr(strbuf_str(&ev), "guest_ready") &&
		     strstr(strbuf_str(&ev), "\"policy\":\"ksmtuned\"") &&
		     strstr(strbuf_str(&ev), "\"policy\":\"mom\"");
		strbuf_release(&ev);
		if (up)
			break;
	}
	/* read, interrupt, then assert: a failed assert must not leave the
	 * run (and its knobs) behind */
	scan_during = read_knob(scan);
	sleep_during = read_knob(sleep_ms);
	assert_int_equal(kill(c.pid, SIGINT), 0);
	assert_int_equal(child_wait(&c, &st), 0);
	child_release(&c);
	assert_int_equal(scan_during, 1234);
	assert_int_equal(sleep_during, 37);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	assert_int_equal(read_knob(scan), scan0);
	assert_int_equal(read_knob(sleep_ms), sleep0);
	assert_int_equal(read_knob(ksm_run), run0);	/* ksmtuned's, journaled */
	doc = int_load_json(run, "run.json");
	/* the controller's metrics are there, interrupted or not */
	assert_true(int_metric(doc, "policy_ticks") >= 2);
	assert_true(int_metric(doc, "policy_overcommit") > 0);
	assert_string_equal(status_of(doc), "incomplete");
	assert_non_null(strstr(json_string_value(json_object_get(doc, "reason")), "SIGINT"));
	json_decref(doc);
	assert_int_equal(int_processes_mentioning(root), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigint_restores_knobs),
		cmocka_unit_test(test_ksm_identical_guests_quick),
		cmocka_unit_test(test_overcommit_6x2g_quick),
	};

	return cmocka_run_group_tests_name("integration: shipped scenarios (quick) and SIGINT with knobs",
					   tests, NULL, NULL);
}
