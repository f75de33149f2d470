/* profile.h — pressure's allocation profile: "ramp:5s,hold:10s,release:5s".
 *
 * A comma-separated list of STEP:DUR[:TARGET] where STEP is ramp (grow
 * linearly to TARGET, default SIZE), hold (stay), or release (shrink
 * linearly to TARGET, default 0).  TARGET is a size ("512M") or a
 * percentage of SIZE ("50%").
 */
#ifndef OCB_WL_PROFILE_H
#define OCB_WL_PROFILE_H

#include <stdint.h>

#define PROFILE_MAX_STEPS 32

enum step_kind { STEP_RAMP, STEP_HOLD, STEP_RELEASE };

struct profile_step {
	enum step_kind kind;
	uint64_t dur_ns;
	uint64_t target;	/* bytes; for hold: unused */
	int has_target;
};

struct profile {
	int n;
	struct profile_step step[PROFILE_MAX_STEPS];
};

/* Parse text against SIZE; 0, or -1 with ocb_errmsg() naming the step. */
int profile_parse(const char *text, uint64_t size, struct profile *p);
const char *profile_step_name(enum step_kind k);

#endif
