/* commands.c — see commands.h. */
#include "cli/commands.h"
#include "cli/compare.h"
#include "cli/conform.h"
#include "cli/host.h"
#include "cli/policy.h"
#include "cli/report.h"
#include "cli/restore.h"
#include "cli/run.h"

#include <string.h>

static const struct subcommand subcommands[] = {
	{ cmd_run, CMD_NEEDS_STATE_DIR | CMD_NEEDS_CLEAN_HOST | CMD_SHOWS_PROGRESS, &run_doc },
	{ cmd_host, 0, &host_doc },
	{ cmd_restore, CMD_NEEDS_STATE_DIR, &restore_doc },
	/* A killed run's journal is met at the first knob a check sets
	 * (knob_set_begin), so the checks that change nothing still run. */
	{ cmd_conform, CMD_NEEDS_STATE_DIR, &conform_doc },
	{ cmd_compare, 0, &compare_doc },
	{ cmd_report, 0, &report_doc },
	{ cmd_policy, 0, &policy_doc },
	{ NULL, 0, NULL },
};

const struct subcommand *cli_commands(void)
{
	return subcommands;
}

const struct subcommand *cli_command_find(const char *name)
{
	for (const struct subcommand *c = subcommands; c->doc; c++)
		if (!strcmp(c->doc->name, name))
			return c;
	return NULL;
}
