/* journal.c — see journal.h. */
#include "knobs/journal.h"
#include "knobs/hostlock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

const char *journal_default_state_dir(void)
{
	const char *env = getenv("OCBENCH_STATE_DIR");

	return env && *env ? env : OCB_DEFAULT_STATE_DIR;
}

void journal_file_path(const char *state_dir, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s", state_dir, JOURNAL_NAME);
}

void journal_escape(const char *s, struct strbuf *out)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p == '%' || *p >= 0x7f)
			strbuf_addf(out, "%%%02x", *p);
		else
			strbuf_addch(out, (char)*p);
	}
	if (!*s)
		strbuf_adds(out, "%");	/* an empty field stays a field */
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int journal_unescape(const char *s, size_t len, struct strbuf *out)
{
	if (len == 1 && s[0] == '%')
		return 0;
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] != '%') {
			strbuf_addch(out, s[i]);
			continue;
		}
		if (i + 2 >= len)
			return -1;
		hi = hexval(s[i + 1]);
		lo = hexval(s[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return -1;
		strbuf_addch(out, (char)(hi * 16 + lo));
		i += 2;
	}
	return 0;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return ocb_fail_errno("cannot open directory %s", dir);
	if (fsync(fd) < 0 && errno != EINVAL) {
		ocb_fail_errno("cannot fsync directory %s", dir);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The state directory's lock: held for as long as a session or a restore
 * runs; the kernel releases it when the process dies. */
static int take_lock(const char *state_dir)
{
	struct strbuf p = STRBUF_INIT;
	int fd;

	strbuf_addf(&p, "%s/lock", state_dir);
	fd = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		ocb_fail_errno("cannot open lock file %s", p.buf);
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			ocb_fail("another ocbench is changing host knobs (it holds %s); "
				 "wait for it to finish", p.buf);
		else
			ocb_fail_errno("cannot lock %s", p.buf);
		close(fd);
		fd = -1;
	}
out:
	strbuf_release(&p);
	return fd;
}

enum journal_state journal_state(const char *state_dir)
{
	struct strbuf p = STRBUF_INIT;
	enum journal_state st = JOURNAL_NONE;
	int fd;

	journal_file_path(state_dir, &p);
	if (path_exists(p.buf)) {
		st = JOURNAL_LEFTOVER;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/lock", state_dir);
		fd = open(p.buf, O_RDONLY | O_CLOEXEC);
		/* A live session holds the lock; a dead one's lock died with it. */
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK)
			st = JOURNAL_IN_USE;
		if (fd >= 0)
			close(fd);
	}
	strbuf_release(&p);
	return st;
}

static struct journal *journal_new(const char *state_dir)
{
	struct journal *j = xcalloc(1, sizeof(*j));
	struct strbuf p = STRBUF_INIT;

	journal_file_path(state_dir, &p);
	j->path = strbuf_detach(&p);
	j->state_dir = xstrdup(state_dir);
	j->fd = -1;
	j->lock_fd = -1;
	return j;
}

static void add_entry(struct journal *j, const char *kind, const char *path, const char *prev)
{
	ALLOC_GROW(j->e, j->n + 1, j->alloc);
	j->e[j->n].kind = xstrdup(kind);
	j->e[j->n].path = xstrdup(path);
	j->e[j->n].prev = xstrdup(prev);
	j->n++;
}

/* One write() of a whole line, then fdatasync: a crash leaves the line
 * complete or visibly torn (no newline), never a plausible half. */
static int append_line(struct journal *j, const struct strbuf *line)
{
	if (write_all(j->fd, line->buf, line->len) < 0)
		return ocb_fail_errno("cannot append to journal %s", j->path);
	if (fdatasync(j->fd) < 0)
		return ocb_fail_errno("cannot fsync journal %s", j->path);
	return 0;
}

static int load_file(const char *state_dir, struct journal **out);

