/* agent-cmds.c — see agent-cmds.h. */
#include "guest/agent-cmds.h"
#include "util/base64.h"
#include "util/clock.h"
#include "util/error.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* guest-exec-status is polled; this is how often (the guest is slow under
 * TCG, so faster polling only burns its CPU). */
#define EXEC_POLL_NS (5 * 1000000ull)
#define FILE_CHUNK 65536

const struct agent_limits agent_default_limits = {
	.reply = AGENT_MAX_REPLY,
	.file = AGENT_MAX_FILE,
	.exec_output = AGENT_MAX_EXEC_OUTPUT,
};

static const struct agent_limits *limits_of(const struct agent_via *v)
{
	return v->limits ? v->limits : &agent_default_limits;
}

/* Bytes base64 text of len characters decodes to, at least (padding
 * takes up to 2 of each last 3): checked before decoding so an oversized
 * answer costs no allocation; the exact size is checked after. */
static size_t b64_decoded_min(size_t len)
{
	size_t max = (len + 3) / 4 * 3;

	return max < 2 ? 0 : max - 2;
}

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

/* Decode one output stream of guest-exec-status, checked against the cap
 * before anything is decoded. */
static int decode_field(const struct agent_via *v, json_t *status, const char *key,
			long long pid, struct strbuf *out)
{
	const char *b64 = json_string_value(json_object_get(status, key));
	size_t len = b64 ? strlen(b64) : 0, cap = limits_of(v)->exec_output;

	if (b64_decoded_min(len) > cap)
		return ocb_fail("%s: output of guest pid %lld (%s) is at least %zu bytes, over the cap "
				"of %zu bytes on one command's output", v->label, pid, key,
				b64_decoded_min(len), cap);
	if (b64 && base64_decode(b64, out) < 0)
		return ocb_err_prefix("%s: %s: ", v->label, key);
	if (out->len > cap)
		return ocb_fail("%s: output of guest pid %lld (%s) is %zu bytes, over the cap of %zu "
				"bytes on one command's output", v->label, pid, key, out->len, cap);
	return 0;
}

int agent_via_spawn(const struct agent_via *v, const char *const *argv, uint64_t timeout_ns,
		    long long *pid)
{
	json_t *args, *arr = json_array(), *ret = NULL, *p;

	for (size_t i = 1; argv[0] && argv[i]; i++)
		json_array_append_new(arr, json_string(argv[i]));
	args = json_pack("{s:s, s:o, s:b}", "path", argv[0], "arg", arr, "capture-output", 1);
	if (via_command(v, "guest-exec", args, &ret, timeout_ns) < 0)
		return ocb_err_prefix("cannot run '%s' in the guest: ", argv[0]);
	/* The PID goes back into requests and into `kill -TERM PID`: only a
	 * real one (a 0 or -1 there would be every process of the guest). */
	p = json_object_get(ret, "pid");
	*pid = json_is_integer(p) ? (long long)json_integer_value(p) : 0;
	json_decref(ret);
	if (*pid <= 0 || *pid > INT_MAX)
		return ocb_fail("%s: guest-exec of '%s' answered without a valid \"pid\" (expected a "
				"positive process id)", v->label, argv[0]);
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
		if (decode_field(v, st, "out-data", pid, &res->out) < 0 ||
		    decode_field(v, st, "err-data", pid, &res->err) < 0)
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

/* One guest-file-read chunk into out, which already holds got bytes of
 * the file: checked against the cap on the whole file before decoding. */
static int add_chunk(const struct agent_via *v, const char *path, const char *b64,
		     size_t got, struct strbuf *out)
{
	size_t cap = limits_of(v)->file, before = out->len;

	if (got + b64_decoded_min(strlen(b64)) <= cap) {
		if (base64_decode(b64, out) < 0)
			return ocb_err_prefix("%s: %s: ", v->label, path);
		if (got + (out->len - before) <= cap)
			return 0;
	}
	return ocb_fail("%s: %s is larger than the cap of %zu bytes on a file read from the guest "
			"(%zu bytes read, a chunk of %zu base64 characters more)", v->label, path, cap,
			got, strlen(b64));
}

/* guest-file-read until EOF: 0, or -1 with the message. */
static int read_chunks(const struct agent_via *v, json_int_t handle, const char *path,
		       struct strbuf *out, uint64_t deadline)
{
	size_t start = out->len;

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
		if (b64 && add_chunk(v, path, b64, out->len - start, out) < 0) {
			json_decref(ret);
			return -1;
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
