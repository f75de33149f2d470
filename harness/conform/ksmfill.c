/* ksmfill.c — see ksmfill.h. */
#include "conform/ksmfill.h"
#include "conform/diagnose.h"
#include "conform/fixture.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SCAN_POLL_NS (50 * 1000000ull)	/* a sleep, never a busy poll */
/* No scanning progress at all this long: ksmd is not scanning.  A full
 * scan of two 512 MiB guests takes under a second at the settings of
 * ksm_setup(); pages_scanned (6.x) moves within one wake-up even when a
 * host full of other mergeable memory makes full scans long. */
#define STALL_NS (10 * 1000000000ull)
#define K_SIGMA 3.0

static const struct ksm_probe sysfs_probe = { &ksm_probe_sysfs, NULL };

static const struct ksm_probe *probe(struct conform_ctx *c)
{
	return c->opt.ksm ? c->opt.ksm : &sysfs_probe;
}

int ksm_counter(struct conform_ctx *c, const char *name, unsigned long long *v)
{
	const struct ksm_probe *p = probe(c);

	if (p->ops->counter(p->opaque, c->opt.root, name, v) < 0)
		return ocb_err_prefix("KSM counter %s: ", name);
	return 0;
}

int ksm_merging(struct conform_ctx *c, struct vm *vm, long long *pages)
{
	const struct ksm_probe *p = probe(c);

	if (p->ops->merging_pages(p->opaque, c->opt.root, vm->ops->pid(vm), pages) < 0)
		return ocb_err_prefix("%s: ", vm->cfg.name);
	return 0;
}

uint64_t ksm_now_ns(struct conform_ctx *c)
{
	const struct ksm_probe *p = probe(c);

	return p->ops->now_ns ? p->ops->now_ns(p->opaque) : mono_ns();
}

/* KSM on and fast (at 4000 pages / 10 ms, 100 MiB of identical pages
 * merged in 0.29 s on the development machines);
 * zero pages are merged as ordinary pages so they count per process;
 * smart_scan off (6.7+), because it skips pages that did not merge in
 * recent scans for up to several scans, so content written after a
 * quiet baseline would merge late by an amount no one can predict. */
int ksm_setup(struct conform_ctx *c, struct conform_result *r)
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

/* pages_scanned when the kernel has it (6.x), else -1. */
static long long scanned(struct conform_ctx *c)
{
	unsigned long long v;

	if (ksm_counter(c, "pages_scanned", &v) < 0) {
		ocb_err_clear();
		return -1;
	}
	return (long long)v;
}

int ksm_wait_scans(struct conform_ctx *c, unsigned n, double *s)
{
	unsigned long long f0, f, last_f;
	long long p, last_p = scanned(c);
	uint64_t t0 = mono_ns(), t_moved = t0;

	if (ksm_counter(c, "full_scans", &f0) < 0)
		return -1;
	for (last_f = f0;;) {
		if (conform_sleep(c, SCAN_POLL_NS) < 0 || ksm_counter(c, "full_scans", &f) < 0)
			return -1;
		if (f >= f0 + n)
			break;
		p = scanned(c);
		if (f != last_f || p != last_p) {
			last_f = f;
			last_p = p;
			t_moved = mono_ns();
		}
		if (mono_ns() - t_moved > (STALL_NS < c->opt.ksm_timeout_ns ? STALL_NS : c->opt.ksm_timeout_ns)) {
			ocb_fail("KSM is not scanning: full_scans%s did not move for %.0f s (advanced by %llu, not %u)",
				 last_p >= 0 ? " and pages_scanned" : "", ns_to_s(mono_ns() - t_moved), f - f0, n);
			return 1;
		}
		if (mono_ns() - t0 > c->opt.ksm_timeout_ns) {
			ocb_fail("KSM scans too slowly: full_scans advanced by %llu, not %u, within %.0f s", f - f0, n,
				 ns_to_s(c->opt.ksm_timeout_ns));
			return 1;
		}
	}
	if (s)
		*s = ns_to_s(mono_ns() - t0);
	return 0;
}

void ksm_fail_diagnosed(struct conform_ctx *c, struct conform_result *r, struct vm *const *vms, size_t n,
			const char *what)
{
	struct strbuf d = STRBUF_INIT;

	conform_diagnosis_note(r->evidence, conform_ksm_diagnosis(c, vms, n), &d);
	conform_failf(r, "%s; %s", what, d.buf);
	strbuf_release(&d);
}

int ksm_precheck(struct conform_ctx *c, struct conform_result *r, struct vm *const *vms, size_t n)
{
	json_t *diag = conform_ksm_diagnosis(c, vms, n);
	struct strbuf d = STRBUF_INIT;
	size_t causes = conform_diagnosis_note(r->evidence, diag, &d);

	if (causes)
		conform_failf(r, "KSM cannot merge the guests' RAM, so nothing was measured; %s", d.buf);
	strbuf_release(&d);
	return causes ? 1 : 0;
}

