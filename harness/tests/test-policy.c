/* Unit tests: the policies (policy/), replayed over the small traces of
 * harness/tests/policy-traces/ with the exact actions each must take
 * (worked out by hand from the published rules in each policy's file),
 * the clamp, the registry's errors and the replay's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "policy/observe.h"
#include "policy/policies.h"
#include "policy/policy.h"
#include "policy/trace.h"
#include "util/error.h"
#include "util/runcmd.h"
#include "util/strbuf.h"

#define TRACES "harness/tests/policy-traces/"
#define MAX_TICKS 16

struct recorded {
	size_t n;
	double t[MAX_TICKS];
	struct policy_actions a[MAX_TICKS];
};

static void record(void *opaque, const struct policy *p, const struct policy_obs *o,
		   const struct policy_actions *a)
{
	struct recorded *r = opaque;

	assert_true(r->n < MAX_TICKS);
	r->t[r->n] = o->t_s;
	r->a[r->n++] = *a;
}

static void replay(const char *name, const char *trace, struct recorded *r, const char *key,
		   const char *value)
{
	struct policy p, *pp = &p;

	memset(r, 0, sizeof(*r));
	assert_int_equal(policy_init(&p, policy_find(name)), 0);
	if (key)
		assert_int_equal(policy_set(&p, key, value), 0);
	assert_int_equal(policy_replay_file(trace, &pp, 1, 0.25, record, r), 0);
	policy_fini(&p);
}

#define assert_mib(got, want) assert_true(fabs((got) - (want)) < 1e-6)

static void test_mom(void **state)
{
	struct recorded r;

	replay("mom", TRACES "mom.csv", &r, NULL, NULL);
	assert_int_equal(r.n, 2);	/* 15 s and 30 s */
	/* host free 10 % < 20 %: a shrinks 5 %, b (used + 10 % free above
	 * its size) is left alone */
	assert_mib(r.a[0].balloon_mib[0], 512 * 0.95);
	assert_true(r.a[0].balloon_mib[1] < 0);
	/* 10-sample mean 30 %: both grow; a by 5 %, b to used + 20 % of max */
	assert_mib(r.a[1].balloon_mib[0], 486 * 1.05);
	assert_mib(r.a[1].balloon_mib[1], 380 + 0.2 * 512);
	assert_int_equal(r.a[1].ksm_run, -1);
}

static void test_pve(void **state)
{
	struct recorded r;

	replay("pve", TRACES "pve.csv", &r, NULL, NULL);
	assert_int_equal(r.n, 2);	/* 10 s and 20 s */
	/* goal -300 MiB: the idle guests first; a by its 100 MiB step, c is
	 * at its share already, b (under pressure) untouched */
	assert_mib(r.a[0].balloon_mib[0], 700);
	assert_true(r.a[0].balloon_mib[1] < 0);
	assert_true(r.a[0].balloon_mib[2] < 0);
	/* goal +600 MiB: the guest under pressure first, 100 MiB a cycle */
	assert_true(r.a[1].balloon_mib[0] < 0);
	assert_mib(r.a[1].balloon_mib[1], 700);
	assert_true(r.a[1].balloon_mib[2] < 0);
}

static void test_pve_target(void **state)
{
	struct recorded r;

	/* target 50 %: goal -900 MiB: a and c each by their 100 MiB step
	 * (their shares would take them below their floor); then goal 0 */
	replay("pve", TRACES "pve.csv", &r, "target", "50%");
	assert_int_equal(r.n, 2);
	assert_mib(r.a[0].balloon_mib[0], 700);
	assert_true(r.a[0].balloon_mib[1] < 0);
	assert_mib(r.a[0].balloon_mib[2], 400);
	for (size_t i = 0; i < 3; i++)
		assert_true(r.a[1].balloon_mib[i] < 0);
}

