/* agent.c — see agent.h. */
#include "agent.h"
#include "base64.h"
#include "clock.h"
#include "error.h"
#include "jsonchan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* guest-exec-status is polled; this is how often (the guest is slow under
 * TCG, so faster polling only burns its CPU). */
#define EXEC_POLL_NS (5 * 1000000ull)
#define FILE_CHUNK 65536

struct agent {
	struct jsonchan ch;
	uint64_t token;
	int synced;
};

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
	int rc = jsonchan_send(&a->ch, req);

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

int agent_command(struct agent *a, const char *cmd, json_t *args, json_t **ret,
		  uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	json_t *req, *msg = NULL, *err;
	int rc;

	if (!a->synced && agent_sync(a, timeout_ns, timeout_ns) < 0) {
		json_decref(args);
		return -1;
	}
	req = json_pack("{s:s}", "execute", cmd);
	if (args)
		json_object_set_new(req, "arguments", args);
	rc = jsonchan_send(&a->ch, req);
	json_decref(req);
	if (rc < 0)
		return -1;
	if (jsonchan_recv(&a->ch, deadline, &msg) < 0) {
		a->synced = 0;	/* a late answer may still come: resync next time */
		return ocb_err_prefix("%s: ", cmd);
	}
	err = json_object_get(msg, "error");
	if (err) {
		ocb_fail("%s: command '%s' failed: %s: %s", a->ch.label, cmd,
			 json_string_value(json_object_get(err, "class")) ?: "GenericError",
			 json_string_value(json_object_get(err, "desc")) ?: "(no description)");
		json_decref(msg);
		return -1;
	}
	if (!json_object_get(msg, "return")) {
		json_decref(msg);
		a->synced = 0;
		return ocb_fail("%s: answer to '%s' has neither \"return\" nor \"error\"",
				a->ch.label, cmd);
	}
	if (ret)
		*ret = json_incref(json_object_get(msg, "return"));
	json_decref(msg);
	return 0;
}

static int decode_field(json_t *status, const char *key, struct strbuf *out,
			const char *label)
{
	const char *b64 = json_string_value(json_object_get(status, key));

	if (b64 && base64_decode(b64, out) < 0)
		return ocb_err_prefix("%s: %s: ", label, key);
	return 0;
}

int agent_spawn(struct agent *a, const char *const *argv, uint64_t timeout_ns, long long *pid)
{
	json_t *args, *arr = json_array(), *ret = NULL;

	for (size_t i = 1; argv[0] && argv[i]; i++)
		json_array_append_new(arr, json_string(argv[i]));
	args = json_pack("{s:s, s:o, s:b}", "path", argv[0], "arg", arr, "capture-output", 1);
	if (agent_command(a, "guest-exec", args, &ret, timeout_ns) < 0)
		return ocb_err_prefix("cannot run '%s' in the guest: ", argv[0]);
	*pid = (long long)json_integer_value(json_object_get(ret, "pid"));
	json_decref(ret);
	return 0;
}

int agent_exec_poll(struct agent *a, long long pid, uint64_t timeout_ns,
		    struct agent_exec_result *res)
{
	json_t *st = NULL;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (agent_command(a, "guest-exec-status", json_pack("{s:I}", "pid", (json_int_t)pid), &st,
			  timeout_ns) < 0)
		return -1;
	if (json_is_true(json_object_get(st, "exited"))) {
		res->exited = 1;
		res->exitcode = (int)json_integer_value(json_object_get(st, "exitcode"));
		res->signal = (int)json_integer_value(json_object_get(st, "signal"));
		rc = 1;
		if (decode_field(st, "out-data", &res->out, a->ch.label) < 0 ||
		    decode_field(st, "err-data", &res->err, a->ch.label) < 0)
			rc = -1;
	}
	json_decref(st);
	return rc;
}

int agent_exec(struct agent *a, const char *const *argv, uint64_t timeout_ns,
	       struct agent_exec_result *res)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	long long pid;

	memset(res, 0, sizeof(*res));
	if (agent_spawn(a, argv, timeout_ns, &pid) < 0)
		return -1;
	for (;;) {
		uint64_t now = mono_ns();
		int r;

		if (now >= deadline)
			return ocb_fail("%s: '%s' (guest pid %lld) still running after %.1f s",
					a->ch.label, argv[0], pid, ns_to_s(timeout_ns));
		agent_exec_result_release(res);
		r = agent_exec_poll(a, pid, deadline - now, res);
		if (r != 0)
			return r < 0 ? -1 : 0;
		sleep_ns(EXEC_POLL_NS, NULL);
	}
}

void agent_exec_result_release(struct agent_exec_result *res)
{
	strbuf_release(&res->out);
	strbuf_release(&res->err);
}

int agent_read_file(struct agent *a, const char *path, struct strbuf *out,
		    uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	json_t *ret = NULL;
	json_int_t handle;
	int rc = -1;

	if (agent_command(a, "guest-file-open", json_pack("{s:s, s:s}", "path", path, "mode", "r"),
			  &ret, timeout_ns) < 0)
		return ocb_err_prefix("cannot open %s in the guest: ", path);
	handle = json_integer_value(ret);
	json_decref(ret);
	for (;;) {
		uint64_t now = mono_ns();
		const char *b64;
		int eof, empty;

		ret = NULL;
		if (now >= deadline) {
			ocb_fail("%s: reading %s timed out", a->ch.label, path);
			break;
		}
		if (agent_command(a, "guest-file-read",
				  json_pack("{s:I, s:i}", "handle", handle, "count", FILE_CHUNK), &ret,
				  deadline - now) < 0) {
			ocb_err_prefix("reading %s in the guest: ", path);
			break;
		}
		b64 = json_string_value(json_object_get(ret, "buf-b64"));
		eof = json_is_true(json_object_get(ret, "eof"));
		if (b64 && base64_decode(b64, out) < 0) {
			ocb_err_prefix("%s: %s: ", a->ch.label, path);
			json_decref(ret);
			break;
		}
		empty = !b64 || !*b64;
		json_decref(ret);
		if (eof || empty) {
			rc = 0;
			break;
		}
	}
	/* Close even after an error, but keep the first error's message. */
	if (rc == 0) {
		if (agent_command(a, "guest-file-close", json_pack("{s:I}", "handle", handle), NULL,
				  timeout_ns) < 0)
			return ocb_err_prefix("closing %s in the guest: ", path);
	} else if (a->synced) {
		char saved[OCB_ERR_MAX];

		snprintf(saved, sizeof(saved), "%s", ocb_errmsg());
		agent_command(a, "guest-file-close", json_pack("{s:I}", "handle", handle), NULL,
			      timeout_ns);
		ocb_fail("%s", saved);
	}
	return rc;
}
