/* balloon.h — the balloon conformance suite, BAL-001..006: virtio-balloon
 * inflates, deflates, clamps, fails clearly without a device, reports
 * guest stats that agree with the guest, keeps a guest under pressure
 * responsive (balloon.c says how each check measures). */
#ifndef OCB_CONFORM_BALLOON_H
#define OCB_CONFORM_BALLOON_H

#include "conform/conform.h"

#include <stdint.h>

struct conform_ctx;
struct vm;

extern const struct conform_suite conform_suite_balloon;

/* One balloon move as the balloon checks (and BAL-007) measure it. */
struct move {
	uint64_t from, target, actual;
	double seconds;
	int reached;
	int stalled;	/* gave up early: no movement for 10 s */
};

/* Ask for target and poll until actual is within 0.5 % of the guest's
 * memory, the timeout, or 10 s without any movement.  0 (reached or
 * not: m->reached says), -1 on an error. */
int conform_balloon_move(struct conform_ctx *c, struct vm *vm, uint64_t target, uint64_t timeout_ns,
			 struct move *m);

#endif
