/* ksm.c — KSM-001..005: KSM merges what two guests share, run=2
 * unmerges and gives the memory back to use, mem-merge=off keeps a guest
 * out, copy-on-write after a merge keeps every page's content, UKSM's
 * knobs are honoured.
 *
 * Figures are per guest: /proc/PID/ksm_merging_pages of its QEMU (the
 * global counters also count every other QEMU on the host).  Progress is
 * judged by full_scans (identical content is merged once it has advanced
 * by 2), polled with a sleep: busy-polling the counters slows KSM 5-6x.
 * All readings go through struct ksm_probe so tests inject a fake.
 *
 * Fixture: guests ksm-a and ksm-b (512 MiB each) for KSM-001..004, and
 * ksm-c (mem-merge off) for KSM-003.  KSM-004 reuses KSM-001's ksmfill
 * run (it was started with --cow) when there was one.
 */
#include "conform/ksm.h"
#include "conform/fixture.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define GUEST_MEM (512 * MiB)
#define FILL "96M"
#define SEED "4242"
#define HOLD "6s"		/* ksmfill holds this long after its fill: merge (2 scans) + 2 more */
#define SHORT_HOLD "4s"
#define SCAN_POLL_NS (50 * 1000000ull)	/* a sleep, never a busy poll */
#define KSM_REL 0.05		/* stated floor: KSM within 5 % */
#define K_SIGMA 3.0
#define PAGE_KIB 4

static const struct conform_guest_spec guest_a = {
	.name = "ksm-a", .memory_bytes = GUEST_MEM, .mem_merge = 1,
};
static const struct conform_guest_spec guest_b = {
	.name = "ksm-b", .memory_bytes = GUEST_MEM, .mem_merge = 1,
};
static const struct conform_guest_spec guest_c = {
	.name = "ksm-c", .memory_bytes = GUEST_MEM, .mem_merge = 0,
};

static const struct ksm_probe sysfs_probe = { &ksm_probe_sysfs, NULL };

static const struct ksm_probe *probe(struct conform_ctx *c)
{
	return c->opt.ksm ? c->opt.ksm : &sysfs_probe;
}

static int counter(struct conform_ctx *c, const char *name, unsigned long long *v)
{
	const struct ksm_probe *p = probe(c);

	if (p->ops->counter(p->opaque, c->opt.root, name, v) < 0)
		return ocb_err_prefix("KSM counter %s: ", name);
	return 0;
}

static int merging(struct conform_ctx *c, struct vm *vm, long long *pages)
{
	const struct ksm_probe *p = probe(c);

	if (p->ops->merging_pages(p->opaque, c->opt.root, vm->ops->pid(vm), pages) < 0)
		return ocb_err_prefix("%s: ", vm->cfg.name);
	return 0;
}

/* KSM on and fast (FACTS: 100 MiB merge in 0.29 s at 4000 / 10 ms);
 * zero pages are merged as ordinary pages so they count per process;
 * smart_scan off (6.7+), because it skips pages that did not merge in
 * recent scans for up to several scans, so content written after a
 * quiet baseline would merge late by an amount no one can predict. */
static int ksm_setup(struct conform_ctx *c, struct conform_result *r)
{
	static const char *const kv[][2] = {
		{ "ksm.pages_to_scan", "4000" }, { "ksm.sleep_millisecs", "10" },
		{ "ksm.use_zero_pages", "off" }, { "ksm.smart_scan", "off" }, { "ksm", "on" },
	};
	char why[256];

	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		int k = conform_knob(c, kv[i][0], kv[i][1], why, sizeof(why));

		if (k < 0 || (k == 1 && !strcmp(kv[i][0], "ksm"))) {
			conform_error(r, "setting %s = %s: %s", kv[i][0], kv[i][1], k < 0 ? ocb_errmsg() : why);
			return -1;
		}
	}
	return 0;
}

