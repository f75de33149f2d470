/* reclaim.c — see reclaim.h.
 *
 * FPR-001 boots two 2048 MiB guests side by side, one with free page
 * reporting and one without (the control), runs memtouch over a 1 GiB
 * hog in both at once and follows each QEMU's VmRSS at 5 Hz: the peak
 * while the hog runs, then how long the reporting guest's RSS takes to
 * come back within 10 % of its baseline (at most 30 s), while the
 * control's must still be up.  BAL-007 then touches 1700 MiB in the
 * control guest (so its free memory is populated on the host), inflates
 * its balloon by 1024 MiB and compares what the host got back (QEMU
 * RSS) and what the guest lost (MemTotal) with the request.
 */
#include "conform/reclaim.h"
#include "conform/balloon.h"
#include "conform/diagnose.h"
#include "conform/doo.h"
#include "conform/fixture.h"
#include "conform/swap.h"
#include "conform/vmem.h"
#include "host/smaps.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/units.h"
#include "vm/balloon-diagnose.h"
#include "vm/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST_MEM (2048 * MiB)
#define HOG_MIB 1024
#define RISE_REL 0.50		/* the hog must show: RSS up by half of it */
#define RETURN_REL 0.10		/* back within 10 % of the baseline (tp-qemu) ... */
/* ... or, when more, what reporting cannot give back, as the guest itself
 * tells it once the hog has exited: reporting hands the host free blocks
 * of its order (page_reporting_order, 2 MiB pageblocks) only, so freed
 * memory in smaller free blocks stays resident (the guest's
 * /proc/buddyinfo, orders below it), and so does what the guest allocated
 * since the baseline (MemTotal - MemFree then and now: the agent, the
 * workload's JSON) and what QEMU grew outside guest RAM (VmRSS less the
 * RAM mapping's Rss: under TCG its translated code grows as the guest
 * runs new code); plus RETURN_SLACK_MIB for the per-CPU page lists, which
 * none of them shows.  A fixed 5 % of the hog (from one measurement,
 * 44 MiB) failed runs that left 53 MiB: the residue varies with how the
 * hog's pages fragmented, so it is measured each time. */
#define RETURN_SLACK_MIB 16
#define REPORTING_ORDER 9	/* pageblock_order on x86-64, when the guest does not say */
#define BUDDY_ORDERS 11		/* /proc/buddyinfo's columns on x86-64 (orders 0..10) */
#define RETURN_NS (30 * 1000000000ull)	/* the default of reclaim_timeout_ns */
/* the control is watched for at least a sixth of the return window
 * (5 s of 30: two of the guest's 2 s reporting delays and more) */
#define CONTROL_DIV 6
#define POLL_NS (200 * 1000000ull)
#define HOG_TIMEOUT_NS (300 * 1000000000ull)
#define FILL_MIB 1700
#define INFLATE_MIB 1024
#define RECLAIM_REL 0.85	/* Firecracker's rule */

static const struct conform_guest_spec fpr_on = {
	.name = "fpr-on", .memory_bytes = GUEST_MEM, .balloon = 1, .mem_merge = 1,
	.free_page_reporting = 1,
};
static const struct conform_guest_spec fpr_off = {
	.name = "fpr-off", .memory_bytes = GUEST_MEM, .balloon = 1, .mem_merge = 1,
};

/* QEMU's VmRSS in MiB; -1 with a message. */
static int rss_mib(struct conform_ctx *c, struct vm *vm, double *mib)
{
	unsigned long long kib;

	if (conform_proc_kib(c, vm->ops->pid(vm), "status", "VmRSS", &kib) < 0)
		return ocb_err_prefix("%s: QEMU's RSS: ", vm->cfg.name);
	*mib = (double)kib / 1024.0;
	return 0;
}

/* Both guests, or NULL after setting r (remote guests have no /proc here). */
static int both(struct conform_ctx *c, struct conform_result *r, struct vm **vm)
{
	const struct conform_guest_spec *sp[] = { &fpr_on, &fpr_off };

	if (conform_guests(c, sp, 2, vm) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return -1;
	}
	if (vm[0]->ops->pid(vm[0]) < 0) {
		conform_skip(r, "needs QEMU's /proc on this host: the %s backend's guests have no local "
			     "PID", vm[0]->ops->name);
		return -1;
	}
	return 0;
}

