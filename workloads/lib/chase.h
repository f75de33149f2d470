/* chase.h — a dependent random pointer chase.
 *
 * Every cache line of the working set holds a pointer to the next line
 * of one random cycle through all of them, so each load must wait for the
 * previous one: no prefetcher or out-of-order overlap hides a cache or
 * TLB miss.  The time per load is the memory latency seen at that working
 * set size (and, in a guest, includes the two-dimensional EPT/NPT walk).
 */
#ifndef OCB_WL_CHASE_H
#define OCB_WL_CHASE_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#define CHASE_LINE 64

/* Link the lines of [base, base + len) into one random cycle (touches
 * all of it).  len >= 2 * CHASE_LINE.  Returns the start of the cycle. */
void *chase_build(char *base, size_t len, struct rng *r);

/* Follow n pointers from *pos, leaving *pos at the last one. */
static inline void chase_run(void **pos, uint64_t n)
{
	void *p = *pos;

	while (n--)
		p = *(void *volatile *)p;
	*pos = p;
}

#endif
