/* Unit tests: what `ocbench compare` (and so ci/gate) decides from whole
 * runs — failed and incomplete runs are results, a gate never passes on
 * missing evidence, like for like — and its command line and exit codes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/compare.h"
#include "reports/compare.h"
#include "reports/resultset.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "compare-fixture.h"

/* Where each part of the verdict starts in a text: "stated first" means
 * before the metrics. */
static void assert_before(const char *text, const char *first, const char *then)
{
	const char *a = strstr(text, first), *b = strstr(text, then);

	if (!a || !b || a > b)
		fail_msg("expected '%s' before '%s' in:\n%s", first, then, text);
}

static size_t key_index(json_t *o, const char *key)
{
	size_t i = 0;

	for (void *it = json_object_iter(o); it; it = json_object_iter_next(o, it), i++)
		if (!strcmp(json_object_iter_key(it), key))
			return i;
	fail_msg("no key %s", key);
	return 0;
}

/* The failure is the first thing every format says. */
static void assert_failure_first(const struct compare_result *res)
{
	struct strbuf text = STRBUF_INIT, md = STRBUF_INIT, h = STRBUF_INIT;
	json_t *j = compare_to_json(res);

	compare_headline(res, &h);
	assert_non_null(strstr(h.buf, "verdict: REGRESSION (exit 1): the candidate's runs fail more often"));
	compare_format_text(res, &text);
	assert_before(text.buf, "verdict: REGRESSION", "runs (complete");
	assert_before(text.buf, "REGRESSION: failure rate", "\n[(no matrix)]\n  metric");
	compare_format_md(res, &md);
	assert_before(md.buf, "**verdict: REGRESSION", "| cell | metric");
	assert_string_equal(json_string_value(json_object_get(j, "verdict")), "regression");
	assert_true(key_index(j, "verdict") < key_index(j, "rows"));
	assert_true(key_index(j, "runs") < key_index(j, "rows"));
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(j, "runs"), 0),
						 "failure_regression")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(
		json_object_get(j, "runs"), 0), "candidate"), "runs_complete")), res->cells[0].cand.complete);
	json_decref(j);
	strbuf_release(&text);
	strbuf_release(&md);
	strbuf_release(&h);
}

/* issue 14: a candidate QEMU that fails 2 of 5 starts passed the gate */
static void test_failed_runs_regress(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side cand = base5;

	(void)state;
	cand.failed = 2;
	assert_int_equal(compare_keep(&base5, &cand, &o, &res, &bs, &cs, "failed"), COMPARE_EXIT_REGRESSION);
	assert_int_equal(res.failure_regressions, 1);
	assert_int_equal(res.regressions, 0);	/* its 3 complete runs look fine */
	assert_int_equal(res.cells[0].cand.failed, 2);
	assert_int_equal(res.cells[0].cand.complete, 3);
	assert_int_equal(res.cells[0].base.complete, 5);
	assert_failure_first(&res);
	release3(&res, &bs, &cs);
	/* --allow-inconclusive does not let a failure through */
	o.allow_inconclusive = 1;
	assert_int_equal(compare_dirs(&base5, &cand, &o, "failed-allowed"), COMPARE_EXIT_REGRESSION);
}

static void test_incomplete_runs_regress(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side cand = base5;

	(void)state;
	cand.n = 6;
	cand.status_first = "incomplete";
	assert_int_equal(compare_keep(&base5, &cand, &o, &res, &bs, &cs, "incomplete"),
			 COMPARE_EXIT_REGRESSION);
	assert_int_equal(res.cand_agg.runs_skipped, 1);
	assert_int_equal(res.cells[0].cand.incomplete, 1);
	/* its metrics are over its 5 complete runs, and say so */
	assert_int_equal(find_row(&res, "guest-1.latency_p99_ns")->cand.n, 5);
	assert_failure_first(&res);
	release3(&res, &bs, &cs);
}

/* Every candidate run failing is a regression too, not "incomparable". */
static void test_all_candidate_runs_fail(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side cand = base5;
	struct strbuf text = STRBUF_INIT;

	(void)state;
	cand.failed = 5;
	assert_int_equal(compare_keep(&base5, &cand, &o, &res, &bs, &cs, "all-failed"),
			 COMPARE_EXIT_REGRESSION);
	assert_int_equal(res.n, 0);	/* no candidate metric to set against */
	compare_format_text(&res, &text);
	assert_non_null(strstr(text.buf, "no complete candidate run"));
	strbuf_release(&text);
	release3(&res, &bs, &cs);
}

/* Failures on the baseline's side are no regression of the candidate, but
 * the baseline then has fewer complete runs than requested: no pass. */