static int stale_journal_error(const char *state_dir)
{
	struct strbuf p = STRBUF_INIT;
	struct journal *old = NULL;
	long pid = 0;
	size_t n = 0;

	journal_file_path(state_dir, &p);
	/* We hold the lock already: read without taking it again. */
	if (load_file(state_dir, &old) == 1) {
		pid = old->pid;
		n = old->n;
	}
	journal_free(old);
	ocb_fail("host knobs changed by a killed ocbench run (pid %ld, %zu change%s) are "
		 "recorded in %s: run 'ocbench restore%s%s' first, or pass --force",
		 pid, n, n == 1 ? "" : "s", p.buf,
		 strcmp(state_dir, OCB_DEFAULT_STATE_DIR) ? " --state-dir " : "",
		 strcmp(state_dir, OCB_DEFAULT_STATE_DIR) ? state_dir : "");
	strbuf_release(&p);
	return -1;
}

/* A journal with no complete change record (we hold the lock). */
static int stale_is_empty(const char *state_dir)
{
	struct journal *old = NULL;
	int empty = load_file(state_dir, &old) == 1 && old->n == 0;

	journal_free(old);
	return empty;
}

struct journal *journal_create(const char *state_dir, const char *root)
{
	struct journal *j;
	struct strbuf line = STRBUF_INIT;

