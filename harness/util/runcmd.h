/* runcmd.h — child processes from an argv the caller owns (the idea of
 * git's run-command and libvirt's virCommand).  Never a shell.
 *
 * Every child started here is registered until it has been reaped;
 * runcmd_kill_all() (called from the exit path and the SIGINT/SIGTERM
 * handling) kills whatever is left, and children that should die with
 * ocbench (QEMU) also get PR_SET_PDEATHSIG so even a SIGKILLed harness
 * leaves nothing behind.
 */
#ifndef OCB_RUNCMD_H
#define OCB_RUNCMD_H

#include <stdint.h>
#include <sys/types.h>

#include "util/strbuf.h"

struct strvec {
	char **v;	/* NULL-terminated */
	size_t n;
	size_t alloc;
};

#define STRVEC_INIT { NULL, 0, 0 }

void strvec_push(struct strvec *sv, const char *s);
void strvec_pushf(struct strvec *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strvec_clear(struct strvec *sv);
/* argv joined with spaces, each word quoted when it needs to be: for logs
 * and run.json, never for execution. */
void strvec_join_quoted(const struct strvec *sv, struct strbuf *out);

struct child {
	struct strvec args;
	const char *stdin_path;		/* NULL: /dev/null */
	const char *stdout_path;	/* NULL: inherit, unless capture */
	const char *stderr_path;	/* NULL: inherit, unless capture */
	int capture;			/* run_capture: stdout+stderr into out */
	int new_pgroup;			/* own process group (no terminal ^C) */
	int die_with_parent;		/* PR_SET_PDEATHSIG SIGKILL */
	pid_t pid;
	/* A cgroup's cgroup.procs file (v1 or v2), or NULL.  The child writes
	 * itself into it before exec, so everything it ever allocates is
	 * charged to that group (a parent moving the PID after fork would
	 * race with the child's first allocations).  Failure is reported
	 * like an exec failure, naming the file. */
	const char *cgroup_procs;
};

#define CHILD_INIT { STRVEC_INIT, NULL, NULL, NULL, 0, 0, 0, -1, NULL }

/* fork+exec; -1 with a message naming argv[0] when it cannot start
 * (including exec failure, reported through a close-on-exec pipe). */
/* The nice value every child gets before exec: the harness's own before
 * it raised its priority above its children's (run/runner.c); off
 * (nothing changed) by default and after runcmd_child_nice_off(). */
void runcmd_child_nice(int nice);
void runcmd_child_nice_off(void);
int child_start(struct child *c);
/* Wait for exit. Returns 0 and fills *status (waitpid status), or -1. */
int child_wait(struct child *c, int *status);
/* Non-blocking: 1 exited (status filled), 0 still running, -1 error. */
int child_poll(struct child *c, int *status);
/* SIGKILL the child (its group when new_pgroup) and reap it. */
void child_kill(struct child *c);
void child_release(struct child *c);

/* Run argv to completion with stdout+stderr captured into out, killing it
 * after timeout_ns (0: none). Returns the exit code (0..255), or -1 when
 * it could not run, timed out or died of a signal (message says which). */
int run_capture(const char *const *argv, struct strbuf *out, uint64_t timeout_ns);

/* run_capture for a tool that must succeed: 0 when it exits 0, else -1
 * with "'ARGV...' exited with N: OUTPUT" or why it could not run. */
int run_checked(const char *const *argv, uint64_t timeout_ns);

/* Describe a waitpid status: "exited with 3", "killed by signal 9". */
void describe_status(int status, struct strbuf *out);

/* 1 when process pid is stopped (SIGSTOP, SIGTSTP: state T or t in
 * /proc/PID/stat): alive, but it cannot answer anything; 0 otherwise. */
int process_stopped(pid_t pid);

/* Kill every registered child that has not been reaped. Async-signal-safe. */
void runcmd_kill_all(void);

/* Find an executable in PATH (or use it as given when it has a slash). */
int find_program(const char *name, struct strbuf *path);

#endif
