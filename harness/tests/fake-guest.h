/* fake-guest.h — a fake VM backend and KSM probe for the unit tests of
 * the conformance checks (test-conform*.c): guests that boot at once with
 * a balloon, /proc/meminfo, balloon guest-stats, a guest agent (exec,
 * files, the workloads ksmfill, pressure, memtouch and memlat), the
 * /proc/PID files of their "QEMU" in the fake host tree (smaps,
 * smaps_rollup, status), hugetlb pools that guests use, and a KSM that
 * merges what the guests fill.
 *
 * Every mechanism works unless a field of fake_world (W) breaks it, so a
 * test sets one field to see a check fail.  Header-only: each test
 * program is one file.  Include after cmocka and fake-sysfs.h.
 */
#ifndef OCB_FAKE_GUEST_H
#define OCB_FAKE_GUEST_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conform/conform.h"
#include "host/sysfs.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/units.h"
#include "vm/vm.h"

#define FAKE_GUESTS 8
#define FAKE_WLS 8
#define FAKE_RESERVE_MIB 84	/* what the guest kernel keeps of its memory */
#define FAKE_HOLD_POLLS 4	/* polls a ksmfill holds before it exits */
#define FAKE_ADVISOR_PAGES 25000.0	/* what ksmd scans in a full scan, advisor on */

struct fake_wl {
	long long pid;
	char prog[32], json[256], seed[16];
	unsigned polls;
	int killed, exited, cow;
	int finite;		/* pressure: a profile that ends by itself (hold < 60 s) */
	long long pages;	/* ksmfill: pages of its fill */
	char *doc;		/* what it left at json (malloc'd) */
};

struct fake_guest {
	struct vm *vm;			/* NULL once it is freed */
	uint64_t memory;		/* its configuration, kept past vm_free */
	enum vm_backing backing;
	int mem_merge;
	pid_t pid;
	int alive;
	uint64_t actual;		/* the balloon */
	long long pressure_mib;		/* held by a running pressure */
	long long fill_merged;		/* pages of its fills KSM merged */
	unsigned long long ahp_kib, rss_kib, pss_kib;	/* its QEMU's smaps_rollup */
	unsigned long long htlb_pages;	/* pages of a hugetlb pool it holds */
	unsigned long long freed_kib;	/* freed in the guest, still resident in QEMU */
	uint64_t vmem_size, vmem_req;	/* its virtio-mem device */
	int deflate_on_oom, fpr;	/* its balloon's features */
	long long oom_kills;		/* /proc/vmstat oom_kill */
	struct fake_wl wl[FAKE_WLS];
	size_t n_wl;
};

static struct fake_world {
	char root[64];
	/* What is broken (0: it works). */
	int balloon_stuck;		/* the balloon never moves */
	int balloon_overshoot;		/* a target above memory is taken as is */
	const char *no_balloon_error;	/* balloon_set's error without a device (NULL: QMP's DeviceNotActive) */
	int balloon_no_irq;		/* /proc/interrupts counts 0 for it */
	int no_stats;			/* no balloon guest-stats */
	int pressure_short;		/* pressure gets 100 MiB of its 1024 */
	int balloon_deaf_under_pressure;	/* the balloon stays put while pressure runs */
	int agent_dead_under_pressure;	/* the agent stops answering while pressure runs */
	int ksm_no_merge;		/* KSM scans but merges nothing */
	int ram_unmergeable;		/* QEMU's RAM mapping without mg */
	int merge_off_ignored;		/* mem-merge=off guests merge too */
	int unmerge_keeps;		/* run=2 leaves pages shared */
	int cow_mismatch;		/* ksmfill's verify finds changed pages */
	int cow_short;			/* ksmfill verifies half of its pages */
	int uksm_stuck;			/* UKSM's full_scans never moves */
	int node_keeps_merged;		/* stopped guests' merged pages stay in pages_sharing */
	int ram_file;			/* QEMU's RAM is a file mapping */
	int thp_ignores_never;		/* huge pages under THP=never */
	int htlb_short;			/* the pool fills 2 pages short */
	int htlb_leak;			/* a page stays used after shutdown */
	double memlat_ns;		/* memlat's result (0: none) */
	int fpr_broken;			/* free page reporting gives nothing back */
	int fpr_everywhere;		/* every guest's freed memory leaves QEMU (no control) */
	unsigned fpr_left_mib;		/* reporting leaves this much of what was freed */
	int fpr_left_in_buddyinfo;	/* ... and the guest's buddyinfo shows it in small blocks */
	int balloon_keeps_rss;		/* QEMU keeps the pages the balloon took */
	int vmem_stuck;			/* virtio-mem plugs nothing */
	int vmem_offline;		/* plugged virtio-mem memory never comes online */
	int vmem_unplug_online_off;	/* virtio_mem unplugs offline memory only */
	int kernel_extra_mib;		/* every guest's kernel holds this much more */
	int doo_broken;			/* the balloon has no deflate-on-oom */
	int doo_everywhere;		/* every guest's balloon deflates on OOM (no control) */
	int ksm_scans_stall;		/* ksmd never completes a full scan */
	int advisor_stuck;		/* the KSM advisor never changes pages_to_scan */
	int advisor_backwards;		/* it steers away from the target */
	uint64_t clock_skew_ns;		/* the KSM clock: the advisor's made-up scans */
	/* State. */
	struct fake_guest g[FAKE_GUESTS];
	size_t n;
	long long next_wl;
} W;

