/* fake-sysfs.h — builds a fake host tree (sysfs/procfs files as plain
 * files) under a temporary directory, for tests of the host knobs.
 * Header-only (static inline) so every test that includes it links alone.
 *
 *   char root[64];
 *   fake_root_new(root, sizeof(root));
 *   fake_host(root, FAKE_KSM | FAKE_THP | FAKE_HUGETLB | FAKE_VM);
 *   ...
 *   fake_snapshot(root, &sb);   every file's path and bytes, to compare
 *   remove_tree(root);
 */
#ifndef OCB_FAKE_SYSFS_H
#define OCB_FAKE_SYSFS_H

#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fsutil.h"
#include "util/strbuf.h"

enum {
	FAKE_KSM = 1 << 0,
	FAKE_UKSM = 1 << 1,
	FAKE_THP = 1 << 2,
	FAKE_HUGETLB = 1 << 3,		/* 2M and 1G pools, node0 and node1 */
	FAKE_VM = 1 << 4,		/* /proc/sys/vm, /proc/meminfo, osrelease */
	FAKE_KVM_INTEL = 1 << 5,	/* /dev/kvm, vmx+ept+vpid, kvm_intel params */
	FAKE_KVM_AMD = 1 << 6,
	FAKE_KVM_PVM = 1 << 7,		/* /dev/kvm from kvm_pvm, no vmx/svm */
	FAKE_ALL = FAKE_KSM | FAKE_THP | FAKE_HUGETLB | FAKE_VM,
};

static inline void fake_root_new(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/ocb-fake-XXXXXX");
	if (!mkdtemp(buf))
		abort();
	chmod(buf, 0755);
}

static inline void fake_write(const char *root, const char *rel, const char *content)
{
	struct strbuf p = STRBUF_INIT;
	char *slash;

	strbuf_addf(&p, "%s%s", root, rel);
	slash = strrchr(p.buf, '/');
	*slash = '\0';
	if (mkdir_p(p.buf, 0755) < 0)
		abort();
	*slash = '/';
	if (write_file_atomic(p.buf, content, strlen(content), 0644) < 0)
		abort();
	strbuf_release(&p);
}

/* The file's bytes into a fresh strbuf's buffer (caller frees). */
static inline char *fake_read(const char *root, const char *rel)
{
	struct strbuf p = STRBUF_INIT, c = STRBUF_INIT;

	strbuf_addf(&p, "%s%s", root, rel);
	if (read_file(p.buf, &c) < 0)
		strbuf_adds(&c, "<missing>");
	strbuf_release(&p);
	return strbuf_detach(&c);
}

