/* test-int-faults — the fault matrix (`make faults`): every fault of the
 * table below injected at a random point of a real TCG run, FAULT_REPEAT
 * times each (default 10; `make check` runs 1), then the table
 *
 *   fault  runs  restored  orphans  files  exit: message
 *
 * and the rules every run must keep, whatever the fault: the host knobs
 * byte for byte as before (after `ocbench restore` for a SIGKILLed
 * harness), no QEMU process or libvirt domain of the run left, every
 * result file parsing (JSON, JSON lines, CSV rows of the header's width)
 * or absent, run.json "failed" or "incomplete" with a reason naming the
 * fault, and exit 1 (or 2; SIGKILL: killed by the signal, then restore 0).
 *
 * Each run's scenario is written by the test (one 256 MiB guest, KSM
 * knobs set so that their restoration is tested, `free` every second).
 * The random point: a delay drawn from the run's RNG after the fault's
 * precondition (the harness started, QEMU running, the guest ready), or
 * for a fault the guest does to itself, the time of its timeline action.
 * The seed is printed; FAULT_SEED=N replays it.  FAULT_ONLY=NAME,... runs
 * those faults only.  OCB_GUEST_LOCK=PATH: each run holds flock(PATH)
 * (the machine's guest lock) for its own duration only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/file.h>
#include <sys/mount.h>

#include "util/clock.h"
#include "util/error.h"
#include "int-util.h"
#include "fault-check.h"

#define LV_URI "qemu:///system"
#define RUN_LIMIT_NS (240 * 1000000000ull)	/* a run that outlives this hangs */
#define TIMELINE_S 12				/* `free` every second up to here */

struct frun;

struct fault {
	const char *name;
	const char *backend;		/* "qemu" or "libvirt" */
	enum { AT_START, AT_QEMU, AT_READY, IN_TIMELINE } when;
	unsigned window_ms;		/* the point: [0, window) after when */
	const char *scenario_extra;	/* more lines of [scenario] */
	const char *guest_extra;	/* more lines of [guest guest] */
	const char *action;		/* IN_TIMELINE: the timeline action */
	int (*prepare)(struct frun *r);
	int (*inject)(struct frun *r);
	void (*cleanup)(struct frun *r);
	const char *want[4];		/* the reason names one of these */
};

struct frun {
	const struct fault *f;
	char root[1024], out[1100], state[1100], scen[1100], log[1100], fs[1100];
	struct child c;
	unsigned point_ms;
	pid_t qemu, harness;
	uint64_t t0_ns;			/* when the harness was started */
	int done, status;		/* the harness has exited, with status */
	int hung;			/* it outlived RUN_LIMIT_NS: SIGKILLed */
	char note[256];
};

struct row {
	const struct fault *f;
	const char *skip;		/* not run: why */
	char skip_why[512];
	unsigned runs, restored, orphan_free, files_ok, status_ok, exit_ok;
	char exits[64], message[200], first_bad[400];
};

static unsigned long long seed;
static struct row rows[32];

/* ---- helpers ---------------------------------------------------------- */

/* The point of run i of fault k: from (seed, k, i) alone, so that
 * FAULT_SEED with FAULT_ONLY replays a run whatever else ran. */
static unsigned draw(size_t k, unsigned i, unsigned n)
{
	unsigned short x[3] = { (unsigned short)(seed ^ (k * 7919u)), (unsigned short)((seed >> 16) ^ i),
				(unsigned short)(seed >> 32) };

	for (int j = 0; j < 4; j++)
		(void)nrand48(x);
	return n ? (unsigned)(nrand48(x) % n) : 0;
}

static void spawn_quiet(const char *const *argv, struct strbuf *out)
{
	int rc = run_capture(argv, out, 60 * 1000000000ull);

	if (rc != 0)
		print_message("%s: exit %d: %s\n", argv[0], rc, strbuf_str(out));
}

/* The QEMU of this run: its pid (0 when none runs). */
static pid_t find_qemu(const struct frun *r)
{
	char why[256] = "";

	if (!int_procs_with(r->root, "qemu-system", why, sizeof(why)))
		return 0;
	return (pid_t)atol(why + 4);	/* "pid N: ..." */
}

