/* commands.h — every `ocbench` subcommand as one row: its function, the
 * set-up main.c does for it (enum cmd_flags) and its documentation
 * (cli/opts.h), from which `ocbench --help`, the man pages and the shell
 * completion are made (git.c's commands[]).
 */
#ifndef OCB_CLI_COMMANDS_H
#define OCB_CLI_COMMANDS_H

#include "cli/cli.h"
#include "cli/opts.h"

struct subcommand {
	int (*fn)(int argc, char **argv, struct cmd_env *env);
	unsigned flags;			/* enum cmd_flags (cli.h) */
	const struct cli_doc *doc;	/* name, summary, options */
};

/* The rows in `ocbench --help` order, ending with a row whose doc is NULL. */
const struct subcommand *cli_commands(void);
/* The row named name, or NULL. */
const struct subcommand *cli_command_find(const char *name);

#endif