struct hog {
	struct vm *vm;
	long long pid;
	double base, peak, now;
	int done;
	double exit_s;		/* since the hogs started */
	double used_base;	/* the guest's MemTotal - MemFree before the hog (MiB) */
	double qemu_own_base;	/* QEMU's RSS outside guest RAM before the hog (MiB) */
};

/* QEMU's resident memory outside the guest's RAM mapping (MiB), given its
 * VmRSS (rss, just read): its own heap and, under TCG, its translated
 * code, which grows as the guest runs new code.  -1 with a message. */
static int qemu_own_mib(struct conform_ctx *c, struct vm *vm, double rss, double *mib)
{
	struct smaps_mapping m;

	if (smaps_guest_ram(c->opt.root, vm->ops->pid(vm), vm->cfg.memory_bytes, &m) < 0)
		return ocb_err_prefix("%s: ", vm->cfg.name);
	*mib = rss - (double)m.rss_kib / 1024.0;
	return 0;
}

/* The guest's MemTotal - MemFree (MiB); -1 with a message. */
static int guest_used_mib(struct conform_ctx *c, struct vm *vm, double *mib)
{
	unsigned long long total, free;

	if (conform_guest_meminfo(c, vm, "MemTotal", &total) < 0 ||
	    conform_guest_meminfo(c, vm, "MemFree", &free) < 0)
		return -1;
	*mib = ((double)total - (double)free) / 1024.0;
	return 0;
}

/* Free memory the guest holds in blocks below its reporting order (MiB),
 * from /proc/buddyinfo ("Node 0, zone   Normal  c0 c1 ... c10": free
 * blocks of 2^order pages); *order the order used.  -1 with a message. */
