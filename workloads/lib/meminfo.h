/* meminfo.h — what the kernel says about memory, read from /proc and /sys.
 *
 * Used to refuse a SIZE that can never fit (a clear error instead of an
 * OOM kill half way), to record whether THP really backed a region, and
 * to follow KSM merging of this process.  Every reader returns -1 when the
 * file or field is missing (older kernels, no KSM): callers record null.
 */
#ifndef OCB_WL_MEMINFO_H
#define OCB_WL_MEMINFO_H

#include <stdint.h>

/* A "Key:   123 kB" field of a /proc file, in bytes; -1 if absent. */
int64_t meminfo_field(const char *path, const char *key);
/* 0 when bytes can fit in MemTotal + SwapTotal, else -1 with a message
 * naming SIZE and the memory there is. */
int meminfo_check_fits(uint64_t bytes);
/* Make this process the OOM killer's first choice, so a workload that
 * overcommits dies instead of the guest agent.  Best effort. */
void meminfo_prefer_oom_kill(void);
/* A one-line sysfs/proc value (e.g. THP "always [madvise] never") into
 * buf; -1 if unreadable. */
int meminfo_read_line(const char *path, char *buf, int len);
/* /proc/self/ksm_merging_pages; -1 when the kernel has no such file. */
int64_t meminfo_ksm_merging_pages(void);

#endif
