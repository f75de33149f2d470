/* compare.h — `ocbench compare`: two result sets, exit 1 on a regression. */
#ifndef OCB_CLI_COMPARE_H
#define OCB_CLI_COMPARE_H

#include "cli/cli.h"

/* No struct cmd_env yet: main.c adapts it (its row has no flags). */
int cmd_compare(int argc, char **argv);

#endif
