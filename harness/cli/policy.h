/* policy.h — `ocbench policy list` and `ocbench policy simulate TRACE
 * --policy NAME`: the policies and their keys, and a recorded run
 * replayed through one without booting anything. */
#ifndef OCB_CLI_POLICY_H
#define OCB_CLI_POLICY_H

#include "cli/opts.h"

struct cmd_env;

int cmd_policy(int argc, char **argv, struct cmd_env *env);

/* Its options and help (cli/opts.h). */
extern const struct cli_doc policy_doc;

#endif
