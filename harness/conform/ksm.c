/* ksm.c — KSM-001..005: KSM merges what two guests share, run=2
 * unmerges and gives the memory back to use, mem-merge=off keeps a guest
 * out, copy-on-write after a merge keeps every page's content, UKSM's
 * knobs are honoured.  The measuring (probes, full scans, one ksmfill run
 * watched from the host, the diagnosis when nothing merges) is
 * ksmfill.c's.
 *
 * Fixture: guests ksm-a and ksm-b (512 MiB each) for KSM-001..004, and
 * ksm-c (mem-merge off) for KSM-003.  KSM-004 judges KSM-001's ksmfill
 * run (started with --cow), or runs KSM-001 first when alone.
 */
#include "conform/ksm.h"
#include "conform/diagnose.h"
#include "conform/fixture.h"
#include "conform/ksm-advisor.h"
#include "conform/ksm-node.h"
#include "conform/ksmfill.h"
#include "host/sysfs.h"
#include "host/uksm.h"
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
/* KSM-003's fill: a seed no other check writes, so its identical pages
 * are new content that only the fill of this check can merge with (with
 * KSM-001's seed, the control's writes landed on guest pages holding the
 * same content, merged already, and it "gained" nothing). */
#define SEED_003 "3003"
#define FILL_003 "64M"
/* Long enough for a loaded host; the check ends the holds itself once
 * the control merged, so a passing run never waits it out. */
#define HOLD_003 "30s"
#define CONTROL_FRAC 0.5	/* of its fill a control guest must be seen to merge */
#define SCAN_POLL_NS (50 * 1000000ull)
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

/* ksm-a, ksm-b (and ksm-c when n is 3) into vm[0..n-1], the ones not
 * running booted side by side.  ksm-c is booted only for KSM-003: a third
 * TCG boot on a 2-core host costs more than the wait it would save. */
static int boot_guests(struct conform_ctx *c, struct conform_result *r, struct vm **vm, size_t n)
{
	static const struct conform_guest_spec *const specs[] = { &guest_a, &guest_b, &guest_c };

	if (conform_guests(c, specs, n, vm) < 0) {
		conform_error(r, "cannot boot the KSM guests: %s", ocb_errmsg());
		return -1;
	}
	return 0;
}

/* ---- KSM-001 ------------------------------------------------------------ */