static void test_baseline_failures_inconclusive(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side base = base5, both = base5;

	(void)state;
	base.failed = 1;
	assert_int_equal(compare_keep(&base, &base5, &o, &res, &bs, &cs, "base-failed"),
			 COMPARE_EXIT_INCONCLUSIVE);
	assert_int_equal(res.failure_regressions, 0);
	assert_non_null(strstr(res.gaps.buf, "baseline [(no matrix)]: 4/5 complete, 1 failed"));
	release3(&res, &bs, &cs);
	/* the same failure rate on both sides: not a regression, still a gap */
	both.failed = 1;
	assert_int_equal(compare_dirs(&base, &both, &o, "same-rate"), COMPARE_EXIT_INCONCLUSIVE);
	o.allow_inconclusive = 1;
	assert_int_equal(compare_keep(&base, &both, &o, &res, &bs, &cs, "same-rate-allowed"),
			 COMPARE_EXIT_OK);
	assert_non_null(strstr(res.gaps.buf, "fewer complete runs than requested"));
	{
		struct strbuf h = STRBUF_INIT;

		compare_headline(&res, &h);
		assert_non_null(strstr(h.buf, "INCONCLUSIVE, allowed by --allow-inconclusive (exit 0)"));
		strbuf_release(&h);
	}
	release3(&res, &bs, &cs);
}

/* Runs planned and never recorded (the invocation was killed) are missing. */
static void test_runs_never_recorded(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side cut = base5, old = base5;

	(void)state;
	cut.requested = 6;	/* --repeat 6, killed before the sixth run.json */
	assert_int_equal(compare_keep(&base5, &cut, &o, &res, &bs, &cs, "cut"), COMPARE_EXIT_INCONCLUSIVE);
	assert_non_null(strstr(res.gaps.buf, "holds 5 of the 6 runs"));
	assert_int_equal(tally_missing(&res.cells[0].cand), 1);
	release3(&res, &bs, &cs);

	/* run.json of an older ocbench does not say: noted, not guessed ... */
	old.requested = -1;
	assert_int_equal(compare_keep(&old, &old, &o, &res, &bs, &cs, "old"), COMPARE_EXIT_OK);
	assert_non_null(strstr(res.notes.buf, "do not say how many runs were requested"));
	release3(&res, &bs, &cs);
	/* ... unless the caller says how many every cell needs */
	o.expect_runs = 6;
	assert_int_equal(compare_dirs(&old, &old, &o, "old-expect"), COMPARE_EXIT_INCONCLUSIVE);
	o.expect_runs = 5;
	assert_int_equal(compare_dirs(&old, &old, &o, "old-expect-5"), COMPARE_EXIT_OK);
}

/* ci/gate's layout: one `ocbench run --repeat 1` per repeat, each in its own
 * index directory, under one directory per side. */
static void make_gate_side(const char *dir, int n, int failing)
{
	struct strbuf d = STRBUF_INIT;

	for (int i = 0; i < n; i++) {
		struct side one = base5;

		one.n = 1;
		one.failed = i == failing;
		strbuf_reset(&d);
		strbuf_addf(&d, "%s/quickstart-2025010100000%d", dir, i);
		make_set(d.buf, &one, 0);
	}
	strbuf_release(&d);
}

static void test_gate_layout(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct compare_result res;
	struct strbuf b = STRBUF_INIT, c = STRBUF_INIT;

	(void)state;
	strbuf_addf(&b, "%s/gate/baseline", tmpdir);
	strbuf_addf(&c, "%s/gate/candidate", tmpdir);
	make_gate_side(b.buf, 5, -1);
	make_gate_side(c.buf, 5, 3);	/* the fourth start of the candidate fails */
	assert_int_equal(resultset_load(&bs, b.buf, 0), 0);
	assert_int_equal(resultset_load(&cs, c.buf, 0), 0);
	o.expect_runs = 5;		/* ci/gate passes REPEAT */
	compare_sets(&bs, &cs, &o, &res);
	show(&res, "gate-layout");
	assert_int_equal(res.cells[0].base.requested, 5);
	assert_int_equal(res.cells[0].cand.requested, 5);
	assert_int_equal(compare_exit_code(&res), COMPARE_EXIT_REGRESSION);
	release3(&res, &bs, &cs);
	strbuf_release(&b);
	strbuf_release(&c);
}

/* One field at a time differs: refused (exit 2) unless allowed by name,
 * and an allowed difference is listed in the verdict. */
