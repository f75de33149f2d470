/* Unit tests: the sampler (sampler/sampler.c, host.c, guest.c)
 * against a fake host tree (KSM counters, /proc/meminfo, /proc/PID/ of
 * two "QEMUs", a cgroup directory) and fake VMs (an ops table of our own
 * that answers balloon, guest-stats and agent questions and counts them). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/error.h"
#include "fake-sysfs.h"
#include "results-out.h"
#include "results/results.h"
#include "sampler/guest.h"
#include "sampler/sampler.h"
#include "util/units.h"
#include "vm/vm.h"

#define MS 1000000ull

/* ---- fake VMs ------------------------------------------------------------ */

struct fake_vm {
	pid_t pid;
	uint64_t actual;
	int balloon_calls, stats_calls, exec_calls, read_calls, psi_calls;
	int agent_fail;		/* agent questions fail */
};

static struct fake_vm *FV(struct vm *vm)
{
	return vm->priv;
}

static int f_balloon_get(struct vm *vm, uint64_t *actual)
{
	FV(vm)->balloon_calls++;
	*actual = FV(vm)->actual;
	return 0;
}

static int f_balloon_stats(struct vm *vm, json_t **stats)
{
	FV(vm)->stats_calls++;
	*stats = json_pack("{s:i, s:i, s:i}", "stat-free-memory", 1048576 * 100, "stat-total-memory",
			   1048576 * 2000, "stat-htlb-pgalloc", -1);
	return 0;
}

static int f_agent_exec(struct vm *vm, const char *const *argv, uint64_t timeout_ns,
			struct agent_exec_result *r)
{
	memset(r, 0, sizeof(*r));
	FV(vm)->exec_calls++;
	assert_string_equal(argv[0], "free");
	/* the sampler bounds every agent question */
	assert_true(timeout_ns <= SAMPLER_AGENT_TIMEOUT_NS);
	if (FV(vm)->agent_fail)
		return ocb_fail("%s: agent timed out (fake)", vm->cfg.name);
	r->exited = 1;
	strbuf_adds(&r->out, "              total        used        free      shared  buff/cache   available\n"
			     "Mem:           1967          20        1930           0          16        1920\n"
			     "Swap:             0           0           0\n");
	return 0;
}

static int f_agent_read_file(struct vm *vm, const char *path, struct strbuf *out, uint64_t timeout_ns)
{
	assert_true(timeout_ns <= SAMPLER_AGENT_TIMEOUT_NS);
	if (FV(vm)->agent_fail)
		return ocb_fail("%s: agent timed out (fake)", vm->cfg.name);
	if (!strcmp(path, "/proc/pressure/memory")) {
		FV(vm)->psi_calls++;
		strbuf_adds(out, "some avg10=0.00 avg60=0.00 avg300=0.00 total=1234\n"
				 "full avg10=0.00 avg60=0.00 avg300=0.00 total=56\n");
		return 0;
	}
	FV(vm)->read_calls++;
	assert_string_equal(path, "/proc/meminfo");
	strbuf_adds(out, "MemTotal:        2014208 kB\nMemFree:         1976320 kB\n"
			 "MemAvailable:    1966080 kB\nCached:            16384 kB\n");
	return 0;
}

static pid_t f_pid(struct vm *vm)
{
	return FV(vm)->pid;
}

static const struct vm_backend_ops fake_ops = {
	.name = "fake",
	.balloon_get = f_balloon_get,
	.balloon_stats = f_balloon_stats,
	.agent_exec = f_agent_exec,
	.agent_read_file = f_agent_read_file,
	.pid = f_pid,
};

/* ---- fixture ------------------------------------------------------------- */

struct fx {
	char root[64];
	char out[128];
	char cg[128];
	struct results_run res;
	struct vm vm[2];
	struct fake_vm fv[2];
	struct vm *vms[2];
};

