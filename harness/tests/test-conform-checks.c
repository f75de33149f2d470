/* Unit tests of every conformance check against fakes (no guest boots):
 * for each check its pass path, and its fail path with one mechanism
 * broken in the fake world (fake-guest.h) — the verdict, the words of its
 * reason, and the cause its diagnosis names.  ERROR and SKIP paths where a
 * check has a rule about them (HTLB: only an unfillable pool skips).  One
 * row of the table is one test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conform/conform.h"
#include "conform/fixture.h"
#include "conform/suites.h"
#include "fake-sysfs.h"
#include "fake-guest.h"
#include "private-lock.h"

struct fx;

struct row {
	const char *ids;		/* the checks run, comma-separated; the last is judged */
	void (*brk)(struct fx *f);	/* what to break (NULL: nothing) */
	enum conform_status want;
	const char *says;		/* in the reason */
	const char *cause;		/* a cause of evidence.diagnosis, or NULL */
};

struct fx {
	const struct row *row;
	char root[64], state[64], image[64], modprobe[128];
	struct conform_options opt;
};

/* ---- what breaks -------------------------------------------------------- */

static int unlink_under(const char *root, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	return unlink(path);
}

static void balloon_stuck(struct fx *f)
{
	(void)f;
	W.balloon_stuck = 1;
}

static void balloon_no_irq(struct fx *f)
{
	(void)f;
	W.balloon_stuck = W.balloon_no_irq = 1;
}

static void balloon_overshoot(struct fx *f)
{
	(void)f;
	W.balloon_overshoot = 1;
}

static void balloon_timeout(struct fx *f)
{
	(void)f;
	W.no_balloon_error = "QMP of bal-none: no reply to 'balloon' within 30 s";
}

static void no_stats(struct fx *f)
{
	(void)f;
	W.no_stats = 1;
}

static void deaf_under_pressure(struct fx *f)
{
	(void)f;
	W.balloon_deaf_under_pressure = W.balloon_no_irq = 1;
}

static void agent_dead_under_pressure(struct fx *f)
{
	(void)f;
	W.agent_dead_under_pressure = 1;
}

static void ksm_no_merge(struct fx *f)
{
	(void)f;
	W.ksm_no_merge = 1;
}

static void ram_unmergeable(struct fx *f)
{
	(void)f;
	W.ram_unmergeable = 1;
}

static void unmerge_keeps(struct fx *f)
{
	(void)f;
	W.unmerge_keeps = 1;
}

static void merge_off_ignored(struct fx *f)
{
	(void)f;
	W.merge_off_ignored = 1;
}

static void cow_mismatch(struct fx *f)
{
	(void)f;
	W.cow_mismatch = 1;
}

static void cow_short(struct fx *f)
{
	(void)f;
	W.cow_short = 1;
}

static void uksm_stuck(struct fx *f)
{
	(void)f;
	W.uksm_stuck = 1;
}

static void node_keeps_merged(struct fx *f)
{
	(void)f;
	W.node_keeps_merged = 1;
}

static void uksm_no_counter(struct fx *f)
{
	assert_int_equal(unlink_under(f->root, "/sys/kernel/mm/uksm/full_scans"), 0);
}

static void ram_file(struct fx *f)
{
	(void)f;
	W.ram_file = 1;
}

static void thp_ignores_never(struct fx *f)
{
	(void)f;
	W.thp_ignores_never = 1;
}

static void htlb_leak(struct fx *f)
{
	(void)f;
	W.htlb_leak = 1;
}

static void htlb_short(struct fx *f)
{
	(void)f;
	W.htlb_short = 1;
}

/* The knob journal cannot be written: ocbench cannot change the pool. */
static void journal_broken(struct fx *f)
{
	snprintf(f->state, sizeof(f->state), "/dev/null/ocbench-state");
	f->opt.state_dir = f->state;
}

static void ept_off(struct fx *f)
{
	fake_write(f->root, "/sys/module/kvm_intel/parameters/ept", "N\n");
}

static void vpid_off(struct fx *f)
{
	fake_write(f->root, "/sys/module/kvm_intel/parameters/vpid", "N\n");
}

/* A kvm_intel that reloads but ignores ept=N. */
static void ept_ignored(struct fx *f)
{
	assert_int_equal(write_file_atomic(f->modprobe, "#!/bin/sh\nexit 0\n", 17, 0755), 0);
}

static void memlat_nothing(struct fx *f)
{
	(void)f;
	W.memlat_ns = 0;
}

