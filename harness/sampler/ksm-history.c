/* ksm-history.c — see ksm-history.h. */
#include "sampler/ksm-history.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void ksm_history_init(struct ksm_history *h)
{
	memset(h, 0, sizeof(*h));
	h->p = xmallocarray(KSM_HISTORY_MAX, sizeof(*h->p));
	h->stride = 1;
}

void ksm_history_release(struct ksm_history *h)
{
	free(h->p);
	memset(h, 0, sizeof(*h));
}

void ksm_history_add(struct ksm_history *h, uint64_t t_ns, double sharing)
{
	if (++h->skipped < h->stride)
		return;
	h->skipped = 0;
	if (h->n == KSM_HISTORY_MAX) {
		for (size_t i = 0; i < KSM_HISTORY_MAX / 2; i++)
			h->p[i] = h->p[2 * i + 1];
		h->n = KSM_HISTORY_MAX / 2;
		h->stride *= 2;
	}
	h->p[h->n].t_ns = t_ns;
	h->p[h->n++].sharing = sharing;
}

int ksm_history_at(const struct ksm_history *h, uint64_t t_ns, double *sharing)
{
	if (!h || !h->n || h->p[0].t_ns > t_ns)
		return -1;
	for (size_t i = h->n; i-- > 0;)
		if (h->p[i].t_ns <= t_ns) {
			*sharing = h->p[i].sharing;
			return 0;
		}
	return -1;
}

int ksm_history_reached(const struct ksm_history *h, uint64_t from_ns, double sharing,
			uint64_t *t_ns)
{
	for (size_t i = 0; h && i < h->n; i++)
		if (h->p[i].t_ns >= from_ns && h->p[i].sharing >= sharing) {
			*t_ns = h->p[i].t_ns;
			return 0;
		}
	return -1;
}