/* Has events.jsonl of the run said guest_ready? */
static int guest_ready(const struct frun *r)
{
	char path[1300];
	struct strbuf sb = STRBUF_INIT;
	DIR *d = opendir(r->out);
	struct dirent *e;
	int yes = 0;

	while (d && (e = readdir(d)) && !yes) {
		if (strncmp(e->d_name, "fault-", 6))
			continue;
		snprintf(path, sizeof(path), "%s/%s/run-001/events.jsonl", r->out, e->d_name);
		strbuf_reset(&sb);
		yes = read_file(path, &sb) == 0 && strstr(sb.buf, "\"type\":\"guest_ready\"");
	}
	if (d)
		closedir(d);
	strbuf_release(&sb);
	return yes;
}

static int harness_alive(struct frun *r)
{
	if (!r->done && child_poll(&r->c, &r->status) != 0)
		r->done = 1;
	return !r->done;
}

/* ---- injections --------------------------------------------------------- */

static int sig_qemu(struct frun *r, int sig)
{
	if (!r->qemu && !(r->qemu = find_qemu(r)))
		return snprintf(r->note, sizeof(r->note), "no QEMU to signal"), -1;
	return kill(r->qemu, sig);
}

static int inj_qemu_kill(struct frun *r) { return sig_qemu(r, SIGKILL); }
static int inj_qemu_stop(struct frun *r) { return sig_qemu(r, SIGSTOP); }
static int inj_sigint(struct frun *r) { return kill(r->c.pid, SIGINT); }
static int inj_sigterm(struct frun *r) { return kill(r->c.pid, SIGTERM); }
static int inj_sigkill(struct frun *r) { return kill(r->c.pid, SIGKILL); }

/* The process named libvirtd (its comm, not a command line mentioning
 * it) and its command line, words separated by spaces. */
static pid_t find_libvirtd(char *argv_text, size_t len)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t pid = 0;

	while (d && !pid && (e = readdir(d))) {
		char path[300];
		struct strbuf comm = STRBUF_INIT, cmd = STRBUF_INIT;

		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && read_file(path, &comm) == 0 &&
		    !strcmp(comm.buf, "libvirtd\n")) {
			snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
			if (read_file(path, &cmd) == 0 && cmd.len) {
				for (size_t i = 0; i + 1 < cmd.len; i++)
					if (!cmd.buf[i])
						cmd.buf[i] = ' ';
				snprintf(argv_text, len, "%s", cmd.buf);
				pid = (pid_t)atol(e->d_name);
			}
		}
		strbuf_release(&comm);
		strbuf_release(&cmd);
	}
	if (d)
		closedir(d);
	return pid;
}

/* libvirtd stopped and started again with its own command line. */
static int inj_libvirtd_restart(struct frun *r)
{
	char argv_text[1024];
	struct strvec argv = STRVEC_INIT;
	struct strbuf out = STRBUF_INIT;
	pid_t pid = find_libvirtd(argv_text, sizeof(argv_text));
	char *save = NULL;

	if (!pid)
		return snprintf(r->note, sizeof(r->note), "no libvirtd runs"), -1;
	if (kill(pid, SIGTERM) < 0)
		return -1;
	for (int i = 0; i < 300 && kill(pid, 0) == 0; i++)
		sleep_ns(20000000, NULL);
	/* its own argv (split on the spaces /proc's NULs became) */
	for (char *w = strtok_r(argv_text, " ", &save); w; w = strtok_r(NULL, " ", &save))
		strvec_push(&argv, w);
	spawn_quiet((const char *const *)argv.v, &out);
	strvec_clear(&argv);
	strbuf_reset(&out);
	{
		const char *check[] = { "ci/start-libvirtd", NULL };

		spawn_quiet(check, &out);
	}
	strbuf_release(&out);
	return 0;
}

/* The results file system fills up: a file takes what is left. */
static int inj_fill_fs(struct frun *r)
{
	char path[1200], block[65536];
	int fd;

	memset(block, 'F', sizeof(block));
	snprintf(path, sizeof(path), "%s/filler", r->fs);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (write(fd, block, sizeof(block)) > 0)
		;
	for (size_t b = 4096; b > 0; b /= 2)	/* the last partial block too */
		while (write(fd, block, b) > 0)
			;
	close(fd);
	return 0;
}

