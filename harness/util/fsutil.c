/* fsutil.c — see fsutil.h. */
#include "util/fsutil.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int read_file(const char *path, struct strbuf *sb)
{
	char chunk[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return ocb_fail_errno("cannot open %s", path);
	/* An empty file (a process's /proc file as it exits) still gives
	 * callers a real "" in sb->buf. */
	strbuf_grow(sb, 0);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ocb_fail_errno("cannot read %s", path);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		strbuf_add(sb, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

int read_file_trim(const char *path, struct strbuf *sb)
{
	if (read_file(path, sb) < 0)
		return -1;
	strbuf_rtrim(sb);
	return 0;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd, rc = 0;

	if (!copy)
		return ocb_fail("out of memory");
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		/* Some filesystems refuse fsync on directories (EINVAL); the
		 * rename is still atomic there, so only real errors count. */
		if (fsync(fd) < 0 && errno != EINVAL)
			rc = ocb_fail_errno("cannot fsync directory of %s", path);
		close(fd);
	}
	free(copy);
	return rc;
}

int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	struct strbuf tmp = STRBUF_INIT;
	int fd, rc = -1;

	strbuf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		ocb_fail_errno("cannot create %s", tmp.buf);
		goto out;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		ocb_fail_errno("cannot write %s", tmp.buf);
		close(fd);
		unlink(tmp.buf);
		goto out;
	}
	if (close(fd) < 0) {
		ocb_fail_errno("cannot close %s", tmp.buf);
		unlink(tmp.buf);
		goto out;
	}
	if (rename(tmp.buf, path) < 0) {
		ocb_fail_errno("cannot rename %s to %s", tmp.buf, path);
		unlink(tmp.buf);
		goto out;
	}
	rc = fsync_dir_of(path);
out:
	strbuf_release(&tmp);
	return rc;
}

int mkdir_p(const char *path, mode_t mode)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return ocb_fail("cannot create directory '%s': bad path length", path);
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return ocb_fail_errno("cannot create directory %s", buf);
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return ocb_fail_errno("cannot create directory %s", buf);
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(p);
	return unlink(p);
}

int remove_tree(const char *path)
{
	if (!path || !*path || strcmp(path, "/") == 0)
		return ocb_fail("refusing to remove '%s'", path ? path : "");
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return ocb_fail_errno("cannot remove %s", path);
	return 0;
}

int path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

int file_has_magic(const char *path, const void *magic, size_t n)
{
	char buf[8];
	int fd, ok = 0;

	if (!path[0] || n > sizeof(buf))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (read(fd, buf, n) == (ssize_t)n && !memcmp(buf, magic, n))
		ok = 1;
	close(fd);
	return ok;
}