static void check_like(const struct side *cand, const char *field, const char *where, int host,
		       const char *tag)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct strbuf text = STRBUF_INIT, t = STRBUF_INIT;
	json_t *j;

	assert_int_equal(compare_keep(&base5, cand, &o, &res, &bs, &cs, tag), COMPARE_EXIT_INCOMPARABLE);
	if (!strstr(res.problems.buf, where))
		fail_msg("%s: expected '%s' in:\n%s", tag, where, res.problems.buf);
	release3(&res, &bs, &cs);
	/* a bare --allow-host-change is for the host fingerprint only */
	o.allow_host_change = 1;
	assert_int_equal(compare_dirs(&base5, cand, &o, tag),
			 host ? COMPARE_EXIT_OK : COMPARE_EXIT_INCOMPARABLE);
	o.allow_host_change = 0;
	o.allow_fields = field;
	strbuf_addf(&t, "%s-allowed", tag);
	assert_int_equal(compare_keep(&base5, cand, &o, &res, &bs, &cs, t.buf), COMPARE_EXIT_OK);
	assert_non_null(strstr(res.allowed.buf, where));
	compare_format_text(&res, &text);
	assert_before(text.buf, "allowed differences", where);
	j = compare_to_json(&res);
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(j, "allowed_differences"), 0)),
			       where));
	json_decref(j);
	release3(&res, &bs, &cs);
	strbuf_release(&text);
	strbuf_release(&t);
}

static void test_like_for_like(void **state)
{
	struct side kvm = base5, libvirt = base5, quick = base5, image = base5, knobs = base5;
	struct side qemu8 = base5, same_knobs = base5;
	struct compare_opts o = COMPARE_OPTS_INIT;

	(void)state;
	kvm.accel = "kvm";
	check_like(&kvm, "accel", "accel differs", 0, "like-accel");
	libvirt.backend = "libvirt";
	check_like(&libvirt, "backend", "backend differs", 0, "like-backend");
	quick.quick = 1;
	check_like(&quick, "quick", "quick differs", 0, "like-quick");
	image.initrd = "0000000000000000000000000000000000000000000000000000000000000000";
	check_like(&image, "guest_image", "guest_image.guest-1.initrd_sha256 differs", 0,
		   "like-image");
	knobs.knobs = "{\"ksm\": {\"value\": \"0\", \"previous\": \"0\"}}";
	check_like(&knobs, "guest_image,knobs", "knobs.ksm differs", 0, "like-knobs");
	/* the host fingerprint: a bare --allow-host-change allows it */
	qemu8.qemu = "8.0.0";
	check_like(&qemu8, "qemu_version", "qemu_version differs", 1, "like-qemu");
	/* what the host's knobs were before the run is not the experiment */
	knobs.knobs = "{\"ksm\": {\"value\": \"1\", \"previous\": \"0\"}}";
	same_knobs.knobs = "{\"ksm\": {\"value\": \"1\", \"previous\": \"1\"}}";
	{
		struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
		struct compare_result res;
		struct strbuf d = STRBUF_INIT;

		strbuf_addf(&d, "%s/like-prev-base", tmpdir);
		make_set(d.buf, &knobs, 0);
		assert_int_equal(resultset_load(&bs, d.buf, 0), 0);
		strbuf_reset(&d);
		strbuf_addf(&d, "%s/like-prev-cand", tmpdir);
		make_set(d.buf, &same_knobs, 1);
		assert_int_equal(resultset_load(&cs, d.buf, 0), 0);
		compare_sets(&bs, &cs, &o, &res);
		assert_int_equal(compare_exit_code(&res), COMPARE_EXIT_OK);
		release3(&res, &bs, &cs);
		strbuf_release(&d);
	}
}

/* A matrix over a host knob applies other knobs in each cell by design:
 * cells are held against their own cell, not against each other. */
static void test_knob_matrix_cells(void **state)
{
	static const char *const cell[2] = { "{\"host.ksm\":\"on\"}", "{\"host.ksm\":\"off\"}" };
	static const char *const knob[2] = { "{\"ksm\":{\"value\":\"1\",\"previous\":\"0\"}}",
					     "{\"ksm\":{\"value\":\"0\",\"previous\":\"0\"}}" };
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct result_set sets[2] = { RESULTSET_INIT, RESULTSET_INIT };
	struct compare_result res;
	struct strbuf d = STRBUF_INIT;

	(void)state;
	for (int side = 0; side < 2; side++) {
		char *names[6];

		for (int r = 0; r < 6; r++) {
			struct synth_opts so = SYNTH_OPTS_INIT;
			json_t *m = json_object();

			so.matrix = cell[r % 2];
			so.knobs = knob[r % 2];
			so.repeat = r / 2;
			so.runs_requested = 6;
			synth_metric(m, "ksm_merged_mib", r % 2 ? 0 : 200 + r, "MiB", "higher");
			strbuf_reset(&d);
			strbuf_addf(&d, "%s/matrix-%d/run-%03d", tmpdir, side, r + 1);
			synth_run_opts(d.buf, &so, m);
			names[r] = strdup(d.buf + strlen(d.buf) - 7);
		}
		strbuf_reset(&d);
		strbuf_addf(&d, "%s/matrix-%d", tmpdir, side);
		synth_index(d.buf, "quickstart", names, 6);
		assert_int_equal(resultset_load(&sets[side], d.buf, 0), 0);
		for (int r = 0; r < 6; r++)
			free(names[r]);
	}
	compare_sets(&sets[0], &sets[1], &o, &res);
	show(&res, "knob-matrix");
	assert_int_equal(res.incomparable, 0);
	assert_int_equal(res.ncells, 2);
	assert_int_equal(res.cells[0].base.requested, 3);
	release3(&res, &sets[0], &sets[1]);
	strbuf_release(&d);
}

