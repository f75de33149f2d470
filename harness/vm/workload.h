/* workload.h — the workload protocol, the same for `run` and `conform`.
 *
 * A workload is a program of workloads/ (or of the user's image) started
 * in a guest through the backend's agent: it runs with `--json PATH`,
 * writes its result document (schema ocbench.workload/1) to PATH and
 * exits.  The caller spawns it, polls it between other work, and fetches
 * the document.  It lives in vm/, not guest/, because every step goes
 * through the backend's agent ops (the native backend runs it on the
 * host instead).
 */
#ifndef OCB_VM_WORKLOAD_H
#define OCB_VM_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "guest/agent.h"
#include "util/strbuf.h"

struct vm;

/* Where the workload tagged TAG writes its document: the run's private
 * directory for workloads that run on the host, else /tmp of the guest. */
void workload_json_path(const struct vm *vm, const char *tag, char *out, size_t len);
/* Start argv (argv[0] a program name, resolved in the backend's workload
 * directory, /usr/bin in a guest; or an absolute path) with --json
 * json_path appended.  The guest PID in *pid. */
int workload_spawn(struct vm *vm, const char *const *argv, const char *json_path, long long *pid);
/* Poll until it exits: 1 exited (res filled, release it), 0 deadline
 * (a mono_ns() time) passed, -1 the agent failed.  idle(opaque, ns) runs
 * between polls of poll_ns; -1 from it stops the wait with -1. */
int workload_wait(struct vm *vm, long long pid, uint64_t deadline_ns, uint64_t poll_ns,
		  int (*idle)(void *opaque, uint64_t ns), void *opaque, struct agent_exec_result *res);
/* Read the document it left at json_path into out. */
int workload_fetch(struct vm *vm, const char *json_path, uint64_t timeout_ns, struct strbuf *out);

#endif