static int unreportable_free_mib(struct conform_ctx *c, struct vm *vm, double *mib, int *order)
{
	struct strbuf b = STRBUF_INIT, o = STRBUF_INIT;
	char *save = NULL;
	double pages = 0;
	int rc = 0, zones = 0, param;

	/* The kernel's value until a reporting device registers is MAX_ORDER
	 * (11 on 6.1: no block is that big), and -1 on later kernels: only an
	 * order a block can have is one reporting uses. */
	*order = REPORTING_ORDER;
	if (vm->ops->agent_read_file(vm, "/sys/module/page_reporting/parameters/page_reporting_order", &o,
				     c->opt.cmd_timeout_ns) == 0 && (param = atoi(strbuf_str(&o))) > 0 &&
	    param < BUDDY_ORDERS)
		*order = param;
	ocb_err_clear();
	if (vm->ops->agent_read_file(vm, "/proc/buddyinfo", &b, c->opt.cmd_timeout_ns) < 0)
		rc = ocb_err_prefix("%s: /proc/buddyinfo: ", vm->cfg.name);
	/* a line at a time (split in place: the text is ours) */
	for (char *l = rc == 0 && b.len ? strtok_r(b.buf, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		const char *p = strstr(l, "zone");
		int k = 0, n;
		char zone[32];
		unsigned long long count;

		if (!p)
			continue;
		zones++;
		if (sscanf(p, "zone %31s%n", zone, &n) != 1)
			continue;
		for (p += n; k < *order && sscanf(p, "%llu%n", &count, &n) == 1; p += n, k++)
			pages += (double)count * (double)(1ull << k);
	}
	if (rc == 0 && !zones)
		rc = ocb_fail("%s: /proc/buddyinfo has no zone line: '%.80s'", vm->cfg.name, strbuf_str(&b));
	*mib = pages * 4.0 / 1024.0;
	strbuf_release(&b);
	strbuf_release(&o);
	return rc;
}

/* Run memtouch --size SIZE in every guest at once, following their RSS
 * until all exited.  -1 with a message. */
static int run_hogs(struct conform_ctx *c, struct hog *h, size_t n, const char *size)
{
	const char *argv[] = { "memtouch", "--size", size, "--iterations", "1", NULL };
	uint64_t t0 = mono_ns();
	size_t left = n;

	for (size_t i = 0; i < n; i++) {
		if (rss_mib(c, h[i].vm, &h[i].base) < 0 || guest_used_mib(c, h[i].vm, &h[i].used_base) < 0 ||
		    qemu_own_mib(c, h[i].vm, h[i].base, &h[i].qemu_own_base) < 0 ||
		    conform_workload_spawn(c, h[i].vm, "hog", argv, &h[i].pid) < 0)
			return -1;
		h[i].peak = h[i].base;
		h[i].done = 0;
	}
	while (left) {
		if (mono_ns() - t0 > HOG_TIMEOUT_NS)
			return ocb_fail("memtouch --size %s still running after %.0f s", size,
					ns_to_s(HOG_TIMEOUT_NS));
		for (size_t i = 0; i < n; i++) {
			struct agent_exec_result res;
			int e;

			if (h[i].done)
				continue;
			if (rss_mib(c, h[i].vm, &h[i].now) < 0)
				return -1;
			h[i].peak = h[i].now > h[i].peak ? h[i].now : h[i].peak;
			e = h[i].vm->ops->agent_poll(h[i].vm, h[i].pid, &res);
			if (e < 0)
				return -1;
			if (e == 1) {
				int code = res.exitcode;

				if (code)
					ocb_fail("%s: memtouch exited with %d: %.200s", h[i].vm->cfg.name,
						 code, strbuf_str(&res.err));
				agent_exec_result_release(&res);
				if (code)
					return -1;
				h[i].done = 1;
				h[i].exit_s = ns_to_s(mono_ns() - t0);
				if (rss_mib(c, h[i].vm, &h[i].now) < 0)
					return -1;
				h[i].peak = h[i].now > h[i].peak ? h[i].now : h[i].peak;
				left--;
			}
		}
		if (left && conform_sleep(c, POLL_NS) < 0)
			return -1;
	}
	return 0;
}

/* After the hogs: follow both RSS until the reporting guest is back within
 * its tolerance (or RETURN_NS), and the control at least CONTROL_MIN_NS. */
static uint64_t return_window(const struct conform_ctx *c)
{
	return c->opt.reclaim_timeout_ns ? c->opt.reclaim_timeout_ns : RETURN_NS;
}

static int follow_return(struct conform_ctx *c, struct hog *h, double tol, double *return_s)
{
	uint64_t t0 = mono_ns(), win = return_window(c);

	*return_s = -1;
	for (;;) {
		uint64_t el = mono_ns() - t0;

		for (size_t i = 0; i < 2; i++) {
			if (rss_mib(c, h[i].vm, &h[i].now) < 0)
				return -1;
			if (h[i].vm->ops->pump && h[i].vm->ops->pump(h[i].vm, 0) < 0)
				return -1;
		}
		if (*return_s < 0 && h[0].now <= h[0].base + tol)
			*return_s = ns_to_s(el);
		if ((*return_s >= 0 && el >= win / CONTROL_DIV) || el >= win)
			return 0;
		if (conform_sleep(c, POLL_NS) < 0)
			return -1;
	}
}

static void hog_evidence(json_t *ev, const char *key, const struct hog *h)
{
	json_object_set_new(ev, key, json_pack("{s:s, s:f, s:f, s:f, s:f}", "guest", h->vm->cfg.name,
					       "baseline_rss_mib", h->base, "peak_rss_mib", h->peak,
					       "final_rss_mib", h->now, "hog_exit_s", h->exit_s));
}

/* The reporting guest kept its hog: FAIL, with why its balloon does not
 * report (the feature not negotiated, no driver...). */
static void fpr_not_back(struct conform_ctx *c, struct conform_result *r, struct vm *vm, const struct hog *h,
			 double tol)
{
	struct strbuf d = STRBUF_INIT;

	conform_diagnosis_note(r->evidence,
			       conform_balloon_feature_diagnosis(c, vm, BALLOON_F_REPORTING, "FREE_PAGE_REPORTING",
								 "free-page-reporting"), &d);
	conform_failf(r, "%s: QEMU RSS still %.0f MiB after %.0f s, baseline %.0f MiB (+%.0f MiB allowed): the "
		      "freed hog was not reported back; %s", vm->cfg.name, h->now, ns_to_s(return_window(c)),
		      h->base, tol, d.buf);
	strbuf_release(&d);
}

/* What reporting cannot give back, as the reporting guest and its QEMU
 * tell it right after the hog: free blocks below the reporting order,
 * what the guest allocated since the baseline, what QEMU grew outside
 * guest RAM, plus the slack.  -1 with a message. */
static int residue_mib(struct conform_ctx *c, struct conform_result *r, const struct hog *h, double *mib)
{
	double small, used, rss, own, grew_used, grew_own;
	int order;

	if (unreportable_free_mib(c, h->vm, &small, &order) < 0 || guest_used_mib(c, h->vm, &used) < 0 ||
	    rss_mib(c, h->vm, &rss) < 0 || qemu_own_mib(c, h->vm, rss, &own) < 0)
		return -1;
	grew_used = used > h->used_base ? used - h->used_base : 0;
	grew_own = own > h->qemu_own_base ? own - h->qemu_own_base : 0;
	*mib = small + grew_used + grew_own + RETURN_SLACK_MIB;
	json_object_set_new(r->evidence, "residue", json_pack("{s:f, s:i, s:f, s:f, s:f, s:f, s:i, s:f}",
		"free_below_reporting_order_mib", small, "reporting_order", order, "guest_used_before_mib",
		h->used_base, "guest_used_after_mib", used, "qemu_outside_ram_before_mib", h->qemu_own_base,
		"qemu_outside_ram_after_mib", own, "slack_mib", RETURN_SLACK_MIB, "total_mib", *mib));
	return 0;
}

static void fpr_001(struct conform_ctx *c, struct conform_result *r)
{
	struct vm *vm[2];
	struct hog h[2];
	double tol, ret_s, rise = RISE_REL * HOG_MIB, residue;
	char size[16];

	if (both(c, r, vm) < 0)
		return;
	memset(h, 0, sizeof(h));
	h[0].vm = vm[0];
	h[1].vm = vm[1];
	snprintf(size, sizeof(size), "%dM", HOG_MIB);
	if (run_hogs(c, h, 2, size) < 0 || residue_mib(c, r, &h[0], &residue) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	tol = conform_tolerance(r->evidence, "tolerance", h[0].base, RETURN_REL, residue, 0, 0, "MiB");
	json_object_set_new(r->evidence, "rule",
			    json_pack("{s:s}", "text", "the hog raises QEMU RSS by >= 50 % of it in both guests; "
				      "with reporting, RSS is back within max(10 % of its baseline, what the guest "
				      "cannot report: its free blocks below the reporting order, what it allocated "
				      "since the baseline and what QEMU grew outside guest RAM, after the hog, "
				      "+ 16 MiB) within 30 s; "
				      "without (the control), RSS is still >= 50 % of the hog above its "
				      "baseline when the reporting guest is back (and >= 5 s after its hog)"));
	if (follow_return(c, h, tol, &ret_s) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	hog_evidence(r->evidence, "reporting", &h[0]);
	hog_evidence(r->evidence, "control", &h[1]);
	json_object_set_new(r->evidence, "hog_mib", json_integer(HOG_MIB));
	json_object_set_new(r->evidence, "return_s", ret_s >= 0 ? json_real(ret_s) : json_null());
	if (ret_s >= 0)
		conform_summary(r, "RSS %.0f -> %.0f -> %.0f MiB, back in %.1f s (within %.0f MiB); control %.0f "
				"-> %.0f MiB", h[0].base, h[0].peak, h[0].now, ret_s, tol, h[1].base, h[1].now);
	else
		conform_summary(r, "RSS %.0f -> %.0f -> %.0f MiB, not back within %.0f MiB; control %.0f -> "
				"%.0f MiB", h[0].base, h[0].peak, h[0].now, tol, h[1].base, h[1].now);
	if (h[0].peak - h[0].base < rise || h[1].peak - h[1].base < rise)
		conform_failf(r, "the 1024 MiB hog raised QEMU RSS by %.0f MiB (reporting) and %.0f MiB "
			      "(control), expected >= %.0f MiB each: the hog never reached the host",
			      h[0].peak - h[0].base, h[1].peak - h[1].base, rise);
	else if (ret_s < 0)
		fpr_not_back(c, r, vm[0], &h[0], tol);
	else if (h[1].now - h[1].base < rise)
		conform_failf(r, "the control (no reporting) gave its hog back too: RSS %.0f MiB, "
			      "baseline %.0f MiB: the drop is not free page reporting's", h[1].now,
			      h[1].base);
	else
		conform_pass(r, "reported back in %.1f s", ret_s);
}

static void bal_007(struct conform_ctx *c, struct conform_result *r)
{
	struct vm *vm[2];
	struct hog h = { 0 };
	struct move m;
	double rss0, rss1, mt0, mt1, host_frac, guest_frac;
	unsigned long long kib;
	char size[16];

	if (both(c, r, vm) < 0)
		return;
	h.vm = vm[1];	/* the control: no reporting takes the fill back */
	snprintf(size, sizeof(size), "%dM", FILL_MIB);
	if (run_hogs(c, &h, 1, size) < 0 || rss_mib(c, vm[1], &rss0) < 0 ||
	    conform_guest_meminfo(c, vm[1], "MemTotal", &kib) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	mt0 = (double)kib / 1024.0;
	if (conform_balloon_move(c, vm[1], GUEST_MEM - INFLATE_MIB * MiB, c->opt.balloon_timeout_ns,
				 &m) < 0 ||
	    rss_mib(c, vm[1], &rss1) < 0 || conform_guest_meminfo(c, vm[1], "MemTotal", &kib) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	mt1 = (double)kib / 1024.0;
	host_frac = (rss0 - rss1) / INFLATE_MIB;
	guest_frac = (mt0 - mt1) / INFLATE_MIB;
	conform_tolerance(r->evidence, "tolerance", INFLATE_MIB, 1 - RECLAIM_REL, 0, 0, 0, "MiB");
	json_object_set_new(r->evidence, "rule", json_string("host (QEMU RSS) and guest (MemTotal) "
							      "each lose >= 85 % of the 1024 MiB inflate"));
	json_object_set_new(r->evidence, "measured",
			    json_pack("{s:i, s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "requested_mib", INFLATE_MIB,
				      "rss_before_mib", rss0, "rss_after_mib", rss1, "memtotal_before_mib",
				      mt0, "memtotal_after_mib", mt1, "host_fraction", host_frac,
				      "guest_fraction", guest_frac, "balloon_actual_mib",
				      bytes_to_mib(m.actual)));
	conform_summary(r, "reclaimed %.0f %% on the host, %.0f %% in the guest of %d MiB", 100 * host_frac,
			100 * guest_frac, INFLATE_MIB);
	if (!m.reached) {
		struct strbuf d = STRBUF_INIT;

		conform_diagnosis_note(r->evidence, conform_balloon_diagnosis(c, vm[1]), &d);
		conform_failf(r, "%s: the balloon stopped at %.0f MiB, short of %.0f MiB; %s",
			      vm[1]->cfg.name, bytes_to_mib(m.actual),
			      bytes_to_mib(GUEST_MEM - INFLATE_MIB * MiB), d.buf);
		strbuf_release(&d);
	} else if (host_frac < RECLAIM_REL || guest_frac < RECLAIM_REL) {
		conform_failf(r, "the inflate of %d MiB reclaimed %.0f %% on the host (QEMU RSS %.0f -> %.0f "
			      "MiB) and %.0f %% in the guest (MemTotal %.0f -> %.0f MiB), expected >= 85 %% "
			      "each", INFLATE_MIB, 100 * host_frac, rss0, rss1, 100 * guest_frac, mt0, mt1);
	} else {
		conform_pass(r, "reclaimed %.0f %% / %.0f %%", 100 * host_frac, 100 * guest_frac);
	}
	conform_guest_stop(c, fpr_off.name);	/* ballooned and filled: no one else's */
}

static const struct conform_check checks[] = {
	{ "FPR-001", "reclaim", "free page reporting gives a freed 1 GiB hog back to the host within 30 s",
	  NEED_BALLOON | NEED_FREE_PAGE_REPORTING, fpr_001 },
	{ "BAL-007", "reclaim", "an inflate reclaims >= 85 % of the request, on the host and in the guest",
	  NEED_BALLOON, bal_007 },
	{ "DOO-001", "reclaim", "deflate-on-oom gives balloon memory back to a hog instead of an OOM kill",
	  NEED_BALLOON | NEED_DEFLATE_ON_OOM, conform_doo_001 },
	{ "VMEM-001", "reclaim", "a virtio-mem plug converges size to requested-size and MemTotal follows",
	  NEED_VIRTIO_MEM, conform_vmem_001 },
	{ "VMEM-002", "reclaim", "a virtio-mem unplug under load gives back what the guest can free, and says how much",
	  NEED_VIRTIO_MEM, conform_vmem_002 },
	{ "SWAP-001", "reclaim", "the swap knob's file is active during the run and gone after, also after SIGKILL",
	  NEED_ROOT, conform_swap_001 },
};

const struct conform_suite conform_suite_reclaim = { "reclaim", checks, sizeof(checks) / sizeof(checks[0]) };
