/* runcmd.c — see runcmd.h. */
#include "util/runcmd.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 256

/* pid, and whether it leads its own group.  Written only outside signal
 * handlers; read by runcmd_kill_all() which may run inside one. */
static volatile sig_atomic_t child_pids[MAX_CHILDREN];
static volatile sig_atomic_t child_groups[MAX_CHILDREN];

static void registry_add(pid_t pid, int group)
{
	for (int i = 0; i < MAX_CHILDREN; i++) {
		if (child_pids[i] == 0) {
			child_groups[i] = group;
			child_pids[i] = pid;
			return;
		}
	}
}

static void registry_del(pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (child_pids[i] == pid)
			child_pids[i] = 0;
}

void runcmd_kill_all(void)
{
	for (int i = 0; i < MAX_CHILDREN; i++) {
		pid_t pid = child_pids[i];

		if (pid <= 0)
			continue;
		kill(child_groups[i] ? -pid : pid, SIGKILL);
		kill(pid, SIGKILL);
	}
	for (int i = 0; i < MAX_CHILDREN; i++) {
		pid_t pid = child_pids[i];

		if (pid > 0 && waitpid(pid, NULL, 0) >= 0)
			child_pids[i] = 0;
	}
}

void strvec_push(struct strvec *sv, const char *s)
{
	if (sv->n + 2 > sv->alloc) {
		sv->alloc = sv->alloc ? sv->alloc * 2 : 16;
		sv->v = xreallocarray(sv->v, sv->alloc, sizeof(*sv->v));
	}
	sv->v[sv->n] = xstrdup(s);
	sv->n++;
	sv->v[sv->n] = NULL;
}

void strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strvec_push(sv, strbuf_str(&sb));
	strbuf_release(&sb);
}

