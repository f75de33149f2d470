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

/* KSM's pages_sharing as the ksm source sampled it (the sample's time in
 * the same mono_ns() clock): its value at t_ns (the last sample at or
 * before), and the first sample at or after from_ns with at least
 * `sharing` pages.  -1 when there is no such sample (no KSM, not sampled
 * yet, never reached). */
int sampler_ksm_sharing_at(struct sampler *s, uint64_t t_ns, double *sharing);
int sampler_ksm_reached(struct sampler *s, uint64_t from_ns, double sharing, uint64_t *t_ns);

#endif
