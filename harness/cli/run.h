/* run.h — `ocbench run`: run scenarios and write their results. */
#ifndef OCB_CLI_RUN_H
#define OCB_CLI_RUN_H

#include "cli/cli.h"
#include "cli/opts.h"

struct scenario_hooks;

int cmd_run(int argc, char **argv, struct cmd_env *env);

/* Its options and help (cli/opts.h). */
extern const struct cli_doc run_doc;
/* The hooks `run` loads scenarios with: the host knobs of knobs/ as the
 * [host] keys (the man page and completion list the same). */
const struct scenario_hooks *run_scenario_hooks(void);

#endif
