/* cli.h — what every `ocbench` subcommand shares (git-style).
 *
 * Each subcommand is a function in its own file (run.c, host.c, ...,
 * each with its header) registered in the table in main.c.  It gets
 * argc/argv starting at its own name and returns the process exit code:
 */
#ifndef OCB_CLI_H
#define OCB_CLI_H

enum ocb_exit {
	OCB_EXIT_OK = 0,	/* success, pass, no regression */
	OCB_EXIT_FAIL = 1,	/* a run/check failed, a regression */
	OCB_EXIT_USAGE = 2,	/* usage or set-up error */
};

#endif
