/* private-lock.h — a private host-wide knob lock for a unit test.
 *
 * Knob sessions take LOCK_DIR/host.lock (knobs/hostlock.h), by default
 * /run/ocbench: one knob-changing ocbench per host.  Tests that work on
 * fake sysfs trees and private state directories point OCBENCH_LOCK_DIR
 * at a directory of their own, so they run in parallel with each other
 * and with a real ocbench.
 */
#ifndef OCB_PRIVATE_LOCK_H
#define OCB_PRIVATE_LOCK_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fsutil.h"

static char private_lock_dir[] = "/tmp/ocb-lock-XXXXXX";

/* 0, or -1 after saying why on stderr.  The directory is 0755 and the
 * lock file made up front, as root's /run/ocbench would be, so a test
 * that drops privileges still takes the lock (read-only). */
static inline int private_lock_init(void)
{
	char path[sizeof(private_lock_dir) + 16];
	int fd;

	if (!mkdtemp(private_lock_dir) || chmod(private_lock_dir, 0755) < 0 ||
	    setenv("OCBENCH_LOCK_DIR", private_lock_dir, 1) < 0) {
		perror("private lock directory under /tmp");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/host.lock", private_lock_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		return -1;
	}
	close(fd);
	return 0;
}

static inline int private_lock_done(int rc)
{
	if (remove_tree(private_lock_dir) < 0)
		fprintf(stderr, "cannot remove %s\n", private_lock_dir);
	return rc;
}

#endif
