/* report.h — `ocbench report`: HTML/Markdown reports with plots from results. */
#ifndef OCB_CLI_REPORT_H
#define OCB_CLI_REPORT_H

#include "cli/cli.h"

int cmd_report(int argc, char **argv, struct cmd_env *env);

#endif
