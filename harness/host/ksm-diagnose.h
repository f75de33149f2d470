/* ksm-diagnose.h — why KSM does not merge the guests' RAM, in the shape
 * of diagnosis.h: KSM not running; a guest's RAM not mergeable (no "mg"
 * in the VmFlags of QEMU's RAM mapping: mem-merge=off, merge=off or no
 * MADV_MERGEABLE); RAM on hugetlbfs (KSM never merges hugetlb pages);
 * merge_across_nodes=0 with the guests' RAM on different NUMA nodes;
 * max_page_sharing reached; smart_scan skipping pages.
 *
 * Read-only and cheap (sysfs, /proc/PID/smaps, /proc/PID/numa_maps): the
 * conformance checks call it when merging does not happen, and so may
 * `ocbench run` when a scenario with KSM on ends with nothing merged.
 */
#ifndef OCB_KSM_DIAGNOSE_H
#define OCB_KSM_DIAGNOSE_H

#include <jansson.h>
#include <sys/types.h>

struct ksm_diag_guest {
	const char *name;
	pid_t pid;			/* its QEMU; <= 0: not a process here */
	unsigned long long ram_bytes;	/* its RAM size: finds the mapping */
};

/* The diagnosis (diagnosis.h) of n guests under root ("/" on a host):
 * {"settings": {run, merge_across_nodes, max_page_sharing, smart_scan,
 * ...}, "counters": {...}, "guests": {NAME: {"pid", "ram_mapping",
 * "numa_nodes"}}, "findings": [...]}.  Never NULL. */
json_t *ksm_diagnose(const char *root, const struct ksm_diag_guest *g, size_t n);

#endif
