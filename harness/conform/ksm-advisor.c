/* ksm-advisor.c — see ksm-advisor.h. */
#include "conform/ksm-advisor.h"
#include "conform/fixture.h"
#include "conform/ksmfill.h"
#include "host/ksm.h"
#include "host/ksmd.h"
#include "host/sysfs.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TARGET_S 2		/* advisor_target_scan_time: 2 s is the least that
				 * the advisor's 1 s resolution steers both ways */
#define START_PAGES 500		/* advisor_min_pages_to_scan (the kernel's default) */
#define MAX_PAGES 30000		/* advisor_max_pages_to_scan (the kernel's default) */
#define MAX_CPU 70		/* advisor_max_cpu (the kernel's default) */
#define MIN_CPU 10		/* the advisor's CPU floor: fixed in mm/ksm.c, no knob */
#define SETTLE 4		/* recalculations before the scans are timed */
#define MEASURE 6		/* full scans timed */
#define RESOLUTION_S 1.0	/* the advisor reads scan times in whole seconds */
/* It truncates them: every scan of TARGET_S to TARGET_S + 1 s is on target
 * to it, so the scans are expected in the middle of that second. */
#define EXPECTED_S (TARGET_S + RESOLUTION_S / 2)
#define POLL_NS (50 * 1000000ull)
/* ksmd's work: each guest holds FILL_MIB of unique pages (a nonce of its
 * own in each), which ksmd compares in its unstable tree every scan.  A
 * freshly booted guest gives too little: a scan shorter than 1 s counts
 * as 1 s to the advisor, whose ksmd CPU share then looks under its 10 %
 * floor, so it raises pages_to_scan to the maximum (seen here: 0.1 s
 * scans at 30000 pages). */
#define FILL_MIB 192
#define FILL_POLL_NS (200 * 1000000ull)
#define K_SIGMA 3.0

static const struct conform_guest_spec pair[] = {
	{ .name = "ksm-a", .memory_bytes = 512 * MiB, .mem_merge = 1 },
	{ .name = "ksm-b", .memory_bytes = 512 * MiB, .mem_merge = 1 },
};

struct advisor_run {
	unsigned long long p0;			/* pages_to_scan once the advisor is on */
	unsigned long long p2s[SETTLE + MEASURE];	/* after each full scan */
	double end_s[SETTLE + MEASURE];		/* when each full scan was seen done */
	double dur_s[SETTLE + MEASURE];		/* its time; NAN for the first */
	size_t n;
	double cpu_s[2];			/* ksmd's CPU at the timed scans' ends */
	double cpu_pct;				/* over the timed scans; NAN unknown */
	double mean, sd, tol;
	char mode[32];				/* advisor_mode read back */
};

/* ksmfill in both guests, watched until each guest's MemFree fell by 90 %
 * of the fill: f running.  -1 with r's ERROR set. */
static int fill(struct conform_ctx *c, struct conform_result *r, struct ksm_fill *f)
{
	char size[16];
	const char *const argv[] = { "ksmfill", "--size", size, "--identical", "0", "--zero", "0", "--duration",
				     "300s", NULL };
	unsigned long long base[2], now;
	uint64_t t0 = mono_ns();

	snprintf(size, sizeof(size), "%dM", FILL_MIB);
	for (size_t g = 0; g < 2; g++)
		if (conform_guest_meminfo(c, f->vm[g], "MemFree", &base[g]) < 0 ||
		    conform_workload_spawn(c, f->vm[g], f->tag[g], argv, &f->pid[g]) < 0) {
			conform_error(r, "%s", ocb_errmsg());
			return -1;
		}
	for (size_t g = 0; g < 2;) {
		if (conform_guest_meminfo(c, f->vm[g], "MemFree", &now) < 0) {
			conform_error(r, "%s", ocb_errmsg());
			return -1;
		}
		if (now + (unsigned long long)(0.9 * FILL_MIB * 1024) <= base[g]) {
			g++;
			continue;
		}
		if (mono_ns() - t0 > c->opt.ksm_timeout_ns || conform_sleep(c, FILL_POLL_NS) < 0) {
			conform_error(r, "%s: ksmfill did not take %d MiB within %.0f s (MemFree %llu -> %llu KiB)",
				      f->vm[g]->cfg.name, FILL_MIB, ns_to_s(mono_ns() - t0), base[g], now);
			return -1;
		}
	}
	return 0;
}

