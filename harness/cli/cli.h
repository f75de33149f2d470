/* cli.h — what every `ocbench` subcommand shares: its exit codes and the
 * set-up main.c does for it.
 *
 * Each subcommand is a function in its own file (run.c, host.c, ...,
 * each with its header) registered in main.c's table (git.c's
 * commands[]).  It gets argc/argv starting at its own name and the
 * environment its row's flags asked for, and returns one of the exit
 * codes below.  The flags keep a set-up in one place instead of in every
 * command that needs it (git's RUN_SETUP).
 */
#ifndef OCB_CLI_H
#define OCB_CLI_H

enum ocb_exit {
	OCB_EXIT_OK = 0,	/* success, pass, no regression */
	OCB_EXIT_FAIL = 1,	/* a run/check failed, a regression */
	OCB_EXIT_USAGE = 2,	/* usage or set-up error */
};

enum cmd_flags {
	/* The command works on the knob journal's state directory: env
	 * starts with journal_default_state_dir() (knobs/journal.h) and root
	 * "/", which its --state-dir, --root and --force options change. */
	CMD_NEEDS_STATE_DIR = 1u << 0,
	/* A killed run's host changes come back before the command does
	 * anything: a journal left in the state directory (or its libvirt/
	 * subdirectory) is refused, or restored with --force, by
	 * cmd_env_ready().  Implies CMD_NEEDS_STATE_DIR. */
	CMD_NEEDS_CLEAN_HOST = 1u << 1,
	/* The command prints progress lines (util/progress.h): their mode
	 * (terminal or plain) is decided before it starts. */
	CMD_SHOWS_PROGRESS = 1u << 2,
};

/* A command whose row has no flags never reads its env (tests call such
 * commands with NULL). */
struct cmd_env {
	unsigned flags;			/* the row's CMD_* */
	const char *state_dir;		/* CMD_NEEDS_STATE_DIR */
	const char *root;		/* host root, "/" */
	int force;			/* --force: restore a killed run's journal */
};

/* What main.c sets up from a row's flags before calling the command. */
void cmd_env_init(struct cmd_env *env, unsigned flags);
/* The rest, once the command has parsed its options (they may change the
 * state directory, root and force): 0, or -1 with a message naming the
 * journal and what to do.  Does nothing for a row without
 * CMD_NEEDS_CLEAN_HOST. */
int cmd_env_ready(const struct cmd_env *env);

#endif
