/* cli.h — the subcommands of `ocbench` (git-style).
 *
 * Each subcommand is a function in its own file (cmd-run.c, cmd-host.c,
 * ...) registered in the table in main.c.  It gets argc/argv starting at
 * its own name and returns the process exit code:
 */
#ifndef OCB_CLI_H
#define OCB_CLI_H

enum ocb_exit {
	OCB_EXIT_OK = 0,	/* success, pass, no regression */
	OCB_EXIT_FAIL = 1,	/* a run/check failed, a regression */
	OCB_EXIT_USAGE = 2,	/* usage or set-up error */
};

int cmd_run(int argc, char **argv);
int cmd_host(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_conform(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
