/* run.h — `ocbench run`: run scenarios and write their results. */
#ifndef OCB_CLI_RUN_H
#define OCB_CLI_RUN_H

#include "cli/cli.h"

int cmd_run(int argc, char **argv, struct cmd_env *env);

#endif
