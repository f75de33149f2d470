/* hostlock.c — see hostlock.h. */
#include "knobs/hostlock.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/interrupt.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* How often a waiting process tries again: a run holds the lock for
 * minutes, and a signal must end the wait promptly. */
#define HOSTLOCK_POLL_NS (100 * 1000000ull)

static int wait_policy = 1;
static int held_fd = -1;
static unsigned held_count;

const char *hostlock_dir(void)
{
	const char *env = getenv("OCBENCH_LOCK_DIR");

	return env && *env ? env : HOSTLOCK_DEFAULT_DIR;
}

void hostlock_set_wait(int wait)
{
	wait_policy = wait;
}

int hostlock_wait_policy(void)
{
	return wait_policy;
}

/* "pid N" as the holder wrote it, or "pid unknown" (it may be writing
 * it, or be a tool such as flock(1)). */
static const char *holder_pid(int fd, char *out, size_t len)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid;

	buf[n > 0 ? n : 0] = '\0';
	pid = strtol(buf, NULL, 10);
	if (pid > 0)
		snprintf(out, len, "pid %ld", pid);
	else
		snprintf(out, len, "pid unknown");
	return out;
}

static int write_pid(int fd, const char *path)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		return ocb_fail_errno("cannot write the holder's pid into %s", path);
	return 0;
}

/* flock until it succeeds: 0, or -1 with the message (interrupted). */
static int wait_for(int fd, const char *path)
{
	char pid[32];

	fprintf(stderr, "ocbench: waiting for the ocbench that holds %s (%s)\n", path,
		holder_pid(fd, pid, sizeof(pid)));
	for (;;) {
		if (ocb_interrupted)
			return ocb_fail("interrupted while waiting for the ocbench that holds %s", path);
		sleep_ns(HOSTLOCK_POLL_NS, NULL);
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return ocb_fail_errno("cannot lock %s", path);
	}
}

static int lock_fd(int fd, const char *path, int wait)
{
	char pid[32];

	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK)
		return ocb_fail_errno("cannot lock %s", path);
	if (!wait)
		return ocb_fail("another ocbench (%s) is changing host knobs: it holds %s "
				"(--no-wait: not waiting for it)", holder_pid(fd, pid, sizeof(pid)), path);
	return wait_for(fd, path);
}

int hostlock_take(const char *dir, int wait)
{
	struct strbuf p = STRBUF_INIT;
	int fd = -1, read_only = 0;

	if (mkdir_p(dir, 0755) < 0) {
		ocb_err_prefix("host-wide knob lock (set OCBENCH_LOCK_DIR to move it): ");
		goto out;
	}
	strbuf_addf(&p, "%s/%s", dir, HOSTLOCK_NAME);
	fd = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	/* flock needs no write access: a process without root (one that
	 * dropped privileges) still locks the file root made, without its pid */
	if (fd < 0 && errno == EACCES) {
		fd = open(p.buf, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		read_only = 1;
	}
	if (fd < 0) {
		ocb_fail_errno("cannot open the host-wide knob lock %s", p.buf);
		goto out;
	}
	if (lock_fd(fd, p.buf, wait) < 0 || (!read_only && write_pid(fd, p.buf) < 0)) {
		close(fd);
		fd = -1;
	}
out:
	strbuf_release(&p);
	return fd;
}

void hostlock_release(int fd)
{
	if (fd >= 0)
		close(fd);	/* drops the flock; the pid left inside is harmless */
}

int hostlock_hold(void)
{
	if (held_count == 0) {
		held_fd = hostlock_take(hostlock_dir(), wait_policy);
		if (held_fd < 0)
			return -1;
	}
	held_count++;
	return 0;
}

void hostlock_drop(void)
{
	if (held_count == 0 || --held_count > 0)
		return;
	hostlock_release(held_fd);
	held_fd = -1;
}
