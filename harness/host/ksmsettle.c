/* ksmsettle.c — see ksmsettle.h. */
#include "host/ksmsettle.h"
#include "util/clock.h"
#include "util/error.h"
#include "host/ksm.h"
#include "util/strbuf.h"
#include "host/sysfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIN_POLL_NS (1000000ull)

static double rel_change(unsigned long long from, unsigned long long to)
{
	double d = (double)to - (double)from;

	if (d < 0)
		d = -d;
	return d / (double)(from ? from : 1);
}

void ksm_settle_begin(struct ksm_settle *k, uint64_t now_ns, unsigned long long full_scans,
		      unsigned long long pages_sharing)
{
	memset(k, 0, sizeof(*k));
	k->t0_ns = now_ns;
	k->scans0 = k->scans = full_scans;
	k->ps0 = k->ps = pages_sharing;
	k->last_change = -1;
}

int ksm_settle_feed(struct ksm_settle *k, uint64_t now_ns, unsigned long long full_scans,
		    unsigned long long pages_sharing)
{
	int boundary = full_scans != k->scans;

	(void)now_ns;
	if (k->settled)
		return 1;
	if (full_scans < k->scans) {
		/* the counters were reset (KSM restarted): start over */
		uint64_t t0 = k->t0_ns;

		ksm_settle_begin(k, t0, full_scans, pages_sharing);
		k->restarts++;
		return 0;
	}
	k->scans = full_scans;
	k->ps = pages_sharing;
	if (!boundary)
		return 0;	/* mid-scan values say nothing */
	if (k->have_boundary) {
		k->last_change = rel_change(k->b_ps, pages_sharing);
		if (full_scans - k->scans0 >= KSM_SETTLE_MIN_SCANS && k->last_change < KSM_SETTLE_CHANGE)
			k->settled = 1;
	}
	k->have_boundary = 1;
	k->b_scans = full_scans;
	k->b_ps = pages_sharing;
	return k->settled;
}

/* ---- readers -------------------------------------------------------------- */

static int sysfs_reader_read(void *opaque, struct ksm_reading *r)
{
	const char *root = opaque;
	unsigned long long run = 1;

	memset(r, 0, sizeof(*r));
	if (sysfs_read_u64(root, KSM_DIR "/full_scans", &r->full_scans) < 0 ||
	    sysfs_read_u64(root, KSM_DIR "/pages_sharing", &r->pages_sharing) < 0 ||
	    sysfs_read_u64(root, KSM_DIR "/run", &run) < 0)
		return -1;
	r->run = (int)run;
	return 0;
}

/* general_profit is signed bytes (the rmap items cost memory too). */
static int sysfs_reader_profit(void *opaque, double *mib)
{
	const char *root = opaque;
	struct strbuf v = STRBUF_INIT;
	int rc = -1;

	if (sysfs_exists(root, KSM_DIR "/general_profit") &&
	    sysfs_read(root, KSM_DIR "/general_profit", &v) == 0) {
		*mib = (double)strtoll(v.buf, NULL, 10) / 1048576.0;
		rc = 0;
	}
	ocb_err_clear();
	strbuf_release(&v);
	return rc;
}

void ksm_sysfs_reader(struct ksm_reader *rd, const char *root)
{
	memset(rd, 0, sizeof(*rd));
	snprintf(rd->where, sizeof(rd->where), "this host");
	rd->read = sysfs_reader_read;
	rd->profit = sysfs_reader_profit;
	rd->opaque = (void *)root;
}

void ksm_reader_fini(struct ksm_reader *rd)
{
	if (rd->fini)
		rd->fini(rd->opaque);
	rd->fini = NULL;
	rd->opaque = NULL;
}

/* The counters, and that KSM still runs: KSM is host-wide, and another
 * process stopping it mid-wait must not look like "settled at 0". */
static int read_counters(const struct ksm_reader *rd, struct ksm_reading *r)
{
	if (rd->read(rd->opaque, r) < 0)
		return ocb_err_prefix("wait ksm-settled (%s): ", rd->where);
	if (r->run >= 0 && r->run != 1)
		return ocb_fail("wait ksm-settled: KSM stopped during the wait (%s/run = %d; pages_sharing "
				"%llu): something else on this host changed it", KSM_DIR, r->run,
				r->pages_sharing);
	return 0;
}

