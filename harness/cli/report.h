/* report.h — `ocbench report RESULTS... [-o DIR]` (reports/report.h writes
 * the report; this is the command line around it).  Also declared in
 * cli.h's table of subcommands. */
#ifndef OCB_CLI_REPORT_H
#define OCB_CLI_REPORT_H

/* Exit: 0 written, 1 rendering failed, 2 usage error or unreadable results. */
int cmd_report(int argc, char **argv);

#endif