/* ---- the fake host tree ------------------------------------------------ */

static inline void fw_writef(const char *rel, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void fw_writef(const char *rel, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	fake_write(W.root, rel, sb.buf);
	strbuf_release(&sb);
}

static inline long long fw_read(const char *rel)
{
	unsigned long long v = 0;

	if (sysfs_read_u64(W.root, rel, &v) < 0)
		return -1;
	return (long long)v;
}

static inline int fw_thp_never(void)
{
	struct strbuf v = STRBUF_INIT;
	int never = sysfs_read(W.root, "/sys/kernel/mm/transparent_hugepage/enabled", &v) == 0 &&
		    !strcmp(v.buf, "never");

	strbuf_release(&v);
	return never;
}

/* Its QEMU's smaps (the code buffer and the guest RAM), smaps_rollup and
 * status. */
static inline void fw_proc(struct fake_guest *g)
{
	char rel[64];
	unsigned long long kib = g->memory / 1024;
	int htlb = g->backing == BACKING_HUGETLB_2M || g->backing == BACKING_HUGETLB_1G;

	snprintf(rel, sizeof(rel), "/proc/%ld/smaps", (long)g->pid);
	fw_writef(rel, "7ff408000000-7ff447fff000 rwxp 00000000 00:00 0 \nSize: 1048572 kB\n"
		  "KernelPageSize: 4 kB\nVmFlags: rd wr ex mr mw me ac hg \n"
		  "7f0000000000-%llx rw-p 00000000 00:00 0   %s\nSize: %llu kB\nKernelPageSize: %d kB\n"
		  "Rss: %llu kB\nAnonHugePages: %llu kB\nVmFlags: rd wr mr mw me dc ac%s%s%s\n",
		  0x7f0000000000ull + kib * 1024,
		  htlb ? "/tmp/hugetlbfs/qemu_back_mem.ram0 (deleted)" :
		  W.ram_file ? "/tmp/qemu_back_mem.pc.ram.Fake (deleted)" : "",
		  kib, htlb ? 2048 : 4, g->rss_kib, g->ahp_kib, htlb ? " ht" : "", W.ram_file || htlb ? "" : " hg",
		  g->mem_merge && !W.ram_unmergeable ? " mg" : "");
	snprintf(rel, sizeof(rel), "/proc/%ld/smaps_rollup", (long)g->pid);
	fw_writef(rel, "00400000-7fff00000000 ---p 00000000 00:00 0  [rollup]\nRss: %llu kB\nPss: %llu kB\n"
		  "AnonHugePages: %llu kB\n", g->rss_kib, g->pss_kib, g->ahp_kib);
	snprintf(rel, sizeof(rel), "/proc/%ld/status", (long)g->pid);
	fw_writef(rel, "Name:\tqemu-system-x86\nVmRSS:\t%llu kB\nTHP_enabled:\t1\n", g->rss_kib);
}

static inline struct fake_guest *fw_guest(pid_t pid)
{
	for (size_t i = 0; i < W.n; i++)
		if (W.g[i].pid == pid)
			return &W.g[i];
	return NULL;
}

/* ---- KSM ---------------------------------------------------------------- */

static inline int fw_ksm_run(void)
{
	return (int)fw_read("/sys/kernel/mm/ksm/run");
}

static inline int fw_mergeable(const struct fake_guest *g)
{
	return (g->mem_merge || W.merge_off_ignored) && !W.ram_unmergeable && !W.ksm_no_merge;
}

/* What the guests' fills merged, as the host's pages_sharing counts it:
 * two mappings of one content save one page. */
static inline unsigned long long fw_fills_sharing(void)
{
	unsigned long long sum = 0;

	if (fw_ksm_run() != 1)
		return 0;
	for (size_t i = 0; i < W.n; i++)
		if ((W.g[i].alive || W.node_keeps_merged) && fw_mergeable(&W.g[i]))
			sum += (unsigned long long)W.g[i].fill_merged;
	return sum / 2;
}

static inline int fw_advisor_on(void)
{
	struct strbuf v = STRBUF_INIT;
	int on = sysfs_read(W.root, "/sys/kernel/mm/ksm/advisor_mode", &v) == 0 && !strcmp(v.buf, "scan-time");

	strbuf_release(&v);
	return on;
}

/* One full scan with the advisor on: ksmd takes pages_to_scan every
 * 10 ms, so the scan lasts FAKE_ADVISOR_PAGES / (pages_to_scan x 100) s
 * on the KSM clock; then the advisor scales pages_to_scan by the scan
 * time over the target (the kernel's rule, without its smoothing). */
static inline void fw_advisor_scan(void)
{
	long long p2s = fw_read("/sys/kernel/mm/ksm/pages_to_scan");
	long long target = fw_read("/sys/kernel/mm/ksm/advisor_target_scan_time");
	long long max = fw_read("/sys/kernel/mm/ksm/advisor_max_pages_to_scan");
	double d = FAKE_ADVISOR_PAGES / ((double)(p2s > 0 ? p2s : 1) * 100.0), next;

	W.clock_skew_ns += (uint64_t)(d * 1e9);
	if (W.advisor_stuck || target <= 0)
		return;
	next = W.advisor_backwards ? (double)p2s * (double)target / d : (double)p2s * d / (double)target;
	next = next < 1 ? 1 : next > (double)max ? (double)max : next;
	fw_writef("/sys/kernel/mm/ksm/pages_to_scan", "%lld\n", (long long)next);
}

static inline uint64_t fw_now(void *opaque)
{
	(void)opaque;
	return mono_ns() + W.clock_skew_ns;
}

/* The probe: every look at full_scans sees one more scan (KSM scans). */
static inline int fw_counter(void *opaque, const char *root, const char *name, unsigned long long *v)
{
	char rel[256], val[32];

	(void)opaque;
	snprintf(rel, sizeof(rel), "/sys/kernel/mm/ksm/%s", name);
	if (sysfs_read_u64(root, rel, v) < 0)
		return -1;
	if (!strcmp(name, "pages_sharing"))
		*v += fw_fills_sharing();
	if (!strcmp(name, "full_scans") && W.ksm_scans_stall)
		return 0;
	if (!strcmp(name, "full_scans") && fw_advisor_on())
		fw_advisor_scan();
	if (strstr(name, "full_scans") && (strcmp(name, "../uksm/full_scans") || !W.uksm_stuck)) {
		snprintf(val, sizeof(val), "%llu\n", *v + 1);
		fake_write(root, rel, val);
	}
	return 0;
}

/* 1000 pages of boot content, and the fills it merged. */
static inline int fw_merging(void *opaque, const char *root, pid_t pid, long long *pages)
{
	struct fake_guest *g = fw_guest(pid);
	int run = fw_ksm_run();

	(void)opaque;
	(void)root;
	if (!g)
		return ocb_fail("no fake guest with pid %ld", (long)pid);
	if (run == 2)
		*pages = W.unmerge_keeps && fw_mergeable(g) ? 300 : 0;
	else
		*pages = run == 1 && fw_mergeable(g) ? 1000 + g->fill_merged : 0;
	return 0;
}

static const struct ksm_probe_ops fw_probe_ops = { fw_counter, fw_merging, fw_now };
static const struct ksm_probe fw_probe = { &fw_probe_ops, NULL };

/* After every write of the fake tree: what the kernel would do. */
static inline void fw_hook(const char *path, const char *value)
{
	if (strstr(path, "/sys/kernel/mm/ksm/run") && !strcmp(value, "2")) {
		/* Unmerging makes every merged mapping private again. */
		fake_write(W.root, "/sys/kernel/mm/ksm/pages_sharing", W.unmerge_keeps ? "345\n" : "0\n");
		for (size_t i = 0; i < W.n; i++)
			if (W.g[i].alive && fw_mergeable(&W.g[i])) {
				W.g[i].pss_kib += (unsigned long long)((1000 + W.g[i].fill_merged) * 4 * 3 / 4);
				fw_proc(&W.g[i]);
			}
	}
	/* Switching the KSM advisor on starts pages_to_scan at its minimum;
	 * off puts the kernel's default back. */
	if (strstr(path, "/sys/kernel/mm/ksm/advisor_mode"))
		fw_writef("/sys/kernel/mm/ksm/pages_to_scan", "%lld\n",
			  strcmp(value, "scan-time") ? 100 : fw_read("/sys/kernel/mm/ksm/advisor_min_pages_to_scan"));
	if (strstr(path, "hugepages-2048kB/nr_hugepages") || strstr(path, "hugepages-1048576kB/nr_hugepages")) {
		char dir[512], rel[600];
		long long nr = atoll(value), used = 0;
		unsigned long long page = strstr(path, "2048kB") ? 2 * MiB : GiB;

		for (size_t i = 0; i < W.n; i++)
			if ((W.g[i].backing == BACKING_HUGETLB_2M) == (page == 2 * MiB))
				used += (long long)W.g[i].htlb_pages;
		if (W.htlb_short && nr > 2)
			nr -= 2;
		snprintf(dir, sizeof(dir), "/sys/kernel/mm/hugepages/hugepages-%s", page == 2 * MiB ? "2048kB" : "1048576kB");
		snprintf(rel, sizeof(rel), "%s/nr_hugepages", dir);
		fw_writef(rel, "%lld\n", nr);
		snprintf(rel, sizeof(rel), "%s/free_hugepages", dir);
		fw_writef(rel, "%lld\n", nr - used > 0 ? nr - used : 0);
	}
}

/* A guest on a hugetlb pool takes (or gives back) its pages. */
static inline void fw_pool(struct fake_guest *g, int take)
{
	const char *rel = g->backing == BACKING_HUGETLB_2M ?
			  "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages" :
			  "/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages";
	unsigned long long n = g->memory / (g->backing == BACKING_HUGETLB_2M ? 2 * MiB : GiB);
	long long free;

	if (g->backing != BACKING_HUGETLB_2M && g->backing != BACKING_HUGETLB_1G)
		return;
	free = fw_read(rel);
	if (take) {
		g->htlb_pages = n;
		free -= (long long)n;
	} else {
		free += (long long)(W.htlb_leak ? n - 1 : n);
		g->htlb_pages = W.htlb_leak ? 1 : 0;
	}
	fw_writef(rel, "%lld\n", free > 0 ? free : 0);
}

/* ---- the backend -------------------------------------------------------- */

static inline struct fake_guest *G(struct vm *vm)
{
	return vm->priv;
}

static inline int f_start(struct vm *vm)
{
	struct fake_guest *g;

	if (W.n >= FAKE_GUESTS)
		return ocb_fail("more than %d fake guests", FAKE_GUESTS);
	g = &W.g[W.n++];
	memset(g, 0, sizeof(*g));
	g->vm = vm;
	g->memory = vm->cfg.memory_bytes;
	g->backing = vm->cfg.backing;
	g->mem_merge = vm->cfg.mem_merge;
	g->deflate_on_oom = vm->cfg.deflate_on_oom && !W.doo_broken;
	g->fpr = vm->cfg.free_page_reporting && !W.fpr_broken;
	g->pid = (pid_t)(5000 + W.n);
	g->alive = 1;
	g->actual = vm->cfg.memory_bytes;
	g->rss_kib = 200 * 1024;
	g->pss_kib = 300 * 1024;
	g->ahp_kib = fw_thp_never() && !W.thp_ignores_never ? 0 : 100 * 1024;
	vm->priv = g;
	vm->boot_ns = 1000000;
	fw_pool(g, 1);
	fw_proc(g);
	return 0;
}

static inline void f_kill(struct vm *vm)
{
	struct fake_guest *g = G(vm);

	if (g && g->alive) {
		g->alive = 0;
		g->vm = NULL;
		fw_pool(g, 0);
		for (size_t i = 0; i < g->n_wl; i++)
			free(g->wl[i].doc);
		g->n_wl = 0;
	}
}

static inline int f_stop(struct vm *vm)
{
	f_kill(vm);
	return 0;
}

static inline int f_balloon_set(struct vm *vm, uint64_t t)
{
	struct fake_guest *g = G(vm);

	if (!vm->cfg.balloon)
		return ocb_fail("%s: balloon to %.0f MiB: %s", vm->cfg.name, bytes_to_mib(t),
				W.no_balloon_error ? W.no_balloon_error :
				"QMP: command 'balloon' failed: DeviceNotActive: No balloon device has been activated");
	if (W.balloon_stuck || (W.balloon_deaf_under_pressure && g->pressure_mib))
		return 0;
	{
		uint64_t was = g->actual;

		g->actual = t > vm->cfg.memory_bytes && !W.balloon_overshoot ? vm->cfg.memory_bytes : t;
		/* QEMU discards what the balloon took (populated guest memory) */
		if (g->actual < was && !W.balloon_keeps_rss) {
			unsigned long long kib = (was - g->actual) / 1024;

			g->rss_kib -= kib < g->rss_kib ? kib : 0;
			fw_proc(g);
		}
	}
	/* Under pressure the guest gives what it has spare. */
	if (g->pressure_mib && g->actual < (uint64_t)(g->pressure_mib + 300) * MiB)
		g->actual = (uint64_t)(g->pressure_mib + 300) * MiB;
	return 0;
}

static inline int f_balloon_get(struct vm *vm, uint64_t *actual)
{
	if (!vm->cfg.balloon)
		return ocb_fail("QMP of %s: command 'query-balloon' failed: DeviceNotActive: No balloon device has "
				"been activated", vm->cfg.name);
	*actual = G(vm)->actual;
	return 0;
}

static inline long long fw_total_kib(struct fake_guest *g)
{
	return (long long)(g->actual / 1024) - FAKE_RESERVE_MIB * 1024 +
	       (W.vmem_offline ? 0 : (long long)(g->vmem_size / 1024));
}

/* What the guest's running fills hold (KiB). */
static inline long long fw_fills_kib(const struct fake_guest *g)
{
	long long held = 0;

	for (size_t i = 0; i < g->n_wl; i++)
		if (!strcmp(g->wl[i].prog, "ksmfill") && !g->wl[i].exited)
			held += g->wl[i].pages * 4;
	return held;
}

static inline long long fw_free_kib(struct fake_guest *g)
{
	return fw_total_kib(g) - (100 + W.kernel_extra_mib + g->pressure_mib) * 1024 - fw_fills_kib(g);
}

/* A plug takes what is asked; an unplug what the guest has free above
 * its min watermark (8 MiB): a load holds the rest. */
static inline int f_vmem_resize(struct vm *vm, uint64_t req)
{
	struct fake_guest *g = G(vm);

	g->vmem_req = req;
	if (W.vmem_stuck || (req < g->vmem_size && W.vmem_unplug_online_off && !W.vmem_offline))
		return 0;
	if (req < g->vmem_size && !W.vmem_offline) {
		uint64_t spare = (uint64_t)(fw_free_kib(g) - 8 * 1024) / 2048 * 2 * MiB;

		g->vmem_size = g->vmem_size - req > spare ? g->vmem_size - spare : req;
		return 0;
	}
	g->vmem_size = req;
	return 0;
}

static inline int f_vmem_get(struct vm *vm, uint64_t *size, uint64_t *req)
{
	*size = G(vm)->vmem_size;
	*req = G(vm)->vmem_req;
	return 0;
}

static inline int f_balloon_stats(struct vm *vm, json_t **stats)
{
	struct fake_guest *g = G(vm);
	long long t = fw_total_kib(g) * 1024;

	*stats = W.no_stats ? json_object() :
		 json_pack("{s:I, s:I, s:I}", "stat-total-memory", (json_int_t)t, "stat-free-memory",
			   (json_int_t)(t - (100 + g->pressure_mib) * (long long)MiB), "stat-available-memory",
			   (json_int_t)(t - (50 + g->pressure_mib) * (long long)MiB));
	return 0;
}

static inline struct fake_wl *fw_wl(struct fake_guest *g, long long pid)
{
	for (size_t i = 0; i < g->n_wl; i++)
		if (g->wl[i].pid == pid)
			return &g->wl[i];
	return NULL;
}

static inline int f_agent_exec(struct vm *vm, const char *const *argv, uint64_t t, struct agent_exec_result *res)
{
	struct fake_guest *g = G(vm);

	(void)t;
	memset(res, 0, sizeof(*res));
	if (W.agent_dead_under_pressure && g->pressure_mib && !strcmp(argv[0], "true"))
		return ocb_fail("guest agent of %s: no reply to guest-exec within 30 s", vm->cfg.name);
	res->exited = 1;
	if (!strcmp(argv[0], "kill")) {
		struct fake_wl *w = fw_wl(g, atoll(argv[2]));

		if (w)
			w->killed = 1;
		res->exitcode = w ? 0 : 1;
	} else if (!strcmp(argv[0], "ls") && !strcmp(argv[1], "/sys/bus/virtio/devices")) {
		strbuf_adds(&res->out, vm->cfg.balloon ? "virtio0\nvirtio1\n" : "virtio1\n");
	} else if (!strcmp(argv[0], "ls") && !strcmp(argv[1], "/sys/bus/virtio/drivers/virtio_balloon")) {
		strbuf_adds(&res->out, vm->cfg.balloon ? "bind\nmodule\nuevent\nunbind\nvirtio0\n" : "bind\nuevent\n");
	} else if (strcmp(argv[0], "true")) {
		res->exitcode = 1;
	}
	return 0;
}

/* The guest files of the reclaim checks: 1 when path is one (out filled). */
static inline int fw_reclaim_file(struct fake_guest *g, const char *path, struct strbuf *out)
{
	if (!strcmp(path, "/proc/vmstat")) {
		strbuf_addf(out, "nr_free_pages 1000\noom_kill %lld\npswpin 0\n", g->oom_kills);
	} else if (!strcmp(path, "/sys/bus/virtio/devices/virtio0/features") && g->vm->cfg.balloon) {
		/* bit 1 stats, 2 deflate-on-oom, 5 free page reporting, 32 VERSION_1 */
		strbuf_addf(out, "01%c00%c00000000000000000000000001%031d\n", g->deflate_on_oom ? '1' : '0',
			    g->fpr ? '1' : '0', 0);
	} else if (!strcmp(path, "/proc/zoneinfo")) {
		strbuf_addf(out, "Node 0, zone    DMA32\n  pages free     1000\n        managed  240000\n"
			    "Node 0, zone  Movable\n  pages free     0\n        managed  %llu\n",
			    W.vmem_offline ? 0ull : (unsigned long long)(g->vmem_size / 4096));
	} else if (!strcmp(path, "/sys/devices/system/memory/block_size_bytes")) {
		strbuf_adds(out, "8000000\n");
	} else if (!strcmp(path, "/proc/buddyinfo")) {
		/* 1 MiB free below order 9, a little above it */
		strbuf_addf(out, "Node 0, zone      DMA      1      1      0      1      1      1      1      0      1      1      3\n"
				 "Node 0, zone    DMA32 %6u     16      8      8      4      2      1      1      0     20    100\n",
			    16 + (W.fpr_left_in_buddyinfo ? W.fpr_left_mib * 256 : 0));
	} else if (!strcmp(path, "/sys/module/page_reporting/parameters/page_reporting_order")) {
		/* MAX_ORDER (6.1) until a reporting device registers */
		strbuf_adds(out, g->fpr ? "9\n" : "11\n");
	} else if (!strcmp(path, "/proc/sys/vm/min_free_kbytes")) {
		strbuf_adds(out, "8192\n");
	} else if (!strcmp(path, "/sys/devices/system/memory/auto_online_blocks")) {
		strbuf_adds(out, W.vmem_offline ? "offline\n" : "online_movable\n");
	} else if (!strcmp(path, "/sys/module/virtio_mem/parameters/unplug_online")) {
		strbuf_adds(out, W.vmem_unplug_online_off ? "N\n" : "Y\n");
	} else {
		return 0;
	}
	return 1;
}

static inline int f_read_file(struct vm *vm, const char *path, struct strbuf *out, uint64_t t)
{
	struct fake_guest *g = G(vm);
	long long total = fw_total_kib(g);

	(void)t;
	if (!strcmp(path, "/proc/meminfo")) {
		/* with deflate-on-oom the balloon's pages stay in MemTotal */
		strbuf_addf(out, "MemTotal: %lld kB\nMemFree: %lld kB\nMemAvailable: %lld kB\nAnonPages: %lld kB\n",
			    total + (g->deflate_on_oom ? (long long)((g->memory - g->actual) / 1024) : 0),
			    fw_free_kib(g), total - (50 + g->pressure_mib) * 1024 - fw_fills_kib(g), g->pressure_mib * 1024);
		return 0;
	}
	if (fw_reclaim_file(g, path, out))
		return 0;
	if (!strcmp(path, "/proc/interrupts")) {
		strbuf_addf(out, "           CPU0\n  0:  518  IO-APIC   2-edge  timer\n"
			    " 10:  %d  IO-APIC  10-edge      virtio0\n 24: 40  PCI-MSI 65536-edge  virtio1-config\n",
			    W.balloon_no_irq ? 0 : 1234);
		return 0;
	}
	if (!strcmp(path, "/sys/bus/virtio/devices/virtio0/device") && vm->cfg.balloon) {
		strbuf_adds(out, "0x0005\n");
		return 0;
	}
	if (!strcmp(path, "/sys/bus/virtio/devices/virtio1/device")) {
		strbuf_adds(out, "0x0003\n");
		return 0;
	}
	for (size_t i = 0; i < g->n_wl; i++)
		if (g->wl[i].exited && g->wl[i].doc && !strcmp(g->wl[i].json, path)) {
			strbuf_adds(out, g->wl[i].doc);
			return 0;
		}
	return ocb_fail("%s: no such file in the fake guest", path);
}

/* "96M" into 4 KiB pages. */
static inline long long fw_pages(const char *size)
{
	return atoll(size) * (strchr(size, 'G') ? 262144 : 256);
}

static inline int f_spawn(struct vm *vm, const char *const *argv, long long *pid)
{
	struct fake_guest *g = G(vm);
	struct fake_wl *w;
	const char *slash = strrchr(argv[0], '/');

	if (g->n_wl >= FAKE_WLS)
		return ocb_fail("too many fake workloads");
	w = &g->wl[g->n_wl++];
	memset(w, 0, sizeof(*w));
	w->pid = *pid = ++W.next_wl;
	snprintf(w->prog, sizeof(w->prog), "%s", slash ? slash + 1 : argv[0]);
	for (size_t i = 1; argv[i]; i++) {
		if (!strcmp(argv[i], "--json") && argv[i + 1])
			snprintf(w->json, sizeof(w->json), "%s", argv[i + 1]);
		if (!strcmp(argv[i], "--seed") && argv[i + 1])
			snprintf(w->seed, sizeof(w->seed), "%s", argv[i + 1]);
		if (!strcmp(argv[i], "--size") && argv[i + 1])
			w->pages = fw_pages(argv[i + 1]);
		w->cow |= !strcmp(argv[i], "--cow");
		if (!strcmp(argv[i], "--profile") && argv[i + 1] && strstr(argv[i + 1], "hold:"))
			w->finite = atoi(strstr(argv[i + 1], "hold:") + 5) < 60;
	}
	if (!strcmp(w->prog, "pressure"))
		g->pressure_mib = W.pressure_short ? 100 : w->pages ? w->pages / 256 : 1024;
	return 0;
}

/* What a workload leaves when it exits, and what it did to its guest. */
static inline void fw_exit(struct fake_guest *g, struct fake_wl *w)
{
	json_t *doc = json_pack("{s:s}", "status", "ok");

	w->exited = 1;
	if (!strcmp(w->prog, "ksmfill")) {
		long long idn = w->pages * 3 / 4;

		json_object_set_new(doc, "pages", json_pack("{s:I, s:I, s:i, s:I}", "total", (json_int_t)w->pages,
							     "identical", (json_int_t)idn, "zero", 0, "unique",
							     (json_int_t)(w->pages - idn)));
		if (!w->killed)
			json_object_set_new(doc, "verify", json_pack("{s:I, s:i}", "pages",
								     (json_int_t)(W.cow_short ? w->pages / 2 : w->pages),
								     "mismatched_pages", W.cow_mismatch ? 3 : 0));
		if (w->cow)
			json_object_set_new(doc, "histograms", json_pack("{s:{s:I, s:{s:i, s:i}}}", "cow_write_unmerged",
									  "count", (json_int_t)idn, "percentiles",
									  "p50", 5000, "p99", 9000));
	} else if (!strcmp(w->prog, "pressure")) {
		/* what the hog lacks comes from the balloon, or an OOM kill */
		long long lack = g->pressure_mib - (fw_total_kib(g) / 1024 - 50);

		g->pressure_mib = 0;
		if (lack > 0 && w->finite && (g->deflate_on_oom || W.doo_everywhere)) {
			g->actual += (uint64_t)lack * MiB;
		} else if (lack > 0 && w->finite) {
			g->oom_kills++;
			json_object_set_new(doc, "status", json_string("oom-killed"));
		}
	} else if (!strcmp(w->prog, "memtouch")) {
		/* its --size faulted in (as huge pages when THP allows it), and
		 * freed in the guest when it exits: resident until reported */
		unsigned long long kib = w->pages ? (unsigned long long)w->pages * 4 : 384 * 1024;

		g->rss_kib += kib;
		g->freed_kib += kib;
		if (!W.ram_file && (!fw_thp_never() || W.thp_ignores_never))
			g->ahp_kib += kib;
		fw_proc(g);
	} else if (!strcmp(w->prog, "memlat") && W.memlat_ns > 0) {
		json_object_set_new(doc, "metrics", json_pack("{s:{s:f}}", "ns_per_access", "value", W.memlat_ns));
	}
	w->doc = json_dumps(doc, 0);
	json_decref(doc);
}

static inline int f_poll(struct vm *vm, long long pid, struct agent_exec_result *res)
{
	struct fake_guest *g = G(vm);
	struct fake_wl *w = fw_wl(g, pid);

	memset(res, 0, sizeof(*res));
	if (!w || w->exited)
		return ocb_fail("%s: no running fake workload %lld", vm->cfg.name, pid);
	w->polls++;
	/* A fill merges once KSM had a look (after the first poll). */
	if (!strcmp(w->prog, "ksmfill") && w->polls == 1 && fw_ksm_run() == 1 && fw_mergeable(g))
		g->fill_merged += w->pages * 3 / 4;
	if (w->killed || (!strcmp(w->prog, "ksmfill") && w->polls >= FAKE_HOLD_POLLS) ||
	    (strcmp(w->prog, "ksmfill") && strcmp(w->prog, "pressure")) ||
	    (w->finite && w->polls >= FAKE_HOLD_POLLS)) {
		fw_exit(g, w);
		res->exited = 1;
		strbuf_addf(&res->out, "%s: done\n", w->prog);
		return 1;
	}
	return 0;
}

static inline int f_pump(struct vm *vm, uint64_t t)
{
	struct fake_guest *g = G(vm);

	/* free page reporting: what the guest freed leaves QEMU */
	if (g->fpr || W.fpr_everywhere) {
		unsigned long long left = W.fpr_left_mib * 1024ull;

		g->freed_kib = g->freed_kib > left ? g->freed_kib - left : 0;
		g->rss_kib -= g->freed_kib < g->rss_kib ? g->freed_kib : 0;
		g->freed_kib = 0;
		fw_proc(g);
	}
	(void)t;
	return 0;
}

static inline pid_t f_pid(struct vm *vm)
{
	return G(vm)->pid;
}

static inline int f_alive(struct vm *vm)
{
	return G(vm) && G(vm)->alive;
}

static inline void f_describe(struct vm *vm, json_t *g)
{
	(void)vm;
	(void)g;
}

static const struct vm_backend_ops fake_ops = {
	.name = "fake", .flags = VM_CAP_BALLOON | VM_CAP_VMEM | VM_CAP_LOCAL_PROCESS, .start = f_start, .stop = f_stop,
	.kill = f_kill, .balloon_set = f_balloon_set, .balloon_get = f_balloon_get, .balloon_stats = f_balloon_stats,
	.vmem_resize = f_vmem_resize, .vmem_get = f_vmem_get,
	.agent_exec = f_agent_exec, .agent_read_file = f_read_file, .agent_spawn = f_spawn, .agent_poll = f_poll,
	.pump = f_pump, .pid = f_pid, .alive = f_alive, .describe = f_describe,
};

/* A fresh world: every mechanism works, no guest yet, the hook on. */
static inline void fw_reset(const char *root)
{
	memset(&W, 0, sizeof(W));
	snprintf(W.root, sizeof(W.root), "%s", root);
	W.memlat_ns = 90.0;
	W.next_wl = 100;
	sysfs_set_fake_hook(fw_hook);
}

#endif
