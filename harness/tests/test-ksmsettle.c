/* Unit tests: KSM settle detection (ksmsettle.c) — the detector against
 * scripted counter sequences, and the wait against a fake sysfs tree whose
 * counters the idle hook rewrites between polls (as ksmd would). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/clock.h"
#include "fake-sysfs.h"
#include "host/ksmsettle.h"

#define MS 1000000ull

static void test_feed_needs_two_scans(void **state)
{
	struct ksm_settle k;

	(void)state;
	ksm_settle_begin(&k, 0, 10, 1000);
	/* mid-scan observations never settle, however stable */
	for (int i = 0; i < 50; i++)
		assert_int_equal(ksm_settle_feed(&k, (uint64_t)i * MS, 10, 1000), 0);
	/* the first boundary only sets the baseline */
	assert_int_equal(ksm_settle_feed(&k, 60 * MS, 11, 1000), 0);
	assert_true(k.last_change < 0);
	/* second boundary, 0 % change, full_scans +2: settled */
	assert_int_equal(ksm_settle_feed(&k, 70 * MS, 12, 1000), 1);
	/* and stays settled */
	assert_int_equal(ksm_settle_feed(&k, 80 * MS, 13, 999999), 1);
}

static void test_feed_merging_in_progress(void **state)
{
	struct ksm_settle k;

	(void)state;
	/* the shape seen on the hosts: pages_sharing climbs over two scans */
	ksm_settle_begin(&k, 0, 10, 0);
	assert_int_equal(ksm_settle_feed(&k, 1, 10, 100), 0);
	assert_int_equal(ksm_settle_feed(&k, 2, 11, 5000), 0);	/* baseline */
	assert_int_equal(ksm_settle_feed(&k, 3, 11, 7000), 0);	/* mid-scan */
	assert_int_equal(ksm_settle_feed(&k, 4, 12, 9000), 0);	/* +80 % */
	assert_true(k.last_change > 0.79 && k.last_change < 0.81);
	assert_int_equal(ksm_settle_feed(&k, 5, 13, 9600), 0);	/* +6.7 % */
	assert_int_equal(ksm_settle_feed(&k, 6, 14, 9650), 1);	/* +0.5 % */
	assert_int_equal(k.b_scans, 14);
}

static void test_feed_threshold(void **state)
{
	struct ksm_settle k;

	(void)state;
	ksm_settle_begin(&k, 0, 0, 0);
	ksm_settle_feed(&k, 1, 1, 10000);
	assert_int_equal(ksm_settle_feed(&k, 2, 2, 10500), 0);	/* exactly 5 %: not less */
	assert_int_equal(ksm_settle_feed(&k, 3, 3, 10000), 1);	/* -4.8 % */

	/* 0 -> 0 is no change: nothing to merge has settled too */
	ksm_settle_begin(&k, 0, 7, 0);
	assert_int_equal(ksm_settle_feed(&k, 1, 8, 0), 0);
	assert_int_equal(ksm_settle_feed(&k, 2, 9, 0), 1);

	/* polls slower than scans: boundaries several scans apart compare */
	ksm_settle_begin(&k, 0, 100, 0);
	assert_int_equal(ksm_settle_feed(&k, 1, 104, 50000), 0);
	assert_int_equal(ksm_settle_feed(&k, 2, 108, 50100), 1);
}

/* KSM restarted (full_scans reset): detection starts over. */
static void test_feed_restart(void **state)
{
	struct ksm_settle k;

	(void)state;
	ksm_settle_begin(&k, 0, 50, 1000);
	assert_int_equal(ksm_settle_feed(&k, 1, 51, 1000), 0);
	assert_int_equal(ksm_settle_feed(&k, 2, 0, 0), 0);	/* reset */
	assert_int_equal(k.restarts, 1);
	assert_int_equal(k.scans0, 0);
	/* 0 -> 0 after the reset needs two new scans, not the old count */
	assert_int_equal(ksm_settle_feed(&k, 3, 1, 0), 0);
	assert_int_equal(ksm_settle_feed(&k, 4, 2, 0), 1);
}

