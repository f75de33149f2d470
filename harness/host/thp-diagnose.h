/* thp-diagnose.h — why a VM process's guest RAM gets no transparent huge
 * pages, in the shape of diagnosis.h: THP off host-wide (enabled=never,
 * or madvise without MADV_HUGEPAGE on the RAM); the RAM not anonymous
 * memory (a file, hugetlbfs: THP backs anonymous memory); THP disabled
 * for the process (prctl PR_SET_THP_DISABLE) or the mapping
 * (MADV_NOHUGEPAGE); khugepaged collapsing nothing; defrag=never.
 *
 * Read-only (sysfs, /proc/PID/smaps, /proc/PID/status): conform's THP
 * checks call it on a failure, and so may `ocbench run`.
 */
#ifndef OCB_THP_DIAGNOSE_H
#define OCB_THP_DIAGNOSE_H

#include <jansson.h>
#include <sys/types.h>

/* The diagnosis of guest name's QEMU (pid, RAM of ram_bytes) under root:
 * {"settings": {enabled, defrag, khugepaged_pages_to_scan},
 *  "ram_mapping": {...}, "thp_enabled_for_process": bool, "findings"}.
 * Never NULL. */
json_t *thp_diagnose(const char *root, const char *name, pid_t pid, unsigned long long ram_bytes);

#endif
