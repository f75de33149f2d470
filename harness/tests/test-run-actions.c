/* Unit test: the scenario's action table (scenario/timeline.c) and the
 * runner's executors (run/actions.c) describe the same actions, so adding
 * a row to one without the other fails here, not half way through a run. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>

#include "run/actions.h"
#include "scenario/scenario.h"

static void test_every_action_has_its_executor(void **state)
{
	size_t n = timeline_action_count();

	(void)state;
	assert_true(n >= 12);
	for (size_t i = 0; i < n; i++) {
		const struct timeline_action *a = timeline_action_at(i);
		enum run_exec_kind k = run_action_executor(a->verb);

		if (k == RUN_EXEC_NONE)
			fail_msg("timeline action '%s' has no executor in run/actions.c", a->verb);
		/* an action over a GLOB of guests runs once per guest */
		if ((a->flags & TLA_GUESTS) ? k != RUN_EXEC_PER_GUEST : k != RUN_EXEC_HOST)
			fail_msg("'%s': the table says %s, the executor runs %s", a->verb,
				 (a->flags & TLA_GUESTS) ? "per guest" : "once",
				 k == RUN_EXEC_HOST ? "once" : "per guest");
	}
}

static void test_unknown_verb_has_none(void **state)
{
	(void)state;
	assert_int_equal(run_action_executor("balloon sideways"), RUN_EXEC_NONE);
	assert_int_equal(run_action_executor(""), RUN_EXEC_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_action_has_its_executor),
		cmocka_unit_test(test_unknown_verb_has_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
