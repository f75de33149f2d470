/* host.h — `ocbench host`: the host capability report. */
#ifndef OCB_CLI_HOST_H
#define OCB_CLI_HOST_H

#include "cli/cli.h"
#include "cli/opts.h"

int cmd_host(int argc, char **argv, struct cmd_env *env);

/* Its options and help (cli/opts.h). */
extern const struct cli_doc host_doc;

#endif