static int prep_tmpfs(struct frun *r)
{
	snprintf(r->fs, sizeof(r->fs), "%s/fs", r->root);
	if (mkdir_p(r->fs, 0755) < 0 || mount("tmpfs", r->fs, "tmpfs", 0, "size=2m") < 0)
		return snprintf(r->note, sizeof(r->note), "cannot mount a tmpfs: %s", strerror(errno)), -1;
	snprintf(r->out, sizeof(r->out), "%s", r->fs);
	return 0;
}

static void cleanup_tmpfs(struct frun *r)
{
	if (r->fs[0] && umount2(r->fs, MNT_DETACH) < 0)
		print_error("umount %s: %s\n", r->fs, strerror(errno));
}

static int prep_qmp_close(struct frun *r)
{
	char ms[32];

	snprintf(ms, sizeof(ms), "%u", r->point_ms);
	return setenv("OCB_QMP_CLOSE_MS", ms, 1);
}

/* ---- the table of faults ----------------------------------------------- */

#define GA_PORT "/dev/virtio-ports/org.qemu.guest_agent.0"
/* the guest's own agent replaced: the init loop finds no qemu-ga to
 * restart, and the fake keeps the port */
#define GA_REPLACE "sleep 0.3; mv $(command -v qemu-ga) /run/ga.real; killall -9 qemu-ga; "
#define GA_BG(cmd) "(" cmd ") </dev/null >/dev/null 2>&1 &"

#define EXEC "exec guest-1 /bin/sh -c "

static const struct fault faults[] = {
	{ "qemu-sigkill", "qemu", AT_QEMU, 6000, NULL, NULL, NULL, NULL, inj_qemu_kill, NULL,
	  { "killed by signal 9" } },
	{ "qemu-sigstop", "qemu", AT_QEMU, 6000, NULL, NULL, NULL, NULL, inj_qemu_stop, NULL,
	  { "is stopped" } },
	{ "guest-panic", "qemu", IN_TIMELINE, 4000, NULL, NULL,
	  EXEC "\"echo c > /proc/sysrq-trigger\"", NULL, NULL, NULL, { "Kernel panic" } },
	{ "qmp-closed", "qemu", AT_START, 6000, NULL, NULL, NULL, prep_qmp_close, NULL, NULL,
	  { "QMP", "monitor" } },
	{ "agent-silent", "qemu", IN_TIMELINE, 4000, NULL, NULL,
	  EXEC "\"" GA_BG("sleep 0.3; killall -STOP qemu-ga") "\"", NULL, NULL, NULL,
	  { "no answer (timed out)" } },
	{ "agent-garbage", "qemu", IN_TIMELINE, 4000, NULL, NULL,
	  EXEC "\"" GA_BG(GA_REPLACE "until yes not-json > " GA_PORT "; do usleep 20000; done") "\"",
	  NULL, NULL, NULL, { "not-json" } },
	{ "agent-flood", "qemu", IN_TIMELINE, 4000, NULL, NULL,
	  EXEC "\"" GA_BG(GA_REPLACE "until yes x | tr -dc x > " GA_PORT "; do usleep 20000; done") "\"",
	  NULL, NULL, NULL, { "xxxxxxxx", "larger than the cap" } },
	{ "libvirtd-restart", "libvirt", AT_READY, 4000, NULL, NULL, NULL, NULL, inj_libvirtd_restart,
	  NULL, { "libvirt", "connection" } },
	{ "harness-sigint", "qemu", AT_QEMU, 6000, NULL, NULL, NULL, NULL, inj_sigint, NULL,
	  { "SIGINT" } },
	{ "harness-sigterm", "qemu", AT_QEMU, 6000, NULL, NULL, NULL, NULL, inj_sigterm, NULL,
	  { "SIGTERM" } },
	{ "harness-sigkill", "qemu", AT_QEMU, 6000, NULL, NULL, NULL, NULL, inj_sigkill, NULL,
	  { "SIGKILL" } },
	{ "results-fs-full", "qemu", AT_READY, 4000, NULL, NULL, NULL, prep_tmpfs, inj_fill_fs,
	  cleanup_tmpfs, { "No space left on device" } },
	{ "cgroup-oom", "qemu", IN_TIMELINE, 4000, "host_memory_limit = 250M\n",
	  "workload = memtouch --size 180M\n", "workload guest-1 start", NULL, NULL, NULL,
	  { "OOM", "oom" } },
};

