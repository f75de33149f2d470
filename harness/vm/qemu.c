/* qemu.c — the qemu backend: qemu-system-x86_64 spawned from an argv,
 * QMP and the guest agent over unix sockets in a private 0700 directory.
 *
 * QEMU never outlives ocbench: it runs in its own process group (so a ^C
 * on the terminal reaches only the harness, which then stops guests in
 * order), with PR_SET_PDEATHSIG=SIGKILL (so a SIGKILLed harness takes it
 * along), and registered with runcmd so every exit path kills it.
 */
#include "vm/qemu.h"
#include "vm/qemu-argv.h"
#include "guest/agent.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "guest/guest-image.h"
#include "vm/qmp.h"
#include "util/runcmd.h"
#include "util/units.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define BALLOON_QOM_PATH "/machine/peripheral/balloon0"
#define QMP_CONNECT_TIMEOUT_NS (20 * 1000000000ull)
#define AGENT_ATTEMPT_NS (300 * 1000000ull)
#define QUIT_GRACE_NS (5 * 1000000000ull)

struct qemu_priv {
	struct child proc;
	struct qmp *qmp;
	struct agent *agent;
	struct strvec argv;
	char qmp_path[4200];
	char qga_path[4200];
	char log_path[4200];
	int exit_status;
	int exited;
	uint64_t t_launch;	/* QEMU spawned: boot time counts from here */
	uint64_t t_qmp;		/* QMP connected: its handshake counts from here */
	int greeted;		/* QMP negotiated */
	/* balloon guest-stats polling, asked for as soon as QMP is up: the
	 * qom-set's id until its answer came, then -1 */
	int64_t stats_id;
	uint64_t up_ns;		/* the agent answered: boot_ns once ready */
	/* the sampler's pipelined queries: ids out (vmem: size and
	 * requested-size) and what has come of them so far */
	int64_t qid[VM_QUERY_N][2];
	struct vm_answer got[VM_QUERY_N];
};

static struct qemu_priv *P(struct vm *vm)
{
	return vm->priv;
}

static void build_argv(struct vm *vm, struct strvec *a)
{
	qemu_build_argv(&vm->cfg, P(vm)->qmp_path, P(vm)->qga_path, a);
}

/* The last non-empty lines of a file, for error messages. */
static void tail_of(const char *path, int lines, struct strbuf *out)
{
	struct strbuf all = STRBUF_INIT;
	size_t pos;
	int seen = 0;

	if (read_file(path, &all) < 0) {
		strbuf_release(&all);
		return;
	}
	strbuf_rtrim(&all);
	pos = all.len;
	while (pos > 0 && seen < lines) {
		pos--;
		if (all.buf[pos] == '\n')
			seen++;
	}
	if (!all.len) {
		strbuf_release(&all);
		return;
	}
	if (all.buf[pos] == '\n')
		pos++;
	strbuf_add(out, all.buf + pos, all.len - pos);
	strbuf_release(&all);
}

/* QEMU quits by itself (-no-reboot) when the guest resets or powers off:
 * a kernel panic (panic=-1), a triple fault.  The console says which:
 * its "Kernel panic" line when there is one (the register dump after it
 * would hide it), else its last lines. */
static void guest_went_away(struct vm *vm, struct strbuf *why)
{
	struct strbuf tail = STRBUF_INIT;
	char con[4200];
	const char *panic;

	snprintf(con, sizeof(con), "%s/console.log", vm->cfg.outdir);
	tail_of(con, 60, &tail);
	strbuf_adds(why, " (the guest reset or powered off); ");
	panic = strstr(strbuf_str(&tail), "Kernel panic");
	if (panic)
		strbuf_addf(why, "console: %.*s", (int)strcspn(panic, "\r\n"), panic);
	else {
		strbuf_reset(&tail);
		tail_of(con, 3, &tail);
		strbuf_addf(why, "last console lines: %s", tail.len ? tail.buf : "(console is empty)");
	}
	strbuf_release(&tail);
}

/* Has QEMU exited?  Fills the message with its status and stderr tail. */
static int qemu_alive(struct vm *vm)
{
	struct qemu_priv *p = P(vm);
	struct strbuf why = STRBUF_INIT, log = STRBUF_INIT;
	int st = 0, r;

	if (p->exited)
		goto gone;
	r = child_poll(&p->proc, &st);
	if (r == 0)
		return 1;
	p->exited = 1;
	p->exit_status = st;
gone:
	describe_status(p->exit_status, &why);
	tail_of(p->log_path, 3, &log);
	if (WIFEXITED(p->exit_status) && WEXITSTATUS(p->exit_status) == 0)
		guest_went_away(vm, &why);
	ocb_fail("%s: QEMU %s%s%s", vm->cfg.name, why.buf, log.len ? ": " : "", strbuf_str(&log));
	strbuf_release(&why);
	strbuf_release(&log);
	return 0;
}