/* The advisor's bounds, then scan-time (which starts pages_to_scan over
 * at advisor_min_pages_to_scan).  -1 with r's ERROR set. */
static int advisor_on(struct conform_ctx *c, struct conform_result *r, struct advisor_run *a)
{
	char v[4][16];
	const char *kv[][2] = {
		{ "ksm.advisor_max_cpu", v[0] }, { "ksm.advisor_max_pages_to_scan", v[1] },
		{ "ksm.advisor_min_pages_to_scan", v[2] }, { "ksm.advisor_target_scan_time", v[3] },
		{ "ksm.advisor_mode", "scan-time" },
	};
	struct strbuf raw = STRBUF_INIT;
	char why[256];

	snprintf(v[0], sizeof(v[0]), "%d", MAX_CPU);
	snprintf(v[1], sizeof(v[1]), "%d", MAX_PAGES);
	snprintf(v[2], sizeof(v[2]), "%d", START_PAGES);
	snprintf(v[3], sizeof(v[3]), "%d", TARGET_S);
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (conform_knob(c, kv[i][0], kv[i][1], why, sizeof(why)) != 0) {
			conform_error(r, "setting %s = %s: %s", kv[i][0], kv[i][1], ocb_errmsg()[0] ? ocb_errmsg() : why);
			return -1;
		}
	if (ksm_counter(c, "pages_to_scan", &a->p0) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return -1;
	}
	if (sysfs_read_raw(c->opt.root, KSM_DIR "/advisor_mode", &raw) == 0) {
		struct strbuf sel = STRBUF_INIT;

		sysfs_selected(raw.buf, &sel);
		snprintf(a->mode, sizeof(a->mode), "%s", sel.buf);
		strbuf_release(&sel);
	}
	strbuf_release(&raw);
	return 0;
}

static double ksmd_cpu(struct conform_ctx *c)
{
	pid_t pid = ksmd_pid(c->opt.root);
	double s;

	return pid > 0 && proc_cpu_seconds(c->opt.root, pid, &s) == 0 ? s : NAN;
}

/* One full scan seen done (k of them since the last look, each given an
 * equal share of the time). */
static void scan_done(struct conform_ctx *c, struct advisor_run *a, unsigned long long k, double now,
		      double since, unsigned long long p2s)
{
	for (; k && a->n < SETTLE + MEASURE; k--, a->n++) {
		a->end_s[a->n] = now;
		a->dur_s[a->n] = a->n ? since : NAN;
		a->p2s[a->n] = p2s;
		if (a->n + 1 == SETTLE)
			a->cpu_s[0] = ksmd_cpu(c);
	}
}

/* Full scans until SETTLE + MEASURE are done: 0, 1 when none completed
 * within the KSM timeout (message), -1 error. */
static int watch(struct conform_ctx *c, struct advisor_run *a)
{
	unsigned long long fs, last, p2s;
	uint64_t t0 = ksm_now_ns(c), t_last = t0;

	if (ksm_counter(c, "full_scans", &last) < 0)
		return -1;
	while (a->n < SETTLE + MEASURE) {
		uint64_t now;

		if (conform_sleep(c, POLL_NS) < 0 || ksm_counter(c, "full_scans", &fs) < 0 ||
		    ksm_counter(c, "pages_to_scan", &p2s) < 0)
			return -1;
		now = ksm_now_ns(c);
		if (fs != last) {
			scan_done(c, a, fs - last, ns_to_s(now - t0), ns_to_s(now - t_last) / (double)(fs - last), p2s);
			last = fs;
			t_last = now;
		} else if (now - t_last > c->opt.ksm_timeout_ns) {
			ocb_fail("no full scan completed within %.0f s (after %zu since the advisor started, "
				 "pages_to_scan %llu)", ns_to_s(now - t_last), a->n, p2s);
			return 1;
		}
	}
	a->cpu_s[1] = ksmd_cpu(c);
	return 0;
}

/* The timed scans' mean, spread and tolerance (recorded under ev). */
static void timed(struct advisor_run *a, json_t *ev)
{
	double v[MEASURE];

	for (size_t i = 0; i < MEASURE; i++)
		v[i] = a->dur_s[SETTLE + i];
	conform_stats(v, MEASURE, &a->mean, &a->sd);
	a->tol = conform_tolerance(ev, "tolerance", EXPECTED_S, 0, RESOLUTION_S, K_SIGMA, a->sd / sqrt(MEASURE), "s");
	json_object_set_new(json_object_get(ev, "tolerance"), "rule",
			    json_string("|mean full-scan time - (advisor_target_scan_time + 0.5 s)| <= max(1 s, 3 "
					"sigma of the mean of the timed scans): the advisor reads each scan's time in "
					"whole seconds, truncated, so a scan of target to target + 1 s is on target to it"));
	a->cpu_pct = 100.0 * (a->cpu_s[1] - a->cpu_s[0]) / (a->end_s[a->n - 1] - a->end_s[SETTLE - 1]);
}