static void fake_proc(const char *root, pid_t pid, unsigned rss_kb, unsigned pss_kb)
{
	char rel[128], text[512];

	snprintf(rel, sizeof(rel), "/proc/%ld/status", (long)pid);
	snprintf(text, sizeof(text), "Name:\tqemu-system-x86\nVmPeak:\t 3000000 kB\nVmRSS:\t  %u kB\n"
		 "RssAnon:\t  %u kB\nVmSwap:\t    2048 kB\n", rss_kb, rss_kb);
	fake_write(root, rel, text);
	snprintf(rel, sizeof(rel), "/proc/%ld/smaps_rollup", (long)pid);
	snprintf(text, sizeof(text), "55d0a0000000-7ffd00000000 ---p 00000000 00:00 0   [rollup]\n"
		 "Rss:             %u kB\nPss:             %u kB\nPss_Anon:        %u kB\n"
		 "AnonHugePages:    4096 kB\nSwap:    2048 kB\nSwapPss:  1024 kB\n", rss_kb, pss_kb, pss_kb);
	fake_write(root, rel, text);
	snprintf(rel, sizeof(rel), "/proc/%ld/ksm_merging_pages", (long)pid);
	fake_write(root, rel, "2560\n");
	snprintf(rel, sizeof(rel), "/proc/%ld/ksm_stat", (long)pid);
	fake_write(root, rel, "ksm_rmap_items 3000\nksm_zero_pages 7\nksm_merging_pages 2560\n"
			      "ksm_process_profit 10485760\nksm_merge_any: no\nksm_mergeable: yes\n");
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	fake_root_new(f->root, sizeof(f->root));
	fake_host(f->root, FAKE_KSM | FAKE_VM);
	fake_write(f->root, "/proc/meminfo",
		   "MemTotal:        8388608 kB\nMemFree:         4194304 kB\nMemAvailable:    5242880 kB\n"
		   "SwapTotal:       1048576 kB\nSwapFree:         524288 kB\nAnonHugePages:    2048 kB\n"
		   "HugePages_Total:       4\nHugePages_Free:        3\n");
	fake_proc(f->root, 4242, 512 * 1024, 300 * 1024);
	fake_proc(f->root, 4243, 256 * 1024, 200 * 1024);
	snprintf(f->cg, sizeof(f->cg), "%s/cg", f->root);
	fake_write(f->root, "/cg/memory.usage_in_bytes", "536870912\n");
	fake_write(f->root, "/cg/memory.limit_in_bytes", "1073741824\n");
	fake_write(f->root, "/cg/memory.max_usage_in_bytes", "805306368\n");
	fake_write(f->root, "/cg/memory.failcnt", "0\n");
	fake_write(f->root, "/cg/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
	snprintf(f->out, sizeof(f->out), "%s/out", f->root);
	assert_int_equal(results_open(&f->res, f->out, NULL), 0);
	for (int i = 0; i < 2; i++) {
		struct vm *vm = &f->vm[i];

		vm->ops = &fake_ops;
		vm->priv = &f->fv[i];
		snprintf(vm->cfg.name, sizeof(vm->cfg.name), "guest-%d", i + 1);
		vm->cfg.memory_bytes = 2048 * MiB;
		vm->cfg.balloon = 1;
		vm->cfg.stats_period_s = 1;
		vm->boot_ns = 1;	/* booted */
		f->fv[i].pid = 4242 + i;
		f->fv[i].actual = (i + 1) * 512 * MiB;
		f->vms[i] = vm;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	results_close(&f->res, "complete", NULL);
	remove_tree(f->root);
	free(f);
	return 0;
}

/* samples.csv as written so far */
static char *samples(struct fx *f)
{
	return results_out_read(&f->res, f->out, "samples.csv");
}

/* ",source,series,value\n" appears in the CSV */
static int has_row(const char *csv, const char *tail)
{
	char needle[256];

	snprintf(needle, sizeof(needle), ",%s\n", tail);
	return strstr(csv, needle) != NULL;
}

static int events_count(struct fx *f, const char *needle)
{
	char path[256];
	struct strbuf sb = STRBUF_INIT;
	int n = 0;

	snprintf(path, sizeof(path), "%s/events.jsonl", f->out);
	assert_int_equal(read_file(path, &sb), 0);
	for (const char *p = strbuf_str(&sb); (p = strstr(p, needle)); p++)
		n++;
	strbuf_release(&sb);
	return n;
}

static double metric(struct fx *f, const char *name)
{
	json_t *m = json_object_get(f->res.metrics, name);

	if (!m)
		print_error("metric %s missing\n", name);
	assert_non_null(m);
	assert_non_null(json_object_get(m, "unit"));
	assert_non_null(json_object_get(m, "better"));
	return json_number_value(json_object_get(m, "value"));
}

static void test_one_tick(void **state)
{
	struct fx *f = *state;
	struct sampler *s = sampler_new(&f->res, f->vms, 2, f->root, 10, f->cg);
	char *csv;

	assert_non_null(s);
	assert_int_equal(sampler_tick(s), 7);	/* every source is due at once */
	csv = samples(f);
	print_message("%s", csv);
	assert_true(!strncmp(csv, "t_ms,source,series,value\n", 25));
	/* host-wide KSM, every counter by its sysfs name */
	assert_true(has_row(csv, "ksm,pages_sharing,345"));
	assert_true(has_row(csv, "ksm,full_scans,3"));
	assert_true(has_row(csv, "ksm,general_profit,-4096"));
	assert_true(has_row(csv, "host,MemAvailable_mib,5120"));
	assert_true(has_row(csv, "host,MemFree_mib,4096"));
	assert_true(has_row(csv, "host,SwapTotal_mib,1024"));
	assert_true(has_row(csv, "host,SwapFree_mib,512"));
	assert_true(has_row(csv, "host,AnonHugePages_mib,2"));
	assert_true(has_row(csv, "host,HugePages_Free,3"));
	assert_true(has_row(csv, "qemu,guest-1.rss_mib,512"));
	assert_true(has_row(csv, "qemu,guest-2.rss_mib,256"));
	assert_true(has_row(csv, "qemu,guest-1.swap_mib,2"));
	assert_true(has_row(csv, "qemu,guest-1.ksm_merging_pages,2560"));
	assert_true(has_row(csv, "qemu,guest-1.ksm_zero_pages,7"));
	assert_true(has_row(csv, "qemu,guest-1.ksm_process_profit_mib,10"));
	/* one smaps_rollup per tick: the first QEMU's */
	assert_true(has_row(csv, "qemu,guest-1.pss_mib,300"));
	assert_true(has_row(csv, "qemu,guest-1.anon_huge_mib,4"));
	assert_true(has_row(csv, "qemu,guest-1.swap_pss_mib,1"));
	assert_null(strstr(csv, "guest-2.pss_mib"));
	assert_true(has_row(csv, "balloon,guest-1.actual_mib,512"));
	assert_true(has_row(csv, "balloon,guest-2.actual_mib,1024"));
	/* the balloon's maximum beside it, for the policies' replay */
	assert_non_null(strstr(csv, ",balloon,guest-2.max_mib,"));
	/* QEMU says bytes; the series is MiB like every memory series */
	assert_true(has_row(csv, "balloonstats,guest-1.stat-free-memory_mib,100"));
	assert_null(strstr(csv, "stat-free-memory,"));
	assert_null(strstr(csv, "stat-htlb-pgalloc"));	/* -1: not reported */
	/* one agent question per tick: guest-1's free -m */
	assert_true(has_row(csv, "guest,guest-1.free_used_mib,20"));
	assert_true(has_row(csv, "guest,guest-1.free_available_mib,1920"));
	assert_null(strstr(csv, "guest-2.free_used_mib"));
	assert_int_equal(f->fv[0].exec_calls + f->fv[0].read_calls + f->fv[1].exec_calls +
			 f->fv[1].read_calls, 1);
	assert_true(has_row(csv, "cgroup,memory_current_mib,512"));
	assert_true(has_row(csv, "cgroup,oom_events,0"));
	free(csv);
	sampler_free(s);
}

/* What the tap saw of the two QEMUs' PSS (smaps_rollup) reads. */
struct pss_seen {
	double last[2];		/* guest-N.pss_mib, the last read; -1: none */
};

static void on_pss_row(void *opaque, uint64_t t_ms, const char *source, const char *series, double value)
{
	struct pss_seen *p = opaque;

	(void)t_ms;
	(void)source;
	if (!strcmp(series, "guest-1.pss_mib"))
		p->last[0] = value;
	else if (!strcmp(series, "guest-2.pss_mib"))
		p->last[1] = value;
}

/* smaps_rollup reads are rationed by what each one costs (sampler/host.c),
 * so under valgrind on a loaded machine a read may come a tick or several
 * later than a second: the test ticks (every 100 ms, at most 60 s) until
 * the reads it needs were made, never on a fixed sleep. */
static void tick_until_pss(struct sampler *s, struct pss_seen *seen, double g1, double g2)
{
	for (int k = 0; k < 600 && !(seen->last[0] == g1 && seen->last[1] == g2); k++) {
		sleep_ns(100 * MS, NULL);
		sampler_tick(s);
	}
	assert_true(seen->last[0] == g1);
	assert_true(seen->last[1] == g2);
}

static void test_rates(void **state)
{
	struct fx *f = *state;
	struct sampler *s = sampler_new(&f->res, f->vms, 2, f->root, 20, NULL);
	struct pss_seen seen = { { -1, -1 } };
	int agent_questions = 0, per_s;
	uint64_t t0 = mono_ns();
	double el;

	assert_non_null(s);
	sampler_set_tap(s, on_pss_row, &seen);
	sampler_want_guest_psi(s, 1);	/* the psi policy's third agent job */
	/* no cgroup: that source is skipped, with the reason */
	assert_int_equal(events_count(f, "no host_memory_limit"), 1);
	assert_int_equal(sampler_tick(s), 6);
	/* nothing due right after: cheap and empty */
	assert_int_equal(sampler_tick(s), 0);
	/* 1.1 s, and on until the 1 Hz guest-stats came due a second time (a
	 * loaded machine under valgrind may sleep past 1.1 s first); the
	 * bounds below follow the time it took */
	while ((mono_ns() - t0 < 1100 * MS || f->fv[0].stats_calls < 2) && mono_ns() - t0 < 20000 * MS) {
		sampler_tick(s);
		sleep_ns(2000 * 1000ull, NULL);
	}
	el = (double)(mono_ns() - t0) / 1e9;
	per_s = (int)el + 1;	/* 1 Hz things: at most one a started second */
	/* ~1.1 s at 20 Hz: 22-23 balloon samples per guest... */
	print_message("%.2f s: balloon %d, stats %d, free %d/%d, meminfo %d/%d\n", el, f->fv[0].balloon_calls,
		      f->fv[0].stats_calls, f->fv[0].exec_calls, f->fv[1].exec_calls,
		      f->fv[0].read_calls, f->fv[1].read_calls);
	/* the upper bound is the rule (never more than the rate); the lower
	 * one only says the sampler ran: a loaded machine under valgrind
	 * loses whole 50 ms slots (the sampler skips missed ticks) */
	assert_true(f->fv[0].balloon_calls >= 8 && f->fv[0].balloon_calls <= (int)(20 * el) + 2);
	/* ...guest-stats at 1 Hz... */
	assert_true(f->fv[0].stats_calls >= 2 && f->fv[0].stats_calls <= per_s);
	/* ...and each agent job about once a second per guest */
	for (int i = 0; i < 2; i++) {
		assert_true(f->fv[i].exec_calls >= 1 && f->fv[i].exec_calls <= per_s);
		assert_true(f->fv[i].read_calls >= 1 && f->fv[i].read_calls <= per_s);
		assert_true(f->fv[i].psi_calls >= 1 && f->fv[i].psi_calls <= per_s);
		agent_questions += f->fv[i].exec_calls + f->fv[i].read_calls + f->fv[i].psi_calls;
	}
	assert_true(agent_questions <= 6 * per_s);
	/* both QEMUs' PSS (round robin, rationed by what a read costs: it
	 * may take a few more ticks under valgrind) */
	for (int k = 0; k < 300 && seen.last[1] < 0; k++) {
		sleep_ns(100 * MS, NULL);
		sampler_tick(s);
	}
	sampler_free(s);
	{
		char *csv = samples(f);

		assert_true(has_row(csv, "guest,guest-2.MemAvailable_mib,1920"));
		assert_true(has_row(csv, "guest,guest-2.MemTotal_mib,1967"));
		/* the guest's memory PSI totals, for the psi policy */
		assert_true(has_row(csv, "guest,guest-2.psi_some_us,1234"));
		assert_true(has_row(csv, "guest,guest-2.psi_full_us,56"));
		assert_true(has_row(csv, "qemu,guest-2.pss_mib,200"));
		free(csv);
	}
}

/* A guest whose agent fails is recorded, left alone, and not fatal. */
static void test_agent_failure(void **state)
{
	struct fx *f = *state;
	struct sampler *s = sampler_new(&f->res, f->vms, 1, f->root, 50, NULL);
	uint64_t t0 = mono_ns();

	f->fv[0].agent_fail = 1;
	assert_int_equal(sampler_tick(s), 6);

	assert_int_equal(f->fv[0].exec_calls, 1);
	/* ticks until the balloon was asked 10 times more, however slow the
	 * machine is (never on a fixed wall-clock window: under valgrind and
	 * load 300 ms held fewer ticks) */
	while (f->fv[0].balloon_calls < 11 && mono_ns() - t0 < 20000 * MS) {
		sampler_tick(s);
		sleep_ns(2000 * 1000ull, NULL);
	}
	/* the other sources went on */
	assert_true(f->fv[0].balloon_calls >= 11);
	/* backed off (5 s, sampler/guest.c): not asked again meanwhile */
	if (mono_ns() - t0 < 4500 * MS)
		assert_int_equal(f->fv[0].exec_calls + f->fv[0].read_calls, 1);
	else
		print_message("the balloon's 10 ticks took %.1f s: the agent's back-off not checked\n",
			      (double)(mono_ns() - t0) / 1e9);
	assert_int_equal(events_count(f, "\"type\":\"sample_error\""), 1);
	assert_int_equal(events_count(f, "agent timed out (fake)"), 1);
	sampler_summary(s);
	assert_int_equal(events_count(f, "\"type\":\"sample_errors\""), 1);
	sampler_free(s);
}

/* VMs that have not booted are not asked anything. */
static void test_not_booted(void **state)
{
	struct fx *f = *state;
	struct sampler *s;
	char *csv;

	for (int i = 0; i < 2; i++) {
		f->vm[i].boot_ns = 0;
		f->fv[i].pid = -1;
	}
	s = sampler_new(&f->res, f->vms, 2, f->root, 10, NULL);
	sampler_tick(s);
	assert_int_equal(f->fv[0].balloon_calls + f->fv[0].stats_calls + f->fv[0].exec_calls +
			 f->fv[0].read_calls, 0);
	csv = samples(f);
	assert_null(strstr(csv, ",qemu,"));
	assert_true(has_row(csv, "ksm,pages_sharing,345"));
	free(csv);
	sampler_free(s);
}

static void test_summary(void **state)
{
	struct fx *f = *state;
	struct sampler *s = sampler_new(&f->res, f->vms, 2, f->root, 10, f->cg);
	struct pss_seen seen = { { -1, -1 } };

	sampler_set_tap(s, on_pss_row, &seen);
	sampler_tick(s);
	/* the next values: guest-1 grows, KSM merges more */
	fake_proc(f->root, 4242, 1024 * 1024, 600 * 1024);
	fake_write(f->root, "/sys/kernel/mm/ksm/pages_sharing", "2560\n");
	/* guest-2's rollup and guest-1's new one, each as it comes due */
	tick_until_pss(s, &seen, 600, 200);
	fake_write(f->root, "/sys/kernel/mm/ksm/pages_sharing", "0\n");
	sleep_ns(110 * MS, NULL);
	sampler_tick(s);
	sampler_summary(s);
	/* peak sum of RSS: 1024 + 256 */
	assert_true(metric(f, "qemu_rss_peak_mib") == 1280);
	assert_true(metric(f, "guest-1.qemu_rss_peak_mib") == 1024);
	/* PSS once every QEMU has one: 600 + 200 */
	assert_true(metric(f, "qemu_pss_peak_mib") == 800);
	assert_true(metric(f, "qemu_swap_peak_mib") == 4);
	assert_true(metric(f, "guest_memory_declared_mib") == 4096);
	/* 4096 MiB of guests on a 1 GiB cap; measured on 800 MiB of PSS */
	assert_true(metric(f, "overcommit_declared") == 4);
	assert_true(metric(f, "overcommit_measured") == 4096.0 / 800.0);
	/* KSM: the peak (2560 pages = 10 MiB), and the final 0 */
	assert_true(metric(f, "ksm_saved_mib") == 2560 * 4096.0 / 1048576);
	assert_true(metric(f, "ksm_saved_final_mib") == 0);
	assert_true(metric(f, "ksm_general_profit_mib") < 0);
	assert_true(metric(f, "ksm_merging_peak_mib") == 20);
	assert_true(metric(f, "guest-2.ksm_merging_peak_mib") == 10);
	assert_true(metric(f, "host_swap_used_peak_mib") == 512);
	assert_true(metric(f, "host_memavailable_min_mib") == 5120);
	/* the kernel's max_usage_in_bytes beats the sampled 512 MiB */
	assert_true(metric(f, "cgroup_peak_mib") == 768);
	assert_true(metric(f, "cgroup_limit_mib") == 1024);
	assert_true(metric(f, "cgroup_oom_kill") == 0);
	assert_true(metric(f, "cgroup_oom_events") == 0);
	assert_true(metric(f, "sampler_cpu_pct") >= 0);
	/* over seconds of ticks no guest was asked for its PSI: nobody wanted it */
	assert_true(f->fv[0].read_calls + f->fv[1].read_calls >= 1);
	assert_int_equal(f->fv[0].psi_calls + f->fv[1].psi_calls, 0);
	sampler_free(s);
}

/* The sampler says what it missed: its schedule starts when it is made,
 * so a loop that first ticks 350 ms later missed 3 periods of every
 * full-rate source, and coming back 550 ms late once more misses at
 * least 4 more: at most 2 of 9 ticks were kept; a guest that
 * never booted has no row and is counted as unsampled, one that did is
 * not; the event lists every source and every guest's rows. */
static void test_missed_ticks(void **state)
{
	struct fx *f = *state;
	struct sampler *s;

	f->vm[1].boot_ns = 0;
	f->fv[1].pid = -1;
	s = sampler_new(&f->res, f->vms, 2, f->root, 10, NULL);
	sleep_ns(350000000ull, NULL);
	sampler_tick(s);
	sleep_ns(550000000ull, NULL);
	sampler_tick(s);
	sampler_summary(s);
	print_message("kept %.1f %%, missed %.0f\n", metric(f, "sampler_ticks_kept_pct"),
		      metric(f, "sampler_ticks_missed"));
	assert_true(metric(f, "sampler_ticks_kept_pct") <= 100.0 * 2 / 9 + 1e-9);
	assert_true(metric(f, "sampler_ticks_missed") >= 7);
	assert_true(metric(f, "sampler_guests_unsampled") == 1);
	assert_int_equal(events_count(f, "\"type\":\"sampler_ticks\""), 1);
	assert_int_equal(events_count(f, "\"guest-2\":0"), 1);
	assert_int_equal(events_count(f, "\"balloon\":{"), 1);
	sampler_free(s);
}

/* Ticked on time, nothing is missed: one tick per period, each after
 * its time has come (no wall-clock assertion: the loop waits for each
 * period itself). */
static void test_no_missed_ticks(void **state)
{
	struct fx *f = *state;
	struct sampler *s = sampler_new(&f->res, f->vms, 2, f->root, 10, NULL);

	sampler_tick(s);
	for (int i = 0; i < 3; i++) {
		while (!sampler_tick(s))
			sleep_ns(1000000ull, NULL);
	}
	sampler_summary(s);
	assert_true(metric(f, "sampler_guests_unsampled") == 0);
	print_message("kept %.1f %%\n", metric(f, "sampler_ticks_kept_pct"));
	sampler_free(s);
}

/* KSM's cost against its benefit: ksmd's CPU from its /proc stat (a
 * kernel thread, child of PID 2), the saving per CPU-second, and the
 * swap-out rate from /proc/vmstat. */
static void test_ksm_cost(void **state)
{
	struct fx *f = *state;
	struct sampler *s;
	double hz = (double)sysconf(_SC_CLK_TCK);

	fake_write(f->root, "/proc/77/stat",
		   "77 (ksmd) S 2 0 0 0 -1 2129984 0 0 0 0 100 50 0 0 25 5 1 0 40 0 0\n");
	fake_write(f->root, "/proc/78/stat",
		   "78 (ksmd) S 1 0 0 0 -1 0 0 0 0 0 9999 9999 0 0 20 0 1 0 40 0 0\n");
	fake_write(f->root, "/proc/vmstat", "nr_free_pages 5\npswpin 100\npswpout 1000\n");
	fake_write(f->root, "/sys/kernel/mm/ksm/pages_sharing", "0\n");
	s = sampler_new(&f->res, f->vms, 0, f->root, 10, NULL);
	sampler_tick(s);
	/* 2 s of ksmd CPU later (in clock ticks), 100 MiB merged, 1 MiB
	 * swapped out */
	fake_write(f->root, "/proc/77/stat", hz == 100 ?
		   "77 (ksmd) S 2 0 0 0 -1 2129984 0 0 0 0 250 100 0 0 25 5 1 0 40 0 0\n" :
		   "77 (ksmd) S 2 0 0 0 -1 2129984 0 0 0 0 100 50 0 0 25 5 1 0 40 0 0\n");
	fake_write(f->root, "/sys/kernel/mm/ksm/pages_sharing", "25600\n");
	fake_write(f->root, "/proc/vmstat", "nr_free_pages 5\npswpin 100\npswpout 1256\n");
	sleep_ns(150000000ull, NULL);
	sampler_tick(s);
	sampler_summary(s);
	if (hz == 100) {
		assert_true(metric(f, "ksmd_cpu_s") == 2);
		assert_true(metric(f, "ksm_saved_mib_per_cpu_s") == 50);
		assert_true(metric(f, "ksmd_cpu_pct") > 100);	/* 2 s in 0.15 s: the fake is fast */
	}
	assert_true(metric(f, "ksm_saved_t90_s") > 0);	/* reached at the second tick */
	assert_true(metric(f, "host_swap_out_mib") == 1);
	assert_true(metric(f, "host_swap_in_mib") == 0);
	sampler_free(s);
}

/* ---- a source of the test's own ------------------------------------------ */

static int fake_src_init(struct sampler *s, void **state, char *why, size_t len)
{
	int *n = calloc(1, sizeof(int));

	*state = n;
	return n ? 0 : -1;
}

static int fake_src_sample(struct sampler *s, void *state)
{
	int *n = state;

	sampler_putf(s, 0.5 + *n, "progress.%d", *n);
	(*n)++;
	return 0;
}

static void fake_src_summary(struct sampler *s, void *state)
{
	sampler_metric(s, "fake_samples", *(int *)state, "samples", "higher");
}

static const struct sampler_source_ops fake_source = {
	.name = "workload", .max_hz = 5, .init = fake_src_init, .sample = fake_src_sample,
	.summary = fake_src_summary, .fini = free,
};

static int absent_init(struct sampler *s, void **state, char *why, size_t len)
{
	snprintf(why, len, "not on this host (test)");
	return 1;
}

static const struct sampler_source_ops absent_source = { .name = "absent", .init = absent_init };

static int broken_init(struct sampler *s, void **state, char *why, size_t len)
{
	return ocb_fail("cannot open the thing (test)");
}

static const struct sampler_source_ops broken_source = { .name = "broken", .init = broken_init };

static void test_own_source(void **state)
{
	struct fx *f = *state;
	struct sampler *s = sampler_new(&f->res, f->vms, 0, f->root, 100, NULL);
	uint64_t t0 = mono_ns();
	char *csv;

	assert_int_equal(sampler_add_source(s, &fake_source), 0);
	assert_int_equal(sampler_add_source(s, &absent_source), 0);
	assert_int_equal(events_count(f, "not on this host (test)"), 1);
	assert_int_equal(sampler_add_source(s, &broken_source), -1);
	assert_string_equal(ocb_errmsg(), "sampler source broken: cannot open the thing (test)");
	while (mono_ns() - t0 < 500 * MS) {
		sampler_tick(s);
		sleep_ns(1000 * 1000ull, NULL);
	}
	sampler_summary(s);
	/* max_hz 5 under a 100 Hz sampler: 2-3 samples in 0.5 s */
	print_message("fake source: %.0f samples\n", metric(f, "fake_samples"));
	assert_true(metric(f, "fake_samples") >= 2 && metric(f, "fake_samples") <= 3);
	csv = samples(f);
	assert_true(has_row(csv, "workload,progress.0,0.500"));
	assert_true(has_row(csv, "workload,progress.1,1.500"));
	free(csv);
	sampler_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_tick, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_booted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ksm_cost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missed_ticks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_missed_ticks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_source, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