static void test_psi(void **state)
{
	struct recorded r;

	replay("psi", TRACES "psi.csv", &r, NULL, NULL);
	assert_int_equal(r.n, 4);	/* 6, 12, 18, 24 s */
	assert_true(r.a[0].balloon_mib[0] < 0);		/* the reference reading */
	assert_mib(r.a[1].balloon_mib[0], 1024 * 0.99);	/* no stall: max_probe */
	/* 300 ms of stall: back off by max_backoff (doubling), held at max */
	assert_mib(r.a[2].balloon_mib[0], 1024);
	/* 5 ms: probe by ((10 / 5) / 10)^2 x 1 % */
	assert_mib(r.a[3].balloon_mib[0], 1024 * (1 - 0.0004));
}

static void test_ksmtuned(void **state)
{
	struct recorded r;

	replay("ksmtuned", TRACES "ksmtuned.csv", &r, NULL, NULL);
	assert_int_equal(r.n, 3);	/* 60, 120, 180 s */
	/* free 2000 < thres 3276.8 MiB: run, boost from 0 */
	assert_int_equal(r.a[0].ksm_run, 1);
	assert_int_equal(r.a[0].ksm_pages_to_scan, 300);
	assert_int_equal(r.a[0].ksm_sleep_ms, 10);
	/* free 8000, committed + thres < total: stop */
	assert_int_equal(r.a[1].ksm_run, 0);
	assert_int_equal(r.a[1].ksm_pages_to_scan, -1);
	/* committed 14000 + thres > total: run, decay */
	assert_int_equal(r.a[2].ksm_run, 1);
	assert_int_equal(r.a[2].ksm_pages_to_scan, 250);
	assert_true(r.a[2].balloon_mib[0] < 0);
}

static void test_passive(void **state)
{
	static const char *const names[] = { "static", "fpr-only", NULL };
	struct recorded r;

	for (size_t i = 0; names[i]; i++) {
		replay(names[i], TRACES "mom.csv", &r, NULL, NULL);
		assert_int_equal(r.n, 2);
		for (size_t k = 0; k < r.n; k++) {
			assert_true(r.a[k].balloon_mib[0] < 0);
			assert_true(r.a[k].balloon_mib[1] < 0);
			assert_int_equal(r.a[k].ksm_run, -1);
		}
	}
}

/* Critical host pressure asks for less than the floor: clamped, and the
 * request kept for the log. */
static void test_clamp(void **state)
{
	struct policy_observer ob;
	struct policy_actions a;
	struct policy p;
	int g;

	policy_observer_init(&ob, 0.25, 0);
	g = policy_observer_guest(&ob, "g", 512);
	assert_int_equal(g, 0);
	policy_observer_put(&ob, 0, "cgroup", "limit_mib", 1000);
	policy_observer_put(&ob, 0, "cgroup", "memory_current_mib", 990);
	policy_observer_put(&ob, 0, "balloon", "g.actual_mib", 130);
	policy_observer_put(&ob, 0, "balloonstats", "g.stat-free-memory_mib", 130);
	policy_observer_put(&ob, 0, "balloonstats", "x.stat-free-memory_mib", 1);	/* not a guest */
	assert_int_equal(ob.obs.n, 1);
	assert_int_equal(policy_init(&p, policy_find("mom")), 0);
	policy_tick(&p, &ob.obs, &a);
	assert_mib(a.balloon_mib[0], 128);
	assert_mib(a.clamped_from[0], 130 * 0.95);
	policy_fini(&p);
}