static void record(const struct advisor_run *a, json_t *ev)
{
	json_t *scans = json_array();

	for (size_t i = 0; i < a->n; i++)
		json_array_append_new(scans, json_pack("[f, o, I]", a->end_s[i], isnan(a->dur_s[i]) ? json_null() :
						       json_real(a->dur_s[i]), (json_int_t)a->p2s[i]));
	json_object_set_new(ev, "scans_columns", json_pack("[s, s, s]", "t_s", "scan_s", "pages_to_scan_after"));
	json_object_set_new(ev, "scans", scans);
	json_object_set_new(ev, "advisor", json_pack("{s:s, s:i, s:i, s:i, s:i, s:I}", "mode", a->mode,
						     "target_scan_time_s", TARGET_S, "min_pages_to_scan",
						     START_PAGES, "max_pages_to_scan", MAX_PAGES, "max_cpu_pct",
						     MAX_CPU, "pages_to_scan_at_start", (json_int_t)a->p0));
	json_object_set_new(ev, "settle_scans", json_integer(SETTLE));
}

/* What may explain scans off the target: the mode, the advisor's bounds.
 * Appended to why; returns how many were found. */
static int explain(const struct advisor_run *a, struct strbuf *why)
{
	unsigned long long last = a->p2s[a->n - 1];
	int n = 0;

	if (strcmp(a->mode, "scan-time")) {
		strbuf_addf(why, "advisor_mode reads '%s', not scan-time; ", a->mode);
		n++;
	}
	if (a->mean > TARGET_S && last >= MAX_PAGES) {
		strbuf_addf(why, "pages_to_scan is at advisor_max_pages_to_scan (%d): it may not scan faster; ",
			    MAX_PAGES);
		n++;
	}
	if (a->mean > TARGET_S && a->cpu_pct >= 0.9 * MAX_CPU) {
		strbuf_addf(why, "ksmd used %.0f %% of a CPU, at advisor_max_cpu (%d %%); ", a->cpu_pct, MAX_CPU);
		n++;
	}
	if (a->mean < RESOLUTION_S && last >= MAX_PAGES) {
		strbuf_addf(why, "scans under 1 s with pages_to_scan at advisor_max_pages_to_scan (%d): the "
			    "advisor counts such a scan as 1 s, sees ksmd's CPU share under its %d %% floor and "
			    "raises pages_to_scan: too little to scan for this target; ", MAX_PAGES, MIN_CPU);
		n++;
	} else if (a->mean < TARGET_S && a->cpu_pct <= 1.5 * MIN_CPU) {
		strbuf_addf(why, "ksmd used %.0f %% of a CPU, near the advisor's %d %% floor: it may not scan "
			    "slower; ", a->cpu_pct, MIN_CPU);
		n++;
	}
	if (!n) {
		strbuf_addf(why, "no bound explains it: pages_to_scan went %llu -> %llu, ", a->p0, last);
		if (isnan(a->cpu_pct))
			strbuf_adds(why, "ksmd's CPU time unreadable");
		else
			strbuf_addf(why, "ksmd used %.0f %% of a CPU", a->cpu_pct);
	}
	strbuf_rtrim(why);
	if (why->len && why->buf[why->len - 1] == ';')
		why->buf[--why->len] = '\0';
	return n;
}

/* 1 when pages_to_scan left its start, and its highest value into *hi. */
static int adapted(const struct advisor_run *a, unsigned long long *hi, unsigned long long *lo)
{
	int moved = 0;

	*hi = *lo = a->p0;
	for (size_t i = 0; i < a->n; i++) {
		moved |= a->p2s[i] != a->p0;
		*hi = a->p2s[i] > *hi ? a->p2s[i] : *hi;
		*lo = a->p2s[i] < *lo ? a->p2s[i] : *lo;
	}
	return moved;
}

