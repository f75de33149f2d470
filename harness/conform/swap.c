/* swap.c — see swap.h.
 *
 * Two knob sessions of their own, each in a private state directory under
 * the suite's run directory (so the suite's own journal is not touched):
 * the first, in this process, applies `swap = 64M`, sees /proc/swaps list
 * the file, restores, and sees it gone; the second, in a child process,
 * applies it and SIGKILLs itself, after which the file must still be
 * active (nobody restored it), and knob_restore_journal — what `ocbench
 * restore` runs — must swap it off and remove it.
 */
#include "conform/swap.h"
#include "conform/fixture.h"
#include "host/swapfile.h"
#include "knobs/knobs.h"
#include "util/error.h"
#include "util/fsutil.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SWAP_SIZE "64M"

struct swap_seen {
	int active, exists;
};

static void seen(struct conform_ctx *c, const char *file, struct swap_seen *s)
{
	s->active = swapfile_active(c->opt.root, file) == 1;
	s->exists = path_exists(file);
}

/* Apply in this process, look, restore, look. */
static int session_path(struct conform_ctx *c, const char *state, const char *file,
			struct swap_seen *during, struct swap_seen *after)
{
	struct knob_set *ks = knob_set_begin(c->opt.root, state, 0);
	char why[256];
	int rc = -1;

	if (!ks)
		return -1;
	if (knob_apply(ks, "swap", SWAP_SIZE, why, sizeof(why)) == 0) {
		seen(c, file, during);
		rc = 0;
	}
	if (knob_set_restore(ks) < 0)
		rc = -1;
	knob_set_free(ks);
	seen(c, file, after);
	return rc;
}

/* Apply in a child that SIGKILLs itself; look; restore from its journal;
 * look.  -1 (ERROR) when the child could not apply. */
static int killed_path(struct conform_ctx *c, const char *state, const char *file,
		       struct swap_seen *killed, struct swap_seen *restored)
{
	int st = 0;
	pid_t pid = fork();

	if (pid < 0)
		return ocb_fail_errno("fork");
	if (pid == 0) {
		struct knob_set *ks = knob_set_begin(c->opt.root, state, 0);
		char why[256];

		if (!ks || knob_apply(ks, "swap", SWAP_SIZE, why, sizeof(why)) != 0)
			_exit(3);
		raise(SIGKILL);	/* the crash: the parent sees this signal, never an exit */
	}
	if (waitpid(pid, &st, 0) < 0)
		return ocb_fail_errno("waitpid");
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
		return ocb_fail("the session applying swap = %s in a child did not get as far as its "
				"SIGKILL (status %d)", SWAP_SIZE, st);
	seen(c, file, killed);
	if (knob_restore_journal(c->opt.root, state) < 0)
		return ocb_err_prefix("ocbench restore's journal restore: ");
	seen(c, file, restored);
	return 0;
}

static void record(json_t *ev, const char *key, const struct swap_seen *s)
{
	json_object_set_new(ev, key, json_pack("{s:b, s:b}", "in_proc_swaps", s->active, "file_exists",
					       s->exists));
}

void conform_swap_001(struct conform_ctx *c, struct conform_result *r)
{
	char st1[400], st2[400], f1[500], f2[500];
	struct swap_seen during = { 0 }, after = { 0 }, killed = { 0 }, restored = { 0 };

	snprintf(st1, sizeof(st1), "%s/swap-session", c->rundir);
	snprintf(st2, sizeof(st2), "%s/swap-killed", c->rundir);
	snprintf(f1, sizeof(f1), "%s/" SWAPFILE_NAME, st1);
	snprintf(f2, sizeof(f2), "%s/" SWAPFILE_NAME, st2);
	if (mkdir_p(st1, 0700) < 0 || mkdir_p(st2, 0700) < 0 ||
	    session_path(c, st1, f1, &during, &after) < 0 ||
	    killed_path(c, st2, f2, &killed, &restored) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	record(r->evidence, "during_session", &during);
	record(r->evidence, "after_restore", &after);
	record(r->evidence, "after_sigkill", &killed);
	record(r->evidence, "after_ocbench_restore", &restored);
	json_object_set_new(r->evidence, "rule", json_string("exact: in /proc/swaps while the session "
							      "lasts and after its SIGKILL; not in it and "
							      "no file after either restore"));
	conform_summary(r, "swap file active during the run and after SIGKILL, gone after restore: "
			"%s/%s", after.active || after.exists ? "no" : "yes",
			restored.active || restored.exists ? "no" : "yes");
	if (!during.active || !killed.active)
		conform_failf(r, "the swap file was not in /proc/swaps %s", !during.active ?
			      "while its session lasted" : "after its session was SIGKILLed");
	else if (after.active || after.exists)
		conform_failf(r, "after the session's restore the swap file is still %s",
			      after.active ? "in /proc/swaps" : "on disk");
	else if (restored.active || restored.exists)
		conform_failf(r, "after SIGKILL and ocbench restore the swap file is still %s",
			      restored.active ? "in /proc/swaps" : "on disk");
	else
		conform_pass(r, "active while journaled, gone after restore (also after SIGKILL)");
}