/* Merging pages of every guest at three consecutive full scans: the
 * baseline and its noise.  0, 1 KSM not scanning, -1 error. */
static int baseline(struct conform_ctx *c, struct ksm_fill *f)
{
	double v[KSM_FILL_MAX][3];
	int w = ksm_wait_scans(c, 2, NULL);

	for (int s = 0; w == 0 && s < 3; s++) {
		for (size_t g = 0; g < f->n; g++) {
			long long m;

			if (ksm_merging(c, f->vm[g], &m) < 0)
				return -1;
			v[g][s] = (double)m;
			f->max_seen[g] = m > f->max_seen[g] ? m : f->max_seen[g];
		}
		if (s < 2)
			w = ksm_wait_scans(c, 1, NULL);
	}
	if (w)
		return w;
	for (size_t g = 0; g < f->n; g++) {
		conform_stats(v[g], 3, &f->base_mean[g], &f->base_sd[g]);
		f->low[g] = f->base_mean[g];
	}
	return 0;
}

int ksm_fill_start(struct conform_ctx *c, struct conform_result *r, struct ksm_fill *f,
		   const char *const *argv)
{
	json_t *cols = json_array();
	int b;

	json_array_append_new(cols, json_string("t_s"));
	for (size_t g = 0; g < f->n; g++)
		json_array_append_new(cols, json_string(f->vm[g]->cfg.name));
	json_array_append_new(cols, json_string("full_scans"));
	json_object_set_new(r->evidence, "trace_columns", cols);
	f->trace = json_array();
	json_object_set_new(r->evidence, "trace", f->trace);
	b = baseline(c, f);
	if (b) {
		char msg[OCB_ERR_MAX];

		snprintf(msg, sizeof(msg), "before the fill: %s", ocb_errmsg());
		if (b < 0)
			conform_error(r, "KSM baseline: %s", msg);
		else
			ksm_fail_diagnosed(c, r, f->vm, f->n_merge, msg);
		return -1;
	}
	for (size_t g = 0; g < f->n; g++)
		if (conform_workload_spawn(c, f->vm[g], f->tag[g], argv, &f->pid[g]) < 0) {
			conform_error(r, "%s", ocb_errmsg());
			return -1;
		}
	return 0;
}

/* One reading of every guest (a trace row); 1 when every merging guest
 * gained at least low pages from its lowest reading. */
static int read_all(struct conform_ctx *c, struct ksm_fill *f, uint64_t t0, double low)
{
	json_t *row = json_pack("[f]", ns_to_s(mono_ns() - t0));
	unsigned long long fs;
	int ok = 1;

	json_array_append_new(f->trace, row);
	for (size_t g = 0; g < f->n; g++) {
		long long m;

		if (ksm_merging(c, f->vm[g], &m) < 0)
			return -1;
		json_array_append_new(row, json_integer(m));
		f->max_seen[g] = m > f->max_seen[g] ? m : f->max_seen[g];
		if ((double)m < f->low[g])
			f->low[g] = (double)m;
		if (g < f->n_merge && (double)m - f->low[g] < low)
			ok = 0;
	}
	if (ksm_counter(c, "full_scans", &fs) < 0)
		return -1;
	json_array_append_new(row, json_integer((json_int_t)fs));
	return ok;
}

/* Has a merging guest's ksmfill ended (its hold is over: it will not
 * merge now)?  1 yes, 0 no, -1 error.  The agent reports an exit once,
 * then forgets the pid: res keeps it. */
static int fill_ended(struct ksm_fill *f)
{
	for (size_t g = 0; g < f->n; g++) {
		int st;

		if (f->exited[g])
			continue;
		st = f->vm[g]->ops->agent_poll(f->vm[g], f->pid[g], &f->res[g]);
		if (st < 0)
			return -1;
		if (st == 1) {
			f->exited[g] = 1;
			if (g < f->n_merge)
				return 1;
			continue;
		}
		agent_exec_result_release(&f->res[g]);
	}
	return 0;
}

