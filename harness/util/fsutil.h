/* fsutil.h — small file helpers with the project's error conventions.
 *
 * write_file_atomic() is how every result file is written: a temporary
 * name in the same directory, fsync, rename, fsync of the directory.  A
 * reader sees the old file or the new one, never a torn one.
 */
#ifndef OCB_FSUTIL_H
#define OCB_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "util/strbuf.h"

/* Append the whole file to sb (sb->buf is a string afterwards, even for
 * an empty file).  -1 with the path in the message. */
int read_file(const char *path, struct strbuf *sb);
/* Read a small sysfs/procfs value, trailing newline removed. */
int read_file_trim(const char *path, struct strbuf *sb);
int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* Write all of buf to fd, retrying on EINTR and short writes. */
int write_all(int fd, const void *buf, size_t len);
/* mkdir -p with the given mode for created directories. */
int mkdir_p(const char *path, mode_t mode);
/* rm -rf of a directory we created (refuses "/" and ""). */
int remove_tree(const char *path);
int path_exists(const char *path);
/* 1 when the file starts with the n bytes of magic (n <= 8), else 0
 * (also when it cannot be read: callers fall back to the general case). */
int file_has_magic(const char *path, const void *magic, size_t n);

#endif