/* ---- the wait over a fake tree ------------------------------------------- */

struct script {
	const char *root;
	const unsigned long long (*steps)[2];	/* full_scans, pages_sharing */
	size_t n, next;
	unsigned calls;
	uint64_t min_ns;
	int fail_at;				/* idle fails on this call (0: never) */
};

static void set_counters(const char *root, unsigned long long scans, unsigned long long ps)
{
	char v[32];

	snprintf(v, sizeof(v), "%llu\n", scans);
	fake_write(root, "/sys/kernel/mm/ksm/full_scans", v);
	snprintf(v, sizeof(v), "%llu\n", ps);
	fake_write(root, "/sys/kernel/mm/ksm/pages_sharing", v);
}

/* ksmd's next step between two polls; sleeping for real bounds the
 * timeout test. */
static int script_idle(void *opaque, uint64_t ns)
{
	struct script *sc = opaque;

	sc->calls++;
	if (!sc->min_ns || ns < sc->min_ns)
		sc->min_ns = ns;
	if (sc->fail_at && (int)sc->calls == sc->fail_at)
		return ocb_fail("interrupted by the test");
	if (sc->next < sc->n) {
		set_counters(sc->root, sc->steps[sc->next][0], sc->steps[sc->next][1]);
		sc->next++;
	}
	sleep_ns(1000 * 1000ull, NULL);
	return 0;
}