/* Connect to a unix socket QEMU is about to create, trying until
 * look_ns passes: the fd, -2 not there yet, -1 QEMU died or did not
 * create it within QMP_CONNECT_TIMEOUT_NS of its launch. */
static int connect_unix(struct vm *vm, const char *path, uint64_t look_ns)
{
	uint64_t deadline = mono_ns() + look_ns;
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return ocb_fail("socket path %s is too long for a unix socket", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return ocb_fail_errno("socket for %s", path);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		close(fd);
		if (!qemu_alive(vm))
			return -1;
		if (mono_ns() - P(vm)->t_launch >= QMP_CONNECT_TIMEOUT_NS)
			return ocb_fail("%s: QEMU did not create %s within %.0f s%s", vm->cfg.name, path,
					ns_to_s(QMP_CONNECT_TIMEOUT_NS), process_stopped(P(vm)->proc.pid) ?
					" (QEMU is stopped: SIGSTOP or SIGTSTP)" : "");
		if (mono_ns() >= deadline)
			return -2;
		sleep_ns(2000000, NULL);
	}
}

static void on_qmp_event(void *opaque, const char *event, json_t *data, json_t *ts)
{
	struct vm *vm = opaque;

	double emitted = -1;

	if (json_is_object(ts))	/* {"seconds": S, "microseconds": U} */
		emitted = (double)json_integer_value(json_object_get(ts, "seconds")) +
			  (double)json_integer_value(json_object_get(ts, "microseconds")) / 1e6;
	if (vm->on_event)
		vm->on_event(vm->event_opaque, vm, event, data, emitted);
}

/* Spawn QEMU; the guest boots meanwhile, poll_ready connects. */
static int qemu_launch(struct vm *vm)
{
	struct qemu_priv *p = P(vm);
	const struct vm_config *c = &vm->cfg;

	snprintf(p->qmp_path, sizeof(p->qmp_path), "%s/%s.qmp", c->rundir, c->name);
	snprintf(p->qga_path, sizeof(p->qga_path), "%s/%s.qga", c->rundir, c->name);
	snprintf(p->log_path, sizeof(p->log_path), "%s/qemu.log", c->outdir);
	strvec_clear(&p->argv);
	build_argv(vm, &p->argv);

	strvec_clear(&p->proc.args);
	for (size_t i = 0; i < p->argv.n; i++)
		strvec_push(&p->proc.args, p->argv.v[i]);
	p->proc.stdout_path = p->log_path;
	p->proc.stderr_path = p->log_path;
	p->proc.new_pgroup = 1;
	p->proc.die_with_parent = 1;
	/* host_memory_limit: QEMU joins the run's cgroup before exec */
	p->proc.cgroup_procs = c->cgroup_procs[0] ? c->cgroup_procs : NULL;
	p->t_launch = mono_ns();
	if (child_start(&p->proc) < 0)
		return ocb_err_prefix("%s: cannot start QEMU: ", c->name);
	return 0;
}

/* The QMP greeting and qmp_capabilities, for at most look_ns: 1 done,
 * 0 not yet, -1 failed (or no greeting within command_timeout of the
 * connection). */
static int greet(struct vm *vm, uint64_t look_ns)
{
	struct qemu_priv *p = P(vm);
	const struct vm_config *c = &vm->cfg;
	char msg[OCB_ERR_MAX];
	int r = qmp_handshake_poll(p->qmp, look_ns, vm->backend_version, sizeof(vm->backend_version));

	if (r > 0)
		p->greeted = 1;
	if (r > 0 || (r == 0 && mono_ns() - p->t_qmp < c->cmd_timeout_ns))
		return r;
	if (r == 0)
		ocb_fail("%s: QMP of %s: no greeting and capabilities within %.0f s of connecting", c->name,
			 c->name, ns_to_s(c->cmd_timeout_ns));
	snprintf(msg, sizeof(msg), "%s", ocb_errmsg());
	/* a dead QEMU explains the failure better, a stopped one too */
	if (qemu_alive(vm) && process_stopped(p->proc.pid))
		ocb_fail("%s (QEMU is stopped: SIGSTOP or SIGTSTP)", msg);
	else if (qemu_alive(vm))
		ocb_fail("%s", msg);
	return -1;
}

