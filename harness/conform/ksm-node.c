/* ksm-node.c — see ksm-node.h. */
#include "conform/ksm-node.h"
#include "conform/fixture.h"
#include "conform/ksmfill.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/units.h"

#include <stdio.h>
#include <string.h>

#define GUEST_MEM (512 * MiB)
#define FILL "64M"
#define FILL_PAGES (64 * 256)	/* 4 KiB pages */
#define IDENTICAL "0.75"
#define SEED "6006"		/* content no other check writes */
#define HOLD "60s"		/* ended by the check once merged */
#define POLL_NS (200 * 1000000ull)
#define K_SIGMA 3.0

static const struct conform_guest_spec guest_a = {
	.name = "ksm-a", .memory_bytes = GUEST_MEM, .mem_merge = 1,
};
static const struct conform_guest_spec guest_b = {
	.name = "ksm-b", .memory_bytes = GUEST_MEM, .mem_merge = 1,
};

static const char *where(struct conform_ctx *c)
{
	return conform_guests_remote(c) ? c->opt.uri : "this host";
}

/* KSM fast there: what libvirt can set (scan rate); run, zero pages and
 * smart_scan are not libvirt parameters, so KSM is taken as it runs. */
static int setup(struct conform_ctx *c, struct conform_result *r)
{
	static const char *const kv[][2] = {
		{ "ksm.pages_to_scan", "4000" }, { "ksm.sleep_millisecs", "10" }, { "ksm", "on" },
	};
	json_t *skipped = json_object();
	char why[1536];

	json_object_set_new(r->evidence, "knobs_not_set", skipped);
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		int k = conform_knob(c, kv[i][0], kv[i][1], why, sizeof(why));

		if (k < 0) {
			conform_error(r, "setting %s = %s on %s: %s", kv[i][0], kv[i][1], where(c), ocb_errmsg());
			return -1;
		}
		if (k == 1)
			json_object_set_new(skipped, kv[i][0], json_string(why));
	}
	return 0;
}

/* pages_sharing three times, a full scan apart: its noise.  1 (r FAILed)
 * when ksmd does not scan there. */
static int baseline(struct conform_ctx *c, struct conform_result *r, double *mean, double *sd)
{
	double v[3];

	for (int i = 0; i < 3; i++) {
		unsigned long long ps;
		int w = i ? ksm_wait_scans(c, 1, NULL) : 0;

		if (w > 0) {
			conform_failf(r, "KSM does not scan on %s: %s (libvirt can neither read nor set "
				      "whether KSM runs there)", where(c), ocb_errmsg());
			return 1;
		}
		if (w < 0 || ksm_counter(c, "pages_sharing", &ps) < 0) {
			conform_error(r, "KSM counters of %s: %s", where(c), ocb_errmsg());
			return -1;
		}
		v[i] = (double)ps;
	}
	conform_stats(v, 3, mean, sd);
	return 0;
}

/* Poll the fills (driving them on) and pages_sharing until it rose by
 * want pages, a fill ended, or the KSM timeout: the highest gain seen,
 * counted from the lowest level before it (from base at the latest).
 * Two identical guests' stale free memory is merged before the fill
 * starts (about 70 MiB here), and the fill overwrites some of it: those
 * pairs leave pages_sharing as the fill's own pairs come in, and counted
 * from base alone the gain fell 7 % short on a quiet machine.  A rise
 * from a low can only be merging (the fill's pairs, or stale ones still
 * coming in, which the baseline's sd in the evidence shows), and KSM that
 * merges nothing still shows none. */
static int watch(struct conform_ctx *c, struct ksm_fill *f, double base, double want, double *gain,
		 double *low, json_t *trace)
{
	uint64_t t0 = mono_ns();

	for (*gain = 0, *low = base;;) {
		unsigned long long ps, fs;

		for (size_t g = 0; g < f->n; g++) {
			int st = f->exited[g] ? 1 : f->vm[g]->ops->agent_poll(f->vm[g], f->pid[g], &f->res[g]);

			if (st < 0)
				return -1;
			if (st == 1)
				f->exited[g] = 1;
			else
				agent_exec_result_release(&f->res[g]);
		}
		if (ksm_counter(c, "pages_sharing", &ps) < 0 || ksm_counter(c, "full_scans", &fs) < 0)
			return -1;
		json_array_append_new(trace, json_pack("[f, I, I]", ns_to_s(mono_ns() - t0), (json_int_t)ps,
						       (json_int_t)fs));
		if ((double)ps < *low)
			*low = (double)ps;
		if ((double)ps - *low > *gain)
			*gain = (double)ps - *low;
		if (*gain >= want || f->exited[0] || f->exited[1] ||
		    mono_ns() - t0 > c->opt.ksm_timeout_ns)
			return 0;
		if (conform_sleep(c, POLL_NS) < 0)
			return -1;
	}
}

/* Boot, baseline, fill: 0 with f running, else r's verdict set. */
static int start(struct conform_ctx *c, struct conform_result *r, struct ksm_fill *f, double *base,
		 double *sd)
{
	static const struct conform_guest_spec *const specs[] = { &guest_a, &guest_b };
	const char *const argv[] = { "ksmfill", "--size", FILL, "--seed", SEED, "--identical", IDENTICAL,
				     "--zero", "0", "--duration", HOLD, NULL };

	memset(f, 0, sizeof(*f));
	f->n = f->n_merge = 2;
	f->tag[0] = "node-a";
	f->tag[1] = "node-b";
	if (setup(c, r) < 0)
		return -1;
	if (conform_guests(c, specs, 2, f->vm) < 0) {
		conform_error(r, "cannot boot the KSM guests on %s: %s", where(c), ocb_errmsg());
		return -1;
	}
	if (baseline(c, r, base, sd))
		return -1;
	for (size_t g = 0; g < 2; g++)
		if (conform_workload_spawn(c, f->vm[g], f->tag[g], argv, &f->pid[g]) < 0) {
			conform_error(r, "%s", ocb_errmsg());
			return -1;
		}
	return 0;
}