#define N_FAULTS (sizeof(faults) / sizeof(faults[0]))

/* ---- one run ------------------------------------------------------------- */

/* One guest, KSM knobs set (their restoration is under test), `free`
 * every second; the fault's own lines and its action at point_ms. */
static void write_scenario(struct frun *r)
{
	const struct fault *f = r->f;
	struct strbuf sc = STRBUF_INIT;
	unsigned at = r->point_ms;

	strbuf_addf(&sc, "; written by test-int-faults: fault %s at %u ms\n[scenario]\n"
			 "name = fault-%s\nboot_timeout = 20s\ncommand_timeout = 5s\n%s\n"
			 "[host]\nksm.pages_to_scan = 1234\nksm.sleep_millisecs = 37\n\n"
			 "[guest guest]\nmemory = 256M\n%s\n[timeline]\n",
		    f->name, at, f->name, f->scenario_extra ? f->scenario_extra : "",
		    f->guest_extra ? f->guest_extra : "");
	if (f->when == IN_TIMELINE && at % 1000 == 0)
		at++;	/* not on a `free`'s second */
	for (unsigned s = 0; s <= TIMELINE_S; s++) {
		if (f->when == IN_TIMELINE && at < s * 1000 && at > (s - 1) * 1000 && s)
			strbuf_addf(&sc, "%ums = %s\n", at, f->action);
		strbuf_addf(&sc, "%us = free guest-1\n", s);
	}
	snprintf(r->scen, sizeof(r->scen), "%s/fault-%s.ini", r->root, f->name);
	assert_int_equal(write_file_atomic(r->scen, sc.buf, sc.len, 0644), 0);
	strbuf_release(&sc);
}

static void start_harness(struct frun *r)
{
	const char *args[] = { "run", r->scen, "-o", r->out, "--state-dir", r->state, "--backend",
			       r->f->backend, NULL, NULL, NULL };

	if (!strcmp(r->f->name, "qmp-closed")) {
		args[8] = "--qemu";
		args[9] = "harness/tests/qemu-qmp-close";
	}
	unlink(r->log);
	r->t0_ns = mono_ns();
	int_start(&r->c, r->log, args);
	r->harness = r->c.pid;
}

/* Wait for the fault's precondition, then the random point; inject. */
static void inject(struct frun *r)
{
	uint64_t deadline = mono_ns() + 120 * 1000000000ull;

	for (;;) {
		if (!harness_alive(r)) {
			snprintf(r->note, sizeof(r->note), "ended before the fault");
			return;
		}
		if (r->f->when == AT_START || r->f->when == IN_TIMELINE ||
		    (r->f->when == AT_QEMU && (r->qemu = find_qemu(r))) ||
		    (r->f->when == AT_READY && guest_ready(r)))
			break;
		if (mono_ns() > deadline) {
			snprintf(r->note, sizeof(r->note), "precondition never came");
			return;
		}
		sleep_ns(20000000, NULL);
	}
	if (r->f->inject) {
		sleep_ns((uint64_t)r->point_ms * 1000000ull, NULL);
		if (r->f->inject(r) < 0 && !r->note[0])
			snprintf(r->note, sizeof(r->note), "injection failed: %s", strerror(errno));
	}
}

/* The harness's exit status (waitpid), after the run limit at most. */
static int wait_harness(struct frun *r)
{
	uint64_t deadline = mono_ns() + RUN_LIMIT_NS;

	while (harness_alive(r)) {
		if (mono_ns() > deadline) {
			snprintf(r->note, sizeof(r->note), "ocbench still ran after %llu s: killed",
				 (unsigned long long)(RUN_LIMIT_NS / 1000000000ull));
			kill(r->c.pid, SIGKILL);
			child_wait(&r->c, &r->status);
			r->done = r->hung = 1;
			break;
		}
		sleep_ns(50000000, NULL);
	}
	child_release(&r->c);
	return r->status;
}

/* ---- what every run must keep ------------------------------------------- */

/* Processes of the run (anything naming its results root, libvirt's QEMU
 * of its domains) and its domains, after a grace for PDEATHSIG; what is
 * left is counted, named in why and killed, so the next run starts clean. */