/* Wait until full_scans has advanced by n; the time it took into *s. */
static int wait_scans(struct conform_ctx *c, unsigned n, double *s)
{
	unsigned long long f0, f;
	uint64_t t0 = mono_ns();

	if (counter(c, "full_scans", &f0) < 0)
		return -1;
	for (;;) {
		if (conform_sleep(c, SCAN_POLL_NS) < 0 || counter(c, "full_scans", &f) < 0)
			return -1;
		if (f >= f0 + n)
			break;
		if (mono_ns() - t0 > c->opt.ksm_timeout_ns)
			return ocb_fail("KSM full_scans advanced by %llu, not %u, within %.0f s", f - f0, n,
					ns_to_s(c->opt.ksm_timeout_ns));
	}
	if (s)
		*s = ns_to_s(mono_ns() - t0);
	return 0;
}

static int boot_pair(struct conform_ctx *c, struct conform_result *r, struct vm **a, struct vm **b)
{
	*a = conform_guest(c, &guest_a);
	*b = *a ? conform_guest(c, &guest_b) : NULL;
	if (!*b) {
		conform_error(r, "cannot boot the KSM guests: %s", ocb_errmsg());
		return -1;
	}
	return 0;
}

/* ---- KSM-001 ------------------------------------------------------------ */

struct fill_run {
	struct vm *vm[2];
	long long pid[2];
	int exited[2];				/* agent_poll said so: res holds it */
	struct agent_exec_result res[2];
	double base_mean[2], base_sd[2];	/* merging pages before the fill */
	double low[2];				/* lowest reading while filling */
	double expected_approx;
	json_t *trace;				/* [t_s, a, b, full_scans] rows */
};

/* Merging pages of both guests at three consecutive full scans: the
 * baseline and its noise. */
static int baseline(struct conform_ctx *c, struct fill_run *f)
{
	double v[2][3];

	if (wait_scans(c, 2, NULL) < 0)
		return -1;
	for (int s = 0; s < 3; s++) {
		for (int g = 0; g < 2; g++) {
			long long m;

			if (merging(c, f->vm[g], &m) < 0)
				return -1;
			v[g][s] = (double)m;
		}
		if (s < 2 && wait_scans(c, 1, NULL) < 0)
			return -1;
	}
	for (int g = 0; g < 2; g++) {
		conform_stats(v[g], 3, &f->base_mean[g], &f->base_sd[g]);
		f->low[g] = f->base_mean[g];
	}
	return 0;
}

/* Poll until both guests gained ~expected merged pages; returns 1
 * settled, 0 not (ksmfill ended or timeout), -1 error.  The readings at
 * settle and at the next two full scans go into got[g][0..2]. */
static int wait_merged(struct conform_ctx *c, struct fill_run *f, double got[2][3], double *settle_s)
{
	uint64_t t0 = mono_ns();
	double low = f->expected_approx * (1.0 - KSM_REL);

	for (;;) {
		long long m[2];
		unsigned long long fs;
		int ok = 1;

		for (int g = 0; g < 2; g++)
			if (merging(c, f->vm[g], &m[g]) < 0)
				return -1;
		if (counter(c, "full_scans", &fs) < 0)
			return -1;
		json_array_append_new(f->trace, json_pack("[f, I, I, I]", ns_to_s(mono_ns() - t0), m[0], m[1],
							  (json_int_t)fs));
		for (int g = 0; g < 2; g++) {
			if ((double)m[g] < f->low[g])
				f->low[g] = (double)m[g];
			if ((double)m[g] - f->low[g] < low)
				ok = 0;
		}
		if (ok)
			break;
		if (mono_ns() - t0 > c->opt.ksm_timeout_ns)
			return 0;
		for (int g = 0; g < 2; g++) {
			/* The agent reports an exit once, then forgets the pid. */
			int st = f->vm[g]->ops->agent_poll(f->vm[g], f->pid[g], &f->res[g]);

			if (st < 0)
				return -1;
			if (st == 1) {
				f->exited[g] = 1;
				return 0;	/* the hold is over: it will not merge now */
			}
			agent_exec_result_release(&f->res[g]);
		}
		if (conform_sleep(c, 4 * SCAN_POLL_NS) < 0)
			return -1;
	}
	*settle_s = ns_to_s(mono_ns() - t0);
	for (int s = 0; s < 3; s++) {
		if (s && wait_scans(c, 1, NULL) < 0)
			return -1;
		for (int g = 0; g < 2; g++) {
			long long m;

			if (merging(c, f->vm[g], &m) < 0)
				return -1;
			got[g][s] = (double)m;
		}
	}
	return 1;
}