void ksm_node_merge(struct conform_ctx *c, struct conform_result *r)
{
	json_t *ev = r->evidence, *trace = json_array();
	double base = 0, sd = 0, gain = 0, low = 0, expected, tol;
	struct ksm_fill f;
	int w;

	json_object_set_new(ev, "host", json_string(where(c)));
	json_object_set_new(ev, "per_guest", json_string("not measured: a QEMU's merged pages "
							  "(/proc/PID/ksm_merging_pages) are not reported by libvirt"));
	json_object_set_new(ev, "trace_columns", json_pack("[s, s, s]", "t_s", "pages_sharing", "full_scans"));
	json_object_set_new(ev, "trace", trace);
	if (start(c, r, &f, &base, &sd) < 0)
		goto out;
	expected = FILL_PAGES * 0.75;	/* both guests' identical pages: one copy is saved */
	w = watch(c, &f, base, expected, &gain, &low, trace);
	if (w < 0 || ksm_fill_stop(c, &f) < 0 || ksm_fill_collect(c, &f) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		goto out;
	}
	expected = ksm_fill_expected(f.docs[0]) < ksm_fill_expected(f.docs[1]) ? ksm_fill_expected(f.docs[0])
										 : ksm_fill_expected(f.docs[1]);
	tol = conform_tolerance(ev, "tolerance", expected, KSM_REL, 0, K_SIGMA, sd, "pages");
	json_object_set_new(ev, "baseline_pages_sharing", json_pack("{s:f, s:f}", "mean", base, "sd", sd));
	json_object_set_new(ev, "lowest_pages_sharing", json_real(low));	/* the gain counts from it */
	json_object_set_new(ev, "gained_pages", json_real(gain));
	json_object_set_new(ev, "expected_pages", json_real(expected));
	conform_summary(r, "pages_sharing on %s +%.0f, expected %.0f", where(c), gain, expected);
	json_object_set_new(c->shared, "node_merge", json_pack("{s:b, s:f}", "merged", gain >= expected - tol,
								"gain", gain));
	if (gain >= expected - tol)
		conform_pass(r, "%s", "");
	else
		conform_failf(r, "KSM did not merge the guests' identical pages on %s: pages_sharing rose by "
			      "%.0f, expected at least %.0f (%.0f identical pages, tolerance %.0f)", where(c), gain,
			      expected - tol, expected, tol);
out:
	ksm_fill_release(&f);
}

/* Guests gone: pages_sharing falls by what they had merged.  0 with *drop
 * the fall, -1 error. */
static int watch_release(struct conform_ctx *c, double level, double want, double *drop)
{
	uint64_t t0 = mono_ns();
	unsigned long long ps;

	for (;;) {
		if (ksm_counter(c, "pages_sharing", &ps) < 0)
			return -1;
		*drop = level - (double)ps;
		if (*drop >= want || mono_ns() - t0 > c->opt.ksm_timeout_ns)
			return 0;
		if (conform_sleep(c, POLL_NS) < 0)
			return -1;
	}
}

void ksm_node_release(struct conform_ctx *c, struct conform_result *r)
{
	json_t *m = json_object_get(c->shared, "node_merge");
	double gain, drop = 0, want;
	unsigned long long ps;

	json_object_set_new(r->evidence, "host", json_string(where(c)));
	if (!m) {	/* alone: KSM-006's merge first */
		struct conform_result scratch = { r->check, CONFORM_ERROR, "", "", json_object(), 0 };

		ksm_node_merge(c, &scratch);
		json_decref(scratch.evidence);
		m = json_object_get(c->shared, "node_merge");
	}
	if (!m || !json_is_true(json_object_get(m, "merged"))) {
		conform_failf(r, "the merge before the guests stopped did not happen on %s (KSM-006)", where(c));
		return;
	}
	gain = json_real_value(json_object_get(m, "gain"));
	if (ksm_counter(c, "pages_sharing", &ps) < 0) {
		conform_error(r, "KSM counters of %s: %s", where(c), ocb_errmsg());
		return;
	}
	conform_guest_stop(c, guest_a.name);
	conform_guest_stop(c, guest_b.name);
	want = gain * (1 - KSM_REL);
	if (watch_release(c, (double)ps, want, &drop) < 0) {
		conform_error(r, "KSM counters of %s: %s", where(c), ocb_errmsg());
		return;
	}
	json_object_set_new(r->evidence, "merged_pages", json_real(gain));
	json_object_set_new(r->evidence, "released_pages", json_real(drop));
	conform_summary(r, "pages_sharing on %s -%.0f of %.0f merged", where(c), drop, gain);
	if (drop >= want)
		conform_pass(r, "%s", "");
	else
		conform_failf(r, "the guests' merged pages were not released on %s: pages_sharing fell by %.0f "
			      "within %.0f s of the guests stopping, expected at least %.0f", where(c), drop,
			      ns_to_s(c->opt.ksm_timeout_ns), want);
}
