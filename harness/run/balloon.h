/* balloon.h — `balloon GLOB SIZE` and `wait balloon`: the request, the
 * wait for the target, and the inflate/deflate metrics of each guest.
 */
#ifndef OCB_RUN_BALLOON_H
#define OCB_RUN_BALLOON_H

#include <stdint.h>

#include "run/run-internal.h"

/* Ask for size (clamped to the guest's memory, as QEMU would). */
int run_balloon_request(struct run_ctx *c, struct guest_state *g, uint64_t size);
/* Wait for the last request's target (0 timeout: the default); with
 * partial_ok a target not reached is recorded, not a failure. */
int run_balloon_wait(struct run_ctx *c, struct guest_state *g, uint64_t timeout_ns, int partial_ok);

#endif
