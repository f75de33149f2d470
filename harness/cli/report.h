/* report.h — `ocbench report`: HTML/Markdown reports with plots from results. */
#ifndef OCB_CLI_REPORT_H
#define OCB_CLI_REPORT_H

#include "cli/cli.h"
#include "cli/opts.h"

int cmd_report(int argc, char **argv, struct cmd_env *env);

/* Its options and help (cli/opts.h). */
extern const struct cli_doc report_doc;

#endif
