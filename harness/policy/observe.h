/* observe.h — a struct policy_obs kept up to date from sampler rows
 * (SOURCE, SERIES, VALUE), the same rows a run writes to samples.csv: the
 * live run feeds it from the sampler, `policy simulate` from the file, so
 * both give a policy the same observations.
 *
 * The rows it reads (everything else is ignored):
 *   host     MemTotal_mib MemFree_mib MemAvailable_mib Buffers_mib
 *            Cached_mib pswpin pswpout psi_some_us psi_full_us
 *   cgroup   memory_current_mib limit_mib
 *   ksm      run pages_to_scan sleep_millisecs pages_sharing
 *   balloon  GUEST.actual_mib GUEST.max_mib
 *   balloonstats GUEST.stat-available-memory_mib stat-free-memory_mib
 *            stat-disk-caches_mib stat-total-memory_mib stat-oom-kills
 *            stat-alloc-stalls
 *   guest    GUEST.psi_some_us GUEST.psi_full_us
 *   qemu     GUEST.rss_mib
 */
#ifndef OCB_POLICY_OBSERVE_H
#define OCB_POLICY_OBSERVE_H

#include "policy/policy.h"

struct policy_observer {
	struct policy_obs obs;
	double floor_frac;	/* a guest's floor: this share of its maximum */
	int add_guests;		/* 1: a new GUEST name adds a guest (replay) */
};

/* Every observation unknown, no guests (floor_frac as given). */
void policy_observer_init(struct policy_observer *ob, double floor_frac, int add_guests);
/* A guest known in advance (the run's): its index, or -1 when full. */
int policy_observer_guest(struct policy_observer *ob, const char *name, double max_mib);
/* One row at t_ms of the run clock. */
void policy_observer_put(struct policy_observer *ob, double t_ms, const char *source,
			 const char *series, double value);

#endif
