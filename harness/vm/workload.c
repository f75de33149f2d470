/* workload.c — see workload.h. */
#include "vm/workload.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/runcmd.h"
#include "vm/vm.h"

#include <stdio.h>
#include <string.h>

void workload_json_path(const struct vm *vm, const char *tag, char *out, size_t len)
{
	snprintf(out, len, "%s/ocbench-workload-%s.json",
		 vm_can(vm, VM_CAP_HOST_WORKLOADS) ? vm->cfg.rundir : "/tmp", tag);
}

int workload_spawn(struct vm *vm, const char *const *argv, const char *json_path, long long *pid)
{
	struct strvec a = STRVEC_INIT;
	int rc;

	if (argv[0][0] == '/')
		strvec_push(&a, argv[0]);
	else
		strvec_pushf(&a, "%s/%s", vm->cfg.workload_dir[0] ? vm->cfg.workload_dir : "/usr/bin",
			     argv[0]);
	for (size_t i = 1; argv[i]; i++)
		strvec_push(&a, argv[i]);
	strvec_push(&a, "--json");
	strvec_push(&a, json_path);
	rc = vm->ops->agent_spawn(vm, (const char *const *)a.v, pid);
	strvec_clear(&a);
	if (rc < 0)
		return ocb_err_prefix("%s: starting workload %s: ", vm->cfg.name, argv[0]);
	return 0;
}

int workload_wait(struct vm *vm, long long pid, uint64_t deadline_ns, uint64_t poll_ns,
		  int (*idle)(void *opaque, uint64_t ns), void *opaque, struct agent_exec_result *res)
{
	for (;;) {
		int st = vm->ops->agent_poll(vm, pid, res);

		if (st < 0)
			return -1;
		if (st == 1)
			return 1;
		agent_exec_result_release(res);
		if (mono_ns() >= deadline_ns)
			return 0;
		if (idle(opaque, poll_ns) < 0)
			return -1;
	}
}

int workload_fetch(struct vm *vm, const char *json_path, uint64_t timeout_ns, struct strbuf *out)
{
	return vm->ops->agent_read_file(vm, json_path, out, timeout_ns);
}
