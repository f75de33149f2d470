/* trace.h — a recorded run replayed through policies, without guests:
 * the rows of a samples.csv (t_ms,source,series,value; observe.h lists
 * the series read) feed the observations, and each policy ticks every
 * interval of the trace's clock from its first row, as it would have in
 * the run.  Open loop: the balloon sizes and host figures are the
 * recording's, not what the replayed actions would have led to.
 */
#ifndef OCB_POLICY_TRACE_H
#define OCB_POLICY_TRACE_H

#include "policy/policy.h"

/* Called after each tick of p with what it saw and asked for. */
typedef void (*policy_replay_fn)(void *opaque, const struct policy *p, const struct policy_obs *o,
				 const struct policy_actions *a);

/* A trace larger than this is refused before it is read. */
#define POLICY_TRACE_MAX_BYTES (1ull << 30)

/* Replay the file at path through pols[0..n) (a guest's floor is
 * floor_frac of its maximum).  0, or -1 with FILE:LINE in the message. */
int policy_replay_file(const char *path, struct policy **pols, size_t n, double floor_frac,
		       policy_replay_fn fn, void *opaque);
/* Rows further from the first than this many ticks of the fastest
 * policy are refused (a corrupt time would tick for ever). */
#define POLICY_TRACE_MAX_TICKS 1000000.0

/* The same over CSV text already in memory (name for messages), with at
 * most max_ticks ticks (0: POLICY_TRACE_MAX_TICKS). */
int policy_replay_text(const char *name, char *text, struct policy **pols, size_t n,
		       double floor_frac, double max_ticks, policy_replay_fn fn, void *opaque);

#endif
