/* agent.c — see agent.h. */
#include "guest/agent.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/jsonchan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct agent {
	struct jsonchan ch;
	uint64_t token;
	int synced;
	const struct agent_limits *limits;
	/* agent_sync_poll(): the token asked for, when, and whether its
	 * answer's 0xFF delimiter has been read already */
	json_int_t waiting;
	uint64_t waiting_since_ns;
	int delim_seen;
	/* agent_send(): the command whose answer agent_take() waits for, and
	 * whether a waiting command read (and dropped) it meanwhile */
	char pending[48];
	int pending_lost;
};

#define AGENT_SEND_NS (100 * 1000000ull)	/* agent_send: a full socket */

#define AGENT_RESYNC_NS (2 * 1000000000ull)	/* agent_sync_poll: ask again */

struct agent *agent_new(int fd, const char *label)
{
	struct agent *a = calloc(1, sizeof(*a));
	char l[96];

	if (!a) {
		ocb_fail("out of memory");
		return NULL;
	}
	snprintf(l, sizeof(l), "guest agent of %s", label);
	jsonchan_init(&a->ch, fd, l);
	agent_set_limits(a, &agent_default_limits);
	a->token = mono_ns() ^ ((uint64_t)getpid() << 32);
	return a;
}

void agent_free(struct agent *a)
{
	if (!a)
		return;
	jsonchan_release(&a->ch);
	free(a);
}

void agent_set_limits(struct agent *a, const struct agent_limits *lim)
{
	a->limits = lim;
	jsonchan_set_max_line(&a->ch, lim->reply);
}

void agent_set_token_seed(struct agent *a, uint64_t seed)
{
	a->token = seed;
}

/* One sync attempt: 0 synced, -1 with ch.timed_out set on a timeout. */
static int sync_once(struct agent *a, uint64_t deadline)
{
	json_int_t token = (json_int_t)(++a->token & 0x3fffffffffffffull);
	json_t *req = json_pack("{s:s, s:{s:I}}", "execute", "guest-sync-delimited",
				"arguments", "id", token);
	int rc = jsonchan_send(&a->ch, req, deadline);

	json_decref(req);
	if (rc < 0)
		return -1;
	for (;;) {
		json_t *msg = NULL, *ret;

		if (jsonchan_skip_to_delimiter(&a->ch, deadline) < 0)
			return -1;
		if (jsonchan_recv(&a->ch, deadline, &msg) < 0) {
			if (a->ch.timed_out || a->ch.eof)
				return -1;
			continue;	/* garbage after a delimiter: look for the next */
		}
		ret = json_object_get(msg, "return");
		if (json_is_integer(ret) && json_integer_value(ret) == token) {
			json_decref(msg);
			a->synced = 1;
			return 0;
		}
		json_decref(msg);	/* an older token's answer */
	}
}

int agent_sync(struct agent *a, uint64_t attempt_ns, uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + timeout_ns;

	if (a->pending[0]) {	/* the resync skips its answer */
		a->pending[0] = '\0';
		a->pending_lost = 1;
	}
	a->synced = 0;
	for (;;) {
		uint64_t now = mono_ns(), d = now + attempt_ns;

		if (sync_once(a, d < deadline ? d : deadline) == 0)
			return 0;
		if (!a->ch.timed_out || mono_ns() >= deadline)
			return ocb_err_prefix("no answer to guest-sync-delimited within %.1f s: ",
					      ns_to_s(timeout_ns));
	}
}

/* The answer to a->waiting, read for up to the deadline: 1 it came,
 * 0 not yet (a partial answer stays buffered), -1 the channel failed. */
static int read_waited_answer(struct agent *a, uint64_t deadline)
{
	for (;;) {
		json_t *msg = NULL, *ret;
		int match;

		if (!a->delim_seen) {
			if (jsonchan_skip_to_delimiter(&a->ch, deadline) < 0)
				return a->ch.timed_out ? 0 : -1;
			a->delim_seen = 1;
		}
		if (jsonchan_recv(&a->ch, deadline, &msg) < 0) {
			if (a->ch.timed_out)
				return 0;
			a->delim_seen = 0;
			if (a->ch.eof)
				return -1;
			continue;	/* garbage after a delimiter: look for the next */
		}
		a->delim_seen = 0;
		ret = json_object_get(msg, "return");
		match = json_is_integer(ret) && json_integer_value(ret) == a->waiting;
		json_decref(msg);	/* else an older token's answer */
		if (match)
			return 1;
	}
}

int agent_sync_poll(struct agent *a, uint64_t wait_ns)
{
	uint64_t now = mono_ns(), deadline = now + wait_ns;
	int r;

	if (!a->waiting || now - a->waiting_since_ns >= AGENT_RESYNC_NS) {
		json_int_t token = (json_int_t)(++a->token & 0x3fffffffffffffull);
		json_t *req = json_pack("{s:s, s:{s:I}}", "execute", "guest-sync-delimited", "arguments",
					"id", token);

		r = jsonchan_send(&a->ch, req, deadline);
		json_decref(req);
		if (r < 0)
			return -1;
		a->waiting = token;
		a->waiting_since_ns = now;
	}
	r = read_waited_answer(a, deadline);
	if (r == 1) {
		a->waiting = 0;
		a->synced = 1;
	}
	return r;
}