/* ksmfill's identical + zero pages: what KSM must merge in each guest. */
static double fill_expected(json_t *doc)
{
	json_t *p = json_object_get(doc, "pages");

	return (double)(json_integer_value(json_object_get(p, "identical")) +
			json_integer_value(json_object_get(p, "zero")));
}

static int fill_collect(struct conform_ctx *c, struct fill_run *f, json_t *docs[2])
{
	for (int g = 0; g < 2; g++) {
		const char *tag = g ? "ksm-b" : "ksm-a";

		docs[g] = NULL;
		if (f->exited[g]) {
			if (conform_workload_result(c, f->vm[g], tag, &docs[g]) < 0)
				return -1;
		} else if (conform_workload_wait(c, f->vm[g], tag, f->pid[g], 120 * 1000000000ull, &f->res[g],
						 &docs[g]) < 0) {
			return -1;
		}
		f->exited[g] = 1;
		if (!docs[g])
			return ocb_fail("%s: ksmfill left no results (exit %d: %.200s)", f->vm[g]->cfg.name,
					f->res[g].exitcode, strbuf_str(&f->res[g].err));
	}
	return 0;
}

/* KSM set up, both guests booted, their baseline taken, ksmfill started
 * in each; -1 with r's error set. */
static int fill_start(struct conform_ctx *c, struct conform_result *r, struct fill_run *f,
		      const char *const *argv)
{
	json_t *ev = r->evidence;

	if (ksm_setup(c, r) < 0 || boot_pair(c, r, &f->vm[0], &f->vm[1]) < 0)
		return -1;
	f->trace = json_array();
	json_object_set_new(ev, "trace_columns", json_pack("[s,s,s,s]", "t_s", "ksm-a", "ksm-b", "full_scans"));
	json_object_set_new(ev, "trace", f->trace);
	if (baseline(c, f) < 0) {
		conform_error(r, "KSM baseline: %s", ocb_errmsg());
		return -1;
	}
	f->expected_approx = (double)(96 * MiB / 4096) * 0.75;
	for (int g = 0; g < 2; g++)
		if (conform_workload_spawn(c, f->vm[g], g ? "ksm-b" : "ksm-a", argv, &f->pid[g]) < 0) {
			conform_error(r, "%s", ocb_errmsg());
			return -1;
		}
	return 0;
}

/* Each guest's gain in merged pages against what its ksmfill made
 * mergeable, into ev's "guests" and gained[]; how many are off. */
static int judge_gains(const struct fill_run *f, json_t *const docs[2], double got[2][3], int settled,
		       json_t *ev, double gained[2])
{
	json_t *per = json_object();
	int bad = 0;

	json_object_set_new(ev, "guests", per);
	for (int g = 0; g < 2; g++) {
		double exp = fill_expected(docs[g]), mean, sd, tol, gain, reused;
		char key[32];

		if (settled)
			conform_stats(got[g], 3, &mean, &sd);
		else
			mean = json_number_value(json_array_get(json_array_get(f->trace, json_array_size(f->trace) - 1),
								(size_t)g + 1)), sd = 0;
		/* ksmfill gets some free guest pages whose old content (the
		 * freed initramfs, mostly) was merged in the baseline: writing
		 * them unmerges them, seen as a dip before the fill merges.
		 * Gain is counted from that low point. */
		reused = f->base_mean[g] - f->low[g];
		gain = mean - f->low[g];
		gained[g] = gain;
		snprintf(key, sizeof(key), "%s_tolerance", f->vm[g]->cfg.name);
		tol = conform_tolerance(ev, key, exp, KSM_REL, 0, K_SIGMA,
					sqrt(sd * sd + f->base_sd[g] * f->base_sd[g]), "pages");
		json_object_set_new(per, f->vm[g]->cfg.name,
				    json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "baseline_pages", f->base_mean[g],
					      "baseline_stddev", f->base_sd[g], "reused_merged_pages", reused,
					      "merged_pages", mean, "gained_pages", gain, "expected_pages", exp,
					      "error_pages", gain - exp));
		if (!settled || fabs(gain - exp) > tol)
			bad++;
	}
	return bad;
}

