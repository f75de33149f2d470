/* main.c — `ocbench SUBCOMMAND ...`: dispatch through the command table
 * (cli/commands.c).  Two hidden commands serve the build and the shell:
 * `__man` writes the man pages, `__complete` the completion candidates. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/complete.h"
#include "cli/man.h"
#include "cli/version.h"
#include "util/interrupt.h"
#include "util/runcmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run_command(const struct subcommand *cmd, int argc, char **argv)
{
	struct cmd_env env;

	cmd_env_init(&env, cmd->flags);
	return cmd->fn(argc, argv, &env);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ocbench COMMAND [ARGS]\n\n"
		   "ocbench measures memory overcommit (balloon, KSM, hugepages, EPT/VPID)\n"
		   "on QEMU/KVM hosts.  Commands:\n\n");
	for (const struct subcommand *c = cli_commands(); c->doc; c++)
		fprintf(f, "  %-10s %s\n", c->doc->name, c->doc->summary);
	fprintf(f, "\n'ocbench COMMAND --help' describes one command, 'man ocbench-COMMAND' too;\n"
		   "'ocbench --version' the version, schemas and features of this build.\n"
		   "Exit codes: 0 success, 1 failure or regression, 2 usage or set-up error.\n");
}

static void at_exit_kill_children(void)
{
	runcmd_kill_all();
}

int main(int argc, char **argv)
{
	const struct subcommand *cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		usage(stderr);
		return OCB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return OCB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		ocb_print_version(stdout);
		return OCB_EXIT_OK;
	}
	if (!strcmp(argv[1], "__man"))
		return cmd_man(argc - 1, argv + 1);
	if (!strcmp(argv[1], "__complete"))
		return cmd_complete(argc - 1, argv + 1);
	atexit(at_exit_kill_children);
	interrupt_install();
	cmd = cli_command_find(argv[1]);
	if (cmd)
		return run_command(cmd, argc - 1, argv + 1);
	fprintf(stderr, "ocbench: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return OCB_EXIT_USAGE;
}
