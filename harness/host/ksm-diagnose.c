/* ksm-diagnose.c — see ksm-diagnose.h. */
#include "host/ksm-diagnose.h"
#include "host/diagnosis.h"
#include "host/ksm.h"
#include "host/smaps.h"
#include "host/sysfs.h"
#include "util/error.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NODES 64

/* A KSM setting or counter; -1 when this kernel has none. */
static long long ksm_value(const char *root, const char *name)
{
	char rel[128];
	unsigned long long v;

	snprintf(rel, sizeof(rel), KSM_DIR "/%s", name);
	return sysfs_read_u64(root, rel, &v) < 0 ? -1 : (long long)v;
}

static void settings(const char *root, json_t *diag, long long v[7])
{
	static const char *const names[] = { "run", "merge_across_nodes", "max_page_sharing", "smart_scan",
					     "stable_node_chains", "stable_node_dups", "pages_skipped" };
	json_t *s = json_object(), *cnt = json_object();

	for (size_t i = 0; i < 7; i++) {
		v[i] = ksm_value(root, names[i]);
		if (v[i] >= 0)
			json_object_set_new(i < 4 ? s : cnt, names[i], json_integer(v[i]));
	}
	json_object_set_new(diag, "settings", s);
	json_object_set_new(diag, "counters", cnt);
}

/* The NUMA nodes holding pages of the mapping at start (numa_maps' N<n>=
 * fields), as a bit set; 0 when unknown. */
static unsigned long long numa_nodes(const char *root, pid_t pid, unsigned long long start)
{
	struct strbuf rel = STRBUF_INIT, text = STRBUF_INIT;
	unsigned long long set = 0;
	char head[32];

	strbuf_addf(&rel, "/proc/%ld/numa_maps", (long)pid);
	snprintf(head, sizeof(head), "%llx ", start);
	if (sysfs_read_raw(root, rel.buf, &text) == 0) {
		for (char *line = text.buf; line && *line;) {
			char *nl = strchr(line, '\n');

			if (nl)
				*nl = '\0';
			if (!strncmp(line, head, strlen(head)))
				for (char *p = strstr(line, " N"); p; p = strstr(p + 1, " N")) {
					int node;

					if (sscanf(p, " N%d=", &node) == 1 && node >= 0 && node < MAX_NODES)
						set |= 1ull << node;
				}
			line = nl ? nl + 1 : NULL;
		}
	}
	ocb_err_clear();	/* no numa_maps: the nodes are unknown, not an error */
	strbuf_release(&rel);
	strbuf_release(&text);
	return set;
}

/* One guest's RAM mapping: not mergeable or hugetlb-backed is a cause. */
static unsigned long long guest(const char *root, const struct ksm_diag_guest *g, json_t *diag, json_t *per)
{
	struct smaps_mapping m;
	json_t *o = json_pack("{s:I}", "pid", (json_int_t)g->pid);
	unsigned long long nodes = 0;

	json_object_set_new(per, g->name, o);
	if (g->pid <= 0) {
		diag_add(diag, DIAG_UNKNOWN, "ram-not-inspected", g->name,
			 "%s: its QEMU is not a process on this host: its RAM mapping was not inspected", g->name);
		return 0;
	}
	if (smaps_guest_ram(root, g->pid, g->ram_bytes, &m) < 0) {
		diag_add(diag, DIAG_UNKNOWN, "ram-not-found", g->name, "%s: %s", g->name, ocb_errmsg());
		return 0;
	}
	json_object_set_new(o, "ram_mapping", smaps_mapping_json(&m));
	if (smaps_is_hugetlb(&m))
		diag_add(diag, DIAG_CAUSE, "ram-hugetlb", g->name,
			 "%s: QEMU's guest RAM (pid %ld, %s) is hugetlbfs-backed (%llu kB pages): KSM never merges "
			 "hugetlb pages", g->name, (long)g->pid, m.path, m.kernel_page_kib);
	else if (!smaps_flag(&m, "mg"))
		diag_add(diag, DIAG_CAUSE, "ram-not-mergeable", g->name,
			 "%s: QEMU's guest RAM is not mergeable: no 'mg' in the VmFlags (%s) of its %llu MiB mapping "
			 "at 0x%llx in /proc/%ld/smaps (QEMU ran with mem-merge=off or merge=off, or did not "
			 "madvise it MADV_MERGEABLE)", g->name, m.vmflags, m.size_kib >> 10, m.start, (long)g->pid);
	nodes = numa_nodes(root, g->pid, m.start);
	if (nodes) {
		json_t *a = json_array();

		for (int i = 0; i < MAX_NODES; i++)
			if (nodes & (1ull << i))
				json_array_append_new(a, json_integer(i));
		json_object_set_new(o, "numa_nodes", a);
	}
	return nodes;
}

/* merge_across_nodes=0 keeps pages on different nodes apart. */
static void across_nodes(json_t *diag, const long long v[7], const unsigned long long *nodes, size_t n)
{
	unsigned long long all = 0;
	int differ = 0;

	for (size_t i = 0; i < n; i++) {
		all |= nodes[i];
		if (nodes[i] && nodes[0] && nodes[i] != nodes[0])
			differ = 1;
	}
	if (v[1] == 0 && (differ || (all & (all - 1))))
		diag_add(diag, DIAG_FACTOR, "merge-across-nodes", NULL,
			 "merge_across_nodes is 0 and the guests' RAM spans NUMA nodes (see guests.*.numa_nodes): KSM "
			 "merges identical pages only within one node");
}

json_t *ksm_diagnose(const char *root, const struct ksm_diag_guest *g, size_t n)
{
	json_t *diag = diag_new(), *per = json_object();
	unsigned long long nodes[16] = { 0 };
	long long v[7];

	settings(root, diag, v);
	json_object_set_new(diag, "guests", per);
	if (v[0] == 0 || v[0] == 2)
		diag_add(diag, DIAG_CAUSE, "ksm-not-running", NULL, "KSM is not running: %s/run is %lld (%s)", KSM_DIR,
			 v[0], v[0] ? "2: everything unmerged and ksmd stopped" : "0: ksmd stopped");
	else if (v[0] < 0)
		diag_add(diag, DIAG_CAUSE, "ksm-absent", NULL, "this kernel has no KSM (%s/run is missing)", KSM_DIR);
	for (size_t i = 0; i < n; i++) {
		unsigned long long s = guest(root, &g[i], diag, per);

		if (i < sizeof(nodes) / sizeof(nodes[0]))
			nodes[i] = s;
	}
	across_nodes(diag, v, nodes, n < 16 ? n : 16);
	if (v[4] > 0)
		diag_add(diag, DIAG_FACTOR, "max-page-sharing", NULL,
			 "max_page_sharing (%lld) reached by %lld KSM pages (stable_node_chains; %lld duplicate KSM "
			 "pages): content mapped more often than that gets a KSM page per %lld mappings", v[2], v[4],
			 v[5] < 0 ? 0 : v[5], v[2]);
	if (v[3] == 1)
		diag_add(diag, DIAG_FACTOR, "smart-scan", NULL,
			 "smart_scan is on: pages that did not merge are skipped for several scans (pages_skipped "
			 "%lld), so newly identical content merges late", v[6] < 0 ? 0 : v[6]);
	return diag;
}
