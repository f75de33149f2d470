/* compare.h — `ocbench compare BASELINE CANDIDATE` (reports/compare.h has
 * the rules; this is the command line around them).  Also declared in
 * cli.h's table of subcommands. */
#ifndef OCB_CLI_COMPARE_H
#define OCB_CLI_COMPARE_H

#include "cli/cli.h"
#include "cli/opts.h"

/* Exit: reports/verdict.h's COMPARE_EXIT_* (0 ok, 1 regression,
 * 2 incomparable, 3 inconclusive); 2 also for a usage error or results
 * that cannot be read. */
int cmd_compare(int argc, char **argv, struct cmd_env *env);

/* Its options and help (cli/opts.h). */
extern const struct cli_doc compare_doc;

#endif
