/* plot-timeline.h — the timeline of one run as small multiples on one time
 * axis (seconds since the run started):
 *   - one panel per guest group ([guest NAME]): balloon actual, QEMU RSS,
 *     `free -m` used and available; each guest its own series while the
 *     group's guests x quantities fit in PLOT_MAX_SERIES, else one series
 *     per quantity drawn for every guest of the group in its colour;
 *   - one panel for the host: with host_memory_limit the run's cgroup
 *     usage against the cap line, else host MemAvailable (right axis);
 *     swap used, KSM saved (pages_sharing x 4 KiB);
 *   - one panel of latency over time, for workloads that record it
 *     (pressure --interval), placed on the run's clock by their
 *     workload_start events;
 *   - a strip of the timeline's actions (labels staggered into rows so
 *     they never overlap; `free` samplings are the points of the guest
 *     panels and are left out), their times dashed through every panel.
 * Plus KSM merged memory over time, one line per matrix cell.
 */
#ifndef OCB_PLOT_TIMELINE_H
#define OCB_PLOT_TIMELINE_H

#include "reports/cells.h"
#include "reports/resultset.h"

int plot_timeline(const char *dir, const char *name, const struct rs_run *r, const char *title);
/* KSM merged MiB over time: the first run of every cell that sampled KSM. */
int plot_ksm(const char *dir, const char *name, const struct result_set *rs,
	     const struct cells *cs);

#endif
