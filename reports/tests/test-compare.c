/* Unit tests: results loading and the metric rules of `ocbench compare`
 * (Welch/permutation, threshold, better-direction, gated vs informational,
 * n per metric) on synthetic result sets in a temporary directory.  The
 * run-level rules (failures, missing evidence, like for like) and the
 * command line are test-gate.c's. */
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

#include "reports/compare.h"
#include "reports/resultset.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "compare-fixture.h"

static void test_no_change(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;

	(void)state;
	assert_int_equal(compare_dirs(&base5, &base5, &o, "same"), COMPARE_EXIT_OK);
}

static void test_regression_low_noise(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side worse = base5;
	const struct compare_row *row;

	(void)state;
	worse.lat_mean = 1200;	/* 20 % slower */
	assert_int_equal(compare_keep(&base5, &worse, &o, &res, &bs, &cs, "worse"), COMPARE_EXIT_REGRESSION);
	row = find_row(&res, "guest-1.latency_p99_ns");
	assert_int_equal(row->verdict, VERDICT_REGRESSION);
	assert_true(row->p < 0.05);
	assert_true(row->p_permutation);	/* 5 + 5: below COMPARE_SMALL_N */
	assert_true(fabs(row->delta_pct - 20) < 1);
	assert_int_equal(res.regressions, 1);
	/* the harness's own figures: shown, not judged */
	assert_int_equal(find_row(&res, "sampler_rows")->verdict, VERDICT_INFO);
	/* HTML: the regression's row marked, its change a bar in the worse
	 * direction with the figure beside it; informational ones apart */
	{
		struct strbuf html = STRBUF_INIT;
		const char *r, *info;

		compare_format_html(&res, &html);
		assert_non_null(strstr(html.buf, "class=\"verdict v-regression\""));
		assert_non_null(strstr(html.buf, "<li><b>1</b> regression(s)</li>"));
		r = strstr(html.buf, "<tr class=\"regression\"><td>guest-1.latency_p99_ns</td>");
		assert_non_null(r);
		assert_non_null(strstr(r, "<span class=\"worse\" style=\"left:50.0%;"));
		assert_non_null(strstr(r, "<span class=\"pct\">+"));
		info = strstr(html.buf, "<section id=\"informational\">");
		assert_non_null(info);
		assert_true(strstr(html.buf, "<td>sampler_rows</td>") > info);
		strbuf_release(&html);
	}
	release3(&res, &bs, &cs);
}

/* n >= 10 a side: Welch's t-test decides, not the permutation test */
static void test_welch_decides(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side b = base5, c;
	const struct compare_row *row;

	(void)state;
	b.n = 10;
	c = b;
	c.lat_mean = 1100;	/* 10 % slower at 2 % noise */
	assert_int_equal(compare_keep(&b, &c, &o, &res, &bs, &cs, "welch"), COMPARE_EXIT_REGRESSION);
	row = find_row(&res, "guest-1.latency_p99_ns");
	assert_int_equal(row->verdict, VERDICT_REGRESSION);
	assert_false(row->p_permutation);
	assert_true(row->p == row->p_welch && row->p < 1e-6);
	assert_int_equal(row->base.n, 10);
	assert_int_equal(row->cand.n, 10);
	release3(&res, &bs, &cs);

	/* the same 10 + 10 without the change: no verdict but ok */
	b.n = c.n = 12;
	c.lat_mean = 1000;
	assert_int_equal(compare_keep(&b, &c, &o, &res, &bs, &cs, "welch-same"), COMPARE_EXIT_OK);
	assert_false(find_row(&res, "guest-1.latency_p99_ns")->p_permutation);
	release3(&res, &bs, &cs);
}

static void test_change_hidden_in_noise(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side noisy = base5, noisy_worse;
	const struct compare_row *row;

	(void)state;
	noisy.n = 8;
	noisy.lat_cv = 0.30;
	noisy_worse = noisy;
	noisy_worse.lat_mean = 1200;
	assert_int_equal(compare_keep(&noisy, &noisy_worse, &o, &res, &bs, &cs, "noisy"), COMPARE_EXIT_OK);
	row = find_row(&res, "guest-1.latency_p99_ns");
	assert_int_equal(row->verdict, VERDICT_OK);
	assert_true(row->limit_pct > 50);	/* 2 x 30 % CV */
	release3(&res, &bs, &cs);
}

/* A change past the limit, in the worse direction, that the repeats cannot
 * tell from noise (the candidate's own noise is large): not a pass. */