/* The fill, measured and judged: r's verdict. */
static void ksm_001_run(struct conform_ctx *c, struct conform_result *r, struct ksm_fill *f)
{
	/* No zero pages: thousands of mappings of one content form KSM
	 * chains (max_page_sharing) whose merging is a different story. */
	const char *const argv[] = { "ksmfill", "--size", FILL, "--seed", SEED, "--identical", "0.75", "--zero", "0",
				     "--duration", HOLD, "--cow", NULL };
	double gained[2] = { 0, 0 };
	json_t *ev = r->evidence;
	int bad;

	f->n = f->n_merge = 2;
	f->tag[0] = "ksm-a";
	f->tag[1] = "ksm-b";
	f->expected_approx = (double)(96 * MiB / 4096) * 0.75;
	if (ksm_setup(c, r) < 0 || boot_guests(c, r, f->vm, 2) < 0 || ksm_precheck(c, r, f->vm, 2) ||
	    ksm_fill_start(c, r, f, argv) < 0)
		return;
	if (ksm_fill_wait(c, f) < 0 || ksm_fill_collect(c, f) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	json_object_set_new(ev, "ksmfill", json_pack("{s:s, s:s, s:s}", "size", FILL, "seed", SEED, "hold", HOLD));
	bad = ksm_fill_judge(f, ev, gained);
	json_object_set_new(ev, "settled", json_boolean(f->settled));
	json_object_set_new(ev, "settle_s", f->settled ? json_real(f->settle_s) : json_null());
	json_object_set_new(ev, "gained_pages", json_pack("[f, f]", gained[0], gained[1]));
	conform_summary(r, "%s; merged +%.0f / +%.0f pages per guest, expected %.0f",
			f->settled ? "settled" : "never settled", gained[0], gained[1], ksm_fill_expected(f->docs[0]));
	if (f->settled)
		snprintf(r->summary + strlen(r->summary), sizeof(r->summary) - strlen(r->summary), " in %.2f s",
			 f->settle_s);
	if (bad) {
		char what[256];

		snprintf(what, sizeof(what), "KSM did not merge the expected pages of %s%s: see guests.*.gained_pages "
			 "vs expected_pages", bad == 2 ? "either guest" : "one guest",
			 f->settled ? "" : " before ksmfill's hold ended");
		ksm_fail_diagnosed(c, r, f->vm, 2, what);
	} else {
		conform_pass(r, "%s", "");
	}
}

/* What KSM-004 judges: KSM-001's verdict, and its ksmfill results only
 * when the fill ran (a failed merge is handed on as such, never as a
 * set-up that worked). */
static void ksm_001(struct conform_ctx *c, struct conform_result *r)
{
	struct ksm_fill f;
	json_t *share;

	memset(&f, 0, sizeof(f));
	ksm_001_run(c, r, &f);
	share = json_pack("{s:s, s:s, s:b}", "status", conform_status_name(r->status), "reason", r->reason, "settled",
			  f.settled);
	if (f.docs[0] && f.docs[1]) {
		json_object_set(share, "ksm-a", f.docs[0]);
		json_object_set(share, "ksm-b", f.docs[1]);
		json_object_set(share, "gained_pages", json_object_get(r->evidence, "gained_pages"));
	}
	json_object_set_new(c->shared, "ksmfill", share);
	ksm_fill_release(&f);
}

/* ---- KSM-002: unmerge --------------------------------------------------- */

/* The QEMUs' proportional set size (MiB), read three times: a KSM page
 * mapped by k processes counts 1/k to each, so unmerging raises PSS by
 * what the merge saved, attributed to the guests themselves (global
 * counters also move with every other QEMU on the host). */
static int pss_sample(struct conform_ctx *c, struct vm *const *vm, double *mean, double *sd)
{
	double v[3];

	for (int i = 0; i < 3; i++) {
		unsigned long long pa, pb;

		if (conform_proc_kib(c, vm[0]->ops->pid(vm[0]), "smaps_rollup", "Pss", &pa) < 0 ||
		    conform_proc_kib(c, vm[1]->ops->pid(vm[1]), "smaps_rollup", "Pss", &pb) < 0)
			return -1;
		v[i] = (double)(pa + pb) / 1024.0;
	}
	conform_stats(v, 3, mean, sd);
	return 0;
}

struct unmerge {
	unsigned long long sharing[2];	/* pages_sharing before, after */
	long long merged[2][2];		/* [guest][before, after] */
	double pss[2], sd[2], seconds;
};

/* Something merged two full scans after boot (else FAIL: KSM merges
 * nothing, with the diagnosis).  0, or -1 with r's verdict set. */
static int ksm_002_before(struct conform_ctx *c, struct conform_result *r, struct vm *const *vm,
			  struct unmerge *u)
{
	int w = ksm_wait_scans(c, 2, NULL);

	if (w == 1) {
		char msg[OCB_ERR_MAX];

		snprintf(msg, sizeof(msg), "before unmerging: %s", ocb_errmsg());
		ksm_fail_diagnosed(c, r, vm, 2, msg);
		return -1;
	}
	if (w < 0 || ksm_counter(c, "pages_sharing", &u->sharing[0]) < 0 || ksm_merging(c, vm[0], &u->merged[0][0]) < 0 ||
	    ksm_merging(c, vm[1], &u->merged[1][0]) < 0 || pss_sample(c, vm, &u->pss[0], &u->sd[0]) < 0) {
		conform_error(r, "before unmerging: %s", ocb_errmsg());
		return -1;
	}
	if (!u->sharing[0] || !(u->merged[0][0] + u->merged[1][0])) {
		ksm_fail_diagnosed(c, r, vm, 2, "nothing of the guests is merged two full scans after boot: KSM merges "
				   "nothing, so unmerging cannot be shown");
		return -1;
	}
	return 0;
}

/* run=2, then pages_sharing watched down to 0.  0, or -1 with ERROR. */
static int ksm_002_unmerge(struct conform_ctx *c, struct conform_result *r, struct vm *const *vm,
			   struct unmerge *u)
{
	uint64_t t0 = mono_ns();
	char why[256];

	if (conform_knob(c, "ksm", "unmerge", why, sizeof(why)) != 0) {
		conform_error(r, "ksm = unmerge: %s", ocb_errmsg());
		return -1;
	}
	/* The kernel unmerges every KSM page on the host before the write of
	 * run=2 returns; the watch is for a kernel that would not. */
	do {
		if (ksm_counter(c, "pages_sharing", &u->sharing[1]) < 0) {
			conform_error(r, "%s", ocb_errmsg());
			return -1;
		}
		u->seconds = ns_to_s(mono_ns() - t0);
	} while (u->sharing[1] && u->seconds < ns_to_s(c->opt.ksm_timeout_ns) && conform_sleep(c, SCAN_POLL_NS) == 0);
	if (ksm_merging(c, vm[0], &u->merged[0][1]) < 0 || ksm_merging(c, vm[1], &u->merged[1][1]) < 0 ||
	    pss_sample(c, vm, &u->pss[1], &u->sd[1]) < 0) {
		conform_error(r, "after unmerging: %s", ocb_errmsg());
		return -1;
	}
	return 0;
}

static void ksm_002(struct conform_ctx *c, struct conform_result *r)
{
	struct vm *vm[2];
	struct unmerge u;
	double merged, rose, tol, lo, hi;
	json_t *ev = r->evidence;

	memset(&u, 0, sizeof(u));
	if (ksm_setup(c, r) < 0 || boot_guests(c, r, vm, 2) < 0 || ksm_002_before(c, r, vm, &u) < 0 ||
	    ksm_002_unmerge(c, r, vm, &u) < 0)
		return;
	/* Each merged mapping of a page shared by k >= 2 costs 1 - 1/k of a
	 * page once private again: the rise lies in [merged/2, merged]. */
	merged = (double)(u.merged[0][0] + u.merged[1][0]) * PAGE_KIB / 1024.0;
	rose = u.pss[1] - u.pss[0];
	tol = conform_tolerance(ev, "tolerance", merged, KSM_REL, 0, K_SIGMA, sqrt(u.sd[0] * u.sd[0] + u.sd[1] * u.sd[1]),
				"MiB");
	lo = merged / 2 - tol;
	hi = merged + tol;
	json_object_set_new(ev, "pages_sharing", json_pack("{s:I, s:I, s:i, s:s}", "before", (json_int_t)u.sharing[0],
							   "after", (json_int_t)u.sharing[1], "expected_after", 0,
							   "note", "global: run=2 unmerges every process on the host"));
	json_object_set_new(ev, "merging_pages", json_pack("{s:{s:I, s:I}, s:{s:I, s:I}}", "ksm-a", "before",
							   (json_int_t)u.merged[0][0], "after", (json_int_t)u.merged[0][1],
							   "ksm-b", "before", (json_int_t)u.merged[1][0], "after",
							   (json_int_t)u.merged[1][1]));
	json_object_set_new(ev, "qemu_pss_mib", json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:s}", "before", u.pss[0],
							  "after", u.pss[1], "rose", rose, "merged_mib", merged,
							  "expected_low", lo, "expected_high", hi, "stddev", u.sd[1],
							  "rule", "merged/2 - tol <= rise <= merged + tol"));
	json_object_set_new(ev, "unmerge_s", json_real(u.seconds));
	conform_summary(r, "pages_sharing %llu->%llu in %.2f s; guests' PSS +%.0f MiB (expected %.0f..%.0f)",
			u.sharing[0], u.sharing[1], u.seconds, rose, lo, hi);
	if (u.sharing[1])
		conform_failf(r, "pages_sharing is still %llu (of %llu) %.1f s after run=2; expected 0", u.sharing[1],
			      u.sharing[0], u.seconds);
	else if (u.merged[0][1] || u.merged[1][1])
		conform_failf(r, "guest pages still merged after run=2: ksm-a %lld, ksm-b %lld", u.merged[0][1],
			      u.merged[1][1]);
	else if (rose < lo || rose > hi)
		conform_failf(r, "the guests' PSS rose by %.0f MiB after unmerging %.0f MiB of merged mappings; "
			      "expected %.0f..%.0f MiB", rose, merged, lo, hi);
	else
		conform_pass(r, "%s", "");
}

