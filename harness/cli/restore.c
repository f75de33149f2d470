/* restore.c — `ocbench restore [--state-dir DIR] [--root DIR]`: put
 * back every host knob a killed run changed, from its journal. */
#include "host/cgroup.h"
#include "cli/restore.h"
#include "cli/opts.h"
#include "util/error.h"
#include "knobs/hostlock.h"
#include "knobs/journal.h"
#include "knobs/remote.h"
#include "knobs/knobs.h"

#include <getopt.h>
#include <stdio.h>

enum { O_STATE_DIR = CLI_LONG_ONLY, O_ROOT, O_NO_WAIT };

static const struct cli_opt restore_opts[] = {
	{ "state-dir", O_STATE_DIR, CLI_ARG, "DIR", CLI_V_DIR, NULL, "where the journal is" },
	{ "root", O_ROOT, CLI_ARG, "DIR", CLI_V_DIR, NULL,
	  "the tree the journal's paths are under (default: the\n"
	  "one recorded in the journal)" },
	{ "no-wait", O_NO_WAIT, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "fail instead of waiting while another ocbench changes\n"
	  "host knobs (it holds the host-wide lock)" },
	{ "help", 'h', CLI_NOARG, NULL, CLI_V_NONE, NULL, "print this help" },
	{ NULL, 0, CLI_NOARG, NULL, CLI_V_NONE, NULL, NULL },
};

const struct cli_doc restore_doc = {
	.name = "restore",
	.summary = "undo host knob changes of a killed run (from the journal)",
	.synopsis = "[--state-dir DIR] [--root DIR] [--no-wait]",
	.description =
		"Undo the host knob changes of an ocbench run that was killed (SIGKILL,\n"
		"power cut), from the journal in the state directory ($OCBENCH_STATE_DIR,\n"
		"default " OCB_DEFAULT_STATE_DIR ").  Knobs a run changed on remote hosts\n"
		"over libvirt are journaled in DIR/" LVKNOB_SUBDIR " and put back over libvirt\n"
		"(the hosts must be reachable).  Empty memory cgroups (host_memory_limit)\n"
		"of killed runs are removed.  Safe to run at any time: with no journal\n"
		"there is nothing to do.",
	.opts = restore_opts,
	.operands = CLI_V_NONE,
	.exit_status = "0 restored or nothing to restore, 1 a value could not be put back,\n"
		       "2 usage error.",
};

/* Knobs a killed run set on remote hosts over libvirt (knob-remote.h). */
static int restore_remote(const char *state_dir)
{
	size_t n = 0;
	int rc = lvknob_restore_journal(state_dir, &n);

	if (rc < 0)
		fprintf(stderr, "ocbench restore: %s\n", ocb_errmsg());
	else if (rc > 0)
		printf("ocbench restore: restored %zu host change%s made over libvirt (%s/%s)\n", n,
		       n == 1 ? "" : "s", state_dir, LVKNOB_SUBDIR);
	return rc;
}

/* The memory-cap groups of killed runs (their QEMUs died with them). */
static void remove_stale_cgroups(const char *root)
{
	int n = cgroup_remove_stale(root ? root : "/");

	if (n > 0)
		printf("ocbench restore: removed %d empty memory cgroup%s of killed runs\n", n,
		       n == 1 ? "" : "s");
}

int cmd_restore(int argc, char **argv, struct cmd_env *env)
{
	struct cli_getopt g;
	/* root NULL: the one recorded in the journal (not env's "/") */
	const char *state_dir = env->state_dir, *root = NULL;
	struct journal *j = NULL;
	size_t n;
	int c, rc, remote;

	cli_getopt_init(&g, &restore_doc);
	optind = 1;
	while ((c = cli_getopt_next(&g, argc, argv)) != -1) {
		switch (c) {
		case O_STATE_DIR: state_dir = optarg; break;
		case O_ROOT: root = optarg; break;
		case O_NO_WAIT: hostlock_set_wait(0); break;
		case 'h': cli_usage(stdout, &restore_doc); return OCB_EXIT_OK;
		default: cli_usage(stderr, &restore_doc); return OCB_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ocbench restore: unexpected argument '%s'\n", argv[optind]);
		cli_usage(stderr, &restore_doc);
		return OCB_EXIT_USAGE;
	}
	/* knobs set over libvirt; a remote host that cannot be
	 * reached must not keep this host's knobs from coming back */
	remote = restore_remote(state_dir);
	remove_stale_cgroups(root);
	rc = journal_load(state_dir, &j);
	if (rc < 0) {
		fprintf(stderr, "ocbench restore: %s\n", ocb_errmsg());
		return OCB_EXIT_FAIL;
	}
	if (rc == 0) {
		if (remote == 0)
			printf("ocbench restore: nothing to restore (no journal in %s)\n", state_dir);
		return remote < 0 ? OCB_EXIT_FAIL : OCB_EXIT_OK;
	}
	n = j->n;
	journal_free(j);	/* releases the lock for knob_restore_journal */
	if (knob_restore_journal(root, state_dir) < 0) {
		fprintf(stderr, "ocbench restore: %s\n", ocb_errmsg());
		return OCB_EXIT_FAIL;
	}
	printf("ocbench restore: restored %zu host change%s recorded in %s\n", n,
	       n == 1 ? "" : "s", state_dir);
	if (remote < 0)
		return OCB_EXIT_FAIL;
	return OCB_EXIT_OK;
}