static void ksm_001(struct conform_ctx *c, struct conform_result *r)
{
	/* No zero pages: thousands of mappings of one content form KSM
	 * chains (max_page_sharing) whose merging is a different story. */
	const char *const argv[] = { "ksmfill", "--size", FILL, "--seed", SEED, "--identical", "0.75", "--zero", "0",
				     "--duration", HOLD, "--cow", NULL };
	struct fill_run f;
	double got[2][3], settle = 0, gained[2] = { 0, 0 };
	json_t *docs[2] = { NULL, NULL }, *ev = r->evidence;
	int settled, bad;

	memset(&f, 0, sizeof(f));
	if (fill_start(c, r, &f, argv) < 0)
		return;
	settled = wait_merged(c, &f, got, &settle);
	if (settled < 0 || fill_collect(c, &f, docs) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		goto out;
	}
	json_object_set_new(ev, "ksmfill", json_pack("{s:s, s:s, s:s}", "size", FILL, "seed", SEED, "hold", HOLD));
	bad = judge_gains(&f, docs, got, settled, ev, gained);
	json_object_set_new(ev, "settled", json_boolean(settled));
	json_object_set_new(ev, "settle_s", settled ? json_real(settle) : json_null());
	json_object_set_new(c->shared, "ksmfill", json_pack("{s:O, s:O, s:f}", "ksm-a", docs[0], "ksm-b", docs[1],
							     "settle_s", settle));
	conform_summary(r, "%s; merged +%.0f / +%.0f pages per guest, expected %.0f",
			settled ? "settled" : "never settled", gained[0], gained[1], fill_expected(docs[0]));
	if (settled)
		snprintf(r->summary + strlen(r->summary), sizeof(r->summary) - strlen(r->summary), " in %.2f s",
			 settle);
	if (bad)
		conform_failf(r, "KSM did not merge the expected pages of %s%s: see guests.*.gained_pages vs "
			      "expected_pages%s", bad == 2 ? "either guest" : "one guest",
			      settled ? "" : " before ksmfill's hold ended", "");
	else
		conform_pass(r, "%s", "");
out:
	for (int g = 0; g < 2; g++)
		if (f.exited[g])
			agent_exec_result_release(&f.res[g]);
	json_decref(docs[0]);
	json_decref(docs[1]);
}

/* ---- KSM-002: unmerge --------------------------------------------------- */

/* The QEMUs' proportional set size (MiB), read three times: a KSM page
 * mapped by k processes counts 1/k to each, so unmerging raises PSS by
 * what the merge saved, attributed to the guests themselves (global
 * counters also move with every other QEMU on the host). */
static int pss_sample(struct conform_ctx *c, struct vm *a, struct vm *b, double *mean, double *sd)
{
	double v[3];

	for (int i = 0; i < 3; i++) {
		unsigned long long pa, pb;

		if (conform_proc_kib(c, a->ops->pid(a), "smaps_rollup", "Pss", &pa) < 0 ||
		    conform_proc_kib(c, b->ops->pid(b), "smaps_rollup", "Pss", &pb) < 0)
			return -1;
		v[i] = (double)(pa + pb) / 1024.0;
	}
	conform_stats(v, 3, mean, sd);
	return 0;
}

