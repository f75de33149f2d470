/* agent.h — qemu-guest-agent client over a socket (the guest channel
 * seam); the commands themselves are agent-cmds.h, above any transport.
 *
 * The same protocol serves the qemu backend (a chardev socket) and any
 * user image that runs qemu-ga, so vendors can qualify their own distro.
 * The agent has no greeting and no ids: a client synchronizes with
 * guest-sync-delimited (a fresh random token; the answer is preceded by a
 * 0xFF byte that flushes whatever a previous client left in the pipe), and
 * from then on each command gets exactly one answer, in order.  After a
 * timeout the stream may hold a late answer, so the next command
 * re-synchronizes first.
 */
#ifndef OCB_AGENT_H
#define OCB_AGENT_H

#include <jansson.h>
#include <stdint.h>

#include "guest/agent-cmds.h"
#include "util/strbuf.h"

struct agent;

/* Takes ownership of fd; label names the guest in messages. */
struct agent *agent_new(int fd, const char *label);
void agent_free(struct agent *a);
/* Replace the caps on what the guest sends (agent_default_limits; tests
 * lower them); *lim must outlive a. */
void agent_set_limits(struct agent *a, const struct agent_limits *lim);
/* Seed the sync token (tests use a fixed one). */
void agent_set_token_seed(struct agent *a, uint64_t seed);

/* guest-sync-delimited until answered.  Each attempt waits attempt_ns;
 * the whole thing gives up after timeout_ns.  Used to wait for boot. */
int agent_sync(struct agent *a, uint64_t attempt_ns, uint64_t timeout_ns);
/* One look at a booting guest's agent that may be as short as wanted: asks
 * guest-sync-delimited once (again only after 2 s without its answer) and
 * reads for up to wait_ns.  The answer may come in a later look: a slow
 * agent (many guests on few CPUs) is never outrun by new questions.
 * 1 synced, 0 not yet, -1 the channel failed (message set). */
int agent_sync_poll(struct agent *a, uint64_t wait_ns);
/* One command; *ret gets the "return" value (new reference) when ret. */
int agent_command(struct agent *a, const char *cmd, json_t *args, json_t **ret,
		  uint64_t timeout_ns);

/* A command sent without waiting for its answer (the sampler's questions,
 * to many guests at once), taken later with agent_take().  One at a time:
 * sending another gives up the last (the channel resyncs, so its late
 * answer is skipped).  On a channel out of step it first syncs, a step at
 * a time (agent_sync_poll): 1 sent, 0 not yet (ask again later), -1
 * failed.  args are stolen. */
int agent_send(struct agent *a, const char *cmd, json_t *args);
/* Never waits: 1 the answer came (*ret its "return", new reference, when
 * ret), 0 not yet, -1 an error answer or a failed channel, -2 nothing to
 * take because a waiting command (agent_command) came meanwhile: the
 * answers come in order, so it read that answer first and dropped it. */
int agent_take(struct agent *a, json_t **ret);

/* ---- the commands (agent-cmds.h) over this socket client ----------------- */

/* guest-exec argv with captured output, then poll guest-exec-status until
 * the process exits or timeout_ns passes. */
int agent_exec(struct agent *a, const char *const *argv, uint64_t timeout_ns,
	       struct agent_exec_result *res);
/* Start argv in the guest without waiting (workloads); *pid is the guest
 * PID for agent_exec_poll(). */
int agent_spawn(struct agent *a, const char *const *argv, uint64_t timeout_ns, long long *pid);
/* One guest-exec-status: 1 exited (res filled), 0 still running, -1 error. */
int agent_exec_poll(struct agent *a, long long pid, uint64_t timeout_ns,
		    struct agent_exec_result *res);
/* guest-file-open/read/close: the whole file into out. */
int agent_read_file(struct agent *a, const char *path, struct strbuf *out,
		    uint64_t timeout_ns);

#endif
