/* ksm-history.h — KSM's pages_sharing over time, as a KSM source sampled
 * it (this host's, or a libvirt host's), for when KSM merged what
 * (`wait ksm-settled`'s ksm_merge_t50_s / t90_s).
 *
 * At most KSM_HISTORY_MAX points; when full every other point is dropped
 * and only every 2^k-th sample kept from then on, so an hour at 10 Hz is
 * exact and a longer run's times are known to 2^k sample periods. */
#ifndef OCB_KSM_HISTORY_H
#define OCB_KSM_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#define KSM_HISTORY_MAX 36000

struct ksm_point {
	uint64_t t_ns;
	double sharing;
};

struct ksm_history {
	struct ksm_point *p;
	size_t n, stride, skipped;
};

void ksm_history_init(struct ksm_history *h);
void ksm_history_release(struct ksm_history *h);
void ksm_history_add(struct ksm_history *h, uint64_t t_ns, double sharing);
/* Its value at t_ns (the last sample at or before); -1 when none. */
int ksm_history_at(const struct ksm_history *h, uint64_t t_ns, double *sharing);
/* The first sample at or after from_ns with at least `sharing` pages; -1
 * when never. */
int ksm_history_reached(const struct ksm_history *h, uint64_t from_ns, double sharing,
			uint64_t *t_ns);

#endif