static inline void fake_host(const char *root, unsigned what)
{
	static const char *const ksm[][2] = {
		{ "run", "0\n" }, { "pages_to_scan", "100\n" }, { "sleep_millisecs", "20\n" },
		{ "merge_across_nodes", "1\n" }, { "use_zero_pages", "0\n" },
		{ "max_page_sharing", "256\n" }, { "advisor_mode", "[none] scan-time\n" },
		{ "pages_shared", "12\n" }, { "pages_sharing", "345\n" }, { "pages_unshared", "6\n" },
		{ "pages_volatile", "7\n" }, { "full_scans", "3\n" }, { "general_profit", "-4096\n" },
	};
	static const char *const uksm[][2] = {
		{ "run", "1\n" }, { "cpu_governor", "full medium [low] quarter\n" },
		{ "max_cpu_percentage", "95\n" }, { "cpu_ratios", "-20 -20 -20 -20\n" },
		{ "pages_sharing", "99\n" }, { "full_scans", "1\n" },
	};
	static const char *const thp[][2] = {
		{ "enabled", "always [madvise] never\n" },
		{ "defrag", "always defer defer+madvise [madvise] never\n" },
		{ "khugepaged/defrag", "1\n" }, { "khugepaged/pages_to_scan", "4096\n" },
		{ "khugepaged/max_ptes_none", "511\n" },
	};
	struct strbuf rel = STRBUF_INIT;

	for (size_t i = 0; (what & FAKE_KSM) && i < sizeof(ksm) / sizeof(ksm[0]); i++) {
		strbuf_reset(&rel);
		strbuf_addf(&rel, "/sys/kernel/mm/ksm/%s", ksm[i][0]);
		fake_write(root, rel.buf, ksm[i][1]);
	}
	for (size_t i = 0; (what & FAKE_UKSM) && i < sizeof(uksm) / sizeof(uksm[0]); i++) {
		strbuf_reset(&rel);
		strbuf_addf(&rel, "/sys/kernel/mm/uksm/%s", uksm[i][0]);
		fake_write(root, rel.buf, uksm[i][1]);
	}
	for (size_t i = 0; (what & FAKE_THP) && i < sizeof(thp) / sizeof(thp[0]); i++) {
		strbuf_reset(&rel);
		strbuf_addf(&rel, "/sys/kernel/mm/transparent_hugepage/%s", thp[i][0]);
		fake_write(root, rel.buf, thp[i][1]);
	}
	if (what & FAKE_HUGETLB) {
		static const char *const sizes[] = { "2048kB", "1048576kB" };
		static const char *const f[] = { "nr_hugepages", "free_hugepages",
			"surplus_hugepages", "resv_hugepages", "nr_overcommit_hugepages" };

		for (int s = 0; s < 2; s++) {
			for (int i = 0; i < 5; i++) {
				strbuf_reset(&rel);
				strbuf_addf(&rel, "/sys/kernel/mm/hugepages/hugepages-%s/%s", sizes[s], f[i]);
				fake_write(root, rel.buf, "0\n");
			}
			for (int n = 0; n < 2; n++)
				for (int i = 0; i < 3; i++) {
					strbuf_reset(&rel);
					strbuf_addf(&rel, "/sys/devices/system/node/node%d/hugepages/"
						    "hugepages-%s/%s", n, sizes[s], f[i]);
					fake_write(root, rel.buf, "0\n");
				}
		}
		fake_write(root, "/sys/devices/system/node/node0/meminfo",
			   "Node 0 MemTotal:        4096000 kB\nNode 0 MemFree:         2048000 kB\n");
		fake_write(root, "/sys/devices/system/node/node1/meminfo",
			   "Node 1 MemTotal:        4096000 kB\nNode 1 MemFree:         1024000 kB\n");
		fake_write(root, "/sys/devices/system/node/node0/cpulist", "0-3\n");
		fake_write(root, "/sys/devices/system/node/node1/cpulist", "4-7\n");
	}
	if (what & FAKE_VM) {
		fake_write(root, "/proc/sys/vm/swappiness", "60\n");
		fake_write(root, "/proc/sys/vm/overcommit_memory", "0\n");
		fake_write(root, "/proc/sys/vm/overcommit_ratio", "50\n");
		fake_write(root, "/proc/meminfo", "MemTotal:        8192000 kB\nMemFree:  4000000 kB\n"
			   "SwapTotal:       1048576 kB\nSwapFree:         524288 kB\n");
		fake_write(root, "/proc/sys/kernel/osrelease", "6.1.0-fake\n");
	}
	if (what & (FAKE_KVM_INTEL | FAKE_KVM_AMD | FAKE_KVM_PVM)) {
		const char *flags = what & FAKE_KVM_INTEL ? "fpu vmx ept vpid pdpe1gb" :
				    what & FAKE_KVM_AMD ? "fpu svm npt pdpe1gb" : "fpu pdpe1gb";
		struct strbuf ci = STRBUF_INIT;

		strbuf_addf(&ci, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: 6\nmodel\t\t: 85\n"
			    "model name\t: Fake CPU\nstepping\t: 4\ncpu cores\t: 1\nflags\t\t: %s\n\n",
			    what & FAKE_KVM_AMD ? "AuthenticAMD" : "GenuineIntel", flags);
		fake_write(root, "/proc/cpuinfo", ci.buf);
		strbuf_release(&ci);
		fake_write(root, "/dev/kvm", "");
		fake_write(root, "/sys/module/kvm/parameters/halt_poll_ns", "200000\n");
	}
	if (what & FAKE_KVM_INTEL) {
		fake_write(root, "/sys/module/kvm_intel/parameters/ept", "Y\n");
		fake_write(root, "/sys/module/kvm_intel/parameters/vpid", "Y\n");
		fake_write(root, "/sys/module/kvm_intel/refcnt", "0\n");
	}
	if (what & FAKE_KVM_AMD) {
		fake_write(root, "/sys/module/kvm_amd/parameters/npt", "Y\n");
		fake_write(root, "/sys/module/kvm_amd/refcnt", "0\n");
	}
	if (what & FAKE_KVM_PVM)
		fake_write(root, "/sys/module/kvm_pvm/parameters/force", "N\n");
	strbuf_release(&rel);
}