static void test_registry(void **state)
{
	struct policy p;

	for (size_t i = 0; i < policy_count(); i++) {
		assert_string_equal(policy_at(i)->name, policy_names[i]);
		assert_non_null(policy_at(i)->source);
		assert_true(policy_at(i)->interval_s > 0);
	}
	assert_null(policy_names[policy_count()]);
	assert_int_equal(policy_check_name("mum", 0), -1);
	assert_non_null(strstr(ocb_errmsg(), "did you mean 'mom'"));
	assert_non_null(strstr(ocb_errmsg(), "static, mom, pve, psi, fpr-only, ksmtuned"));
	assert_int_equal(policy_check_name("mom", POLICY_F_KSM), -1);
	assert_int_equal(policy_check_name("ksmtuned", POLICY_F_KSM), 0);
	assert_int_equal(policy_check_param("mom.pressure_threshold", "20%"), 0);
	assert_int_equal(policy_check_param("mom.pressure_treshold", "0.2"), -1);
	assert_non_null(strstr(ocb_errmsg(), "did you mean pressure_threshold"));
	assert_int_equal(policy_check_param("mom.pressure_threshold", "2"), -1);
	assert_non_null(strstr(ocb_errmsg(), "[0, 1]"));
	assert_int_equal(policy_check_param("nope.x", "1"), -1);
	assert_non_null(strstr(ocb_errmsg(), "unknown policy 'nope'"));
	assert_int_equal(policy_check_param("interval2", "1"), -1);
	assert_int_equal(policy_init(&p, policy_find("pve")), 0);
	assert_int_equal(policy_set(&p, "max_change", "64M"), 0);
	assert_mib(p.param[policy_param_index(p.ops, "max_change")], 64);
	policy_fini(&p);
	assert_int_equal(policy_init(&p, policy_find("psi")), 0);
	assert_int_equal(policy_set(&p, "target", "25ms"), 0);
	assert_mib(p.param[0], 25);
	assert_int_equal(policy_set(&p, "target", "5"), 0);
	assert_mib(p.param[0], 5);
	policy_fini(&p);
}

static void test_bad_trace(void **state)
{
	char bad_header[] = "time,a,b,c\n1,2,3,4\n";
	char bad_row[] = "t_ms,source,series,value\n0,host,MemFree_mib,1\nx,host,MemFree_mib,2\n";
	struct policy p, *pp = &p;

	assert_int_equal(policy_init(&p, policy_find("mom")), 0);
	assert_int_equal(policy_replay_text("t.csv", bad_header, &pp, 1, 0.25, 0, NULL, NULL), -1);
	assert_non_null(strstr(ocb_errmsg(), "t.csv:1:"));
	assert_int_equal(policy_replay_text("t.csv", bad_row, &pp, 1, 0.25, 0, NULL, NULL), -1);
	assert_non_null(strstr(ocb_errmsg(), "t.csv:3:"));
	assert_int_equal(policy_replay_file(TRACES "missing.csv", &pp, 1, 0.25, NULL, NULL), -1);
	/* a corrupt time far from the first row is refused, not ticked to */
	{
		char far[] = "t_ms,source,series,value\n0,host,MemFree_mib,1\n1e300,host,MemFree_mib,2\n";

		assert_int_equal(policy_replay_text("t.csv", far, &pp, 1, 0.25, 0, NULL, NULL), -1);
		assert_non_null(strstr(ocb_errmsg(), "t.csv:3: t_ms"));
	}
	policy_fini(&p);
}

/* `ocbench policy simulate`: the same replay, printed; bad input exit 2. */
static void test_simulate_command(void **state)
{
	const char *bin = getenv("OCBENCH");
	const char *ok[] = { bin, "policy", "simulate", TRACES "pve.csv", "--policy", "pve", NULL };
	const char *bad[] = { bin, "policy", "simulate", TRACES "pve.csv", "--policy", "pvv", NULL };
	const char *bad_key[] = { bin, "policy", "simulate", TRACES "pve.csv", "--policy", "pve",
				  "--set", "pve.targt=0.5", NULL };
	struct strbuf out = STRBUF_INIT;

	if (!bin) {
		print_message("SKIP: OCBENCH is not set (run through ci/run-tests)\n");
		skip();
	}
	assert_int_equal(run_capture(ok, &out, 30000000000ull), 0);
	assert_non_null(strstr(out.buf, "t=10.0s pve: balloon a 800 -> 700.0 MiB;"));
	assert_non_null(strstr(out.buf, "t=20.0s pve: balloon b 600 -> 700.0 MiB;"));
	assert_non_null(strstr(out.buf, "2 tick(s) with actions"));
	strbuf_reset(&out);
	assert_int_equal(run_capture(bad, &out, 30000000000ull), 2);
	strbuf_reset(&out);
	assert_int_equal(run_capture(bad_key, &out, 30000000000ull), 2);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mom),
		cmocka_unit_test(test_pve),
		cmocka_unit_test(test_pve_target),
		cmocka_unit_test(test_psi),
		cmocka_unit_test(test_ksmtuned),
		cmocka_unit_test(test_passive),
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_bad_trace),
		cmocka_unit_test(test_simulate_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
