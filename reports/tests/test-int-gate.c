/* Integration test of ci/gate under TCG (issue 14): a candidate QEMU that
 * fails every second start must fail the gate, with the failing runs as
 * the first reason.  Boots real guests: REPEAT=2 quickstart runs a side,
 * alternating; the candidate is a wrapper around the same QEMU that exits
 * with an error on its 2nd, 4th, ... start.  No host knob is changed
 * (quickstart has no [host] section). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>

#include "tests/int-util.h"

/* A candidate QEMU that fails every second start (counted beside it);
 * the real QEMU's path is written in, not passed through the environment
 * that ocbench may not hand on. */
static const char flaky_qemu[] =
	"#!/bin/sh\n"
	"n=$(cat \"$0.count\" 2>/dev/null || echo 0)\n"
	"n=$((n + 1))\n"
	"echo \"$n\" >\"$0.count\"\n"
	"if [ $((n %% 2)) = 0 ]; then\n"
	"\techo \"flaky-qemu: start $n fails on purpose\" >&2\n"
	"\texit 1\n"
	"fi\n"
	"exec '%s' \"$@\"\n";

static void test_flaky_candidate_fails_gate(void **state)
{
	char root[1024], ocb[PATH_MAX];
	struct strbuf qemu = STRBUF_INIT, flaky = STRBUF_INIT, out = STRBUF_INIT, log = STRBUF_INIT;
	struct strbuf script = STRBUF_INIT;
	json_t *cmp, *cell;
	int rc;

	(void)state;
	if (find_program("qemu-system-x86_64", &qemu) < 0) {
		printf("SKIP: qemu-system-x86_64 not found (ci/install-deps installs it)\n");
		skip();
	}
	int_tmpdir("gate", root, sizeof(root));
	strbuf_addf(&flaky, "%s/qemu-flaky", root);
	strbuf_addf(&script, flaky_qemu, qemu.buf);
	assert_int_equal(write_file_atomic(flaky.buf, script.buf, script.len, 0755), 0);
	strbuf_addf(&out, "%s/out", root);
	assert_non_null(realpath(int_ocbench(), ocb));
	setenv("OCBENCH", ocb, 1);
	setenv("GATE_OUT", out.buf, 1);
	setenv("REPEAT", "2", 1);
	setenv("GATE_ARGS", "--quick", 1);
	unsetenv("GATE_ALLOW_INCONCLUSIVE");
	{
		const char *argv[] = { "ci/gate", qemu.buf, flaky.buf, "scenarios/quickstart.ini", NULL };

		rc = run_capture(argv, &log, 1800 * 1000000000ull);
	}
	print_message("%s", log.buf);
	/* baseline 2/2 complete, candidate 1/2 complete and 1 failed */
	assert_int_equal(rc, 1);
	assert_non_null(strstr(log.buf, "gate: FAIL: regression: verdict: REGRESSION (exit 1): "
				       "the candidate's runs fail more often"));
	cmp = int_load_json(out.buf, "compare.json");
	assert_string_equal(json_string_value(json_object_get(cmp, "verdict")), "regression");
	cell = json_array_get(json_object_get(cmp, "runs"), 0);
	assert_true(json_is_true(json_object_get(cell, "failure_regression")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(cell, "candidate"), "runs_failed")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(cell, "candidate"), "runs_complete")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(cell, "baseline"), "runs_complete")), 2);
	json_decref(cmp);
	assert_int_equal(int_processes_mentioning(root), 0);
	strbuf_release(&qemu);
	strbuf_release(&flaky);
	strbuf_release(&out);
	strbuf_release(&log);
	strbuf_release(&script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flaky_candidate_fails_gate),
	};

	return cmocka_run_group_tests_name("int-gate", tests, NULL, NULL);
}
