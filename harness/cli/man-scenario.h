/* man-scenario.h — ocbench-scenario(5): the scenario file, from the key
 * table (scenario/keys.c), the host knobs run loads scenarios with, the
 * timeline actions (scenario/timeline.c) and the workloads
 * (workloads/workloads.h).
 */
#ifndef OCB_CLI_MAN_SCENARIO_H
#define OCB_CLI_MAN_SCENARIO_H

#include "util/strbuf.h"

void man_scenario_page(struct strbuf *out);

#endif
