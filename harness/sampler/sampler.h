/* sampler.h — the one sampling loop of a run: host, per-QEMU, balloon,
 * guest and cgroup counters on the run's clock, into samples.csv
 * (t_ms,source,series,value, long format) and summary metrics.
 *
 * No thread: the QMP and agent channels are not thread-safe, so the
 * runner's wait loop calls sampler_tick() often (every few ms is fine:
 * it returns at once when nothing is due).  Each source has a period (the
 * scenario's sample_rate, default 10 Hz; guest-agent and balloon
 * guest-stats sources 1 Hz) and a slow source must never hold the loop:
 *   - the per-guest QMP sources (balloon, balloonstats, vmem) are
 *     pipelined (ask.h): a round asks every guest's QEMU at once and
 *     returns, each tick takes the answers that came, and a guest that
 *     has not answered by the next round is a missed sample of that
 *     guest; a starved or silent QEMU never holds the loop nor the other
 *     guests' samples;
 *   - a guest-agent question is started at most once a tick and carried
 *     without waiting (agent-job.h: each agent command sent, its answer
 *     taken at a later tick; at most a few out at once); a backend
 *     without agent_send is asked the waiting way, each question bounded
 *     (SAMPLER_AGENT_TIMEOUT_NS, guest.h); a guest that fails is left
 *     alone for a few seconds;
 *   - /proc/PID/smaps_rollup (PSS, AnonHugePages) walks the page tables
 *     under QEMU's mmap lock: ~30 ms for 2 GiB of 4 KiB pages here.  It is
 *     read for one QEMU per tick, at most once a second per QEMU, and less
 *     often when it is expensive (all QEMUs together at most ~0.5 % of
 *     the time).  RSS and Swap
 *     come from /proc/PID/status at the full rate (kernel counters, µs).
 *
 * Series (what reports/ reads):
 *   ksm,<counter>                 every KSM counter by its sysfs name
 *                                 (UKSM's as uksm_<name>); host-wide
 *   ksm@HOST,<counter>            a remote libvirt host's KSM counters
 *                                 (virNodeGetMemoryParameters: pages_sharing,
 *                                 pages_shared, full_scans, ...; remote.h)
 *   host,MemFree_mib MemAvailable_mib SwapTotal_mib SwapFree_mib
 *        AnonHugePages_mib HugePages_Free HugePages_Total MemTotal_mib
 *        Buffers_mib Cached_mib pswpin pswpout psi_some_us psi_full_us
 *   qemu,GUEST.rss_mib .swap_mib .pss_mib .anon_huge_mib .swap_pss_mib
 *        .ksm_merging_pages .ksm_zero_pages .ksm_process_profit_mib
 *   balloon,GUEST.actual_mib GUEST.max_mib
 *   balloonstats,GUEST.stat-free-memory_mib ... (QEMU's byte figures in
 *        MiB, with _mib) and GUEST.stat-major-faults ... (counts as they are)
 *   guest,GUEST.free_used_mib .free_available_mib .free_total_mib ...
 *        (`free -m`) and GUEST.MemAvailable_mib ... (/proc/meminfo), and
 *        GUEST.psi_some_us .psi_full_us while sampler_want_guest_psi()
 *   cgroup,memory_current_mib max_events oom_events oom_kill limit_mib
 *
 * The sampler counts itself: per source the rounds it took and the
 * periods the loop let pass without one, per guest of a per-guest source
 * its kept and missed samples (sampler_guest_tick()); the worst 10 Hz
 * source's kept share is the metric sampler_ticks_kept_pct.
 *
 * A source is an ops table (source.h), the built-in ones are host.h's and
 * guest.h's.  A source that fails is not a failed run: the failure goes to
 * events.jsonl as a "sample_error" (the first few per source, then a
 * count at the end) and sampling goes on.
 */
#ifndef OCB_SAMPLER_H
#define OCB_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "sampler/source.h"

struct results_run;
struct vm;

#define SAMPLER_DEFAULT_HZ 10
#define SAMPLES_CSV "samples.csv"
#define SAMPLES_CSV_HEADER "t_ms,source,series,value"

/* The built-in sources over vms[0..n) (borrowed; pid, balloon and agent
 * ops are used once a VM has started), host files under root ("/"), and
 * the run's memory cgroup directory (NULL: none).  rate_hz 0 = default. */
struct sampler *sampler_new(struct results_run *res, struct vm **vms, size_t n, const char *root,
			    unsigned rate_hz, const char *cgroup_dir);
/* Another source (tests, workload progress).  0, or -1 when its init
 * failed (message set).  Sources added this way start at the next tick. */
int sampler_add_source(struct sampler *s, const struct sampler_source_ops *ops);
/* The same under another name (the source column of its rows, e.g.
 * "ksm@HOST" for one source per host), with arg for its init
 * (sampler_init_arg()).  name NULL: ops->name. */
int sampler_add_source_named(struct sampler *s, const struct sampler_source_ops *ops,
			     const char *name, void *arg);
/* Sample every source whose period has elapsed; cheap when none has.
 * Returns how many sources were sampled. */
int sampler_tick(struct sampler *s);
/* Hold (1) or release (0) the slow sources (SAMPLER_SRC_SLOW): while a
 * balloon wait measures how long the balloon takes, nothing may sit in
 * the loop between the balloon reaching its target and the poll that
 * sees it; the held sources catch up right after the release.  Returns
 * the previous state. */
int sampler_hold_slow(struct sampler *s, int hold);
/* Ask (1) or stop asking (0, the default) each guest's agent for its
 * memory PSI (guest GUEST.psi_some_us): a third agent question per guest
 * a second, 10-50 ms each under TCG, so only when a policy reads it. */
void sampler_want_guest_psi(struct sampler *s, int on);
/* Every row, as it is written, also to fn (NULL: none): the run's
 * policy controller keeps its observations from them (policy/observe.h). */
typedef void (*sampler_tap_fn)(void *opaque, uint64_t t_ms, const char *source, const char *series,
			       double value);
void sampler_set_tap(struct sampler *s, sampler_tap_fn fn, void *opaque);
/* Summary metrics into run.json (results_metric), each with unit and
 * better-direction; call once, after the last tick. */
void sampler_summary(struct sampler *s);
void sampler_free(struct sampler *s);

#endif