/* The connections of a launched QEMU, a step at a time within look_ns
 * (QMP, its handshake, the agent's socket): 1 all made, 0 not yet, -1
 * failed.  Many QEMUs starting at once greet late; meanwhile the others
 * are looked at and the sampler ticks. */
static int connect_step(struct vm *vm, uint64_t look_ns)
{
	struct qemu_priv *p = P(vm);
	uint64_t deadline = mono_ns() + look_ns;
	int fd, r;

	if (!p->qmp) {
		fd = connect_unix(vm, p->qmp_path, look_ns);
		if (fd < 0)
			return fd == -2 ? 0 : -1;
		p->qmp = qmp_new(fd, vm->cfg.name);
		if (!p->qmp)
			return -1;
		qmp_set_event_hook(p->qmp, on_qmp_event, vm);
		p->t_qmp = mono_ns();
	}
	if (!p->greeted && (r = greet(vm, ns_until(deadline))) <= 0)
		return r;
	if (vm->cfg.balloon && vm->cfg.stats_period_s && !p->stats_id &&
	    qmp_balloon_stats_enable_send(p->qmp, BALLOON_QOM_PATH, (int)vm->cfg.stats_period_s,
					  &p->stats_id, vm->cfg.cmd_timeout_ns) < 0)
		return ocb_err_prefix("%s: ", vm->cfg.name);
	if (!p->agent) {
		fd = connect_unix(vm, p->qga_path, ns_until(deadline));
		if (fd < 0)
			return fd == -2 ? 0 : -1;
		p->agent = agent_new(fd, vm->cfg.name);
		if (!p->agent)
			return -1;
	}
	return 1;
}

/* One look at a booting guest: does its agent answer within attempt_ns?
 * 1 ready, 0 not yet, -1 failed (QEMU died, or boot_timeout passed: the
 * message quotes the last console lines). */