/* ---- the table ---------------------------------------------------------- */

static void fpr_broken(struct fx *f)
{
	(void)f;
	W.fpr_broken = 1;
}

static void fpr_everywhere(struct fx *f)
{
	(void)f;
	W.fpr_everywhere = 1;
}

static void balloon_keeps_rss(struct fx *f)
{
	(void)f;
	W.balloon_keeps_rss = 1;
}

static void swapoff_broken(struct fx *f)
{
	char tool[128];

	fake_swap_tool(f->root, 1, tool, sizeof(tool));
}

static void scans_stall(struct fx *f)
{
	(void)f;
	W.ksm_scans_stall = 1;
}

static void advisor_stuck(struct fx *f)
{
	(void)f;
	W.advisor_stuck = 1;
}

static void advisor_backwards(struct fx *f)
{
	(void)f;
	W.advisor_backwards = 1;
}

/* A kernel before 6.8: no KSM advisor. */
static void no_advisor(struct fx *f)
{
	assert_int_equal(unlink_under(f->root, "/sys/kernel/mm/ksm/advisor_mode"), 0);
}

static void vmem_stuck(struct fx *f)
{
	(void)f;
	W.vmem_stuck = 1;
}

static void vmem_offline(struct fx *f)
{
	(void)f;
	W.vmem_offline = 1;
}

static void doo_broken(struct fx *f)
{
	(void)f;
	W.doo_broken = 1;
}

static void doo_everywhere(struct fx *f)
{
	(void)f;
	W.doo_everywhere = 1;
}

static void vmem_unplug_online_off(struct fx *f)
{
	(void)f;
	W.vmem_unplug_online_off = 1;
}

/* Reporting leaves 60 MiB of the freed hog resident (above 10 % of the
 * 200 MiB baseline), in free blocks below its order as the guest's
 * buddyinfo shows: within what the guest says it cannot report. */
static void fpr_fragmented(struct fx *f)
{
	(void)f;
	W.fpr_left_mib = 60;
	W.fpr_left_in_buddyinfo = 1;
}

/* The same 60 MiB left, but the guest's free memory is all in blocks
 * reporting takes: nothing explains it. */
static void fpr_residue_unexplained(struct fx *f)
{
	(void)f;
	W.fpr_left_mib = 60;
}

/* The guest's kernel holds most of its memory: too little free for a
 * load that fills the plugged memory and leaves room to move it. */
static void vmem_little_free(struct fx *f)
{
	(void)f;
	W.kernel_extra_mib = 700;
}