int ksm_fill_wait(struct conform_ctx *c, struct ksm_fill *f)
{
	uint64_t t0 = mono_ns();
	double low = f->expected_approx * (f->min_frac > 0 ? f->min_frac : 1.0 - KSM_REL);

	for (;;) {
		int ok = read_all(c, f, t0, low), end;

		if (ok < 0)
			return -1;
		if (ok)
			break;
		if (mono_ns() - t0 > c->opt.ksm_timeout_ns)
			return 0;
		end = fill_ended(f);
		if (end)
			return end < 0 ? -1 : 0;
		if (conform_sleep(c, 4 * SCAN_POLL_NS) < 0)
			return -1;
	}
	f->settle_s = ns_to_s(mono_ns() - t0);
	f->settled = 1;
	for (int s = 0; s < 3; s++) {
		if (s && ksm_wait_scans(c, 1, NULL) != 0)
			return -1;
		for (size_t g = 0; g < f->n; g++) {
			long long m;

			if (ksm_merging(c, f->vm[g], &m) < 0)
				return -1;
			f->got[g][s] = (double)m;
			f->max_seen[g] = m > f->max_seen[g] ? m : f->max_seen[g];
		}
	}
	return 1;
}

int ksm_fill_stop(struct conform_ctx *c, struct ksm_fill *f)
{
	for (size_t g = 0; g < f->n; g++) {
		char pid[32];
		const char *argv[] = { "kill", "-TERM", pid, NULL };
		struct agent_exec_result res;

		if (f->exited[g])
			continue;
		snprintf(pid, sizeof(pid), "%lld", f->pid[g]);
		if (f->vm[g]->ops->agent_exec(f->vm[g], argv, c->opt.cmd_timeout_ns, &res) < 0)
			return ocb_err_prefix("%s: stopping ksmfill: ", f->vm[g]->cfg.name);
		agent_exec_result_release(&res);
	}
	return 0;
}

int ksm_fill_collect(struct conform_ctx *c, struct ksm_fill *f)
{
	for (size_t g = 0; g < f->n; g++) {
		if (f->exited[g]) {
			if (conform_workload_result(c, f->vm[g], f->tag[g], &f->docs[g]) < 0)
				return -1;
		} else if (conform_workload_wait(c, f->vm[g], f->tag[g], f->pid[g], 120 * 1000000000ull, &f->res[g],
						 &f->docs[g]) < 0) {
			return -1;
		}
		f->exited[g] = 1;
		if (!f->docs[g])
			return ocb_fail("%s: ksmfill left no results (exit %d: %.200s)", f->vm[g]->cfg.name,
					f->res[g].exitcode, strbuf_str(&f->res[g].err));
	}
	return 0;
}

double ksm_fill_expected(json_t *doc)
{
	json_t *p = json_object_get(doc, "pages");

	return (double)(json_integer_value(json_object_get(p, "identical")) +
			json_integer_value(json_object_get(p, "zero")));
}

int ksm_fill_judge(const struct ksm_fill *f, json_t *ev, double *gained)
{
	json_t *per = json_object();
	int bad = 0;

	json_object_set_new(ev, "guests", per);
	for (size_t g = 0; g < f->n_merge; g++) {
		double exp = ksm_fill_expected(f->docs[g]), mean, sd, tol = 0, gain;
		char key[80];

		if (f->settled)
			conform_stats(f->got[g], 3, &mean, &sd);
		else
			mean = json_number_value(json_array_get(json_array_get(f->trace, json_array_size(f->trace) - 1),
								g + 1)), sd = 0;
		/* ksmfill gets some free guest pages whose old content (the
		 * freed initramfs, mostly) was merged in the baseline: writing
		 * them unmerges them, seen as a dip before the fill merges.
		 * Gain is counted from that low point. */
		gain = mean - f->low[g];
		if (gained)
			gained[g] = gain;
		snprintf(key, sizeof(key), "%s_tolerance", f->vm[g]->cfg.name);
		if (f->min_frac > 0)
			json_object_set_new(ev, key, json_pack("{s:f, s:s, s:s}", "value", f->min_frac, "unit", "ratio",
								"rule", "gained_pages >= value x expected_pages"));
		else
			tol = conform_tolerance(ev, key, exp, KSM_REL, 0, K_SIGMA,
						sqrt(sd * sd + f->base_sd[g] * f->base_sd[g]), "pages");
		json_object_set_new(per, f->vm[g]->cfg.name,
				    json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "baseline_pages", f->base_mean[g],
					      "baseline_stddev", f->base_sd[g], "reused_merged_pages",
					      f->base_mean[g] - f->low[g], "merged_pages", mean, "gained_pages", gain,
					      "expected_pages", exp, "error_pages", gain - exp));
		if (!f->settled || (f->min_frac > 0 ? gain < f->min_frac * exp : fabs(gain - exp) > tol))
			bad++;
	}
	return bad;
}

void ksm_fill_release(struct ksm_fill *f)
{
	for (size_t g = 0; g < f->n; g++) {
		if (f->exited[g])
			agent_exec_result_release(&f->res[g]);
		json_decref(f->docs[g]);
		f->docs[g] = NULL;
		f->exited[g] = 0;
	}
}