static int qemu_poll_ready(struct vm *vm, uint64_t attempt_ns)
{
	struct qemu_priv *p = P(vm);
	const struct vm_config *c = &vm->cfg;
	struct strbuf tail = STRBUF_INIT;
	uint64_t deadline = mono_ns() + attempt_ns;
	char path[4200];
	int r = connect_step(vm, attempt_ns);

	if (r < 0)
		return -1;
	if (r > 0 && !p->up_ns &&
	    agent_sync_poll(p->agent, ns_until(deadline)) == 1)
		p->up_ns = mono_ns() - p->t_launch;
	/* ready once the agent answered and the guest-stats polling is set */
	if (p->stats_id > 0 && (r = qmp_answer(p->qmp, p->stats_id, NULL)) != 0) {
		if (r < 0)
			return ocb_err_prefix("%s: ", c->name);
		p->stats_id = -1;
	}
	if (p->up_ns && p->stats_id <= 0) {
		vm->boot_ns = p->up_ns;
		return 1;
	}
	if (!qemu_alive(vm))
		return -1;
	if (mono_ns() - p->t_launch < c->boot_timeout_ns) {
		if (p->greeted)
			qmp_pump(p->qmp, 0);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/console.log", c->outdir);
	tail_of(path, 5, &tail);
	ocb_fail("%s: guest agent not ready within %.0f s%s; last console lines: %s", c->name,
		 ns_to_s(c->boot_timeout_ns),
		 process_stopped(p->proc.pid) ? " (QEMU is stopped: SIGSTOP or SIGTSTP)" : "",
		 tail.len ? tail.buf : "(console is empty)");
	strbuf_release(&tail);
	return -1;
}

static int qemu_wait_ready(struct vm *vm)
{
	int r;

	while ((r = qemu_poll_ready(vm, AGENT_ATTEMPT_NS)) == 0)
		;
	return r < 0 ? -1 : 0;
}

static int qemu_stop(struct vm *vm)
{
	struct qemu_priv *p = P(vm);
	uint64_t deadline;
	int st;

	if (p->proc.pid <= 0)
		return 0;
	if (p->qmp && qmp_command(p->qmp, "quit", NULL, NULL, vm->cfg.cmd_timeout_ns) < 0) {
		/* The connection may close before the reply: that is fine. */
	}
	deadline = mono_ns() + QUIT_GRACE_NS;
	while (mono_ns() < deadline) {
		int r = child_poll(&p->proc, &st);

		if (r != 0) {
			p->exited = 1;
			p->exit_status = st;
			return 0;
		}
		sleep_ns(2000000, NULL);
	}
	child_kill(&p->proc);
	return ocb_fail("%s: QEMU did not quit within %.0f s, killed", vm->cfg.name,
			ns_to_s(QUIT_GRACE_NS));
}

static void qemu_kill(struct vm *vm)
{
	struct qemu_priv *p = P(vm);

	if (p && p->proc.pid > 0)
		child_kill(&p->proc);
}

static int qemu_balloon_set(struct vm *vm, uint64_t target)
{
	if (qmp_balloon(P(vm)->qmp, target, vm->cfg.cmd_timeout_ns) < 0)
		return ocb_err_prefix("%s: balloon to %.0f MiB: ", vm->cfg.name, bytes_to_mib(target));
	return 0;
}

static int qemu_balloon_get(struct vm *vm, uint64_t *actual)
{
	return qmp_query_balloon(P(vm)->qmp, actual, vm->cfg.cmd_timeout_ns);
}

#define VMEM_QOM_PATH "/machine/peripheral/" QEMU_VMEM_ID

static int qemu_vmem_resize(struct vm *vm, uint64_t requested)
{
	if (qmp_vmem_resize(P(vm)->qmp, VMEM_QOM_PATH, requested, vm->cfg.cmd_timeout_ns) < 0)
		return ocb_err_prefix("%s: virtio-mem requested-size %.0f MiB: ", vm->cfg.name,
				      bytes_to_mib(requested));
	return 0;
}

static int qemu_vmem_get(struct vm *vm, uint64_t *size, uint64_t *requested)
{
	if (qmp_vmem_get(P(vm)->qmp, VMEM_QOM_PATH, size, requested, vm->cfg.cmd_timeout_ns) < 0)
		return ocb_err_prefix("%s: virtio-mem: ", vm->cfg.name);
	return 0;
}

static int qemu_balloon_stats(struct vm *vm, json_t **stats)
{
	return qmp_balloon_stats(P(vm)->qmp, BALLOON_QOM_PATH, stats, NULL, vm->cfg.cmd_timeout_ns);
}

/* The QMP questions of a pipelined query (vmem: two), and their path. */
static const enum qmp_query query_parts[VM_QUERY_N][2] = {
	[VM_QUERY_BALLOON] = { QMP_Q_BALLOON, QMP_Q_BALLOON },
	[VM_QUERY_BALLOON_STATS] = { QMP_Q_STATS, QMP_Q_STATS },
	[VM_QUERY_VMEM] = { QMP_Q_SIZE, QMP_Q_REQUESTED_SIZE },
};

static const char *query_path(enum vm_query what)
{
	return what == VM_QUERY_VMEM ? VMEM_QOM_PATH : BALLOON_QOM_PATH;
}

static void query_drop(struct qemu_priv *p, enum vm_query what)
{
	for (int k = 0; k < 2; k++) {
		if (p->qid[what][k])
			qmp_forget(p->qmp, p->qid[what][k]);
		p->qid[what][k] = 0;
	}
	json_decref(p->got[what].stats);
	memset(&p->got[what], 0, sizeof(p->got[what]));
}

static int qemu_query_send(struct vm *vm, enum vm_query what)
{
	struct qemu_priv *p = P(vm);
	int parts = what == VM_QUERY_VMEM ? 2 : 1;

	query_drop(p, what);
	for (int k = 0; k < parts; k++) {
		if (qmp_query_send(p->qmp, query_parts[what][k], query_path(what), &p->qid[what][k],
				   vm->cfg.cmd_timeout_ns) < 0) {
			query_drop(p, what);
			return -1;
		}
	}
	return 0;
}

static int qemu_query_answer(struct vm *vm, enum vm_query what, struct vm_answer *a)
{
	struct qemu_priv *p = P(vm);
	struct vm_answer *got = &p->got[what];
	int out = 0;

	for (int k = 0; k < 2; k++) {
		struct qmp_value v;
		int r;

		if (!p->qid[what][k])
			continue;
		r = qmp_query_answer(p->qmp, p->qid[what][k], query_parts[what][k], query_path(what), &v);
		if (r < 0) {
			query_drop(p, what);
			return -1;
		}
		if (r == 0) {
			out++;
			continue;
		}
		p->qid[what][k] = 0;
		if (what == VM_QUERY_BALLOON)
			got->actual = v.u64;
		else if (what == VM_QUERY_BALLOON_STATS)
			got->stats = v.stats;
		else
			*(k ? &got->vmem_requested : &got->vmem_size) = v.u64;
	}
	if (out)
		return 0;
	*a = *got;
	memset(got, 0, sizeof(*got));
	return 1;
}

static int qemu_agent_exec(struct vm *vm, const char *const *argv, uint64_t timeout_ns,
			   struct agent_exec_result *res)
{
	return agent_exec(P(vm)->agent, argv, timeout_ns, res);
}

static int qemu_agent_read_file(struct vm *vm, const char *path, struct strbuf *out,
				uint64_t timeout_ns)
{
	return agent_read_file(P(vm)->agent, path, out, timeout_ns);
}

static int qemu_agent_send(struct vm *vm, const char *cmd, json_t *args)
{
	return agent_send(P(vm)->agent, cmd, args);
}

static int qemu_agent_take(struct vm *vm, json_t **ret)
{
	return agent_take(P(vm)->agent, ret);
}

static int qemu_agent_spawn(struct vm *vm, const char *const *argv, long long *pid)
{
	return agent_spawn(P(vm)->agent, argv, vm->cfg.cmd_timeout_ns, pid);
}

static int qemu_agent_poll(struct vm *vm, long long pid, struct agent_exec_result *res)
{
	return agent_exec_poll(P(vm)->agent, pid, vm->cfg.cmd_timeout_ns, res);
}

static int qemu_pump(struct vm *vm, uint64_t timeout_ns)
{
	if (!P(vm)->qmp)
		return 0;
	if (qmp_pump(P(vm)->qmp, timeout_ns) < 0)
		return ocb_err_prefix("%s: ", vm->cfg.name);
	return 0;
}

static pid_t qemu_pid(struct vm *vm)
{
	return P(vm) ? P(vm)->proc.pid : -1;
}

static void qemu_describe(struct vm *vm, json_t *guest)
{
	json_t *argv;

	if (!P(vm))
		return;	/* never started (a set-up step before boot failed) */
	argv = json_array();
	for (size_t i = 0; i < P(vm)->argv.n; i++)
		json_array_append_new(argv, json_string(P(vm)->argv.v[i]));
	json_object_set_new(guest, "argv", argv);
	json_object_set_new(guest, "qemu_version", json_string(vm->backend_version));
}

static void qemu_free_priv(struct vm *vm)
{
	struct qemu_priv *p = P(vm);

	if (!p)
		return;
	for (int w = 0; w < VM_QUERY_N; w++)
		json_decref(p->got[w].stats);
	qmp_free(p->qmp);
	agent_free(p->agent);
	child_release(&p->proc);
	strvec_clear(&p->argv);
	free(p);
	vm->priv = NULL;
}

static int qemu_launch_wrapper(struct vm *vm)
{
	if (!vm->priv) {
		struct qemu_priv *p = calloc(1, sizeof(*p));
		struct child init = CHILD_INIT;

		if (!p)
			return ocb_fail("out of memory");
		p->proc = init;
		vm->priv = p;
	}
	return qemu_launch(vm);
}

static int qemu_start(struct vm *vm)
{
	if (qemu_launch_wrapper(vm) < 0)
		return -1;
	return qemu_wait_ready(vm);
}

const struct vm_backend_ops vm_qemu_ops = {
	.name = "qemu",
	.flags = VM_CAP_LOCAL_PROCESS | VM_CAP_LOCAL_EMULATOR | VM_CAP_GUEST_IMAGE | VM_CAP_BALLOON | VM_CAP_VMEM,
	.start = qemu_start,
	.launch = qemu_launch_wrapper,
	.wait_ready = qemu_wait_ready,
	.poll_ready = qemu_poll_ready,
	.stop = qemu_stop,
	.kill = qemu_kill,
	.balloon_set = qemu_balloon_set,
	.balloon_get = qemu_balloon_get,
	.balloon_stats = qemu_balloon_stats,
	.query_send = qemu_query_send,
	.query_answer = qemu_query_answer,
	.vmem_resize = qemu_vmem_resize,
	.vmem_get = qemu_vmem_get,
	.agent_exec = qemu_agent_exec,
	.agent_read_file = qemu_agent_read_file,
	.agent_send = qemu_agent_send,
	.agent_take = qemu_agent_take,
	.agent_spawn = qemu_agent_spawn,
	.agent_poll = qemu_agent_poll,
	.pump = qemu_pump,
	.pid = qemu_pid,
	.alive = qemu_alive,
	.describe = qemu_describe,
	.free_priv = qemu_free_priv,
};