static const struct row rows[] = {
	{ "BAL-001", NULL, CONFORM_PASS, "", NULL },
	{ "BAL-001", balloon_no_irq, CONFORM_FAIL, "bal: the balloon did not reach 512 MiB", "interrupt-not-delivered" },
	{ "BAL-002", NULL, CONFORM_PASS, "", NULL },
	{ "BAL-002", balloon_stuck, CONFORM_FAIL, "setting it up first: the balloon did not reach 512 MiB", NULL },
	{ "BAL-003", NULL, CONFORM_PASS, "", NULL },
	{ "BAL-003", balloon_overshoot, CONFORM_FAIL, "should clamp to the boot memory 2048 MiB, actual 4096 MiB", NULL },
	{ "BAL-004", NULL, CONFORM_PASS, "", NULL },
	{ "BAL-004", balloon_timeout, CONFORM_FAIL, "the balloon error does not say the guest has no balloon device", NULL },
	{ "BAL-005", NULL, CONFORM_PASS, "", NULL },
	{ "BAL-005", no_stats, CONFORM_FAIL, "no balloon guest-stats within 0.3 s", NULL },
	{ "BAL-006", NULL, CONFORM_PASS, "", NULL },
	{ "BAL-006", deaf_under_pressure, CONFORM_FAIL, "under pressure the balloon did not move at all",
	  "interrupt-not-delivered" },
	{ "BAL-006", agent_dead_under_pressure, CONFORM_FAIL, "bal: guest agent did not answer during the inflate", NULL },
	{ "KSM-001", NULL, CONFORM_PASS, "", NULL },
	{ "KSM-001", ksm_no_merge, CONFORM_FAIL, "KSM did not merge the expected pages of either guest", NULL },
	{ "KSM-001", ram_unmergeable, CONFORM_FAIL, "KSM cannot merge the guests' RAM", "ram-not-mergeable" },
	{ "KSM-002", NULL, CONFORM_PASS, "", NULL },
	{ "KSM-002", unmerge_keeps, CONFORM_FAIL, "pages_sharing is still 345", NULL },
	{ "KSM-002", ram_unmergeable, CONFORM_FAIL, "nothing of the guests is merged", "ram-not-mergeable" },
	{ "KSM-003", NULL, CONFORM_PASS, "", NULL },
	{ "KSM-003", merge_off_ignored, CONFORM_FAIL, "ksm-c (mem-merge=off) had 13288 merged pages; expected 0", NULL },
	{ "KSM-003", ksm_no_merge, CONFORM_FAIL, "the control guests (mem-merge on, the same fill) did not merge", NULL },
	{ "KSM-004", NULL, CONFORM_PASS, "", NULL },
	{ "KSM-001,KSM-004", NULL, CONFORM_PASS, "", NULL },
	{ "KSM-004", cow_mismatch, CONFORM_FAIL, "after copy-on-write of merged pages: pages differ", NULL },
	{ "KSM-004", cow_short, CONFORM_FAIL, "not every page of the fill was written and verified", NULL },
	{ "KSM-001,KSM-004", ksm_no_merge, CONFORM_FAIL, "the merge before the copy-on-write did not happen", NULL },
	{ "KSM-005", NULL, CONFORM_PASS, "", NULL },
	{ "KSM-005", uksm_stuck, CONFORM_FAIL, "UKSM did not scan within 3 s", NULL },
	{ "KSM-005", uksm_no_counter, CONFORM_FAIL, "UKSM has no /sys/kernel/mm/uksm/full_scans", NULL },
	{ "KSM-006", NULL, CONFORM_PASS, "", NULL },
	{ "KSM-006", ksm_no_merge, CONFORM_FAIL, "KSM did not merge the guests' identical pages on this host", NULL },
	{ "KSM-007", NULL, CONFORM_PASS, "", NULL },
	{ "KSM-006,KSM-007", NULL, CONFORM_PASS, "", NULL },
	{ "KSM-007", node_keeps_merged, CONFORM_FAIL, "the guests' merged pages were not released on this host", NULL },
	{ "KSM-006,KSM-007", ksm_no_merge, CONFORM_FAIL, "the merge before the guests stopped did not happen", NULL },
	{ "KSM-008", NULL, CONFORM_PASS, "", NULL },
	{ "KSM-008", advisor_stuck, CONFORM_FAIL, "pages_to_scan stayed at 500 (advisor_min_pages_to_scan", NULL },
	{ "KSM-008", advisor_backwards, CONFORM_FAIL, "not 2.5 s within 1.00 s (advisor_target_scan_time 2 s", NULL },
	{ "KSM-008", scans_stall, CONFORM_FAIL, "no full scan completed within 3 s", NULL },
	{ "KSM-008", no_advisor, CONFORM_SKIP, "needs the KSM advisor (Linux 6.8+)", NULL },
	{ "THP-001", NULL, CONFORM_PASS, "", NULL },
	{ "THP-001", ram_file, CONFORM_FAIL, "QEMU's AnonHugePages grew by 0 MiB", "ram-not-anonymous" },
	{ "THP-002", NULL, CONFORM_PASS, "", NULL },
	{ "THP-002", thp_ignores_never, CONFORM_FAIL, "THP=never: QEMU's AnonHugePages is", NULL },
	{ "HTLB-001", NULL, CONFORM_PASS, "", NULL },
	{ "HTLB-001", htlb_leak, CONFORM_FAIL, "2M pool leak: 259 free pages after shutdown, 260 before", NULL },
	{ "HTLB-001", htlb_short, CONFORM_SKIP, "the 2M pool cannot be filled to 260 pages: it holds 258", NULL },
	{ "HTLB-001", journal_broken, CONFORM_ERROR, "growing the 2M pool to 260 pages", NULL },
	{ "HTLB-002", NULL, CONFORM_PASS, "", NULL },
	{ "HTLB-002", htlb_leak, CONFORM_FAIL, "1G pool leak", NULL },
	{ "EPT-001", NULL, CONFORM_PASS, "", NULL },
	{ "EPT-001", ept_off, CONFORM_FAIL, "ept is disabled in kvm_intel", NULL },
	{ "EPT-002", NULL, CONFORM_PASS, "", NULL },
	{ "EPT-002", vpid_off, CONFORM_FAIL, "vpid is disabled in kvm_intel", NULL },
	{ "EPT-003", NULL, CONFORM_PASS, "", NULL },
	{ "EPT-003", ept_ignored, CONFORM_FAIL, "ept = off did not take effect", NULL },
	{ "EPT-003", memlat_nothing, CONFORM_ERROR, "memlat left no ns_per_access metric", NULL },
	{ "FPR-001", NULL, CONFORM_PASS, "", NULL },
	{ "FPR-001", fpr_broken, CONFORM_FAIL, "fpr-on: QEMU RSS still 1224 MiB after 1 s, baseline 200 MiB (+20 MiB allowed)", "feature-not-negotiated" },
	{ "FPR-001", fpr_everywhere, CONFORM_FAIL, "the control (no reporting) gave its hog back too", NULL },
	{ "FPR-001", fpr_fragmented, CONFORM_PASS, "", NULL },
	{ "FPR-001", fpr_residue_unexplained, CONFORM_FAIL, "fpr-on: QEMU RSS still 260 MiB after 1 s, baseline 200 MiB (+20 MiB allowed)", NULL },
	{ "BAL-007", NULL, CONFORM_PASS, "", NULL },
	{ "BAL-007", balloon_keeps_rss, CONFORM_FAIL, "reclaimed 0 % on the host", NULL },
	{ "BAL-007", balloon_stuck, CONFORM_FAIL, "the balloon stopped at 2048 MiB", NULL },
	{ "VMEM-001", NULL, CONFORM_PASS, "", NULL },
	{ "VMEM-001", vmem_stuck, CONFORM_FAIL, "vmem: virtio-mem size 0 MiB after", NULL },
	{ "VMEM-001", vmem_offline, CONFORM_FAIL, "MemTotal rose by 0 MiB for 512 MiB plugged", NULL },
	{ "DOO-001", NULL, CONFORM_PASS, "", NULL },
	{ "DOO-001", doo_broken, CONFORM_FAIL, "doo-on: the hog ended 'oom-killed' with 1 OOM kill(s)",
	  "feature-not-negotiated" },
	{ "DOO-001", doo_everywhere, CONFORM_FAIL, "the control doo-off (no deflate-on-oom) ran the same hog without",
	  NULL },
	{ "VMEM-002", NULL, CONFORM_PASS, "", NULL },
	{ "VMEM-001,VMEM-002", NULL, CONFORM_PASS, "", NULL },
	{ "VMEM-002", vmem_stuck, CONFORM_FAIL, "the plug the unplug starts from stopped at 0 of 512 MiB", NULL },
	{ "VMEM-002", vmem_offline, CONFORM_FAIL, "zone Movable manages 0 MiB with 512 MiB plugged", "vmem-offline" },
	{ "VMEM-002", vmem_unplug_online_off, CONFORM_FAIL, "vmem: unplugged 0 of 512 MiB", "unplug-online-off" },
	{ "VMEM-002", vmem_little_free, CONFORM_ERROR, "needs at least 1160 MiB free", NULL },
	{ "SWAP-001", NULL, CONFORM_PASS, "", NULL },
	{ "SWAP-001", swapoff_broken, CONFORM_FAIL, "after the session's restore the swap file is still in /proc/swaps", NULL },
};

