/* host.h — the sampler's host-side sources: KSM/UKSM counters,
 * /proc/meminfo, each QEMU's memory from /proc/PID, and the run's memory
 * cgroup.  All read files under the sampler's root, so tests run them
 * against a fake tree. */
#ifndef OCB_SAMPLER_HOST_H
#define OCB_SAMPLER_HOST_H

#include "sampler/source.h"

extern const struct sampler_source_ops sampler_ksm_source;
extern const struct sampler_source_ops sampler_host_source;
extern const struct sampler_source_ops sampler_qemu_source;
extern const struct sampler_source_ops sampler_cgroup_source;

struct ksm_history;

/* KSM's pages_sharing over time as the ksm source sampled it (times in
 * mono_ns()); NULL when it is not sampling (no KSM). */
const struct ksm_history *sampler_ksm_local_history(struct sampler *s);

#endif
