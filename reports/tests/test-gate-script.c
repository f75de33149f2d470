/* Unit test of ci/gate itself: its exit codes and the reason it prints,
 * with a fake ocbench (OCBENCH=) that lays down prepared runs instead of
 * booting guests and hands `compare` to the real build/ocbench.  No guest
 * boots, no host knob is touched: the gate's decisions are what is tested
 * (test-int-gate does the same with real runs and a flaky QEMU). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/runcmd.h"
#include "compare-fixture.h"

static const char fake_ocbench[] =
	"#!/bin/sh\n"
	"# fake ocbench: `run` lays down a prepared repeat, `report` writes nothing,\n"
	"# `compare` is the real one\n"
	"cmd=$1; shift\n"
	"case \"$cmd\" in\n"
	"run)\n"
	"\tq= o=\n"
	"\twhile [ $# -gt 0 ]; do\n"
	"\t\tcase \"$1\" in --qemu) q=$2; shift ;; -o) o=$2; shift ;; esac\n"
	"\t\tshift\n"
	"\tdone\n"
	"\tside=$(basename \"$q\")\n"
	"\tn=$(cat \"$FAKE_DIR/$side.count\" 2>/dev/null || echo 0)\n"
	"\tn=$((n + 1))\n"
	"\techo \"$n\" >\"$FAKE_DIR/$side.count\"\n"
	"\tmkdir -p \"$o\" || exit 2\n"
	"\tif [ -d \"$FAKE_DIR/$side-$n\" ]; then cp -r \"$FAKE_DIR/$side-$n\" \"$o/quickstart-$n\" || exit 2; fi\n"
	"\texit \"$(cat \"$FAKE_DIR/$side-$n.rc\")\" ;;\n"
	"report) exit 0 ;;\n"
	"compare) exec \"$REAL_OCBENCH\" compare \"$@\" ;;\n"
	"*) echo \"fake ocbench: unexpected command $cmd\" >&2; exit 2 ;;\n"
	"esac\n";

static char real_ocbench[PATH_MAX];

static int setup(void **state)
{
	const char *o = getenv("OCBENCH");

	if (tmpdir_setup(state) < 0)
		return -1;
	if (!realpath(o && *o ? o : "build/ocbench", real_ocbench))
		real_ocbench[0] = '\0';
	return 0;
}

/* A side's repeats: 'c' complete, 'f' failed (exit 1), '-' nothing
 * recorded (ocbench killed: exit 1, no run.json). */
static void prepare_side(const char *fake, const char *side, const char *plan,
			 const struct side *like)
{
	struct strbuf d = STRBUF_INIT, rc = STRBUF_INIT;

	for (int k = 0; plan[k]; k++) {
		struct side one = *like;

		one.n = 1;
		one.failed = plan[k] == 'f';
		strbuf_reset(&d);
		strbuf_addf(&d, "%s/%s-%d", fake, side, k + 1);
		if (plan[k] != '-')
			make_set(d.buf, &one, k);
		strbuf_reset(&rc);
		strbuf_addf(&rc, "%s-%d.rc", side, k + 1);
		synth_file(fake, rc.buf, plan[k] == 'c' ? "0\n" : "1\n");
	}
	strbuf_reset(&d);
	strbuf_addf(&d, "%s/%s", fake, side);	/* the "QEMU binary": only its name is used */
	assert_int_equal(write_file_atomic(d.buf, "#!/bin/sh\nexit 0\n", 17, 0755), 0);
	strbuf_release(&d);
	strbuf_release(&rc);
}

/* Run ci/gate over prepared sides; its exit code, its output in log. */
static int gate(const char *tag, const char *base_plan, const char *cand_plan,
		const struct side *cand_like, const char *flag, struct strbuf *log)
{
	struct strbuf fake = STRBUF_INIT, ocb = STRBUF_INIT, out = STRBUF_INIT;
	struct strbuf bq = STRBUF_INIT, cq = STRBUF_INIT;
	const char *argv[6];
	int argc = 0, rc;

	if (!real_ocbench[0]) {
		printf("SKIP: no ocbench binary (build it: make)\n");
		skip();
	}
	strbuf_addf(&fake, "%s/%s", tmpdir, tag);
	assert_int_equal(mkdir_p(fake.buf, 0755), 0);
	prepare_side(fake.buf, "baseline", base_plan, &base5);
	prepare_side(fake.buf, "candidate", cand_plan, cand_like);
	strbuf_addf(&ocb, "%s/ocbench", fake.buf);
	assert_int_equal(write_file_atomic(ocb.buf, fake_ocbench, strlen(fake_ocbench), 0755), 0);
	strbuf_addf(&out, "%s/out", fake.buf);
	strbuf_addf(&bq, "%s/baseline", fake.buf);
	strbuf_addf(&cq, "%s/candidate", fake.buf);
	setenv("OCBENCH", ocb.buf, 1);
	setenv("REAL_OCBENCH", real_ocbench, 1);
	setenv("FAKE_DIR", fake.buf, 1);
	setenv("GATE_OUT", out.buf, 1);
	setenv("REPEAT", "5", 1);
	argv[argc++] = "ci/gate";
	if (flag)
		argv[argc++] = flag;
	argv[argc++] = bq.buf;
	argv[argc++] = cq.buf;
	argv[argc] = NULL;
	strbuf_reset(log);
	rc = run_capture(argv, log, 120000000000ull);
	printf("---- %s: ci/gate exit %d\n%s", tag, rc, log->buf);
	unsetenv("GATE_ALLOW_INCONCLUSIVE");
	strbuf_release(&fake);
	strbuf_release(&ocb);
	strbuf_release(&out);
	strbuf_release(&bq);
	strbuf_release(&cq);
	return rc;
}

