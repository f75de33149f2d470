/* runner.h — execute one expanded scenario run.
 *
 * A run: open the results directory, apply the [host] knobs (journaled),
 * boot every guest, execute the timeline on the run's monotonic clock,
 * stop the guests, restore the knobs, write the results.  Any failure of a
 * guest fails the run (status "failed" with the reason, the other guests
 * stopped); SIGINT/SIGTERM make it "incomplete".  Nothing is left running
 * on any path.
 */
#ifndef OCB_RUNNER_H
#define OCB_RUNNER_H

#include <jansson.h>

#include "run/options.h"
#include "scenario/scenario.h"

struct run_outcome {
	char status[16];		/* complete | failed | incomplete */
	char reason[1024];
	json_t *summary;		/* array of human summary lines */
};

/* Execute run into dir.  Returns 0 when the run completed, 1 when it
 * failed or was interrupted (outcome says why), -1 on a set-up error
 * before anything was started (message in ocb_errmsg()). */
int runner_run(const struct scenario *run, const struct run_options *opt, const char *dir,
	       struct run_outcome *out);
void run_outcome_release(struct run_outcome *out);

/* Known in-guest workload programs (for scenario validation). */
int runner_validate_workload(const char *program);

#endif