/* getopt permutes argv, so every call gets a fresh one */
static int run_compare(const char *b, const char *c, ...)
{
	char *argv[12];
	int argc = 0;
	va_list ap;
	const char *a;

	argv[argc++] = (char *)"compare";
	argv[argc++] = (char *)b;
	if (c)
		argv[argc++] = (char *)c;
	va_start(ap, c);
	while ((a = va_arg(ap, const char *)) && argc < 11)
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return cmd_compare(argc, argv, NULL);
}

static void test_cmd_compare(void **state)
{
	struct strbuf b = STRBUF_INIT, c = STRBUF_INIT;
	struct side worse = base5, kvm = base5;

	(void)state;
	worse.lat_mean = 1200;
	strbuf_addf(&b, "%s/cmd-base", tmpdir);
	strbuf_addf(&c, "%s/cmd-cand", tmpdir);
	make_set(b.buf, &base5, 0);
	make_set(c.buf, &worse, 1);
	assert_int_equal(run_compare(b.buf, c.buf, "--format", "json", (const char *)NULL), 1);
	assert_int_equal(run_compare(b.buf, c.buf, "--threshold", "30%", (const char *)NULL), 0);
	assert_int_equal(run_compare(b.buf, c.buf, "--threshold", "lots", (const char *)NULL), 2);
	assert_int_equal(run_compare(b.buf, c.buf, "--format=md", (const char *)NULL), 1);
	assert_int_equal(run_compare(b.buf, c.buf, "--format=xml", (const char *)NULL), 2);
	assert_int_equal(run_compare(b.buf, c.buf, "--allow-host-change=cpu.colour", (const char *)NULL), 2);
	assert_non_null(strstr(ocb_errmsg(), "guest_image"));	/* the message lists the fields */
	assert_int_equal(run_compare(b.buf, c.buf, "--allow-host-change=qemu_version", (const char *)NULL), 1);
	assert_int_equal(run_compare(b.buf, c.buf, "--allow-host-change=accel,knobs", (const char *)NULL), 1);
	assert_int_equal(run_compare(b.buf, c.buf, "--expect-runs", "0", (const char *)NULL), 2);
	assert_int_equal(run_compare(b.buf, NULL, (const char *)NULL), 2);	/* one directory only */
	assert_int_equal(run_compare(b.buf, "/nonexistent/ocbench", (const char *)NULL), 2);
	/* the same sets, asked for more runs than they have */
	assert_int_equal(run_compare(b.buf, b.buf, (const char *)NULL), 0);
	assert_int_equal(run_compare(b.buf, b.buf, "--expect-runs", "6", (const char *)NULL), 3);
	assert_int_equal(run_compare(b.buf, b.buf, "--expect-runs=6", "--allow-inconclusive", (const char *)NULL), 0);
	/* a TCG candidate against a KVM baseline */
	strbuf_reset(&c);
	strbuf_addf(&c, "%s/cmd-kvm", tmpdir);
	kvm.accel = "kvm";
	make_set(c.buf, &kvm, 1);
	assert_int_equal(run_compare(b.buf, c.buf, (const char *)NULL), 2);
	assert_int_equal(run_compare(b.buf, c.buf, "--allow-host-change=accel", (const char *)NULL), 0);
	/* one run of the five: inconclusive, not a verdict */
	strbuf_addf(&b, "/r0");
	assert_int_equal(run_compare(b.buf, b.buf, (const char *)NULL), 3);
	assert_int_equal(run_compare(b.buf, b.buf, "--allow-inconclusive", (const char *)NULL), 0);
	strbuf_release(&b);
	strbuf_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_runs_regress),
		cmocka_unit_test(test_incomplete_runs_regress),
		cmocka_unit_test(test_all_candidate_runs_fail),
		cmocka_unit_test(test_baseline_failures_inconclusive),
		cmocka_unit_test(test_runs_never_recorded),
		cmocka_unit_test(test_gate_layout),
		cmocka_unit_test(test_like_for_like),
		cmocka_unit_test(test_knob_matrix_cells),
		cmocka_unit_test(test_cmd_compare),
	};

	return cmocka_run_group_tests_name("gate", tests, tmpdir_setup, tmpdir_teardown);
}
