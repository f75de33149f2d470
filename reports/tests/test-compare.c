/* Unit tests: results loading and `ocbench compare` on synthetic result
 * sets built in a temporary directory. */
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
#include "util/error.h"
#include "util/fsutil.h"
#include "reports/resultset.h"
#include "synth.h"

struct side {
	const char *scenario;
	const char *qemu;
	int n;			/* repeats */
	double lat_mean, lat_cv;	/* latency_ns: lower is better */
	double thr_mean, thr_cv;	/* throughput_mib_s: higher is better */
	const char *status_first;	/* status of repeat 0 */
	int drop_throughput;
};


/* A set of repeats as an index directory: DIR/index.json + DIR/r0.. */
static void make_set(const char *dir, const struct side *s, int zshift)
{
	char *names[10];
	struct strbuf run = STRBUF_INIT;

	for (int i = 0; i < s->n; i++) {
		json_t *m = json_object();
		double z = synth_z[(i + zshift) % s->n == i ? i : (i + zshift) % s->n];

		synth_metric(m, "guest-1.latency_p99_ns", s->lat_mean * (1 + s->lat_cv * z), "ns", "lower");
		if (!s->drop_throughput)
			synth_metric(m, "guest-1.throughput_mib_s",
				     s->thr_mean * (1 + s->thr_cv * synth_z[(i + 2) % s->n]), "MiB/s",
				     "higher");
		synth_metric(m, "ksm_pages_sharing", 1000 + i, "pages", "none");
		strbuf_reset(&run);
		strbuf_addf(&run, "%s/r%d", dir, i);
		synth_run(run.buf, s->scenario, NULL, i,
			  i == 0 && s->status_first ? s->status_first : "complete", s->qemu, m, 0);
		names[i] = strdup(run.buf + strlen(dir) + 1);
	}
	synth_index(dir, s->scenario, names, (size_t)s->n);
	for (int i = 0; i < s->n; i++)
		free(names[i]);
	strbuf_release(&run);
}

static int compare_dirs(const struct side *b, const struct side *c, const struct compare_opts *o,
			struct compare_result *res, const char *tag)
{
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct strbuf bd = STRBUF_INIT, cd = STRBUF_INIT, text = STRBUF_INIT;
	int code;

	strbuf_addf(&bd, "%s/%s-base", tmpdir, tag);
	strbuf_addf(&cd, "%s/%s-cand", tmpdir, tag);
	make_set(bd.buf, b, 0);
	make_set(cd.buf, c, 1);
	assert_int_equal(resultset_load(&bs, bd.buf, 0), 0);
	assert_int_equal(resultset_load(&cs, cd.buf, 0), 0);
	assert_int_equal(compare_sets(&bs, &cs, o, res), 0);
	code = compare_exit_code(res);
	compare_format_text(res, &text);
	printf("---- %s (exit %d)\n%s", tag, code, text.buf);
	/* every emitter works on every result */
	strbuf_reset(&text);
	compare_format_md(res, &text);
	{
		json_t *j = compare_to_json(res);

		assert_non_null(j);
		assert_int_equal(json_integer_value(json_object_get(j, "exit")), code);
		json_decref(j);
	}
	compare_release(res);
	resultset_release(&bs);
	resultset_release(&cs);
	strbuf_release(&bd);
	strbuf_release(&cd);
	strbuf_release(&text);
	return code;
}

static const struct compare_row *find_row(const struct compare_result *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->rows[i].name, name))
			return &r->rows[i];
	return NULL;
}

/* compare_dirs releases the result; this variant keeps it for inspection */
static int compare_keep(const struct side *b, const struct side *c, const struct compare_opts *o,
			struct compare_result *res, struct result_set *bs, struct result_set *cs,
			const char *tag)
{
	struct strbuf bd = STRBUF_INIT, cd = STRBUF_INIT;

	strbuf_addf(&bd, "%s/%s-base", tmpdir, tag);
	strbuf_addf(&cd, "%s/%s-cand", tmpdir, tag);
	make_set(bd.buf, b, 0);
	make_set(cd.buf, c, 1);
	assert_int_equal(resultset_load(bs, bd.buf, 0), 0);
	assert_int_equal(resultset_load(cs, cd.buf, 0), 0);
	compare_sets(bs, cs, o, res);
	strbuf_release(&bd);
	strbuf_release(&cd);
	return compare_exit_code(res);
}