/* ---- fixture ------------------------------------------------------------ */

/* "-r MOD" does nothing; "MOD p=v ..." writes each p=v as the module would. */
static void write_modprobe(struct fx *f)
{
	struct strbuf s = STRBUF_INIT;

	snprintf(f->modprobe, sizeof(f->modprobe), "%s/fake-modprobe", f->image);
	strbuf_addf(&s, "#!/bin/sh\n[ \"$1\" = -r ] && exit 0\nmod=$1; shift\n"
		    "for a; do printf '%%s\\n' \"${a#*=}\" > '%s'/sys/module/$mod/parameters/\"${a%%%%=*}\"; done\n",
		    f->root);
	assert_int_equal(write_file_atomic(f->modprobe, s.buf, s.len, 0755), 0);
	strbuf_release(&s);
	setenv("OCBENCH_MODPROBE", f->modprobe, 1);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->row = *state;
	fake_root_new(f->root, sizeof(f->root));
	fake_host(f->root, FAKE_ALL | FAKE_UKSM | FAKE_KVM_INTEL);
	/* the KSM advisor's knobs, at the kernel's defaults */
	fake_write(f->root, "/sys/kernel/mm/ksm/advisor_max_cpu", "70\n");
	fake_write(f->root, "/sys/kernel/mm/ksm/advisor_min_pages_to_scan", "500\n");
	fake_write(f->root, "/sys/kernel/mm/ksm/advisor_max_pages_to_scan", "30000\n");
	fake_write(f->root, "/sys/kernel/mm/ksm/advisor_target_scan_time", "200\n");
	snprintf(f->state, sizeof(f->state), "/tmp/ocb-state-XXXXXX");
	snprintf(f->image, sizeof(f->image), "/tmp/ocb-image-XXXXXX");
	if (!mkdtemp(f->state) || !mkdtemp(f->image)) {
		free(f);
		return -1;
	}
	fake_write(f->image, "/vmlinux", "");
	fake_write(f->image, "/initramfs.cpio", "");
	write_modprobe(f);
	fw_reset(f->root);
	f->opt.backend = &fake_ops;
	f->opt.qemu_binary = "/bin/true";
	f->opt.accel = ACCEL_TCG;
	f->opt.image = f->image;
	f->opt.root = f->root;
	f->opt.state_dir = f->state;
	f->opt.quiet = 1;
	f->opt.allow_module_reload = 1;
	f->opt.balloon_timeout_ns = 300 * 1000000ull;
	f->opt.ksm_timeout_ns = 3 * 1000000000ull;
	f->opt.reclaim_timeout_ns = 600 * 1000000ull;
	{
		char tool[128];

		fake_swap_tool(f->root, 0, tool, sizeof(tool));
	}
	f->opt.ksm = &fw_probe;
	f->opt.node_ksm_here = 1;	/* KSM-006/007 on the fake host's counters */
	if (f->row->brk)
		f->row->brk(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	sysfs_set_fake_hook(NULL);
	unsetenv("OCBENCH_MODPROBE");
	remove_tree(f->root);
	if (strncmp(f->state, "/dev/null", 9))
		remove_tree(f->state);
	remove_tree(f->image);
	free(f);
	return 0;
}

static int has_cause(json_t *ev, const char *code)
{
	json_t *fs = json_object_get(json_object_get(ev, "diagnosis"), "findings"), *x;
	size_t i;

	json_array_foreach(fs, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "code")), code) &&
		    !strcmp(json_string_value(json_object_get(x, "kind")), "cause"))
			return 1;
	return 0;
}

