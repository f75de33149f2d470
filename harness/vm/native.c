/* native.c — the "native" backend: no VM at all.  The scenario's
 * workloads run directly on the host (`ocbench run --native`), with the
 * same options and the same JSON, so every guest figure can be set
 * against the bare-metal one.  Guest-agent operations become local
 * process operations; there is no balloon (balloon ops fail and the
 * runner skips balloon actions of a native run). */
#include "vm/native.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "guest/guest-image.h"
#include "util/runcmd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PROCS 16

struct native_proc {
	struct child child;
	char out[4200], err[4200];
	int used;
};

struct native_priv {
	struct native_proc procs[MAX_PROCS];
	unsigned seq;
};

static struct native_priv *NP(struct vm *vm)
{
	return vm->priv;
}

static int native_start(struct vm *vm)
{
	if (!vm->priv) {
		vm->priv = calloc(1, sizeof(struct native_priv));
		if (!vm->priv)
			return ocb_fail("out of memory");
	}
	if (host_workload_dir(vm->cfg.workload_dir, sizeof(vm->cfg.workload_dir)) < 0)
		return -1;
	vm->boot_ns = 0;
	snprintf(vm->backend_version, sizeof(vm->backend_version), "native");
	return 0;
}

static int native_stop(struct vm *vm)
{
	vm->ops->kill(vm);
	return 0;
}

static void native_kill(struct vm *vm)
{
	struct native_priv *p = NP(vm);

	for (int i = 0; p && i < MAX_PROCS; i++)
		if (p->procs[i].used)
			child_release(&p->procs[i].child);
}

static int no_balloon(struct vm *vm)
{
	return ocb_fail("%s: a native run has no balloon", vm->cfg.name);
}

static int native_balloon_set(struct vm *vm, uint64_t target)
{
	(void)target;
	return no_balloon(vm);
}

static int native_balloon_get(struct vm *vm, uint64_t *actual)
{
	(void)actual;
	return no_balloon(vm);
}

static int native_balloon_stats(struct vm *vm, json_t **stats)
{
	(void)stats;
	return no_balloon(vm);
}

static int native_spawn(struct vm *vm, const char *const *argv, long long *pid)
{
	struct native_priv *p = NP(vm);
	struct native_proc *np = NULL;
	int slot = -1;

	for (int i = 0; i < MAX_PROCS && slot < 0; i++)
		if (!p->procs[i].used)
			slot = i;
	if (slot < 0)
		return ocb_fail("%s: more than %d native processes at once", vm->cfg.name, MAX_PROCS);
	np = &p->procs[slot];
	memset(np, 0, sizeof(*np));
	np->child = (struct child)CHILD_INIT;
	snprintf(np->out, sizeof(np->out), "%s/%s-native-%u.out", vm->cfg.rundir, vm->cfg.name, p->seq);
	snprintf(np->err, sizeof(np->err), "%s/%s-native-%u.err", vm->cfg.rundir, vm->cfg.name, p->seq++);
	for (size_t i = 0; argv[i]; i++)
		strvec_push(&np->child.args, argv[i]);
	np->child.stdout_path = np->out;
	np->child.stderr_path = np->err;
	np->child.new_pgroup = 1;
	np->child.die_with_parent = 1;
	/* host_memory_limit: the native baseline runs under the same cap */
	np->child.cgroup_procs = vm->cfg.cgroup_procs[0] ? vm->cfg.cgroup_procs : NULL;
	if (child_start(&np->child) < 0) {
		strvec_clear(&np->child.args);
		return -1;
	}
	np->used = 1;
	*pid = slot;
	return 0;
}

static int native_poll(struct vm *vm, long long pid, struct agent_exec_result *res)
{
	struct native_proc *np;
	int st = 0, r;

	memset(res, 0, sizeof(*res));
	if (pid < 0 || pid >= MAX_PROCS || !NP(vm)->procs[pid].used)
		return ocb_fail("%s: no native process %lld", vm->cfg.name, pid);
	np = &NP(vm)->procs[pid];
	r = child_poll(&np->child, &st);
	if (r <= 0)
		return r;
	res->exited = 1;
	res->exitcode = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	res->signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	/* An empty output file is fine: a program may print nothing. */
	read_file(np->out, &res->out);
	read_file(np->err, &res->err);
	unlink(np->out);
	unlink(np->err);
	strvec_clear(&np->child.args);
	np->used = 0;
	return 1;
}

static int native_exec(struct vm *vm, const char *const *argv, uint64_t timeout_ns,
		       struct agent_exec_result *res)
{
	struct strbuf out = STRBUF_INIT;
	int rc = run_capture(argv, &out, timeout_ns);

	memset(res, 0, sizeof(*res));
	if (rc < 0) {
		strbuf_release(&out);
		return ocb_err_prefix("%s: ", vm->cfg.name);
	}
	res->exited = 1;
	res->exitcode = rc;
	res->out = out;
	return 0;
}

static int native_read_file(struct vm *vm, const char *path, struct strbuf *out, uint64_t timeout_ns)
{
	(void)vm;
	(void)timeout_ns;
	return read_file(path, out);
}

static int native_pump(struct vm *vm, uint64_t timeout_ns)
{
	(void)vm;
	(void)timeout_ns;
	return 0;
}

static pid_t native_pid(struct vm *vm)
{
	(void)vm;
	return -1;
}

static int native_alive(struct vm *vm)
{
	(void)vm;
	return 1;
}

static void native_describe(struct vm *vm, json_t *guest)
{
	json_object_set_new(guest, "native", json_true());
	json_object_set_new(guest, "workload_dir", json_string(vm->cfg.workload_dir));
}

static void native_free_priv(struct vm *vm)
{
	free(vm->priv);
	vm->priv = NULL;
}

const struct vm_backend_ops vm_native_ops = {
	.name = "native",
	.flags = VM_CAP_LOCAL_PROCESS | VM_CAP_HOST_WORKLOADS,
	.start = native_start,
	.stop = native_stop,
	.kill = native_kill,
	.balloon_set = native_balloon_set,
	.balloon_get = native_balloon_get,
	.balloon_stats = native_balloon_stats,
	.agent_exec = native_exec,
	.agent_read_file = native_read_file,
	.agent_spawn = native_spawn,
	.agent_poll = native_poll,
	.pump = native_pump,
	.pid = native_pid,
	.alive = native_alive,
	.describe = native_describe,
	.free_priv = native_free_priv,
};
