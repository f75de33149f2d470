/* Unit test: a balloon's time is the balloon's, not the harness's.
 *
 * A fake backend whose balloon reaches its target at a known moment, and
 * whose guest agent takes half a second to answer each question (the
 * sampler's `free -m` and /proc/meminfo jobs use it once a second).  The
 * runner's wait (run/balloon.c through run/loop.c) must report the time
 * the balloon got there within 20 ms, although the sampler is ticking
 * throughout: nothing slow may sit between the balloon arriving and the
 * poll that sees it.  With the slow sources not held, the wait would see
 * it up to 500 ms late and the test fails. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/balloon.h"
#include "run/loop.h"
#include "sampler/sampler.h"
#include "util/clock.h"
#include "util/fsutil.h"
#include "util/units.h"
#include "vm/vm.h"

#define MIB (1024ull * 1024)
#define SLOW_AGENT_NS (500 * 1000000ull)

static uint64_t reach_at_ns;		/* when the fake balloon gets there */
static uint64_t target_bytes, from_bytes = 2048 * MIB;
static unsigned agent_calls;

static int fake_balloon_set(struct vm *vm, uint64_t target)
{
	(void)vm;
	target_bytes = target;
	return 0;
}

static int fake_balloon_get(struct vm *vm, uint64_t *actual)
{
	(void)vm;
	*actual = reach_at_ns && mono_ns() >= reach_at_ns ? target_bytes : from_bytes;
	return 0;
}

static int fake_agent_exec(struct vm *vm, const char *const *argv, uint64_t timeout_ns,
			   struct agent_exec_result *res)
{
	(void)vm;
	(void)argv;
	(void)timeout_ns;
	agent_calls++;
	sleep_ns(SLOW_AGENT_NS, NULL);
	memset(res, 0, sizeof(*res));
	res->exited = 1;
	strbuf_adds(&res->out, "              total        used        free      shared  buff/cache   available\n"
			       "Mem:           1964          36        1838           0          89        1838\n"
			       "Swap:             0           0           0\n");
	return 0;
}

static int fake_read_file(struct vm *vm, const char *path, struct strbuf *out, uint64_t timeout_ns)
{
	(void)vm;
	(void)path;
	(void)timeout_ns;
	agent_calls++;
	sleep_ns(SLOW_AGENT_NS, NULL);
	strbuf_adds(out, "MemTotal:        2011264 kB\nMemFree:         1882624 kB\n");
	return 0;
}

static int zero_pump(struct vm *vm, uint64_t ns)
{
	(void)vm;
	(void)ns;
	return 0;
}

static int is_alive(struct vm *vm)
{
	(void)vm;
	return 1;
}

static pid_t no_pid(struct vm *vm)
{
	(void)vm;
	return -1;
}

static void no_kill(struct vm *vm)
{
	(void)vm;
}

static const struct vm_backend_ops fake_ops = {
	.name = "fake",
	.flags = VM_CAP_BALLOON,
	.kill = no_kill,
	.balloon_set = fake_balloon_set,
	.balloon_get = fake_balloon_get,
	.agent_exec = fake_agent_exec,
	.agent_read_file = fake_read_file,
	.pump = zero_pump,
	.pid = no_pid,
	.alive = is_alive,
};

static void test_balloon_time_is_the_balloons(void **state)
{
	char dir[] = "/tmp/ocb-test-balloon-XXXXXX";
	struct scenario_guest_spec spec = { .memory_bytes = 2048 * MIB, .vcpus = 1 };
	struct scenario_guest sg = { .name = "guest-1", .index = 1, .spec = &spec };
	struct vm_config cfg;
	struct run_ctx c;
	struct guest_state g;
	struct vm *vm, *vms[1];
	double measured_ms, truth_ms;

	(void)state;
	assert_non_null(mkdtemp(dir));
	memset(&c, 0, sizeof(c));
	memset(&g, 0, sizeof(g));
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.name, sizeof(cfg.name), "guest-1");
	cfg.balloon = 1;
	vm = vm_new(&fake_ops, &cfg);
	assert_non_null(vm);
	vm->boot_ns = 1;		/* "booted": the sampler asks its agent */
	vms[0] = vm;
	g.vm = vm;
	g.g = &sg;
	g.tolerance = MIB;
	g.reached_pct_min = 100;
	c.gs = &g;
	c.n = 1;
	c.vms = vms;
	assert_int_equal(results_open(&c.res, dir, NULL), 0);
	c.sampler = sampler_new(&c.res, vms, 1, "/", 10, NULL);
	assert_non_null(c.sampler);

	/* the agent jobs run before the request, as they would in a run */
	assert_int_equal(run_idle(&c, 50 * 1000000ull), 0);
	assert_true(agent_calls > 0);
	agent_calls = 0;
	assert_int_equal(run_balloon_request(&c, &g, 512 * MIB), 0);
	/* 1.5 s: long enough for the 1 Hz agent jobs to fall due meanwhile */
	reach_at_ns = g.t_request + 1500 * 1000000ull;
	assert_int_equal(run_balloon_wait(&c, &g, 10 * 1000000000ull, 0), 0);
	measured_ms = (double)(g.reached_ns - g.t_request) / 1e6;
	truth_ms = (double)(reach_at_ns - g.t_request) / 1e6;
	print_message("balloon reached after %.1f ms, measured %.1f ms (%u agent calls during the wait)\n",
		      truth_ms, measured_ms, agent_calls);
	assert_true(measured_ms >= truth_ms);
	assert_true(measured_ms - truth_ms <= 20.0);
	assert_int_equal(agent_calls, 0);	/* held while the balloon was timed */
	/* and released after: the held jobs catch up at the next ticks */
	assert_int_equal(run_idle(&c, 100 * 1000000ull), 0);
	assert_true(agent_calls > 0);

	sampler_free(c.sampler);
	results_close(&c.res, "complete", NULL);
	vm_free(vm);
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_balloon_time_is_the_balloons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