static const struct side base5 = { "quickstart", "7.2.22", 5, 1000, 0.02, 500, 0.02, NULL, 0 };

static void test_no_change(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;

	(void)state;
	assert_int_equal(compare_dirs(&base5, &base5, &o, &res, "same"), 0);
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
	assert_int_equal(compare_keep(&base5, &worse, &o, &res, &bs, &cs, "worse"), 1);
	row = find_row(&res, "guest-1.latency_p99_ns");
	assert_non_null(row);
	assert_int_equal(row->verdict, VERDICT_REGRESSION);
	assert_true(row->p < 0.05);
	assert_true(row->p_permutation);
	assert_true(fabs(row->delta_pct - 20) < 1);
	assert_int_equal(res.regressions, 1);
	/* no better-direction: shown, not judged */
	assert_int_equal(find_row(&res, "ksm_pages_sharing")->verdict, VERDICT_INFO);
	compare_release(&res);
	resultset_release(&bs);
	resultset_release(&cs);
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
	assert_int_equal(compare_keep(&noisy, &noisy_worse, &o, &res, &bs, &cs, "noisy"), 0);
	row = find_row(&res, "guest-1.latency_p99_ns");
	assert_int_equal(row->verdict, VERDICT_OK);
	assert_true(row->limit_pct > 50);	/* 2 x 30 % CV */
	compare_release(&res);
	resultset_release(&bs);
	resultset_release(&cs);
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
	assert_int_equal(compare_keep(&base5, &faster, &o, &res, &bs, &cs, "better"), 0);
	assert_int_equal(find_row(&res, "guest-1.latency_p99_ns")->verdict, VERDICT_IMPROVEMENT);
	assert_int_equal(find_row(&res, "guest-1.throughput_mib_s")->verdict, VERDICT_IMPROVEMENT);
	assert_int_equal(res.improvements, 2);
	compare_release(&res);
	resultset_release(&bs);
	resultset_release(&cs);

	/* 20 % less throughput (higher is better) is a regression */
	lower_thr.thr_mean = 400;
	assert_int_equal(compare_dirs(&base5, &lower_thr, &o, &res, "lowthr"), 1);
}

static void test_threshold(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct side worse = base5;

	(void)state;
	worse.lat_mean = 1200;
	o.threshold_pct = 25;	/* a 20 % change is below the threshold */
	assert_int_equal(compare_dirs(&base5, &worse, &o, &res, "thresh"), 0);
}

static void test_incomparable(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side other = base5, newqemu = base5, missing = base5;

	(void)state;
	other.scenario = "seed-overcommit-6x2g";
	assert_int_equal(compare_dirs(&base5, &other, &o, &res, "scen"), 2);

	newqemu.qemu = "8.0.0";
	assert_int_equal(compare_keep(&base5, &newqemu, &o, &res, &bs, &cs, "host"), 2);
	assert_non_null(strstr(res.problems.buf, "qemu_version"));
	compare_release(&res);
	resultset_release(&bs);
	resultset_release(&cs);
	o.allow_host_change = 1;
	assert_int_equal(compare_dirs(&base5, &newqemu, &o, &res, "host-all"), 0);
	o.allow_host_change = 0;
	o.allow_fields = "kernel,qemu_version";
	assert_int_equal(compare_dirs(&base5, &newqemu, &o, &res, "host-field"), 0);
	o.allow_fields = "kernel";
	assert_int_equal(compare_dirs(&base5, &newqemu, &o, &res, "host-other"), 2);
	o.allow_fields = NULL;

	missing.drop_throughput = 1;
	assert_int_equal(compare_keep(&base5, &missing, &o, &res, &bs, &cs, "missing"), 2);
	assert_non_null(strstr(res.problems.buf, "throughput_mib_s"));
	compare_release(&res);
	resultset_release(&bs);
	resultset_release(&cs);
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
	assert_int_equal(compare_keep(&one, &one_worse, &o, &res, &bs, &cs, "one"), 0);
	row = find_row(&res, "guest-1.latency_p99_ns");
	assert_int_equal(row->verdict, VERDICT_INCONCLUSIVE);
	assert_non_null(strstr(row->note, "too few repeats"));
	compare_release(&res);
	resultset_release(&bs);
	resultset_release(&cs);

	/* 3 + 3: no arrangement can reach p < 0.05 */
	three.n = 3;
	three_worse = three;
	three_worse.lat_mean = 2000;
	assert_int_equal(compare_keep(&three, &three_worse, &o, &res, &bs, &cs, "three"), 0);
	assert_int_equal(find_row(&res, "guest-1.latency_p99_ns")->verdict, VERDICT_INCONCLUSIVE);
	compare_release(&res);
	resultset_release(&bs);
	resultset_release(&cs);
}