/* ---- KSM-003: mem-merge off --------------------------------------------- */

/* ksm-a and ksm-b (the control) and ksm-c (mem-merge off) run the same
 * fill of new content: the control must merge at least half of it, ksm-c
 * must never show a merged page.  Without a control that merges, "never
 * merged" would prove nothing. */
static void ksm_003_verdict(struct conform_ctx *c, struct conform_result *r, struct ksm_fill *f, int bad)
{
	json_t *ev = r->evidence;
	long long off = f->max_seen[2];

	json_object_set_new(ev, "ksm-c", json_pack("{s:b, s:I, s:i}", "mem_merge", 0, "max_merging_pages",
						    (json_int_t)off, "tolerance_pages", 0));
	json_object_set_new(ev, "ksm-c_diagnosis", conform_ksm_diagnosis(c, &f->vm[2], 1));
	conform_summary(r, "mem-merge=off guest: %lld merged pages at most; control guests merged %s", off,
			bad ? "short of their fill" : "their fill");
	if (off > 0) {
		conform_failf(r, "%s (mem-merge=off) had %lld merged pages; expected 0 (see ksm-c_diagnosis for the "
			      "VmFlags of its RAM)", f->vm[2]->cfg.name, off);
	} else if (bad) {
		ksm_fail_diagnosed(c, r, f->vm, 2, "the control guests (mem-merge on, the same fill) did not merge "
				   "their fill, so mem-merge=off keeping ksm-c out shows nothing");
	} else {
		conform_pass(r, "%s", "");
	}
}

