/* conform.h — `ocbench conform`: the conformance checks, printed and
 * written as text, JUnit, TAP or JSON. */
#ifndef OCB_CLI_CONFORM_H
#define OCB_CLI_CONFORM_H

#include "cli/cli.h"
#include "cli/opts.h"

int cmd_conform(int argc, char **argv, struct cmd_env *env);

/* Its options and help (cli/opts.h). */
extern const struct cli_doc conform_doc;

#endif