static void test_big_change_not_significant(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side b = base5, c;
	const struct compare_row *row;

	(void)state;
	b.n = 10;
	c = b;
	c.lat_mean = 1200;	/* +20 %, limit 5 % (baseline CV 2 %) */
	c.lat_cv = 0.9;		/* but the candidate is all over the place */
	assert_int_equal(compare_keep(&b, &c, &o, &res, &bs, &cs, "big-noisy"), COMPARE_EXIT_INCONCLUSIVE);
	row = find_row(&res, "guest-1.latency_p99_ns");
	assert_int_equal(row->verdict, VERDICT_INCONCLUSIVE);
	assert_false(row->p_permutation);
	assert_true(row->p >= 0.05);
	assert_true(row->delta_pct > row->limit_pct);
	assert_non_null(strstr(row->note, "not significant"));
	assert_non_null(strstr(res.gaps.buf, "guest-1.latency_p99_ns"));
	release3(&res, &bs, &cs);

	/* the same noise on a better-direction change is no gap */
	c.lat_mean = 800;
	assert_int_equal(compare_keep(&b, &c, &o, &res, &bs, &cs, "big-noisy-better"), COMPARE_EXIT_OK);
	assert_int_equal(find_row(&res, "guest-1.latency_p99_ns")->verdict, VERDICT_OK);
	release3(&res, &bs, &cs);
}

static void test_better_direction(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side faster = base5, lower_thr = base5;

	(void)state;
	/* lower latency and higher throughput are improvements, not regressions */
	faster.lat_mean = 800;
	faster.thr_mean = 600;
	assert_int_equal(compare_keep(&base5, &faster, &o, &res, &bs, &cs, "better"), COMPARE_EXIT_OK);
	assert_int_equal(find_row(&res, "guest-1.latency_p99_ns")->verdict, VERDICT_IMPROVEMENT);
	assert_int_equal(find_row(&res, "guest-1.throughput_mib_s")->verdict, VERDICT_IMPROVEMENT);
	assert_int_equal(res.improvements, 2);
	release3(&res, &bs, &cs);

	/* 20 % less throughput (higher is better) is a regression */
	lower_thr.thr_mean = 400;
	assert_int_equal(compare_dirs(&base5, &lower_thr, &o, "lowthr"), COMPARE_EXIT_REGRESSION);
}

static void test_threshold(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct side worse = base5;

	(void)state;
	worse.lat_mean = 1200;
	o.threshold_pct = 25;	/* a 20 % change is below the threshold */
	assert_int_equal(compare_dirs(&base5, &worse, &o, "thresh"), COMPARE_EXIT_OK);
}

static void test_too_few_repeats(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side one = base5, one_worse, three = base5, three_worse;
	const struct compare_row *row;

	(void)state;
	one.n = 1;
	one_worse = one;
	one_worse.lat_mean = 2000;
	assert_int_equal(compare_keep(&one, &one_worse, &o, &res, &bs, &cs, "one"), COMPARE_EXIT_INCONCLUSIVE);
	row = find_row(&res, "guest-1.latency_p99_ns");
	assert_int_equal(row->verdict, VERDICT_INCONCLUSIVE);
	assert_non_null(strstr(row->note, "too few repeats"));
	release3(&res, &bs, &cs);

	/* 3 + 3: no arrangement can reach p < 0.05 */
	three.n = 3;
	three_worse = three;
	three_worse.lat_mean = 2000;
	assert_int_equal(compare_keep(&three, &three_worse, &o, &res, &bs, &cs, "three"),
			 COMPARE_EXIT_INCONCLUSIVE);
	assert_int_equal(find_row(&res, "guest-1.latency_p99_ns")->verdict, VERDICT_INCONCLUSIVE);
	release3(&res, &bs, &cs);
	/* --allow-inconclusive: the same comparison passes, still saying why */
	o.allow_inconclusive = 1;
	assert_int_equal(compare_keep(&three, &three_worse, &o, &res, &bs, &cs, "three-allowed"),
			 COMPARE_EXIT_OK);
	assert_non_null(strstr(res.gaps.buf, "too few repeats"));
	release3(&res, &bs, &cs);
}

/* The harness's own cost is shown and never gated, however it moves —
 * whether run.json says "gate": false or (older run.json) the table does. */
