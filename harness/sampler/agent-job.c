/* agent-job.c — see agent-job.h. */
#include "sampler/agent-job.h"
#include "util/error.h"
#include "vm/vm.h"

#include <stdio.h>
#include <string.h>

/* Never waited out: the job's own deadline is its source's. */
#define STEP_TIMEOUT_NS (1000 * 1000000ull)

void agent_job_start(struct agent_job *j, struct vm *vm, const char *const *argv, const char *path)
{
	memset(j, 0, sizeof(*j));
	j->vm = vm;
	j->argv = argv;
	j->path = path;
	snprintf(j->label, sizeof(j->label), "guest agent of %s", vm->cfg.name);
	j->answers = json_array();
}

void agent_job_release(struct agent_job *j)
{
	json_decref(j->answers);
	j->answers = NULL;
	agent_exec_result_release(&j->res);
	strbuf_release(&j->text);
}

static int out(struct agent_job *j)
{
	j->in_flight = 1;
	return ocb_fail("%s: answer not in yet", j->label);
}

/* The agent-cmds transport of a job: an answer it has is replayed; the
 * first it has not is sent, or taken when it came; else "in flight". */
static int job_command(void *ctx, const char *cmd, json_t *args, json_t **ret, uint64_t timeout_ns)
{
	struct agent_job *j = ctx;
	json_t *ans = NULL;
	int r;

	(void)timeout_ns;
	if (j->replayed < json_array_size(j->answers)) {
		json_decref(args);
		if (ret)
			*ret = json_incref(json_array_get(j->answers, j->replayed));
		j->replayed++;
		return 0;
	}
	if (!j->sent) {
		r = j->vm->ops->agent_send(j->vm, cmd, args);
		if (r < 0)
			return -1;
		j->sent = r;	/* 0: the channel is syncing first */
		return out(j);
	}
	json_decref(args);
	r = j->vm->ops->agent_take(j->vm, &ans);
	if (r == 0)
		return out(j);
	j->sent = 0;
	if (r < 0) {
		j->lost = r == -2;
		return -1;
	}
	json_array_append_new(j->answers, ans ? ans : json_null());
	j->replayed++;
	if (ret)
		*ret = json_incref(json_array_get(j->answers, j->replayed - 1));
	return 0;
}

/* No clean-up command after a failure (guest-file-close): it would be
 * one more answer to wait for. */
static int job_usable(void *ctx)
{
	(void)ctx;
	return 0;
}

static int outcome(struct agent_job *j, int r)
{
	if (r >= 0)
		return r;
	if (j->in_flight) {
		ocb_err_clear();
		return 0;
	}
	return j->lost ? -2 : -1;
}

int agent_job_step(struct agent_job *j)
{
	struct agent_via v = { job_command, j, j->label, job_usable, NULL };
	int r;

	j->replayed = 0;
	j->in_flight = j->lost = 0;
	if (!j->argv) {
		strbuf_reset(&j->text);
		return outcome(j, agent_via_read_file(&v, j->path, &j->text, STEP_TIMEOUT_NS) < 0 ? -1 : 1);
	}
	if (!j->spawned) {
		if (agent_via_spawn(&v, j->argv, STEP_TIMEOUT_NS, &j->pid) < 0)
			return outcome(j, -1);
		j->spawned = 1;
		json_array_clear(j->answers);
		j->replayed = 0;
	}
	agent_exec_result_release(&j->res);
	r = outcome(j, agent_via_exec_poll(&v, j->pid, STEP_TIMEOUT_NS, &j->res));
	if (r == 0 && !j->in_flight)	/* still running: a new poll next step */
		json_array_clear(j->answers);
	return r;
}