static int orphans(const struct frun *r, pid_t harness, char *why, size_t len)
{
	char dom[64];
	int n = 0;

	snprintf(dom, sizeof(dom), "guest=ocbench-%ld-", (long)harness);
	for (int i = 0; i < 100; i++) {
		n = int_procs_with(r->root, NULL, why, len) + int_procs_with(dom, "qemu", why, len);
		if (!strcmp(r->f->backend, "libvirt"))
			n += domains_left(LV_URI, harness, why, len) > 0;
		if (!n)
			return 0;
		sleep_ns(50000000, NULL);
	}
	for (int k = 0; k < 5; k++) {
		char w[256] = "";
		pid_t p;

		if (!int_procs_with(r->root, NULL, w, sizeof(w)) && !int_procs_with(dom, "qemu", w, sizeof(w)))
			break;
		p = (pid_t)atol(w + 4);
		if (p > 1)
			kill(p, SIGKILL);
		sleep_ns(100000000, NULL);
	}
	return n;
}

/* run.json's status and reason ("" when there is no run.json). */
static void run_status(const struct frun *r, char *status, size_t slen, char *reason, size_t rlen)
{
	DIR *d = opendir(r->out);
	struct dirent *e;

	status[0] = reason[0] = '\0';
	while (d && (e = readdir(d))) {
		char path[1300];
		json_t *doc;

		if (strncmp(e->d_name, "fault-", 6))
			continue;
		snprintf(path, sizeof(path), "%s/%s/run-001/run.json", r->out, e->d_name);
		if (!(doc = json_load_file(path, 0, NULL)))
			continue;
		snprintf(status, slen, "%s", json_string_value(json_object_get(doc, "status")) ?: "?");
		snprintf(reason, rlen, "%s", json_string_value(json_object_get(doc, "reason")) ?: "");
		json_decref(doc);
	}
	if (d)
		closedir(d);
}

/* The last "ocbench: ..." line the harness printed (its error). */
static void last_error(const struct frun *r, char *out, size_t len)
{
	struct strbuf log = STRBUF_INIT;
	const char *p, *hit = NULL;

	out[0] = '\0';
	if (read_file(r->log, &log) < 0)
		return;
	for (p = log.buf; (p = strstr(p, "ocbench: ")); p++)
		hit = p;
	if (hit)
		snprintf(out, len, "%.*s", (int)strcspn(hit + 9, "\n"), hit + 9);
	strbuf_release(&log);
}

static int names_fault(const struct fault *f, const char *text)
{
	for (size_t i = 0; i < 4 && f->want[i]; i++)
		if (strstr(text, f->want[i]))
			return 1;
	return 0;
}

static void bad(struct row *w, const struct frun *r, const char *what, const char *detail)
{
	if (!w->first_bad[0])
		snprintf(w->first_bad, sizeof(w->first_bad), "point %u ms: %s: %.300s%s%s", r->point_ms,
			 what, detail, r->note[0] ? "; " : "", r->note);
}

/* Exit: 1 or 2; a SIGKILLed harness dies of it, and `ocbench restore`
 * then exits 0.  The text for the table in code. */
static int exit_ok(const struct frun *r, int st, char *code, size_t len)
{
	if (!strcmp(r->f->name, "harness-sigkill")) {
		const char *args[] = { "restore", "--state-dir", r->state, NULL };
		char log[1200];
		int rc;

		snprintf(log, sizeof(log), "%s/restore.log", r->root);
		rc = int_run(log, NULL, args);
		snprintf(code, len, "%s+restore %d", WIFSIGNALED(st) ? "sig9" : "exit?", rc);
		return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && rc == 0;
	}
	if (WIFSIGNALED(st)) {
		snprintf(code, len, "sig%d", WTERMSIG(st));
		return 0;
	}
	snprintf(code, len, "%d", WEXITSTATUS(st));
	return WEXITSTATUS(st) == 1 || WEXITSTATUS(st) == 2;
}