static void test_informational_never_gates(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side costly = base5, three = base5, three_costly;
	const struct compare_row *row;

	(void)state;
	costly.sampler_cpu = 30;	/* 10 x the sampler's CPU: significant, huge */
	assert_int_equal(compare_keep(&base5, &costly, &o, &res, &bs, &cs, "info"), COMPARE_EXIT_OK);
	row = find_row(&res, "sampler_cpu_pct");
	assert_false(row->gate);
	assert_int_equal(row->verdict, VERDICT_INFO);
	assert_true(row->delta_pct > 100 && row->p < 0.05);
	assert_non_null(strstr(row->note, "as a gated metric: REGRESSION"));
	assert_int_equal(res.regressions, 0);
	release3(&res, &bs, &cs);

	/* informational metrics are no gap either: 3 + 3 cannot decide, and
	 * only the sampler moved */
	three.n = 3;
	three_costly = three;
	three_costly.sampler_cpu = 30;
	assert_int_equal(compare_keep(&three, &three_costly, &o, &res, &bs, &cs, "info-three"),
			 COMPARE_EXIT_OK);
	assert_int_equal(find_row(&res, "sampler_cpu_pct")->verdict, VERDICT_INFO);
	release3(&res, &bs, &cs);
}

/* Older run.json: no "gate" field.  The reader falls back to the table. */
static void test_gate_absent_uses_table(void **state)
{
	struct result_set rs = RESULTSET_INIT;
	struct strbuf d = STRBUF_INIT;
	json_t *m = json_object();

	(void)state;
	json_object_set_new(m, "sampler_busy_pct", json_pack("{s:f,s:s,s:s}", "value", 3.0, "unit",
							     "%", "better", "lower"));
	json_object_set_new(m, "guest-1.balloon_inflate_s",
			    json_pack("{s:f,s:s,s:s}", "value", 0.8, "unit", "s", "better", "lower"));
	/* and an explicit "gate": false on a name the table would gate */
	json_object_set_new(m, "guest-1.memlat.rounds", json_pack("{s:f,s:s,s:s,s:b}", "value", 3.0,
								  "unit", "rounds", "better", "higher",
								  "gate", 0));
	strbuf_addf(&d, "%s/old-gate", tmpdir);
	synth_run(d.buf, "quickstart", NULL, 0, "complete", "7.2.22", m, 0);
	assert_int_equal(resultset_load(&rs, d.buf, 0), 0);
	assert_false(run_metric(&rs.runs[0], "sampler_busy_pct")->gate);
	assert_true(run_metric(&rs.runs[0], "guest-1.balloon_inflate_s")->gate);
	assert_false(run_metric(&rs.runs[0], "guest-1.memlat.rounds")->gate);
	resultset_release(&rs);
	strbuf_release(&d);
}

/* n per metric: a gated metric missing from some complete runs is flagged
 * and the verdict cannot pass on it; its mean is over the runs that have it. */
static void test_metric_missing_in_runs(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side cand = base5, gone = base5;
	const struct compare_row *row;
	struct strbuf text = STRBUF_INIT;

	(void)state;
	cand.thr_missing = 2;
	assert_int_equal(compare_keep(&base5, &cand, &o, &res, &bs, &cs, "missing-some"),
			 COMPARE_EXIT_INCONCLUSIVE);
	row = find_row(&res, "guest-1.throughput_mib_s");
	assert_int_equal(row->cand.n, 3);
	assert_int_equal(row->cand_runs, 5);
	assert_int_equal(row->verdict, VERDICT_INCONCLUSIVE);
	assert_non_null(strstr(row->note, "missing in 2 of 5 candidate runs"));
	compare_format_text(&res, &text);
	assert_non_null(strstr(text.buf, "(n=3 of 5)"));
	assert_non_null(strstr(res.gaps.buf, "missing in 2 of 5 candidate runs"));
	strbuf_release(&text);
	release3(&res, &bs, &cs);

	/* missing from every candidate run: a gap too, not a pass */
	gone.drop_throughput = 1;
	assert_int_equal(compare_keep(&base5, &gone, &o, &res, &bs, &cs, "missing-all"),
			 COMPARE_EXIT_INCONCLUSIVE);
	row = find_row(&res, "guest-1.throughput_mib_s");
	assert_int_equal(row->cand.n, 0);
	assert_non_null(strstr(row->note, "missing in 5 of 5 candidate runs"));
	release3(&res, &bs, &cs);
}

static void test_load_errors(void **state)
{
	struct result_set rs = RESULTSET_INIT;
	struct strbuf d = STRBUF_INIT;

	(void)state;
	strbuf_addf(&d, "%s/empty", tmpdir);
	assert_int_equal(mkdir_p(d.buf, 0755), 0);
	assert_int_equal(resultset_load(&rs, d.buf, 0), -1);
	assert_non_null(strstr(ocb_errmsg(), "not a results directory"));
	strbuf_addf(&d, "/bad");
	assert_int_equal(mkdir_p(d.buf, 0755), 0);
	synth_file(d.buf, "run.json", "{\"schema\": \"ocbench.run/1\", ");
	assert_int_equal(resultset_load(&rs, d.buf, 0), -1);
	assert_non_null(strstr(ocb_errmsg(), "run.json"));
	resultset_release(&rs);
	strbuf_release(&d);
}