static void verdict(struct conform_result *r, struct advisor_run *a)
{
	json_t *ev = r->evidence;
	unsigned long long hi, lo;
	int moved = adapted(a, &hi, &lo);
	struct strbuf why = STRBUF_INIT;

	timed(a, ev);
	json_object_set_new(ev, "pages_to_scan", json_pack("{s:I, s:I, s:I, s:I, s:b}", "start", (json_int_t)a->p0,
							   "end", (json_int_t)a->p2s[a->n - 1], "lowest",
							   (json_int_t)lo, "highest", (json_int_t)hi, "changed", moved));
	json_object_set_new(ev, "timed_scans", json_pack("{s:i, s:f, s:f, s:f, s:f}", "n", MEASURE, "mean_s",
							 a->mean, "sd_s", a->sd, "target_s", (double)TARGET_S,
							 "expected_s", EXPECTED_S));
	json_object_set_new(ev, "ksmd_cpu_pct", isnan(a->cpu_pct) ? json_null() : json_real(a->cpu_pct));
	conform_summary(r, "pages_to_scan %llu -> %llu (%llu..%llu); full scan %.2f s (mean of %d), target %d s: "
			"%.1f +- %.2f", a->p0, a->p2s[a->n - 1], lo, hi, a->mean, MEASURE, TARGET_S, EXPECTED_S, a->tol);
	explain(a, &why);
	if (!moved)
		conform_failf(r, "pages_to_scan stayed at %llu (advisor_min_pages_to_scan, where the advisor "
			      "starts) through %zu full scans: the advisor never recalculated it; advisor: %s",
			      a->p0, a->n, why.buf);
	else if (hi > MAX_PAGES)
		conform_failf(r, "pages_to_scan reached %llu, above advisor_max_pages_to_scan %d", hi, MAX_PAGES);
	else if (fabs(a->mean - EXPECTED_S) > a->tol)
		conform_failf(r, "full scans took %.2f s on average (%d scans after %d recalculations), not "
			      "%.1f s within %.2f s (advisor_target_scan_time %d s, read in whole seconds); advisor: %s",
			      a->mean, MEASURE, SETTLE, EXPECTED_S, a->tol, TARGET_S, why.buf);
	else
		conform_pass(r, "%s", "");
	strbuf_release(&why);
}

/* Booted, the fill in place, the advisor on, its scans watched: r's
 * verdict (or ERROR). */
static void measure(struct conform_ctx *c, struct conform_result *r, struct ksm_fill *f, struct advisor_run *a)
{
	static const struct conform_guest_spec *const specs[] = { &pair[0], &pair[1] };
	int w;

	/* ksm-a and ksm-b give ksmd its work: their RAM is mergeable. */
	if (ksm_setup(c, r) < 0)
		return;
	if (conform_guests(c, specs, 2, f->vm) < 0) {
		conform_error(r, "cannot boot the KSM guests: %s", ocb_errmsg());
		return;
	}
	if (ksm_precheck(c, r, f->vm, 2) || fill(c, r, f) < 0 || advisor_on(c, r, a) < 0)
		return;
	w = watch(c, a);
	record(a, r->evidence);
	json_object_set_new(r->evidence, "ksmfill", json_pack("{s:i, s:s}", "size_mib_each", FILL_MIB, "pages",
							      "unique"));
	if (w < 0) {
		conform_error(r, "%s", ocb_errmsg());
	} else if (w > 0) {
		char msg[OCB_ERR_MAX];

		snprintf(msg, sizeof(msg), "with the advisor on: %s", ocb_errmsg());
		ksm_fail_diagnosed(c, r, f->vm, 2, msg);
	} else {
		verdict(r, a);
	}
}

void ksm_advisor_scan_time(struct conform_ctx *c, struct conform_result *r)
{
	struct advisor_run a;
	struct ksm_fill f;

	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	a.cpu_pct = NAN;
	if (!sysfs_exists(c->opt.root, KSM_DIR "/advisor_mode")) {
		conform_skip(r, "needs the KSM advisor (Linux 6.8+): %s/advisor_mode is missing on this kernel",
			     KSM_DIR);
		return;
	}
	f.n = f.n_merge = 2;
	f.tag[0] = "advisor-a";
	f.tag[1] = "advisor-b";
	measure(c, r, &f, &a);
	/* The fills end now (their results are not judged). */
	if (f.pid[0] && f.pid[1] && (ksm_fill_stop(c, &f) < 0 || ksm_fill_collect(c, &f) < 0) &&
	    r->status == CONFORM_PASS)
		conform_error(r, "ending ksmfill: %s", ocb_errmsg());
	ksm_fill_release(&f);
}
