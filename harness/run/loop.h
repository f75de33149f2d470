/* loop.h — the run's one waiting loop, its progress lines and its first
 * failure.
 *
 * Everything in run/ that waits (for a time on the timeline, a balloon, a
 * workload, KSM) waits in run_idle(), which pumps every guest's events,
 * notices a guest that died and ticks the sampler: nothing else blocks.
 */
#ifndef OCB_RUN_LOOP_H
#define OCB_RUN_LOOP_H

#include <stdint.h>

#include "run/run-internal.h"

void run_progress(struct run_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record the first failure (later ones are its consequences); -1. */
int run_fail(struct run_ctx *c, const char *msg);
/* A guest is gone (msg: its backend's words, "QEMU killed by signal 9"):
 * run_fail() with, when the run's memory cap killed processes, the
 * cgroup's OOM count, so the reason names the OOM killer; -1. */
int run_fail_gone(struct run_ctx *c, const char *msg);
/* SIGINT/SIGTERM arrived. */
int run_stop_requested(struct run_ctx *c);
/* Let events flow, notice dead guests, time pending balloons (each polled
 * every RUN_BALLOON_POLL_NS, the slow sampler sources held meanwhile) and
 * tick the sampler, for up to ns: 0, or -1 when the run failed or was
 * interrupted meanwhile. */
int run_idle(struct run_ctx *c, uint64_t ns);
/* A guest operation failed: fail the run with the better explanation
 * (a dead QEMU's exit beats the closed socket it caused); -1. */
int run_guest_failed(struct run_ctx *c, struct guest_state *g);

#endif
