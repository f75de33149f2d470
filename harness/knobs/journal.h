/* journal.h — the crash-safe record of every host change.
 *
 * Before ocbench writes a host file it appends the file's path and its
 * previous contents to STATE_DIR/host-knobs.journal and fsyncs it; only
 * then does it write.  Undoing walks the records in reverse, so a file
 * changed twice ends at its first previous value, and undoing twice
 * writes the same values twice (idempotent).  A record torn by a crash
 * (no final newline) is ignored: its write never happened, because the
 * write only follows a complete, synced record.  The journal is removed
 * only after every record has been undone.
 *
 * The journal does not know what a record means; the caller's undo
 * function does (knobs.c).  One session at a time per state directory:
 * STATE_DIR/lock is flocked by the session and by restore, and the kernel
 * drops the lock when the holder dies, however it dies.
 *
 * Format, one record a line, fields %-escaped (space, %, control bytes):
 *   ocbench-journal 1 <pid>
 *   root <root>
 *   <kind> <path> <previous contents>
 */
#ifndef OCB_JOURNAL_H
#define OCB_JOURNAL_H

#include <stddef.h>

#include "util/strbuf.h"

#define JOURNAL_NAME "host-knobs.journal"
#define OCB_DEFAULT_STATE_DIR "/var/lib/ocbench"

struct journal_entry {
	char *kind;	/* "set", "modparam", ... (the undo function decides) */
	char *path;	/* as the kernel spells it, relative to root */
	char *prev;	/* exact previous bytes */
};

struct journal {
	char *path;
	char *state_dir;
	char *root;
	long pid;		/* process that wrote it */
	int fd;			/* O_APPEND, -1 when loaded read-only */
	int lock_fd;
	int host_lock;		/* holds a count of the host-wide lock (hostlock.h) */
	struct journal_entry *e;
	size_t n, alloc;
};

/* $OCBENCH_STATE_DIR, else /var/lib/ocbench. */
const char *journal_default_state_dir(void);
void journal_file_path(const char *state_dir, struct strbuf *out);

enum journal_state {
	JOURNAL_NONE,		/* no journal: the host is as found */
	JOURNAL_LEFTOVER,	/* a journal nobody holds: a killed run's */
	JOURNAL_IN_USE,		/* another live ocbench holds the lock */
};
/* What the state directory holds now (no message is set). */
enum journal_state journal_state(const char *state_dir);

/* Start a journal for a session changing files under root.  Takes the
 * host-wide lock first (hostlock.h: waits, or fails with --no-wait), so
 * nothing is read as "previous" while another ocbench changes the host.
 * Returns NULL with a message when a journal is already there (a killed
 * run: restore first) or another ocbench holds the state directory. */
struct journal *journal_create(const char *state_dir, const char *root);
/* Append and fsync one record.  -1 (nothing may be written then). */
int journal_append(struct journal *j, const char *kind, const char *path, const char *prev);

/* Open the journal a previous process left, holding the host-wide lock
 * (its undo writes knobs).  1 loaded (*out set), 0 there is none, -1
 * error (unreadable, or a live ocbench holds the lock). */
int journal_load(const char *state_dir, struct journal **out);

typedef int (*journal_undo_fn)(const char *root, const struct journal_entry *e, void *arg);
/* Undo every record in reverse order (all are tried even after a failure),
 * then remove the journal file if all succeeded.  root overrides the
 * journal's recorded root when not NULL.  -1 with the failures listed. */
int journal_undo_all(struct journal *j, const char *root, journal_undo_fn undo, void *arg);
/* Close and unlink the journal file (and sync the directory). Idempotent. */
int journal_remove(struct journal *j);
/* Close; the file stays if it was not removed. */
void journal_free(struct journal *j);

/* Escaping used by the format (exposed for tests). */
void journal_escape(const char *s, struct strbuf *out);
int journal_unescape(const char *s, size_t len, struct strbuf *out);

#endif
