/* restore.h — `ocbench restore`: undo the host knob changes of a killed run. */
#ifndef OCB_CLI_RESTORE_H
#define OCB_CLI_RESTORE_H

#include "cli/cli.h"
#include "cli/opts.h"

int cmd_restore(int argc, char **argv, struct cmd_env *env);

/* Its options and help (cli/opts.h). */
extern const struct cli_doc restore_doc;

#endif