static void ksm_003(struct conform_ctx *c, struct conform_result *r)
{
	const char *const argv[] = { "ksmfill", "--size", FILL_003, "--seed", SEED_003, "--identical", "0.75",
				     "--zero", "0", "--duration", HOLD_003, NULL };
	struct ksm_fill f;
	int bad;

	memset(&f, 0, sizeof(f));
	f.n = 3;
	f.n_merge = 2;
	f.tag[0] = "ksm-003-a";
	f.tag[1] = "ksm-003-b";
	f.tag[2] = "ksm-003-c";
	f.expected_approx = (double)(64 * MiB / 4096) * 0.75;
	/* The control shows that KSM merges this content here and now, so
	 * that ksm-c's 0 means something; how much KSM merges is KSM-001's
	 * question.  After KSM-001 and -002 most of the fill lands on guest
	 * pages merged before, and the guests' own writes meanwhile unmerge
	 * a few hundred more (measured: 93-99 % of the fill counted). */
	f.min_frac = CONTROL_FRAC;
	if (ksm_setup(c, r) < 0 || boot_guests(c, r, f.vm, 3) < 0)
		return;
	if (ksm_precheck(c, r, f.vm, 2) || ksm_fill_start(c, r, &f, argv) < 0)
		goto out;
	/* Watched until the control merged and two full scans more: had
	 * ksm-c's RAM been mergeable, its copy of the same content would have
	 * merged in the same scans.  Then the holds end at once. */
	if (ksm_fill_wait(c, &f) < 0 || ksm_fill_stop(c, &f) < 0 || ksm_fill_collect(c, &f) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		goto out;
	}
	json_object_set_new(r->evidence, "ksmfill", json_pack("{s:s, s:s, s:s}", "size", FILL_003, "seed", SEED_003,
							       "hold", HOLD_003));
	bad = ksm_fill_judge(&f, r->evidence, NULL);
	json_object_set_new(r->evidence, "settled", json_boolean(f.settled));
	ksm_003_verdict(c, r, &f, bad);
out:
	ksm_fill_release(&f);
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

/* KSM-001's fill, run now when KSM-004 runs alone; NULL with r's verdict
 * set when the merge before the copy-on-write did not happen. */
static json_t *merged_fill(struct conform_ctx *c, struct conform_result *r)
{
	json_t *fills = json_object_get(c->shared, "ksmfill");
	const char *st;

	if (!fills) {
		struct conform_result tmp;

		memset(&tmp, 0, sizeof(tmp));
		tmp.check = r->check;
		tmp.evidence = json_object();
		ksm_001(c, &tmp);
		json_object_set_new(r->evidence, "setup_ksm_001", tmp.evidence);
		fills = json_object_get(c->shared, "ksmfill");
	}
	st = json_string_value(json_object_get(fills, "status"));
	if (st && !strcmp(st, "pass"))
		return fills;
	/* The same verdict: a merge that failed is KSM failing, one that
	 * could not be set up is not KSM's. */
	if (st && !strcmp(st, "fail"))
		conform_failf(r, "the merge before the copy-on-write did not happen (KSM-001: %s)",
			      json_string_value(json_object_get(fills, "reason")));
	else
		conform_error(r, "the merge before the copy-on-write could not be set up (KSM-001: %s)",
			      fills ? json_string_value(json_object_get(fills, "reason")) : "no result");
	return NULL;
}

/* One guest's ksmfill --cow results: every page verified, every
 * identical and zero page written, no page changed.  1 when bad. */
static int cow_judge(json_t *doc, const char *name, json_t *per, double *w50)
{
	json_t *v = json_object_get(doc, "verify"), *pages = json_object_get(doc, "pages");
	json_int_t mism = json_integer_value(json_object_get(v, "mismatched_pages"));
	json_int_t verified = json_integer_value(json_object_get(v, "pages"));
	json_int_t total = json_integer_value(json_object_get(pages, "total"));
	json_int_t want = (json_int_t)ksm_fill_expected(doc);
	json_int_t writes = hist_count(doc, "cow_break_merged") + hist_count(doc, "cow_write_unmerged") +
			    hist_count(doc, "cow_write_unknown");

	/* In a guest pagemap cannot see host merging: every write shows as
	 * "unmerged" there, yet breaks a host KSM page. */
	*w50 = pct(doc, "cow_write_unmerged", "p50");
	json_object_set_new(per, name, json_pack("{s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:O?}", "fill_pages", total,
						  "verified_pages", verified, "mismatched_pages", mism, "cow_writes",
						  writes, "expected_cow_writes", want, "cow_write_p50_ns", *w50,
						  "cow_write_p99_ns", pct(doc, "cow_write_unmerged", "p99"),
						  "first_mismatches", json_object_get(v, "first_mismatches")));
	return !v || !total || verified != total || mism || writes != want;
}

static void ksm_004(struct conform_ctx *c, struct conform_result *r)
{
	static const char *const names[] = { "ksm-a", "ksm-b" };
	json_t *fills = merged_fill(c, r), *per;
	int bad = 0;
	double p50 = 0, w50;

	if (!fills)
		return;
	per = json_object();
	json_object_set_new(r->evidence, "guests", per);
	json_object_set(r->evidence, "merged_before_cow", json_object_get(fills, "gained_pages"));
	for (int g = 0; g < 2; g++) {
		bad += cow_judge(json_object_get(fills, names[g]), names[g], per, &w50);
		p50 = g ? (p50 + w50) / 2 : w50;
	}
	json_object_set_new(r->evidence, "tolerance", json_pack("{s:i, s:s}", "mismatched_pages", 0, "rule",
								 "exact: every page of the fill verified, every merged "
								 "(identical) page written, no page changed"));
	conform_summary(r, "content kept; COW break p50 %.0f ns (guest-side, includes TCG)", p50);
	if (bad)
		conform_failf(r, "after copy-on-write of merged pages: pages differ, or not every page of the fill was "
			      "written and verified (see guests.*: mismatched_pages, verified_pages vs fill_pages, "
			      "cow_writes vs expected_cow_writes)");
	else
		conform_pass(r, "%s", "");
}

/* ---- KSM-005: UKSM ------------------------------------------------------ */

/* UKSM's full_scans before and after a wait; -1 with r's verdict set. */
static int uksm_scans(struct conform_ctx *c, struct conform_result *r, unsigned long long *f0, unsigned long long *f)
{
	uint64_t t0;

	if (ksm_counter(c, "../uksm/full_scans", f0) < 0) {
		/* A UKSM without its scan counter cannot show it honours anything. */
		if (!sysfs_exists(c->opt.root, UKSM_DIR "/full_scans"))
			conform_failf(r, "UKSM has no %s/full_scans: its scanning cannot be shown", UKSM_DIR);
		else
			conform_error(r, "%s", ocb_errmsg());
		return -1;
	}
	t0 = mono_ns();
	do {
		if (conform_sleep(c, SCAN_POLL_NS) < 0 || ksm_counter(c, "../uksm/full_scans", f) < 0) {
			conform_error(r, "%s", ocb_errmsg());
			return -1;
		}
	} while (*f == *f0 && mono_ns() - t0 < c->opt.ksm_timeout_ns);
	return 0;
}

static void ksm_005(struct conform_ctx *c, struct conform_result *r)
{
	static const char *const kv[][2] = {
		{ "uksm.max_cpu_percentage", "50" }, { "uksm.cpu_governor", "medium" }, { "uksm", "on" },
	};
	char why[256];
	unsigned long long f0, f;

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
	if (uksm_scans(c, r, &f0, &f) < 0)
		return;
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
	{ "KSM-006", "ksm", "two guests' identical pages merge on their (remote) host, seen in its counters "
	  "over libvirt", NEED_NODE_KSM, ksm_node_merge },
	{ "KSM-007", "ksm", "the merged pages are released when the guests stop, seen in the host's counters "
	  "over libvirt", NEED_NODE_KSM, ksm_node_release },
	{ "KSM-008", "ksm", "the KSM advisor (scan-time) adapts pages_to_scan so that a full scan takes its "
	  "target time", NEED_ROOT | NEED_KSM, ksm_advisor_scan_time },
};

const struct conform_suite conform_suite_ksm = { "ksm", checks, sizeof(checks) / sizeof(checks[0]) };
