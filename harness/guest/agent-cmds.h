/* agent-cmds.h — the guest-agent commands ocbench uses (guest-exec,
 * guest-exec-status, guest-file-*), above any transport.
 *
 * A transport sends one command and hands back its "return" value: the
 * socket client of agent.h (agent_command) or libvirt's
 * virDomainQemuAgentCommand (vm/libvirt.c).  Both backends build the
 * requests and read the answers through the same functions, so a guest
 * behaves the same whichever way it is reached.
 */
#ifndef OCB_AGENT_CMDS_H
#define OCB_AGENT_CMDS_H

#include <jansson.h>
#include <stdint.h>

#include "util/strbuf.h"

/* Caps on what a guest sends: the guest is untrusted, and each of these
 * streams would otherwise grow the harness's memory without bound.
 * One reply (the socket client's line cap): room for both exec streams
 * at their cap, base64-encoded (4/3), plus the JSON around them. */
#define AGENT_MAX_REPLY ((size_t)16 << 20)
/* The whole of one guest-file-read (its chunks concatenated): the files
 * ocbench reads are /proc/meminfo and a workload's JSON document. */
#define AGENT_MAX_FILE ((size_t)32 << 20)
/* Each of stdout and stderr of one guest-exec (decoded). */
#define AGENT_MAX_EXEC_OUTPUT ((size_t)4 << 20)

/* The caps in force; tests lower them to exceed them cheaply. */
struct agent_limits {
	size_t reply;		/* one reply line (socket client only) */
	size_t file;		/* one whole file read */
	size_t exec_output;	/* one output stream of one command */
};

extern const struct agent_limits agent_default_limits;

struct agent_exec_result {
	int exited;		/* 0 when it was still running at the timeout */
	int exitcode;		/* valid when exited and !signal */
	int signal;		/* killing signal, or 0 */
	struct strbuf out;	/* captured stdout */
	struct strbuf err;	/* captured stderr */
};

void agent_exec_result_release(struct agent_exec_result *res);

typedef int (*agent_command_fn)(void *ctx, const char *cmd, json_t *args, json_t **ret,
				uint64_t timeout_ns);
struct agent_via {
	agent_command_fn command;	/* steals args; *ret a new reference */
	void *ctx;
	const char *label;		/* "guest agent of guest-1", for messages */
	/* May a clean-up command (guest-file-close) still be sent after an
	 * error?  NULL: always. */
	int (*usable)(void *ctx);
	/* NULL: agent_default_limits */
	const struct agent_limits *limits;
};

/* {"execute": cmd, "arguments": args} (args stolen, may be NULL). */
json_t *agent_request(const char *cmd, json_t *args);
/* Interpret one answer: 0 with *ret (new reference, when ret) from
 * "return"; -1 for an "error" answer (message with its class and desc);
 * -2 when it has neither (the stream is out of step). */
int agent_reply(json_t *msg, const char *label, const char *cmd, json_t **ret);

/* guest-exec argv with captured output, then poll guest-exec-status until
 * the process exits or timeout_ns passes. */
int agent_via_exec(const struct agent_via *v, const char *const *argv, uint64_t timeout_ns,
		   struct agent_exec_result *res);
/* Start argv without waiting; *pid is the guest PID for the poll. */
int agent_via_spawn(const struct agent_via *v, const char *const *argv, uint64_t timeout_ns,
		    long long *pid);
/* One guest-exec-status: 1 exited (res filled), 0 still running, -1 error. */
int agent_via_exec_poll(const struct agent_via *v, long long pid, uint64_t timeout_ns,
			struct agent_exec_result *res);
/* guest-file-open/read/close: the whole file into out. */
int agent_via_read_file(const struct agent_via *v, const char *path, struct strbuf *out,
			uint64_t timeout_ns);

#endif