static void ksm_002(struct conform_ctx *c, struct conform_result *r)
{
	struct vm *a, *b;
	unsigned long long sharing0, sharing1;
	long long ma, mb, ma1, mb1;
	double pss0, sd0, pss1, sd1, merged, rose, tol, s = 0, lo, hi;
	uint64_t t0;
	char why[256];
	json_t *ev = r->evidence;

	if (ksm_setup(c, r) < 0 || boot_pair(c, r, &a, &b) < 0)
		return;
	if (wait_scans(c, 2, NULL) < 0 || counter(c, "pages_sharing", &sharing0) < 0 ||
	    merging(c, a, &ma) < 0 || merging(c, b, &mb) < 0 || pss_sample(c, a, b, &pss0, &sd0) < 0) {
		conform_error(r, "before unmerging: %s", ocb_errmsg());
		return;
	}
	if (!sharing0 || !(ma + mb)) {
		conform_error(r, "nothing of the guests is merged two full scans after boot: cannot test unmerging");
		return;
	}
	t0 = mono_ns();
	if (conform_knob(c, "ksm", "unmerge", why, sizeof(why)) != 0) {
		conform_error(r, "ksm = unmerge: %s", ocb_errmsg());
		return;
	}
	do {
		if (counter(c, "pages_sharing", &sharing1) < 0) {
			conform_error(r, "%s", ocb_errmsg());
			return;
		}
		s = ns_to_s(mono_ns() - t0);
	} while (sharing1 > sharing0 / 100 && s < ns_to_s(c->opt.ksm_timeout_ns) && conform_sleep(c, SCAN_POLL_NS) == 0);
	if (merging(c, a, &ma1) < 0 || merging(c, b, &mb1) < 0 || pss_sample(c, a, b, &pss1, &sd1) < 0) {
		conform_error(r, "after unmerging: %s", ocb_errmsg());
		return;
	}
	/* Each merged mapping of a page shared by k >= 2 costs 1 - 1/k of a
	 * page once private again: the rise lies in [merged/2, merged]. */
	merged = (double)(ma + mb) * PAGE_KIB / 1024.0;
	rose = pss1 - pss0;
	tol = conform_tolerance(ev, "tolerance", merged, KSM_REL, 0, K_SIGMA, sqrt(sd0 * sd0 + sd1 * sd1), "MiB");
	lo = merged / 2 - tol;
	hi = merged + tol;
	json_object_set_new(ev, "pages_sharing", json_pack("{s:I, s:I, s:f, s:s}", "before", (json_int_t)sharing0,
							   "after", (json_int_t)sharing1, "tolerance_rel", 0.01,
							   "note", "global: every process on the host unmerges"));
	json_object_set_new(ev, "merging_pages", json_pack("{s:{s:I, s:I}, s:{s:I, s:I}}", "ksm-a", "before",
							   (json_int_t)ma, "after", (json_int_t)ma1, "ksm-b",
							   "before", (json_int_t)mb, "after", (json_int_t)mb1));
	json_object_set_new(ev, "qemu_pss_mib", json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:s}", "before", pss0,
							  "after", pss1, "rose", rose, "merged_mib", merged,
							  "expected_low", lo, "expected_high", hi, "stddev", sd1,
							  "rule", "merged/2 - tol <= rise <= merged + tol"));
	json_object_set_new(ev, "unmerge_s", json_real(s));
	conform_summary(r, "pages_sharing %llu->%llu in %.2f s; guests' PSS +%.0f MiB (expected %.0f..%.0f)",
			sharing0, sharing1, s, rose, lo, hi);
	if (sharing1 > sharing0 / 100)
		conform_failf(r, "pages_sharing still %llu (of %llu) %.1f s after run=2", sharing1, sharing0, s);
	else if (ma1 || mb1)
		conform_failf(r, "guest pages still merged after run=2: ksm-a %lld, ksm-b %lld", ma1, mb1);
	else if (rose < lo || rose > hi)
		conform_failf(r, "the guests' PSS rose by %.0f MiB after unmerging %.0f MiB of merged mappings; "
			      "expected %.0f..%.0f MiB", rose, merged, lo, hi);
	else
		conform_pass(r, "%s", "");
}

/* ---- KSM-003: mem-merge off --------------------------------------------- */

