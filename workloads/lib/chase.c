/* chase.c — see chase.h. */
#include "chase.h"

#include <string.h>

/* Each line: word 0 is the link, word 1 holds (temporarily) the line
 * visited at that position of the shuffled order.  Keeping the shuffle
 * inside the working set needs no second allocation, which matters at
 * 1 GiB in a 2 GiB guest. */
void *chase_build(char *base, size_t len, struct rng *r)
{
	size_t n = len / CHASE_LINE;
	uint64_t *w;

#define ORDER(i) (((uint64_t *)(base + (size_t)(i) * CHASE_LINE))[1])
	for (size_t i = 0; i < n; i++)
		ORDER(i) = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)rng_below(r, i + 1);
		uint64_t t = ORDER(i);

		ORDER(i) = ORDER(j);
		ORDER(j) = t;
	}
	for (size_t k = 0; k < n; k++) {
		w = (uint64_t *)(base + ORDER(k) * CHASE_LINE);
		w[0] = (uint64_t)(uintptr_t)(base + ORDER(k + 1 == n ? 0 : k + 1) * CHASE_LINE);
	}
	return base + ORDER(0) * CHASE_LINE;
#undef ORDER
}
