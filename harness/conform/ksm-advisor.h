/* ksm-advisor.h — KSM-008: the KSM advisor (Linux 6.8+) in scan-time
 * mode steers ksmd's pages_to_scan so that a full scan of the mergeable
 * memory (ksm-a's and ksm-b's RAM) takes advisor_target_scan_time.
 *
 * What the kernel documents (Documentation/admin-guide/mm/ksm.rst, the
 * "Advisor" section and the advisor_* knobs): writing scan-time to
 * advisor_mode starts pages_to_scan at advisor_min_pages_to_scan (its
 * initial value; the kernel keeps it as no lower bound), pages_to_scan is
 * re-calculated after each completed full scan, never above
 * advisor_max_pages_to_scan, and limited by advisor_max_cpu.  The
 * advisor times a scan in whole seconds (mm/ksm.c truncates the scan
 * time to seconds), so every scan of T to T + 1 s is on target to it and
 * it cannot steer finer than 1 s, and it smooths its changes over
 * several scans.
 *
 * The check, at a 2 s target (T), with 192 MiB of unique pages held in
 * each guest for ksmd to scan: pages_to_scan must leave its starting
 * value and stay at or below advisor_max_pages_to_scan; after 4
 * recalculations (the first scan began before the advisor, and each
 * change is smoothed with the scans before it), the mean time of the
 * next 6 full scans must be within max(1 s, 3 sigma of that mean) of
 * T + 0.5 s, the middle of the second the advisor reads as T.  Skipped
 * where the kernel has no advisor (no advisor_mode).
 */
#ifndef OCB_CONFORM_KSM_ADVISOR_H
#define OCB_CONFORM_KSM_ADVISOR_H

#include "conform/conform.h"

struct conform_ctx;

void ksm_advisor_scan_time(struct conform_ctx *c, struct conform_result *r);	/* KSM-008 */

#endif