static void ksm_003(struct conform_ctx *c, struct conform_result *r)
{
	const char *const argv[] = { "ksmfill", "--size", "64M", "--seed", SEED, "--duration", SHORT_HOLD, NULL };
	struct vm *a, *b, *off;
	long long pa, po, base_a, m, max_off = 0, max_a = 0;
	unsigned long long f0, f1;
	json_t *doc;
	int done[2] = { 0, 0 };

	if (ksm_setup(c, r) < 0 || boot_pair(c, r, &a, &b) < 0)
		return;
	off = conform_guest(c, &guest_c);
	if (!off) {
		conform_error(r, "cannot boot %s: %s", guest_c.name, ocb_errmsg());
		return;
	}
	if (wait_scans(c, 2, NULL) < 0 || merging(c, a, &base_a) < 0 || counter(c, "full_scans", &f0) < 0 ||
	    conform_workload_spawn(c, a, "ksm-003-a", argv, &pa) < 0 ||
	    conform_workload_spawn(c, off, "ksm-003-c", argv, &po) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	/* Watch both for the whole hold: the control must merge, ksm-c never. */
	while (!done[0] || !done[1]) {
		struct vm *vms[2] = { a, off };
		long long pids[2] = { pa, po };

		if (merging(c, off, &m) < 0)
			goto err;
		max_off = m > max_off ? m : max_off;
		if (merging(c, a, &m) < 0)
			goto err;
		max_a = m - base_a > max_a ? m - base_a : max_a;
		for (int g = 0; g < 2; g++) {
			struct agent_exec_result res;
			int st;

			if (done[g])
				continue;
			st = vms[g]->ops->agent_poll(vms[g], pids[g], &res);
			agent_exec_result_release(&res);
			if (st < 0)
				goto err;
			done[g] = st == 1;
		}
		if (conform_sleep(c, 4 * SCAN_POLL_NS) < 0)
			goto err;
	}
	if (counter(c, "full_scans", &f1) < 0)
		goto err;
	for (int g = 0; g < 2; g++) {
		struct agent_exec_result res;

		if (conform_workload_wait(c, g ? off : a, g ? "ksm-003-c" : "ksm-003-a", g ? po : pa,
					  1000000000ull, &res, &doc) == 0) {
			agent_exec_result_release(&res);
			json_decref(doc);
		}
	}
	json_object_set_new(r->evidence, "ksm-c", json_pack("{s:b, s:I, s:i}", "mem_merge", 0, "max_merging_pages",
							     (json_int_t)max_off, "tolerance_pages", 0));
	json_object_set_new(r->evidence, "control_ksm-a", json_pack("{s:b, s:I}", "mem_merge", 1,
								     "max_gained_pages", (json_int_t)max_a));
	json_object_set_new(r->evidence, "full_scans_during", json_integer((json_int_t)(f1 - f0)));
	conform_summary(r, "mem-merge=off guest: %lld merged pages (control guest: +%lld) over %llu scans",
			max_off, max_a, f1 - f0);
	if (max_off > 0)
		conform_failf(r, "%s (mem-merge=off) had %lld merged pages; expected 0", off->cfg.name, max_off);
	else if (max_a <= 0 || f1 - f0 < 2)
		conform_error(r, "inconclusive: the control guest gained %lld merged pages over %llu full scans",
			      max_a, f1 - f0);
	else
		conform_pass(r, "%s", "");
	return;
err:
	conform_error(r, "%s", ocb_errmsg());
}

/* ---- KSM-004: COW after merge ------------------------------------------- */

static double pct(json_t *doc, const char *hist, const char *p)
{
	json_t *h = json_object_get(json_object_get(doc, "histograms"), hist);

	return json_number_value(json_object_get(json_object_get(h, "percentiles"), p));
}

static json_int_t hist_count(json_t *doc, const char *hist)
{
	return json_integer_value(json_object_get(json_object_get(json_object_get(doc, "histograms"), hist), "count"));
}

static void ksm_004(struct conform_ctx *c, struct conform_result *r)
{
	static const char *const names[] = { "ksm-a", "ksm-b" };
	json_t *fills = json_object_get(c->shared, "ksmfill"), *per = json_object();
	int bad = 0;
	double p50 = 0;

	if (!fills) {
		/* Alone: KSM-001's fill (with --cow) is the set-up. */
		struct conform_result tmp;

		memset(&tmp, 0, sizeof(tmp));
		tmp.check = r->check;
		tmp.evidence = json_object();
		ksm_001(c, &tmp);
		json_object_set_new(r->evidence, "setup_ksm_001", tmp.evidence);
		fills = json_object_get(c->shared, "ksmfill");
		if (!fills || tmp.status != CONFORM_PASS) {
			json_decref(per);
			conform_error(r, "the merge before the copy-on-write did not happen: %s", tmp.reason);
			return;
		}
	}
	json_object_set_new(r->evidence, "guests", per);
	for (int g = 0; g < 2; g++) {
		json_t *doc = json_object_get(fills, names[g]), *v = json_object_get(doc, "verify");
		json_int_t mism = json_integer_value(json_object_get(v, "mismatched_pages"));
		json_int_t writes = hist_count(doc, "cow_break_merged") + hist_count(doc, "cow_write_unmerged") +
				    hist_count(doc, "cow_write_unknown");
		/* In a guest pagemap cannot see host merging: every write shows
		 * as "unmerged" there, yet breaks a host KSM page. */
		double w50 = pct(doc, "cow_write_unmerged", "p50"), w99 = pct(doc, "cow_write_unmerged", "p99");

		json_object_set_new(per, names[g], json_pack("{s:I, s:I, s:I, s:f, s:f, s:O?}", "verified_pages",
							      json_integer_value(json_object_get(v, "pages")),
							      "mismatched_pages", mism, "cow_writes", writes,
							      "cow_write_p50_ns", w50, "cow_write_p99_ns", w99,
							      "first_mismatches",
							      json_object_get(v, "first_mismatches")));
		if (!v || mism || !writes)
			bad++;
		p50 = g ? (p50 + w50) / 2 : w50;
	}
	json_object_set_new(r->evidence, "tolerance", json_pack("{s:i, s:s}", "mismatched_pages", 0, "rule",
								 "exact: merging must never change data"));
	conform_summary(r, "content kept; COW break p50 %.0f ns (guest-side, includes TCG)", p50);
	if (bad)
		conform_failf(r, "after copy-on-write of merged pages: pages differ or no COW writes happened "
			      "(see guests.*.mismatched_pages)");
	else
		conform_pass(r, "%s", "");
}

/* ---- KSM-005: UKSM ------------------------------------------------------ */

static void ksm_005(struct conform_ctx *c, struct conform_result *r)
{
	static const char *const kv[][2] = {
		{ "uksm.max_cpu_percentage", "50" }, { "uksm.cpu_governor", "medium" }, { "uksm", "on" },
	};
	const struct ksm_probe *p = probe(c);
	char why[256];
	unsigned long long f0, f;
	uint64_t t0;

	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		int k = conform_knob(c, kv[i][0], kv[i][1], why, sizeof(why));

		if (k < 0) {
			conform_failf(r, "UKSM did not take %s = %s: %s", kv[i][0], kv[i][1], ocb_errmsg());
			return;
		}
		if (k == 1) {
			conform_skip(r, "%s", why);
			return;
		}
	}
	json_object_set_new(r->evidence, "applied", json_pack("{s:s, s:s}", "max_cpu_percentage", "50",
							      "cpu_governor", "medium"));
	/* Honoured = read back (knob_apply did) and scanning under them. */
	if (p->ops->counter(p->opaque, c->opt.root, "../uksm/full_scans", &f0) < 0) {
		conform_pass(r, "knobs read back; UKSM has no full_scans counter to watch");
		return;
	}
	t0 = mono_ns();
	do {
		if (conform_sleep(c, SCAN_POLL_NS) < 0 ||
		    p->ops->counter(p->opaque, c->opt.root, "../uksm/full_scans", &f) < 0) {
			conform_error(r, "%s", ocb_errmsg());
			return;
		}
	} while (f == f0 && mono_ns() - t0 < c->opt.ksm_timeout_ns);
	json_object_set_new(r->evidence, "full_scans", json_pack("{s:I, s:I}", "before", (json_int_t)f0, "after",
								  (json_int_t)f));
	conform_summary(r, "knobs read back; full_scans %llu->%llu", f0, f);
	if (f == f0)
		conform_failf(r, "UKSM did not scan within %.0f s with the knobs set", ns_to_s(c->opt.ksm_timeout_ns));
	else
		conform_pass(r, "%s", "");
}

static const struct conform_check checks[] = {
	{ "KSM-001", "ksm", "two guests running ksmfill with the same seed get the expected pages merged",
	  NEED_ROOT | NEED_KSM | NEED_PROC_KSM, ksm_001 },
	{ "KSM-002", "ksm", "run=2 unmerges: pages_sharing returns to 0, host memory use rises accordingly",
	  NEED_ROOT | NEED_KSM | NEED_PROC_KSM, ksm_002 },
	{ "KSM-003", "ksm", "a guest with mem-merge=off is never merged", NEED_ROOT | NEED_KSM | NEED_PROC_KSM,
	  ksm_003 },
	{ "KSM-004", "ksm", "copy-on-write after merge keeps every page's content", NEED_ROOT | NEED_KSM | NEED_PROC_KSM,
	  ksm_004 },
	{ "KSM-005", "ksm", "UKSM knobs are honoured", NEED_ROOT | NEED_UKSM, ksm_005 },
};

const struct conform_suite conform_suite_ksm = { "ksm", checks, sizeof(checks) / sizeof(checks[0]) };