static void check_run(struct row *w, struct frun *r, int st, const struct strbuf *knobs_before)
{
	struct strbuf knobs_after = STRBUF_INIT;
	char why[512] = "", status[32], reason[1024], code[32], err[512];
	size_t nfiles = 0;

	w->runs++;
	if (exit_ok(r, st, code, sizeof(code)))
		w->exit_ok++;
	else
		bad(w, r, "exit", code);
	if (!strstr(w->exits, code) && strlen(w->exits) + strlen(code) + 2 < sizeof(w->exits))
		snprintf(w->exits + strlen(w->exits), sizeof(w->exits) - strlen(w->exits), "%s%s",
			 w->exits[0] ? "," : "", code);
	knob_snapshot(&knobs_after);
	if (knob_same(knobs_before, &knobs_after, why, sizeof(why)))
		w->restored++;
	else
		bad(w, r, "host knobs changed", why);
	strbuf_release(&knobs_after);
	if (!orphans(r, r->harness, why, sizeof(why)))
		w->orphan_free++;
	else
		bad(w, r, "left behind", why);
	if (results_valid(r->out, &nfiles, why, sizeof(why)))
		w->files_ok++;
	else
		bad(w, r, "result file", why);
	run_status(r, status, sizeof(status), reason, sizeof(reason));
	last_error(r, err, sizeof(err));
	if ((!strcmp(status, "failed") || !strcmp(status, "incomplete")) &&
	    (names_fault(r->f, reason) || (!strcmp(r->f->name, "results-fs-full") && names_fault(r->f, err))))
		w->status_ok++;
	else
		bad(w, r, status[0] ? status : "no run.json", reason[0] ? reason : err);
	/* the table's message: run.json's reason, or where the final run.json
	 * could not be written (a full file system), the harness's error */
	if (!w->message[0] || !names_fault(r->f, w->message))
		snprintf(w->message, sizeof(w->message), "%s",
			 reason[0] && names_fault(r->f, reason) ? reason : err[0] ? err : reason);
	print_message("  %s run %u: point %u ms, %.1f s, exit %s, %s: %.200s%s%s\n", r->f->name, w->runs,
		      r->point_ms, ns_to_s(mono_ns() - r->t0_ns), code, status[0] ? status : "(no run.json)", reason[0] ? reason : err,
		      r->note[0] ? " | " : "", r->note);
}

/* flock(OCB_GUEST_LOCK) for one run: -1 when none is asked for. */
static int guest_lock(void)
{
	const char *path = getenv("OCB_GUEST_LOCK");
	int fd;

	if (!path || !*path)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	assert_true(fd >= 0);
	while (flock(fd, LOCK_EX) < 0)
		assert_int_equal(errno, EINTR);
	return fd;
}

static void one_run(struct row *w, const struct fault *f, unsigned i)
{
	struct frun r;
	struct strbuf before = STRBUF_INIT;
	char name[96];
	int st, lock;

	memset(&r, 0, sizeof(r));
	r.f = f;
	r.point_ms = draw((size_t)(f - faults), i, f->window_ms);
	snprintf(name, sizeof(name), "faults-%s-%u", f->name, i);
	int_tmpdir(name, r.root, sizeof(r.root));
	snprintf(r.out, sizeof(r.out), "%s/results", r.root);
	snprintf(r.state, sizeof(r.state), "%s/state", r.root);
	snprintf(r.log, sizeof(r.log), "%s/ocbench.log", r.root);
	write_scenario(&r);
	lock = guest_lock();
	knob_snapshot(&before);
	if (f->prepare && f->prepare(&r) < 0) {
		bad(w, &r, "set-up", r.note);
		w->runs++;
	} else {
		start_harness(&r);
		inject(&r);
		st = wait_harness(&r);
		check_run(w, &r, st, &before);
	}
	if (r.hung) {	/* counted as a failure; the next run needs the host back */
		const char *args[] = { "restore", "--state-dir", r.state, NULL };
		char log[1200];

		snprintf(log, sizeof(log), "%s/restore-after-hang.log", r.root);
		int_run(log, NULL, args);
	}
	if (f->cleanup)
		f->cleanup(&r);
	if (lock >= 0)
		close(lock);
	strbuf_release(&before);
}

/* ---- the matrix ---------------------------------------------------------- */

static unsigned repeats(void)
{
	const char *s = getenv("FAULT_REPEAT");
	long n = s && *s ? atol(s) : 10;

	return n > 0 && n < 1000 ? (unsigned)n : 10;
}