/* index.json names its runs inside its own directory: one that points
 * elsewhere (absolute, or up with '..') is refused by name, before the
 * reader goes there; a run that is there still loads. */
static void test_index_stays_inside(void **state)
{
	static const char *const bad[] = { "/", "/tmp", "..", "../x", "run-001/../../x", "a/..", };
	struct result_set rs = RESULTSET_INIT;
	struct strbuf d = STRBUF_INIT, run = STRBUF_INIT, text = STRBUF_INIT;
	char *ok[] = { "run-001" };

	(void)state;
	strbuf_addf(&d, "%s/index-inside", tmpdir);
	strbuf_addf(&run, "%s/run-001", d.buf);
	synth_run(run.buf, "s", NULL, 0, "complete", "7.2.22", json_object(), 0);
	synth_index(d.buf, "s", ok, 1);
	assert_int_equal(resultset_load(&rs, d.buf, 0), 0);
	assert_int_equal(rs.n, 1);
	resultset_release(&rs);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strbuf_reset(&text);
		strbuf_addf(&text, "{\"schema\": \"ocbench.index/1\", \"runs\": [{\"dir\": \"%s\"}]}",
			    bad[i]);
		synth_file(d.buf, "index.json", text.buf);
		assert_int_equal(resultset_load(&rs, d.buf, 0), -1);
		assert_non_null(strstr(ocb_errmsg(), "expected a directory inside the index's own"));
		assert_non_null(strstr(ocb_errmsg(), bad[i]));
		resultset_release(&rs);
	}
	/* a name that merely starts with dots is a name */
	strbuf_reset(&run);
	strbuf_addf(&run, "%s/..run", d.buf);
	synth_run(run.buf, "s", NULL, 0, "complete", "7.2.22", json_object(), 0);
	synth_file(d.buf, "index.json", "{\"runs\": [{\"dir\": \"..run\"}]}");
	assert_int_equal(resultset_load(&rs, d.buf, 0), 0);
	resultset_release(&rs);
	strbuf_release(&d);
	strbuf_release(&run);
	strbuf_release(&text);
}

/* 0 when run.json validates against the schema, else fail with why. */
static void validate(const char *runjson)
{
	const char *argv[] = { "python3", "-c",
			       "import json, sys, jsonschema\n"
			       "schema = json.load(open(sys.argv[1]))\n"
			       "jsonschema.validators.validator_for(schema)(schema)"
			       ".validate(json.load(open(sys.argv[2])))\n",
			       "harness/results/schemas/run.schema.json", runjson, NULL };
	struct strbuf out = STRBUF_INIT;

	if (run_capture(argv, &out, 60000000000ull) != 0)
		fail_msg("%s does not validate against run.schema.json:\n%s", runjson, out.buf);
	strbuf_release(&out);
}

/* The synthetic run.json must look like the runner's: it validates against
 * the schema the runner's own output is checked with (test-int-*). */
static void test_fixture_matches_schema(void **state)
{
	const char *probe[] = { "python3", "-c", "import jsonschema", NULL };
	struct strbuf d = STRBUF_INIT, out = STRBUF_INIT;
	struct side s = base5;
	int have = run_capture(probe, &out, 30000000000ull) == 0;

	(void)state;
	strbuf_release(&out);
	ocb_err_clear();
	if (!have) {
		printf("SKIP: python3 with jsonschema not installed (python3-jsonschema)\n");
		skip();
	}
	s.failed = 1;
	s.knobs = "{\"ksm\": {\"value\": \"1\", \"previous\": \"0\"}}";
	strbuf_addf(&d, "%s/schema", tmpdir);
	make_set(d.buf, &s, 0);
	strbuf_addf(&d, "/r0/run.json");
	validate(d.buf);
	d.buf[d.len - strlen("0/run.json")] = '4';	/* the failed one */
	validate(d.buf);
	strbuf_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_change),
		cmocka_unit_test(test_regression_low_noise),
		cmocka_unit_test(test_welch_decides),
		cmocka_unit_test(test_change_hidden_in_noise),
		cmocka_unit_test(test_big_change_not_significant),
		cmocka_unit_test(test_better_direction),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_too_few_repeats),
		cmocka_unit_test(test_informational_never_gates),
		cmocka_unit_test(test_gate_absent_uses_table),
		cmocka_unit_test(test_metric_missing_in_runs),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_index_stays_inside),
		cmocka_unit_test(test_fixture_matches_schema),
	};

	return cmocka_run_group_tests_name("compare", tests, tmpdir_setup, tmpdir_teardown);
}