struct fx {
	char root[64];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	fake_root_new(f->root, sizeof(f->root));
	fake_host(f->root, FAKE_KSM);
	fake_write(f->root, "/sys/kernel/mm/ksm/run", "1\n");
	set_counters(f->root, 3, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	remove_tree(f->root);
	free(f);
	return 0;
}

static void test_wait_settles(void **state)
{
	struct fx *f = *state;
	static const unsigned long long steps[][2] = {
		{ 3, 1000 }, { 3, 20000 }, { 4, 40000 }, { 4, 50000 }, { 5, 51200 }, { 5, 51200 },
		{ 6, 51200 }, { 7, 51200 },
	};
	struct script sc = { f->root, steps, 8, 0, 0, 0, 0 };
	struct ksm_settle_result r;

	assert_int_equal(ksm_settle_wait(f->root, 10000 * MS, 5 * MS, script_idle, &sc, &r), 0);
	/* boundary at 4 (baseline 40000), at 5 (+28 %), at 6 (0 %): settled */
	assert_int_equal(sc.calls, 7);
	assert_int_equal(r.full_scans, 3);
	assert_int_equal(r.pages_sharing, 51200);
	assert_true(r.settle_s > 0 && r.settle_s < 5);
	assert_true(r.merged_mib > 0);
	assert_true(r.merged_delta_mib == r.merged_mib);	/* started at 0 */
	assert_true(r.rate_mib_s > 0);
	/* the fake tree's general_profit is -4096 bytes */
	assert_int_equal(r.have_profit, 1);
	assert_true(r.general_profit_mib < 0);
	/* never a busy poll: every wait was the poll interval */
	assert_true(sc.min_ns >= MS);
}

static void test_wait_poll_floor(void **state)
{
	struct fx *f = *state;
	static const unsigned long long steps[][2] = { { 4, 0 }, { 5, 0 } };
	struct script sc = { f->root, steps, 2, 0, 0, 0, 0 };
	struct ksm_settle_result r;

	/* a caller asking for 1 ns polls still sleeps 1 ms */
	assert_int_equal(ksm_settle_wait(f->root, 10000 * MS, 1, script_idle, &sc, &r), 0);
	assert_true(sc.min_ns >= MS);
}

/* no general_profit before Linux 6.7: left out */
static void test_wait_no_profit(void **state)
{
	struct fx *f = *state;
	static const unsigned long long steps[][2] = { { 4, 0 }, { 5, 0 } };
	struct script sc = { f->root, steps, 2, 0, 0, 0, 0 };
	struct ksm_settle_result r;
	char p[256];

	snprintf(p, sizeof(p), "%s/sys/kernel/mm/ksm/general_profit", f->root);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(ksm_settle_wait(f->root, 10000 * MS, 0, script_idle, &sc, &r), 0);
	assert_int_equal(r.have_profit, 0);
}

static void test_wait_timeout(void **state)
{
	struct fx *f = *state;
	static const unsigned long long steps[][2] = { { 4, 100 }, { 5, 1000 }, { 6, 10000 } };
	struct script sc = { f->root, steps, 3, 0, 0, 0, 0 };
	struct ksm_settle_result r;

	/* 1 s: the three scripted steps must all land before the timeout, also
	 * on a loaded machine under valgrind (60 ms once did not) */
	assert_int_equal(ksm_settle_wait(f->root, 1000 * MS, 5 * MS, script_idle, &sc, &r), -1);
	print_message("%s\n", ocb_errmsg());
	assert_non_null(strstr(ocb_errmsg(), "did not settle within 1.0 s"));
	assert_non_null(strstr(ocb_errmsg(), "full_scans advanced by 3"));
	assert_non_null(strstr(ocb_errmsg(), "pages_sharing 0 -> 10000"));
	assert_non_null(strstr(ocb_errmsg(), "900.0 %"));
}

/* Nothing to wait for: 1 and the reason, without a single poll. */
static void test_wait_not_running(void **state)
{
	struct fx *f = *state;
	struct script sc = { f->root, NULL, 0, 0, 0, 0, 0 };
	struct ksm_settle_result r;
	char p[256];

	fake_write(f->root, "/sys/kernel/mm/ksm/run", "0\n");
	assert_int_equal(ksm_settle_wait(f->root, 1000 * MS, 0, script_idle, &sc, &r), 1);
	assert_non_null(strstr(ocb_errmsg(), "KSM is not running"));
	assert_non_null(strstr(ocb_errmsg(), "ksm = on"));
	assert_int_equal(sc.calls, 0);

	snprintf(p, sizeof(p), "%s/sys/kernel/mm/ksm", f->root);
	remove_tree(p);
	assert_int_equal(ksm_settle_wait(f->root, 1000 * MS, 0, script_idle, &sc, &r), 1);
	assert_non_null(strstr(ocb_errmsg(), "has no KSM"));
	assert_non_null(strstr(ocb_errmsg(), f->root));
}

/* Something else stops KSM mid-wait: an error, not "settled at 0". */
static int stop_ksm_idle(void *opaque, uint64_t ns)
{
	struct script *sc = opaque;

	if (++sc->calls == 2)
		fake_write(sc->root, "/sys/kernel/mm/ksm/run", "0\n");
	sleep_ns(1000 * 1000ull, NULL);
	return 0;
}

static void test_wait_ksm_stopped(void **state)
{
	struct fx *f = *state;
	struct script sc = { f->root, NULL, 0, 0, 0, 0, 0 };
	struct ksm_settle_result r;

	assert_int_equal(ksm_settle_wait(f->root, 1000 * MS, 0, stop_ksm_idle, &sc, &r), -1);
	print_message("%s\n", ocb_errmsg());
	assert_non_null(strstr(ocb_errmsg(), "KSM stopped during the wait"));
	assert_int_equal(sc.calls, 2);
}

static void test_wait_idle_error(void **state)
{
	struct fx *f = *state;
	struct script sc = { f->root, NULL, 0, 0, 0, 3, 0 };
	struct ksm_settle_result r;

	sc.fail_at = 3;
	assert_int_equal(ksm_settle_wait(f->root, 1000 * MS, 0, script_idle, &sc, &r), -1);
	assert_string_equal(ocb_errmsg(), "interrupted by the test");
	assert_int_equal(sc.calls, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feed_needs_two_scans),
		cmocka_unit_test(test_feed_merging_in_progress),
		cmocka_unit_test(test_feed_threshold),
		cmocka_unit_test(test_feed_restart),
		cmocka_unit_test_setup_teardown(test_wait_settles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_poll_floor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_no_profit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_not_running, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_ksm_stopped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_idle_error, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