static int selected(const char *name)
{
	const char *only = getenv("FAULT_ONLY");
	size_t len = strlen(name);

	if (!only || !*only)
		return 1;
	for (const char *p = only; (p = strstr(p, name)); p += len)
		if ((p == only || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return 1;
	return 0;
}

static void print_table(void)
{
	print_message("\n%-17s %4s %8s %8s %6s  %s\n", "FAULT", "RUNS", "RESTORED", "NO-ORPH", "FILES",
		      "EXIT: MESSAGE");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *w = &rows[i];

		if (!w->f || w->skip)
			continue;
		int ok = w->restored == w->runs && w->orphan_free == w->runs && w->files_ok == w->runs &&
			 w->status_ok == w->runs && w->exit_ok == w->runs;

		print_message("%-17s %4u %4u/%-3u %4u/%-3u %3u/%-2u  %s: %.90s%s\n", w->f->name, w->runs,
			      w->restored, w->runs, w->orphan_free, w->runs, w->files_ok, w->runs, w->exits,
			      w->message, ok ? "" : "  <-- FAILS");
		if (!ok)
			print_message("%17s first failure: %s\n", "", w->first_bad);
	}
}

/* Is the fault runnable here?  NULL, or why not. */
static const char *unavailable(const struct fault *f, char *why, size_t len)
{
	const char *argv[] = { "ci/start-libvirtd", NULL };
	struct strbuf out = STRBUF_INIT;
	char dom[64];

	if (!selected(f->name))
		return "not in FAULT_ONLY";
	if (strcmp(f->backend, "libvirt"))
		return NULL;
	if (run_capture(argv, &out, 60 * 1000000000ull) != 0 || domains_left(LV_URI, 0, dom, sizeof(dom)) < 0)
		snprintf(why, len, "libvirtd does not answer at %s: %.300s", LV_URI, strbuf_str(&out));
	strbuf_release(&out);
	return why[0] ? why : NULL;
}

/* All the runs, in rounds (run i of every fault, then run i + 1), so
 * that a matrix cut short has about as many runs of every fault; the
 * table after each round. */
static int run_matrix(void **state)
{
	unsigned n = repeats();

	(void)state;
	for (size_t k = 0; k < N_FAULTS; k++) {
		rows[k].f = &faults[k];
		rows[k].skip = unavailable(&faults[k], rows[k].skip_why, sizeof(rows[k].skip_why));
	}
	for (unsigned i = 0; i < n; i++) {
		for (size_t k = 0; k < N_FAULTS; k++)
			if (!rows[k].skip)
				one_run(&rows[k], &faults[k], i + 1);
		print_message("\nafter round %u of %u:", i + 1, n);
		print_table();
	}
	return 0;
}

static void test_fault(void **state)
{
	const struct row *w = &rows[(const struct fault *)*state - faults];

	if (w->skip) {
		print_message("SKIP: %s: %s\n", w->f->name, w->skip);
		skip();
	}
	assert_int_equal(w->exit_ok, w->runs);
	assert_int_equal(w->restored, w->runs);
	assert_int_equal(w->orphan_free, w->runs);
	assert_int_equal(w->files_ok, w->runs);
	assert_int_equal(w->status_ok, w->runs);
}

int main(void)
{
	struct CMUnitTest tests[N_FAULTS];
	const char *seed_env = getenv("FAULT_SEED");
	size_t n = 0;
	int rc;

	seed = seed_env && *seed_env ? strtoull(seed_env, NULL, 0) :
	       ((unsigned long long)(wall_s() * 1000.0) ^ (unsigned long long)getpid()) % 1000000007ull;
	print_message("fault matrix: FAULT_SEED=%llu FAULT_REPEAT=%u (replay: FAULT_SEED=%llu)\n", seed,
		      repeats(), seed);
	/* only the faults FAULT_ONLY selects are tests: the others are not
	 * skipped here, they are not asked for (make check's subset) */
	for (size_t i = 0; i < N_FAULTS; i++)
		if (selected(faults[i].name))
			tests[n++] = (struct CMUnitTest){ faults[i].name, test_fault, NULL, NULL,
							  (void *)&faults[i] };
	if (!n) {
		print_message("FAULT_ONLY=%s names no fault of the matrix\n", getenv("FAULT_ONLY"));
		return 2;
	}
	rc = _cmocka_run_group_tests("fault matrix", tests, n, run_matrix, NULL);
	print_table();
	return rc;
}