static void test_row(void **state)
{
	struct fx *f = *state;
	const struct row *row = f->row;
	char ids_buf[64], *save = NULL;
	const char *ids[8];
	size_t n = 0;
	struct conform_report rep;
	struct conform_result *r;
	struct conform_ctx ctx;

	snprintf(ids_buf, sizeof(ids_buf), "%s", row->ids);
	for (char *t = strtok_r(ids_buf, ",", &save); t && n < 7; t = strtok_r(NULL, ",", &save))
		ids[n++] = t;
	ids[n] = NULL;
	memset(&rep, 0, sizeof(rep));
	assert_int_equal(conform_ctx_init(&ctx, &f->opt), 0);
	assert_int_equal(conform_run(&ctx, NULL, ids, &rep), 0);
	assert_int_equal(conform_ctx_release(&ctx), 0);
	assert_int_equal(rep.n, n);
	r = &rep.r[n - 1];
	print_message("%s (%s, %.1f s): %s: %s\n", row->ids, row->brk ? "broken" : "working", rep.wall_s,
		      conform_status_name(r->status), r->reason);
	assert_string_equal(conform_status_name(r->status), conform_status_name(row->want));
	if (row->says[0])
		assert_non_null(strstr(r->reason, row->says));
	if (row->cause) {
		assert_true(has_cause(r->evidence, row->cause));
		assert_non_null(strstr(r->reason, "diagnosis: "));
	}
	if (row->want == CONFORM_FAIL)
		assert_true(r->reason[0] != '\0');
	conform_report_release(&rep);
}

int main(void)
{
	static char names[sizeof(rows) / sizeof(rows[0])][64];
	struct CMUnitTest tests[sizeof(rows) / sizeof(rows[0])];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct CMUnitTest t = cmocka_unit_test_prestate_setup_teardown(test_row, setup, teardown,
									       (void *)&rows[i]);

		snprintf(names[i], sizeof(names[i]), "%s %s (row %zu)", rows[i].ids,
			 rows[i].brk ? conform_status_name(rows[i].want) : "works", i + 1);
		t.name = names[i];
		tests[i] = t;
	}
	/* A private host-wide knob lock: the fake trees' knob sessions run
	 * beside a real ocbench (knobs/hostlock.h). */
	if (private_lock_init() < 0)
		return 1;
	return private_lock_done(cmocka_run_group_tests(tests, NULL, NULL));
}