	if (mkdir_p(state_dir, 0700) < 0 || hostlock_hold() < 0)
		return NULL;
	j = journal_new(state_dir);
	j->host_lock = 1;
	j->root = xstrdup(root && *root ? root : "/");
	j->pid = (long)getpid();
	j->lock_fd = take_lock(state_dir);
	if (j->lock_fd < 0)
		goto fail;
	j->fd = open(j->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	if (j->fd < 0 && errno == EEXIST && stale_is_empty(state_dir)) {
		/* killed before its first change: nothing to restore */
		unlink(j->path);
		j->fd = open(j->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	}
	if (j->fd < 0) {
		if (errno == EEXIST || path_exists(j->path))
			stale_journal_error(state_dir);
		else
			ocb_fail_errno("cannot create journal %s", j->path);
		goto fail;
	}
	strbuf_addf(&line, "ocbench-journal 1 %ld\nroot ", j->pid);
	journal_escape(j->root, &line);
	strbuf_addch(&line, '\n');
	if (append_line(j, &line) < 0 || sync_dir(state_dir) < 0) {
		journal_remove(j);
		goto fail;
	}
	strbuf_release(&line);
	return j;
fail:
	strbuf_release(&line);
	journal_free(j);
	return NULL;
}

int journal_append(struct journal *j, const char *kind, const char *path, const char *prev)
{
	struct strbuf line = STRBUF_INIT;
	int rc;

	if (!j || j->fd < 0)
		return ocb_fail("journal is not open for writing");
	strbuf_adds(&line, kind);
	strbuf_addch(&line, ' ');
	journal_escape(path, &line);
	strbuf_addch(&line, ' ');
	journal_escape(prev, &line);
	strbuf_addch(&line, '\n');
	rc = append_line(j, &line);
	if (rc == 0)
		add_entry(j, kind, path, prev);
	strbuf_release(&line);
	return rc;
}

/* Split a complete line into up to 3 space-separated fields. */
static int split3(const char *line, size_t len, const char **f, size_t *fl)
{
	size_t i = 0;
	int nf = 0;

	while (i < len && nf < 3) {
		size_t s = i;

		while (i < len && line[i] != ' ')
			i++;
		f[nf] = line + s;
		fl[nf] = i - s;
		nf++;
		if (i < len)
			i++;
	}
	return nf;
}

static int parse_journal(struct journal *j, const char *text)
{
	const char *p = text;
	int lineno = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *f[3];
		size_t fl[3], len;
		int nf;

		if (!nl)
			break;	/* torn last record: its write never happened */
		len = (size_t)(nl - p);
		lineno++;
		nf = split3(p, len, f, fl);
		if (lineno == 1) {
			if (nf < 3 || fl[0] != 15 || strncmp(f[0], "ocbench-journal", 15))
				return ocb_fail("%s:1: not an ocbench journal", j->path);
			j->pid = strtol(f[2], NULL, 10);
		} else if (nf == 2 && fl[0] == 4 && !strncmp(f[0], "root", 4)) {
			struct strbuf r = STRBUF_INIT;

			if (journal_unescape(f[1], fl[1], &r) < 0) {
				strbuf_release(&r);
				return ocb_fail("%s:%d: bad escape in root", j->path, lineno);
			}
			free(j->root);
			j->root = strbuf_detach(&r);
		} else if (nf == 3) {
			struct strbuf k = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
			int bad = journal_unescape(f[1], fl[1], &a) < 0 ||
				  journal_unescape(f[2], fl[2], &b) < 0;

			strbuf_add(&k, f[0], fl[0]);
			if (!bad)
				add_entry(j, k.buf, a.buf, b.buf);
			strbuf_release(&k);
			strbuf_release(&a);
			strbuf_release(&b);
			if (bad)
				return ocb_fail("%s:%d: bad escape in record", j->path, lineno);
		} else {
			return ocb_fail("%s:%d: malformed record (expected KIND PATH VALUE)",
					j->path, lineno);
		}
		p = nl + 1;
	}
	return 0;
}

static int load_file(const char *state_dir, struct journal **out)
{
	struct journal *j;
	struct strbuf text = STRBUF_INIT;

	*out = NULL;
	j = journal_new(state_dir);
	if (read_file(j->path, &text) < 0) {
		if (errno == ENOENT) {	/* removed under us by a finishing run */
			strbuf_release(&text);
			journal_free(j);
			return 0;
		}
		goto fail;
	}
	j->root = xstrdup("/");
	if (parse_journal(j, strbuf_str(&text)) < 0)
		goto fail;
	strbuf_release(&text);
	*out = j;
	return 1;
fail:
	strbuf_release(&text);
	journal_free(j);
	return -1;
}

int journal_load(const char *state_dir, struct journal **out)
{
	struct strbuf p = STRBUF_INIT;
	int lock_fd, rc;

	*out = NULL;
	journal_file_path(state_dir, &p);
	rc = path_exists(p.buf);
	strbuf_release(&p);
	if (!rc)
		return 0;
	if (hostlock_hold() < 0)
		return -1;
	lock_fd = take_lock(state_dir);
	rc = lock_fd < 0 ? -1 : load_file(state_dir, out);
	if (rc == 1) {
		(*out)->lock_fd = lock_fd;
		(*out)->host_lock = 1;
		return 1;
	}
	if (lock_fd >= 0)
		close(lock_fd);
	hostlock_drop();
	return rc;
}

int journal_undo_all(struct journal *j, const char *root, journal_undo_fn undo, void *arg)
{
	struct strbuf failed = STRBUF_INIT;
	size_t nfail = 0;

	if (!j)
		return 0;
	if (!root)
		root = j->root ? j->root : "/";
	for (size_t i = j->n; i-- > 0;) {
		if (undo(root, &j->e[i], arg) == 0)
			continue;
		nfail++;
		strbuf_addf(&failed, "%s%s", failed.len ? "; " : "", ocb_errmsg());
	}
	if (nfail) {
		ocb_fail("could not restore %zu of %zu host change%s (journal kept at %s): %s",
			 nfail, j->n, j->n == 1 ? "" : "s", j->path, failed.buf);
		strbuf_release(&failed);
		return -1;
	}
	strbuf_release(&failed);
	return journal_remove(j);
}

int journal_remove(struct journal *j)
{
	int rc = 0;

	if (!j || !j->path)
		return 0;
	if (j->fd >= 0) {
		close(j->fd);
		j->fd = -1;
	}
	if (unlink(j->path) < 0 && errno != ENOENT)
		return ocb_fail_errno("cannot remove journal %s", j->path);
	rc = sync_dir(j->state_dir);
	return rc;
}

void journal_free(struct journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	if (j->lock_fd >= 0)
		close(j->lock_fd);
	if (j->host_lock)
		hostlock_drop();
	for (size_t i = 0; i < j->n; i++) {
		free(j->e[i].kind);
		free(j->e[i].path);
		free(j->e[i].prev);
	}
	free(j->e);
	free(j->path);
	free(j->state_dir);
	free(j->root);
	free(j);
}
