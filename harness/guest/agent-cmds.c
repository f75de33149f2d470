/* agent-cmds.c — see agent-cmds.h. */
#include "guest/agent-cmds.h"
#include "util/base64.h"
#include "util/clock.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* guest-exec-status is polled; this is how often (the guest is slow under
 * TCG, so faster polling only burns its CPU). */
#define EXEC_POLL_NS (5 * 1000000ull)
#define FILE_CHUNK 65536

json_t *agent_request(const char *cmd, json_t *args)
{
	json_t *req = json_pack("{s:s}", "execute", cmd);

	if (args)
		json_object_set_new(req, "arguments", args);
	return req;
}

int agent_reply(json_t *msg, const char *label, const char *cmd, json_t **ret)
{
	json_t *err = json_object_get(msg, "error");

	if (err) {
		ocb_fail("%s: command '%s' failed: %s: %s", label, cmd,
			 json_string_value(json_object_get(err, "class")) ?: "GenericError",
			 json_string_value(json_object_get(err, "desc")) ?: "(no description)");
		return -1;
	}
	if (!json_object_get(msg, "return")) {
		ocb_fail("%s: answer to '%s' has neither \"return\" nor \"error\"", label, cmd);
		return -2;
	}
	if (ret)
		*ret = json_incref(json_object_get(msg, "return"));
	return 0;
}

static int via_command(const struct agent_via *v, const char *cmd, json_t *args, json_t **ret,
		       uint64_t timeout_ns)
{
	return v->command(v->ctx, cmd, args, ret, timeout_ns);
}

static int decode_field(json_t *status, const char *key, struct strbuf *out, const char *label)
{
	const char *b64 = json_string_value(json_object_get(status, key));

	if (b64 && base64_decode(b64, out) < 0)
		return ocb_err_prefix("%s: %s: ", label, key);
	return 0;
}

int agent_via_spawn(const struct agent_via *v, const char *const *argv, uint64_t timeout_ns,
		    long long *pid)
{
	json_t *args, *arr = json_array(), *ret = NULL;

	for (size_t i = 1; argv[0] && argv[i]; i++)
		json_array_append_new(arr, json_string(argv[i]));
	args = json_pack("{s:s, s:o, s:b}", "path", argv[0], "arg", arr, "capture-output", 1);
	if (via_command(v, "guest-exec", args, &ret, timeout_ns) < 0)
		return ocb_err_prefix("cannot run '%s' in the guest: ", argv[0]);
	*pid = (long long)json_integer_value(json_object_get(ret, "pid"));
	json_decref(ret);
	return 0;
}

int agent_via_exec_poll(const struct agent_via *v, long long pid, uint64_t timeout_ns,
			struct agent_exec_result *res)
{
	json_t *st = NULL;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (via_command(v, "guest-exec-status", json_pack("{s:I}", "pid", (json_int_t)pid), &st,
			timeout_ns) < 0)
		return -1;
	if (json_is_true(json_object_get(st, "exited"))) {
		res->exited = 1;
		res->exitcode = (int)json_integer_value(json_object_get(st, "exitcode"));
		res->signal = (int)json_integer_value(json_object_get(st, "signal"));
		/* qemu-ga omits "exitcode" for a process killed by a signal:
		 * -1 then, as the native backend says, never a clean 0. */
		if (!json_object_get(st, "exitcode") && res->signal)
			res->exitcode = -1;
		rc = 1;
		if (decode_field(st, "out-data", &res->out, v->label) < 0 ||
		    decode_field(st, "err-data", &res->err, v->label) < 0)
			rc = -1;
	}
	json_decref(st);
	return rc;
}

int agent_via_exec(const struct agent_via *v, const char *const *argv, uint64_t timeout_ns,
		   struct agent_exec_result *res)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	long long pid;

	memset(res, 0, sizeof(*res));
	if (agent_via_spawn(v, argv, timeout_ns, &pid) < 0)
		return -1;
	for (;;) {
		uint64_t now = mono_ns();
		int r;

		if (now >= deadline)
			return ocb_fail("%s: '%s' (guest pid %lld) still running after %.1f s", v->label,
					argv[0], pid, ns_to_s(timeout_ns));
		agent_exec_result_release(res);
		r = agent_via_exec_poll(v, pid, deadline - now, res);
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

/* guest-file-read until EOF: 0, or -1 with the message. */
static int read_chunks(const struct agent_via *v, json_int_t handle, const char *path,
		       struct strbuf *out, uint64_t deadline)
{
	for (;;) {
		uint64_t now = mono_ns();
		json_t *ret = NULL;
		const char *b64;
		int eof, empty;

		if (now >= deadline)
			return ocb_fail("%s: reading %s timed out", v->label, path);
		if (via_command(v, "guest-file-read",
				json_pack("{s:I, s:i}", "handle", handle, "count", FILE_CHUNK), &ret,
				deadline - now) < 0)
			return ocb_err_prefix("reading %s in the guest: ", path);
		b64 = json_string_value(json_object_get(ret, "buf-b64"));
		eof = json_is_true(json_object_get(ret, "eof"));
		if (b64 && base64_decode(b64, out) < 0) {
			json_decref(ret);
			return ocb_err_prefix("%s: %s: ", v->label, path);
		}
		empty = !b64 || !*b64;
		json_decref(ret);
		if (eof || empty)
			return 0;
	}
}

int agent_via_read_file(const struct agent_via *v, const char *path, struct strbuf *out,
			uint64_t timeout_ns)
{
	json_t *ret = NULL;
	json_int_t handle;
	int rc;

	if (via_command(v, "guest-file-open", json_pack("{s:s, s:s}", "path", path, "mode", "r"), &ret,
			timeout_ns) < 0)
		return ocb_err_prefix("cannot open %s in the guest: ", path);
	handle = json_integer_value(ret);
	json_decref(ret);
	rc = read_chunks(v, handle, path, out, mono_ns() + timeout_ns);
	if (rc == 0) {
		if (via_command(v, "guest-file-close", json_pack("{s:I}", "handle", handle), NULL,
				timeout_ns) < 0)
			return ocb_err_prefix("closing %s in the guest: ", path);
	} else if (!v->usable || v->usable(v->ctx)) {
		/* Close even after an error, but keep the first error's message. */
		char saved[OCB_ERR_MAX];

		snprintf(saved, sizeof(saved), "%s", ocb_errmsg());
		via_command(v, "guest-file-close", json_pack("{s:I}", "handle", handle), NULL, timeout_ns);
		ocb_fail("%s", saved);
	}
	return rc;
}