static void test_incomplete_left_out(void **state)
{
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct side cand = base5;

	(void)state;
	cand.n = 6;
	cand.status_first = "incomplete";
	assert_int_equal(compare_keep(&base5, &cand, &o, &res, &bs, &cs, "incomplete"), 0);
	assert_int_equal(res.cand_agg.runs_skipped, 1);
	assert_int_equal(find_row(&res, "guest-1.latency_p99_ns")->cand.n, 5);
	assert_non_null(strstr(res.notes.buf, "not complete"));
	compare_release(&res);
	resultset_release(&bs);
	resultset_release(&cs);
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

/* getopt permutes argv, so every call gets a fresh one */
static int run_compare(const char *b, const char *c, const char *o1, const char *o2)
{
	char *argv[6];
	int argc = 0;

	argv[argc++] = (char *)"compare";
	argv[argc++] = (char *)b;
	if (c)
		argv[argc++] = (char *)c;
	if (o1)
		argv[argc++] = (char *)o1;
	if (o2)
		argv[argc++] = (char *)o2;
	argv[argc] = NULL;
	return cmd_compare(argc, argv);
}

static void test_cmd_compare(void **state)
{
	struct strbuf b = STRBUF_INIT, c = STRBUF_INIT;
	struct side worse = base5;

	(void)state;
	worse.lat_mean = 1200;
	strbuf_addf(&b, "%s/cmd-base", tmpdir);
	strbuf_addf(&c, "%s/cmd-cand", tmpdir);
	make_set(b.buf, &base5, 0);
	make_set(c.buf, &worse, 1);
	assert_int_equal(run_compare(b.buf, c.buf, "--format", "json"), 1);
	assert_int_equal(run_compare(b.buf, c.buf, "--threshold", "30%"), 0);
	assert_int_equal(run_compare(b.buf, c.buf, "--threshold", "lots"), 2);
	assert_int_equal(run_compare(b.buf, c.buf, "--format=md", NULL), 1);
	assert_int_equal(run_compare(b.buf, c.buf, "--format=xml", NULL), 2);
	assert_int_equal(run_compare(b.buf, c.buf, "--allow-host-change=cpu.colour", NULL), 2);
	assert_int_equal(run_compare(b.buf, c.buf, "--allow-host-change=qemu_version", NULL), 1);
	assert_int_equal(run_compare(b.buf, NULL, NULL, NULL), 2);	/* one directory only */
	assert_int_equal(run_compare(b.buf, "/nonexistent/ocbench", NULL, NULL), 2);
	/* a single run directory is a set of one: inconclusive, not a verdict */
	strbuf_addf(&b, "/r0");
	strbuf_addf(&c, "/r0");
	assert_int_equal(run_compare(b.buf, c.buf, NULL, NULL), 0);
	strbuf_release(&b);
	strbuf_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_change),
		cmocka_unit_test(test_regression_low_noise),
		cmocka_unit_test(test_change_hidden_in_noise),
		cmocka_unit_test(test_better_direction),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_incomparable),
		cmocka_unit_test(test_too_few_repeats),
		cmocka_unit_test(test_incomplete_left_out),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_cmd_compare),
	};

	return cmocka_run_group_tests_name("compare", tests, tmpdir_setup, tmpdir_teardown);
}
