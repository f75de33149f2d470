/* main.c — `ocbench SUBCOMMAND ...`: dispatch through one table. */
#include "cli/cli.h"
#include "cli/compare.h"
#include "cli/conform.h"
#include "cli/host.h"
#include "cli/policy.h"
#include "cli/report.h"
#include "cli/restore.h"
#include "cli/run.h"
#include "util/interrupt.h"
#include "util/runcmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef OCB_VERSION
#define OCB_VERSION "0.1"
#endif

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv, struct cmd_env *env);
	unsigned flags;		/* enum cmd_flags (cli.h): the set-up main.c does for it */
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "run", cmd_run, CMD_NEEDS_STATE_DIR | CMD_NEEDS_CLEAN_HOST | CMD_SHOWS_PROGRESS,
	  "run scenarios: boot guests, drive the timeline, write results" },
	{ "host", cmd_host, 0, "host capability report: CPU, KVM, KSM/THP/hugetlb/swap settings" },
	{ "restore", cmd_restore, CMD_NEEDS_STATE_DIR,
	  "undo host knob changes of a killed run (from the journal)" },
	/* A killed run's journal is met at the first knob a check sets
	 * (knob_set_begin), so the checks that change nothing still run. */
	{ "conform", cmd_conform, CMD_NEEDS_STATE_DIR,
	  "conformance checks: balloon, KSM, THP, hugetlb, EPT/VPID (JUnit/TAP/JSON)" },
	{ "compare", cmd_compare, 0, "compare two result sets; exit 1 on a regression" },
	{ "report", cmd_report, 0, "turn results into HTML/Markdown reports with plots" },
	{ "policy", cmd_policy, 0, "automatic balloon/KSM policies: list them, replay a run's samples through one" },
};

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
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(f, "\n'ocbench COMMAND --help' describes one command.\n"
		   "Exit codes: 0 success, 1 failure or regression, 2 usage or set-up error.\n");
}

static void at_exit_kill_children(void)
{
	runcmd_kill_all();
}

int main(int argc, char **argv)
{
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
		printf("ocbench %s\n", OCB_VERSION);
		return OCB_EXIT_OK;
	}
	atexit(at_exit_kill_children);
	interrupt_install();
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return run_command(&subcommands[i], argc - 1, argv + 1);
	fprintf(stderr, "ocbench: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return OCB_EXIT_USAGE;
}