static void expect(const struct strbuf *log, const char *text)
{
	if (!strstr(log->buf, text))
		fail_msg("expected '%s' in ci/gate's output", text);
}

static void test_gate_pass(void **state)
{
	struct strbuf log = STRBUF_INIT;
	struct side newer = base5;

	(void)state;
	newer.qemu = "8.0.0";
	assert_int_equal(gate("pass", "ccccc", "ccccc", &newer, NULL, &log), 0);
	expect(&log, "gate: PASS: verdict: OK (exit 0)");
	expect(&log, "allowed to differ: qemu_version");
	/* compare.html beside the others, the verdict its first section */
	{
		struct strbuf html = STRBUF_INIT, p = STRBUF_INIT;
		const char *v, *m;

		strbuf_addf(&p, "%s/pass/out/compare.html", tmpdir);
		assert_int_equal(read_file(p.buf, &html), 0);
		v = strstr(html.buf, "<section id=\"verdict\" class=\"verdict v-ok\">");
		m = strstr(html.buf, "<section id=\"metrics\">");
		assert_non_null(v);
		assert_non_null(m);
		assert_true(v < m);
		assert_non_null(strstr(html.buf, "Verdict: OK (exit 0)"));
		strbuf_release(&html);
		strbuf_release(&p);
	}
	strbuf_release(&log);
}

/* issue 14: a candidate that fails 2 of 5 starts must fail the gate */
static void test_gate_flaky_candidate(void **state)
{
	struct strbuf log = STRBUF_INIT;

	(void)state;
	assert_int_equal(gate("flaky", "ccccc", "cfcfc", &base5, NULL, &log), 1);
	expect(&log, "gate: FAIL: regression: verdict: REGRESSION (exit 1): the candidate's runs fail more often in [(no matrix)]");
	expect(&log, "candidate 3/5 complete, 2 failed");
	strbuf_release(&log);
}

static void test_gate_inconclusive(void **state)
{
	struct strbuf log = STRBUF_INIT;

	(void)state;
	/* the baseline lost a run: nothing says the candidate is fine */
	assert_int_equal(gate("base-failed", "ccfcc", "ccccc", &base5, NULL, &log), 3);
	expect(&log, "gate: FAIL: inconclusive");
	expect(&log, "baseline [(no matrix)]: 4/5 complete, 1 failed");
	setenv("GATE_ALLOW_INCONCLUSIVE", "1", 1);
	assert_int_equal(gate("base-failed-env", "ccfcc", "ccccc", &base5, NULL, &log), 0);
	expect(&log, "gate: PASS: verdict: INCONCLUSIVE, allowed by --allow-inconclusive (exit 0)");
	assert_int_equal(gate("base-failed-flag", "ccfcc", "ccccc", &base5, "--allow-inconclusive", &log), 0);
	/* a repeat that recorded nothing at all: REPEAT says 5 were asked for */
	assert_int_equal(gate("lost", "ccccc", "cccc-", &base5, NULL, &log), 3);
	expect(&log, "candidate [(no matrix)]: 4/5 complete, 1 missing");
	strbuf_release(&log);
}

static void test_gate_not_like_for_like(void **state)
{
	struct strbuf log = STRBUF_INIT;
	struct side kvm = base5;

	(void)state;
	kvm.accel = "kvm";
	assert_int_equal(gate("accel", "ccccc", "ccccc", &kvm, NULL, &log), 2);
	expect(&log, "gate: ERROR: results not comparable");
	expect(&log, "accel differs");
	strbuf_release(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate_pass),
		cmocka_unit_test(test_gate_flaky_candidate),
		cmocka_unit_test(test_gate_inconclusive),
		cmocka_unit_test(test_gate_not_like_for_like),
	};

	return cmocka_run_group_tests_name("gate-script", tests, setup, tmpdir_teardown);
}