/* A command that waits comes while a sent one's answer is out: the
 * answers come in order, so that one is read first (and dropped: its
 * agent_take() says so); a channel that does not give it in time is out
 * of step (resynced below). */
static int drop_pending(struct agent *a, uint64_t deadline)
{
	json_t *msg = NULL;
	int rc = 0;

	if (!a->pending[0])
		return 0;
	a->pending[0] = '\0';
	a->pending_lost = 1;
	if (jsonchan_recv(&a->ch, deadline, &msg) < 0) {
		a->synced = 0;
		rc = a->ch.timed_out ? -1 : 0;	/* timed out: no time is left */
	} else if (!json_object_get(msg, "return") && !json_object_get(msg, "error")) {
		a->synced = 0;
	}
	json_decref(msg);
	return rc;
}

int agent_send(struct agent *a, const char *cmd, json_t *args)
{
	json_t *req;
	int r;

	if (a->pending[0])	/* never taken: its answer may still come */
		a->synced = 0;
	a->pending[0] = '\0';
	a->pending_lost = 0;
	if (!a->synced && (r = agent_sync_poll(a, 0)) <= 0) {
		json_decref(args);
		return r;
	}
	req = agent_request(cmd, args);
	r = jsonchan_send(&a->ch, req, mono_ns() + AGENT_SEND_NS);
	json_decref(req);
	if (r < 0)
		return -1;
	snprintf(a->pending, sizeof(a->pending), "%s", cmd);
	return 1;
}

int agent_take(struct agent *a, json_t **ret)
{
	json_t *msg = NULL;
	int rc;

	if (!a->pending[0]) {
		int lost = a->pending_lost;

		a->pending_lost = 0;
		ocb_fail("%s: no command waits for its answer%s", a->ch.label,
			 lost ? " (a waiting command read it)" : "");
		return lost ? -2 : -1;
	}
	if (!jsonchan_readable(&a->ch))
		return 0;
	if (jsonchan_recv(&a->ch, mono_ns(), &msg) < 0) {
		if (a->ch.timed_out)
			return 0;	/* part of a line: the rest comes later */
		ocb_err_prefix("%s: ", a->pending);
		a->pending[0] = '\0';
		a->synced = 0;
		return -1;
	}
	rc = agent_reply(msg, a->ch.label, a->pending, ret);
	json_decref(msg);
	if (rc == -2)
		a->synced = 0;	/* out of step: resync before the next command */
	a->pending[0] = '\0';
	return rc < 0 ? -1 : 1;
}

int agent_command(struct agent *a, const char *cmd, json_t *args, json_t **ret,
		  uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	json_t *req, *msg = NULL;
	int rc;

	if (drop_pending(a, deadline) < 0) {
		json_decref(args);
		return ocb_err_prefix("%s: ", cmd);
	}
	if (!a->synced && agent_sync(a, timeout_ns, timeout_ns) < 0) {
		json_decref(args);
		return -1;
	}
	req = agent_request(cmd, args);
	rc = jsonchan_send(&a->ch, req, deadline);
	json_decref(req);
	if (rc < 0)
		return -1;
	if (jsonchan_recv(&a->ch, deadline, &msg) < 0) {
		a->synced = 0;	/* a late answer may still come: resync next time */
		return ocb_err_prefix("%s: ", cmd);
	}
	rc = agent_reply(msg, a->ch.label, cmd, ret);
	json_decref(msg);
	if (rc == -2)
		a->synced = 0;	/* out of step: resync before the next command */
	return rc < 0 ? -1 : 0;
}

static int socket_command(void *ctx, const char *cmd, json_t *args, json_t **ret,
			  uint64_t timeout_ns)
{
	return agent_command(ctx, cmd, args, ret, timeout_ns);
}

/* After a timeout the client must resync first, which could take the
 * whole timeout again: a clean-up command is only worth it when synced. */
static int socket_usable(void *ctx)
{
	return ((struct agent *)ctx)->synced;
}

static struct agent_via via_of(struct agent *a)
{
	struct agent_via v = { socket_command, a, a->ch.label, socket_usable, a->limits };

	return v;
}

int agent_spawn(struct agent *a, const char *const *argv, uint64_t timeout_ns, long long *pid)
{
	struct agent_via v = via_of(a);

	return agent_via_spawn(&v, argv, timeout_ns, pid);
}

int agent_exec_poll(struct agent *a, long long pid, uint64_t timeout_ns,
		    struct agent_exec_result *res)
{
	struct agent_via v = via_of(a);

	return agent_via_exec_poll(&v, pid, timeout_ns, res);
}

int agent_exec(struct agent *a, const char *const *argv, uint64_t timeout_ns,
	       struct agent_exec_result *res)
{
	struct agent_via v = via_of(a);

	return agent_via_exec(&v, argv, timeout_ns, res);
}

int agent_read_file(struct agent *a, const char *path, struct strbuf *out,
		    uint64_t timeout_ns)
{
	struct agent_via v = via_of(a);

	return agent_via_read_file(&v, path, out, timeout_ns);
}
