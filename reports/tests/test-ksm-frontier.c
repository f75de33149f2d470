/* Unit tests: the KSM cost/benefit frontier of report-ksm.c — a cell is
 * on it when no other cell saves at least as much for at most as much
 * ksmd CPU (one of the two strictly better); cells without figures are
 * never on it, and ties keep both. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "reports/report-ksm.h"

static void test_dominated(void **state)
{
	/* B saves more for less CPU than A; C saves the most for the most
	 * CPU; D has nothing */
	const struct ksm_point p[] = {
		{ 20, 100, 1 }, { 10, 150, 1 }, { 60, 300, 1 }, { 0, 0, 0 },
	};
	int f[4];

	(void)state;
	ksm_frontier(p, 4, f);
	assert_int_equal(f[0], 0);
	assert_int_equal(f[1], 1);
	assert_int_equal(f[2], 1);
	assert_int_equal(f[3], 0);
}

static void test_ties(void **state)
{
	const struct ksm_point p[] = { { 10, 100, 1 }, { 10, 100, 1 }, { 10, 90, 1 } };
	int f[3];

	(void)state;
	ksm_frontier(p, 3, f);
	assert_int_equal(f[0], 1);
	assert_int_equal(f[1], 1);
	assert_int_equal(f[2], 0);	/* same CPU, less saved */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dominated),
		cmocka_unit_test(test_ties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
