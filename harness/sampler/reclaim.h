/* reclaim.h — the sampler's sources for what reclaim costs and does:
 * ksmd's CPU time against KSM's savings (the cost/benefit of KSM), the
 * host's swap-in/out rates (/proc/vmstat), and each virtio-mem device's
 * plugged size against its requested size. */
#ifndef OCB_SAMPLER_RECLAIM_H
#define OCB_SAMPLER_RECLAIM_H

#include "sampler/source.h"

extern const struct sampler_source_ops sampler_ksmd_source;
extern const struct sampler_source_ops sampler_vmstat_source;
extern const struct sampler_source_ops sampler_vmem_source;

/* MiB KSM saves per CPU-second of ksmd (saved_mib / cpu_s); -1 when ksmd
 * used no measurable CPU (a tick is 10 ms: below that it is unknown). */
double ksm_saved_per_cpu_s(double saved_mib, double cpu_s);

#endif