static struct strbuf *fake_snap_out;
static size_t fake_snap_skip;

static inline int fake_snap_one(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	struct strbuf c = STRBUF_INIT;

	(void)st;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	if (read_file(p, &c) < 0)
		strbuf_adds(&c, "<unreadable>");
	strbuf_addf(fake_snap_out, "== %s (%zu bytes)\n", p + fake_snap_skip, c.len);
	strbuf_add(fake_snap_out, c.buf ? c.buf : "", c.len);
	strbuf_release(&c);
	return 0;
}

/* Every file under root with its exact bytes.  The order is nftw's
 * directory order: stable as long as files are rewritten in place, which is
 * how knobs are written and restored. */
static inline void fake_snapshot(const char *root, struct strbuf *out)
{
	strbuf_reset(out);
	fake_snap_out = out;
	fake_snap_skip = strlen(root);
	nftw(root, fake_snap_one, 16, FTW_PHYS);
}

/* A fake mkswap/swapon/swapoff for $OCBENCH_SWAP_TOOL ("TOOL VERB PATH"):
 * mkswap only when the journal beside PATH already names it (journaled
 * before made) and the file has its size; swapon/swapoff edit
 * ROOT/proc/swaps, and with broken_swapoff swapoff does nothing.  Its
 * path into out; the environment is set. */
static inline void fake_swap_tool(const char *root, int broken_swapoff, char *out, size_t len)
{
	static const char script[] =
		"#!/bin/sh\n"
		"set -e\n"
		"case \"$1\" in\n"
		"mkswap) grep -q '^swapfile ' \"$(dirname \"$2\")/host-knobs.journal\" || { echo not journaled; exit 3; }\n"
		"        test -s \"$2\" || { echo empty; exit 4; } ;;\n"
		"swapon) printf '%s file 4096 0 -2\\n' \"$2\" >> \"$FAKE_ROOT/proc/swaps\" ;;\n"
		"swapoff) test -z \"$FAKE_SWAPOFF_BROKEN\" || exit 0\n"
		"         grep -v \"^$2 \" \"$FAKE_ROOT/proc/swaps\" > \"$FAKE_ROOT/proc/swaps.new\" || true\n"
		"         mv \"$FAKE_ROOT/proc/swaps.new\" \"$FAKE_ROOT/proc/swaps\" ;;\n"
		"*) exit 9 ;;\n"
		"esac\n";
	FILE *t;

	snprintf(out, len, "%s/swaptool", root);
	fake_write(root, "/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n");
	t = fopen(out, "w");
	if (!t || fputs(script, t) < 0 || fclose(t) != 0 || chmod(out, 0755) < 0)
		abort();
	setenv("OCBENCH_SWAP_TOOL", out, 1);
	setenv("FAKE_ROOT", root, 1);
	if (broken_swapoff)
		setenv("FAKE_SWAPOFF_BROKEN", "1", 1);
	else
		unsetenv("FAKE_SWAPOFF_BROKEN");
}

#endif
