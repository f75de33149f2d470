/* agent-job.h — one guest-agent question of the sampler carried without
 * waiting: `free -m` (guest-exec, then guest-exec-status until it
 * exited) or a file (guest-file-open, -read, -close), its agent commands
 * sent one at a time with the backend's agent_send and their answers
 * taken with agent_take at later turns of the loop, so a guest that
 * answers late holds neither the loop nor the other guests.
 *
 * The commands are agent-cmds.h's, the same requests and the same caps
 * on what the guest sends as the waiting way: each step runs the
 * agent-cmds function again from its start, the answers the job already
 * has replayed, until it needs one that has not come. */
#ifndef OCB_SAMPLER_AGENT_JOB_H
#define OCB_SAMPLER_AGENT_JOB_H

#include <jansson.h>

#include "guest/agent-cmds.h"
#include "util/strbuf.h"

struct vm;

struct agent_job {
	struct vm *vm;
	const char *const *argv;	/* an exec; or NULL and: */
	const char *path;		/* a file read */
	char label[96];
	int spawned;			/* exec: guest-exec answered */
	long long pid;
	json_t *answers;		/* this phase's answers so far */
	size_t replayed;
	int sent;			/* the next command is out */
	int in_flight, lost;		/* the last step's outcome */
	struct agent_exec_result res;	/* an exec's, once it exited */
	struct strbuf text;		/* a file's */
};

/* argv (an exec) or path (a file), both borrowed. */
void agent_job_start(struct agent_job *j, struct vm *vm, const char *const *argv, const char *path);
/* One step: 1 done (j->res or j->text), 0 still out, -1 failed (message
 * set), -2 given up without a failure of the guest (a waiting command of
 * the run read the answer: start again later). */
int agent_job_step(struct agent_job *j);
void agent_job_release(struct agent_job *j);

#endif
