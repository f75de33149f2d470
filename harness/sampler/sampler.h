/* sampler.h — the one sampling loop of a run: host, per-QEMU, balloon,
 * guest and cgroup counters on the run's clock, into samples.csv
 * (t_ms,source,series,value, long format) and summary metrics.
 *
 * No thread: the QMP and agent channels are not thread-safe, so the
 * runner's wait loop calls sampler_tick() often (every few ms is fine:
 * it returns at once when nothing is due).  Each source has a period (the
 * scenario's sample_rate, default 10 Hz; guest-agent and balloon
 * guest-stats sources 1 Hz) and a slow source must never hold the loop:
 *   - the guest agent is asked at most one question per tick, each bounded
 *     (SAMPLER_AGENT_TIMEOUT_NS), and a guest that fails is left alone for
 *     a few seconds;
 *   - /proc/PID/smaps_rollup (PSS, AnonHugePages) walks the page tables
 *     under QEMU's mmap lock: ~30 ms for 2 GiB of 4 KiB pages here.  It is
 *     read for one QEMU per tick, at most once a second per QEMU, and less
 *     often when it is expensive (at most ~0.5 % of a core).  RSS and Swap
 *     come from /proc/PID/status at the full rate (kernel counters, µs).
 *
 * Series (what reports/ reads):
 *   ksm,<counter>                 every KSM counter by its sysfs name
 *                                 (UKSM's as uksm_<name>); host-wide
 *   host,MemFree_mib MemAvailable_mib SwapTotal_mib SwapFree_mib
 *        AnonHugePages_mib HugePages_Free HugePages_Total
 *   qemu,GUEST.rss_mib .swap_mib .pss_mib .anon_huge_mib .swap_pss_mib
 *        .ksm_merging_pages .ksm_zero_pages .ksm_process_profit_mib
 *   balloon,GUEST.actual_mib
 *   balloonstats,GUEST.stat-free-memory ... (as QEMU reports them)
 *   guest,GUEST.free_used_mib .free_available_mib .free_total_mib ...
 *        (`free -m`) and GUEST.MemAvailable_mib ... (/proc/meminfo)
 *   cgroup,memory_current_mib max_events oom_events oom_kill
 *
 * A source that fails is not a failed run: the failure goes to
 * events.jsonl as a "sample_error" (the first few per source, then a
 * count at the end) and sampling goes on.
 */
#ifndef OCB_SAMPLER_H
#define OCB_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

struct results_run;
struct vm;
struct sampler;

#define SAMPLER_DEFAULT_HZ 10
#define SAMPLER_AGENT_HZ 1
#define SAMPLER_AGENT_TIMEOUT_NS (1000 * 1000000ull)
#define SAMPLES_CSV "samples.csv"
#define SAMPLES_CSV_HEADER "t_ms,source,series,value"

/* A metric source: an ops table (DESIGN.md "Seams"). */
struct sampler_source_ops {
	const char *name;		/* the source column of samples.csv */
	unsigned max_hz;		/* 0: the sampler's rate; else at most this */
	/* 0 ready, 1 not available on this host (reason in why: recorded
	 * once as an event), -1 error (message set; the source is dropped). */
	int (*init)(struct sampler *s, void **state, char *why, size_t len);
	/* One sample through sampler_put*(); -1 with a message on failure. */
	int (*sample)(struct sampler *s, void *state);
	/* Summary metrics through sampler_metric(); may be NULL. */
	void (*summary)(struct sampler *s, void *state);
	void (*fini)(void *state);
};

/* The built-in sources over vms[0..n) (borrowed; pid, balloon and agent
 * ops are used once a VM has started), host files under root ("/"), and
 * the run's memory cgroup directory (NULL: none).  rate_hz 0 = default. */
struct sampler *sampler_new(struct results_run *res, struct vm **vms, size_t n, const char *root,
			    unsigned rate_hz, const char *cgroup_dir);
/* Another source (tests, workload progress).  0, or -1 when its init
 * failed (message set).  Sources added this way start at the next tick. */
int sampler_add_source(struct sampler *s, const struct sampler_source_ops *ops);
/* Sample every source whose period has elapsed; cheap when none has.
 * Returns how many sources were sampled. */
int sampler_tick(struct sampler *s);
/* Summary metrics into run.json (results_metric), each with unit and
 * better-direction; call once, after the last tick. */
void sampler_summary(struct sampler *s);
void sampler_free(struct sampler *s);

/* ---- for sources ------------------------------------------------------ */

/* One row "t_ms,SOURCE,series,value"; SOURCE is the sampling source's
 * name, t_ms the run clock when its sample began. */
void sampler_put(struct sampler *s, const char *series, double value);
void sampler_putf(struct sampler *s, double value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A summary metric (results_metric with the run's results). */
void sampler_metric(struct sampler *s, const char *name, double value, const char *unit,
		    const char *better);
const char *sampler_root(const struct sampler *s);
size_t sampler_nvms(const struct sampler *s);
struct vm *sampler_vm(const struct sampler *s, size_t i);
/* 1 once the VM has booted (its channels can be used). */
int sampler_vm_ready(const struct vm *vm);
const char *sampler_cgroup_dir(const struct sampler *s);
uint64_t sampler_now_ns(const struct sampler *s);

/* The built-in sources (sampler-host.c, sampler-guest.c). */
extern const struct sampler_source_ops sampler_ksm_source;
extern const struct sampler_source_ops sampler_host_source;
extern const struct sampler_source_ops sampler_qemu_source;
extern const struct sampler_source_ops sampler_cgroup_source;
extern const struct sampler_source_ops sampler_balloon_source;
extern const struct sampler_source_ops sampler_balloonstats_source;
extern const struct sampler_source_ops sampler_guest_source;

#endif
