/* cli.c — see cli.h: the set-up a command's row flags ask for. */
#include "cli/cli.h"
#include "knobs/journal.h"
#include "knobs/knobs.h"
#include "knobs/remote.h"
#include "util/error.h"
#include "util/progress.h"
#include "util/strbuf.h"

void cmd_env_init(struct cmd_env *env, unsigned flags)
{
	env->flags = flags;
	env->state_dir = NULL;
	env->root = "/";
	env->force = 0;
	if (flags & (CMD_NEEDS_STATE_DIR | CMD_NEEDS_CLEAN_HOST))
		env->state_dir = journal_default_state_dir();
	if (flags & CMD_SHOWS_PROGRESS)
		progress_init();
}

/* The journal of knobs set over libvirt (STATE_DIR/libvirt), under the
 * same rule as the local one below. */
static int check_leftover_libvirt_journal(const struct cmd_env *env)
{
	struct strbuf path = STRBUF_INIT, dir = STRBUF_INIT;
	enum journal_state st;
	size_t n = 0;

	lvknob_state_dir(env->state_dir, &dir);
	st = journal_state(dir.buf);
	journal_file_path(dir.buf, &path);
	if (st == JOURNAL_LEFTOVER && !env->force)
		ocb_fail("a killed run left host changes made over libvirt in %s: run 'ocbench "
			 "restore' first (or pass --force to restore them now)", path.buf);
	strbuf_release(&dir);
	strbuf_release(&path);
	if (st == JOURNAL_LEFTOVER && !env->force)
		return -1;
	if (st == JOURNAL_LEFTOVER && lvknob_restore_journal(env->state_dir, &n) < 0)
		return ocb_err_prefix("--force: restoring the leftover libvirt journal: ");
	return 0;
}

/* A killed run's host changes come back before anything else runs: the
 * command would otherwise measure (and journal) a host in an unknown
 * state. */
static int check_leftover_journal(const struct cmd_env *env)
{
	struct strbuf path = STRBUF_INIT;
	enum journal_state st = journal_state(env->state_dir);

	journal_file_path(env->state_dir, &path);
	if (st == JOURNAL_LEFTOVER && !env->force) {
		ocb_fail("a killed run left host changes in %s: run 'ocbench restore' first "
			 "(or pass --force to restore them now)", path.buf);
		strbuf_release(&path);
		return -1;
	}
	strbuf_release(&path);
	/* JOURNAL_IN_USE: another live ocbench; a command that changes knobs
	 * is refused by the lock when it tries, one that does not may run. */
	if (st == JOURNAL_LEFTOVER && knob_restore_journal(env->root, env->state_dir) < 0)
		return ocb_err_prefix("--force: restoring the leftover journal: ");
	return check_leftover_libvirt_journal(env);
}

int cmd_env_ready(const struct cmd_env *env)
{
	if (!(env->flags & CMD_NEEDS_CLEAN_HOST))
		return 0;
	return check_leftover_journal(env);
}