void strvec_clear(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

void strvec_join_quoted(const struct strvec *sv, struct strbuf *out)
{
	for (size_t i = 0; i < sv->n; i++) {
		const char *a = sv->v[i];

		if (i)
			strbuf_addch(out, ' ');
		if (*a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=.,/:@+%") == strlen(a)) {
			strbuf_adds(out, a);
			continue;
		}
		strbuf_addch(out, '\'');
		for (; *a; a++) {
			if (*a == '\'')
				strbuf_adds(out, "'\\''");
			else
				strbuf_addch(out, *a);
		}
		strbuf_addch(out, '\'');
	}
}

static int open_redirect(const char *path, int flags)
{
	return open(path, flags | O_CLOEXEC, 0644);
}

static int child_nice_on, child_nice_value;	/* runcmd_child_nice() */

void runcmd_child_nice(int nice)
{
	child_nice_on = 1;
	child_nice_value = nice;
}

void runcmd_child_nice_off(void)
{
	child_nice_on = 0;
}

/* What the child was doing when it failed (sent with the errno). */
enum { STAGE_EXEC, STAGE_CGROUP };

/* Join a cgroup: "0" is the writing process itself, in v1 and v2. */
static int join_cgroup(const char *procs)
{
	int fd = open(procs, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (write(fd, "0", 1) != 1) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return close(fd);
}

/* In the child: only async-signal-safe calls until exec. Failures are
 * reported to the parent as {stage, errno} through errpipe. */
static void child_exec(struct child *c, int errpipe, int outfd)
{
	int fd, err[2] = { STAGE_EXEC, 0 };

	if (c->cgroup_procs && join_cgroup(c->cgroup_procs) < 0) {
		err[0] = STAGE_CGROUP;
		goto fail;
	}
	if (c->new_pgroup)
		setpgid(0, 0);
	/* back to the nice value the harness had (a lower priority is
	 * always allowed) */
	if (child_nice_on && setpriority(PRIO_PROCESS, 0, child_nice_value) < 0)
		goto fail;
	if (c->die_with_parent)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);

	fd = open_redirect(c->stdin_path ? c->stdin_path : "/dev/null", O_RDONLY);
	if (fd < 0 || dup2(fd, 0) < 0)
		goto fail;
	if (outfd >= 0) {
		if (dup2(outfd, 1) < 0 || dup2(outfd, 2) < 0)
			goto fail;
	}
	if (c->stdout_path) {
		fd = open_redirect(c->stdout_path, O_WRONLY | O_CREAT | O_APPEND);
		if (fd < 0 || dup2(fd, 1) < 0)
			goto fail;
	}
	if (c->stderr_path) {
		fd = open_redirect(c->stderr_path, O_WRONLY | O_CREAT | O_APPEND);
		if (fd < 0 || dup2(fd, 2) < 0)
			goto fail;
	}
	/* Like libvirt's virCommand, a child gets stdin, stdout and stderr
	 * and nothing else: a daemon started through here (libvirtd by
	 * ci/start-libvirtd) would otherwise keep whatever the harness
	 * inherited open for its whole life, such as a caller's flock(1) lock
	 * or the write end of a pipe someone reads to its end.  Marked
	 * close-on-exec rather than closed: errpipe must live until exec. */
	if (close_range(3, ~0u, CLOSE_RANGE_CLOEXEC) < 0 && errno != ENOSYS && errno != EINVAL)
		goto fail;
	execvp(c->args.v[0], c->args.v);
fail:
	err[1] = errno;
	if (write(errpipe, err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

static int start_with_fd(struct child *c, int outfd)
{
	int pipefd[2], err[2];
	ssize_t n;
	pid_t pid;

	if (!c->args.n)
		return ocb_fail("internal error: empty argv");
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return ocb_fail_errno("cannot create pipe to start %s", c->args.v[0]);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return ocb_fail_errno("cannot fork to start %s", c->args.v[0]);
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_exec(c, pipefd[1], outfd);
	}
	close(pipefd[1]);
	if (c->new_pgroup)
		setpgid(pid, pid); /* both sides set it: no race with kill */
	registry_add(pid, c->new_pgroup);
	do
		n = read(pipefd[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == (ssize_t)sizeof(err)) {
		waitpid(pid, NULL, 0);
		registry_del(pid);
		errno = err[1];
		if (err[0] == STAGE_CGROUP)
			return ocb_fail_errno("cannot start %s in the cgroup of %s (writing to it before exec)",
					      c->args.v[0], c->cgroup_procs);
		return ocb_fail_errno("cannot run %s", c->args.v[0]);
	}
	c->pid = pid;
	return 0;
}

int child_start(struct child *c)
{
	return start_with_fd(c, -1);
}

int child_wait(struct child *c, int *status)
{
	int st;

	if (c->pid <= 0)
		return ocb_fail("internal error: waiting for a child that was not started");
	while (waitpid(c->pid, &st, 0) < 0) {
		if (errno != EINTR)
			return ocb_fail_errno("waitpid %ld (%s)", (long)c->pid, c->args.v[0]);
	}
	registry_del(c->pid);
	c->pid = -1;
	if (status)
		*status = st;
	return 0;
}

int child_poll(struct child *c, int *status)
{
	int st;
	pid_t r;

	if (c->pid <= 0)
		return 1;
	r = waitpid(c->pid, &st, WNOHANG);
	if (r < 0)
		return ocb_fail_errno("waitpid %ld (%s)", (long)c->pid, c->args.v[0]);
	if (r == 0)
		return 0;
	registry_del(c->pid);
	c->pid = -1;
	if (status)
		*status = st;
	return 1;
}

void child_kill(struct child *c)
{
	if (c->pid <= 0)
		return;
	if (c->new_pgroup)
		kill(-c->pid, SIGKILL);
	kill(c->pid, SIGKILL);
	child_wait(c, NULL);
}

void child_release(struct child *c)
{
	child_kill(c);
	strvec_clear(&c->args);
}

void describe_status(int status, struct strbuf *out)
{
	if (WIFEXITED(status))
		strbuf_addf(out, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		strbuf_addf(out, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		strbuf_addf(out, "ended with wait status 0x%x", status);
}

int process_stopped(pid_t pid)
{
	char path[64];
	struct strbuf st = STRBUF_INIT;
	const char *p;
	int stopped = 0;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	/* "PID (COMM) STATE ...": COMM may hold anything, the last ')' ends it */
	if (read_file(path, &st) == 0 && (p = strrchr(st.buf, ')')) && p[1] == ' ')
		stopped = p[2] == 'T' || p[2] == 't';
	else
		ocb_err_clear();
	strbuf_release(&st);
	return stopped;
}

int run_capture(const char *const *argv, struct strbuf *out, uint64_t timeout_ns)
{
	struct child c = CHILD_INIT;
	uint64_t deadline = timeout_ns ? mono_ns() + timeout_ns : 0;
	int pfd[2], status, rc = -1;

	for (size_t i = 0; argv[i]; i++)
		strvec_push(&c.args, argv[i]);
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		ocb_fail_errno("cannot create pipe for %s", argv[0]);
		goto out;
	}
	if (start_with_fd(&c, pfd[1]) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		goto out;
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd p = { pfd[0], POLLIN, 0 };
		int wait_ms = -1, r;
		char buf[4096];
		ssize_t n;

		if (deadline) {
			uint64_t now = mono_ns();

			if (now >= deadline) {
				child_kill(&c);
				close(pfd[0]);
				ocb_fail("%s timed out after %.1f s", argv[0], ns_to_s(timeout_ns));
				goto out;
			}
			wait_ms = (int)((deadline - now) / 1000000u) + 1;
		}
		r = poll(&p, 1, wait_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			continue;
		n = read(pfd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out)
			strbuf_add(out, buf, (size_t)n);
	}
	close(pfd[0]);
	if (child_wait(&c, &status) < 0)
		goto out;
	if (WIFEXITED(status)) {
		rc = WEXITSTATUS(status);
	} else {
		struct strbuf d = STRBUF_INIT;

		describe_status(status, &d);
		ocb_fail("%s %s", argv[0], d.buf);
		strbuf_release(&d);
	}
out:
	child_release(&c);
	return rc;
}

int find_program(const char *name, struct strbuf *path)
{
	const char *env = getenv("PATH");
	char *copy, *save = NULL;

	if (strchr(name, '/')) {
		if (access(name, X_OK) < 0)
			return ocb_fail_errno("%s is not executable", name);
		strbuf_adds(path, name);
		return 0;
	}
	copy = strdup(env ? env : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
	if (!copy)
		return ocb_fail("out of memory");
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		strbuf_reset(path);
		strbuf_addf(path, "%s/%s", dir, name);
		if (access(path->buf, X_OK) == 0) {
			free(copy);
			return 0;
		}
	}
	free(copy);
	strbuf_reset(path);
	return ocb_fail("%s not found in PATH", name);
}

int run_checked(const char *const *argv, uint64_t timeout_ns)
{
	struct strbuf out = STRBUF_INIT, cmd = STRBUF_INIT;
	struct strvec sv = { (char **)argv, 0, 0 };
	int rc;

	while (argv[sv.n])
		sv.n++;
	strvec_join_quoted(&sv, &cmd);
	rc = run_capture(argv, &out, timeout_ns);
	if (rc > 0) {
		strbuf_rtrim(&out);
		ocb_fail("'%s' exited with %d: %s", cmd.buf, rc, out.buf);
	} else if (rc < 0) {
		ocb_err_prefix("'%s': ", cmd.buf);
	}
	strbuf_release(&out);
	strbuf_release(&cmd);
	return rc == 0 ? 0 : -1;
}