/* KSM must exist and run, or the wait could only time out. */
static int check_running(const char *root)
{
	unsigned long long run = 0;

	if (!ksm_present(root)) {
		struct strbuf p = STRBUF_INIT;

		sysfs_path(root, KSM_DIR, &p);
		ocb_fail("wait ksm-settled: this kernel has no KSM (%s is missing; CONFIG_KSM)", p.buf);
		strbuf_release(&p);
		return -1;
	}
	if (sysfs_read_u64(root, KSM_DIR "/run", &run) < 0)
		return ocb_err_prefix("wait ksm-settled: ");
	if (run != 1)
		return ocb_fail("wait ksm-settled: KSM is not running (%s/run = %llu): nothing to "
				"wait for (set [host] ksm = on or put `ksm on` before the wait)", KSM_DIR, run);
	return 0;
}

static void fill_result(const struct ksm_reader *rd, const struct ksm_settle *k, uint64_t now,
			struct ksm_settle_result *res)
{
	double page_mib = (double)sysconf(_SC_PAGESIZE) / 1048576.0;

	memset(res, 0, sizeof(*res));
	res->settle_s = ns_to_s(now - k->t0_ns);
	res->pages_sharing = k->ps;
	res->full_scans = k->scans - k->scans0;
	res->merged_mib = (double)k->ps * page_mib;
	res->merged_delta_mib = ((double)k->ps - (double)k->ps0) * page_mib;
	res->rate_mib_s = res->settle_s > 0 ? res->merged_delta_mib / res->settle_s : 0;
	if (rd->profit && rd->profit(rd->opaque, &res->general_profit_mib) == 0)
		res->have_profit = 1;
}

static int timed_out(const struct ksm_reader *rd, const struct ksm_settle *k, uint64_t timeout_ns)
{
	char change[64] = "no scan boundary compared yet", at[300] = "";
	int remote = strcmp(rd->where, "this host") != 0;

	if (k->last_change >= 0)
		snprintf(change, sizeof(change), "last change between scans %.1f %%", k->last_change * 100);
	if (remote)
		snprintf(at, sizeof(at), "at %s ", rd->where);
	return ocb_fail("wait ksm-settled: KSM %sdid not settle within %.1f s: full_scans advanced by "
			"%llu (need >= %d), pages_sharing %llu -> %llu (%s; need < %.0f %%); raise "
			"ksm.pages_to_scan or the timeout%s", at, ns_to_s(timeout_ns), k->scans - k->scans0,
			KSM_SETTLE_MIN_SCANS, k->ps0, k->ps, change, KSM_SETTLE_CHANGE * 100,
			remote && k->scans == k->scans0
			? " (libvirt does not say whether KSM runs there: it may be stopped)" : "");
}

int ksm_settle_wait_on(const struct ksm_reader *rd, uint64_t timeout_ns, uint64_t poll_ns,
		       ksm_idle_fn idle, void *opaque, struct ksm_settle_result *res)
{
	struct ksm_settle k;
	struct ksm_reading r;
	uint64_t deadline;

	if (!poll_ns)
		poll_ns = KSM_SETTLE_POLL_NS;
	if (poll_ns < MIN_POLL_NS)
		poll_ns = MIN_POLL_NS;
	if (read_counters(rd, &r) < 0)
		return -1;
	ksm_settle_begin(&k, mono_ns(), r.full_scans, r.pages_sharing);
	deadline = k.t0_ns + timeout_ns;
	for (;;) {
		uint64_t now = mono_ns();

		if (now >= deadline)
			return timed_out(rd, &k, timeout_ns);
		if (idle(opaque, deadline - now < poll_ns ? deadline - now : poll_ns) < 0)
			return -1;
		if (read_counters(rd, &r) < 0)
			return -1;
		now = mono_ns();
		if (ksm_settle_feed(&k, now, r.full_scans, r.pages_sharing)) {
			fill_result(rd, &k, now, res);
			return 0;
		}
	}
}

int ksm_settle_wait(const char *root, uint64_t timeout_ns, uint64_t poll_ns, ksm_idle_fn idle,
		    void *opaque, struct ksm_settle_result *res)
{
	struct ksm_reader rd;

	if (check_running(root) < 0)
		return 1;
	ksm_sysfs_reader(&rd, root);
	return ksm_settle_wait_on(&rd, timeout_ns, poll_ns, idle, opaque, res);
}
