/* qmp.c — see qmp.h. */
#include "vm/qmp.h"
#include "util/clock.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qmp {
	struct jsonchan ch;
	json_t *events;		/* array: queued event objects */
	int64_t next_id;
	char err_class[64];
	qmp_event_hook hook;
	void *hook_opaque;
};

struct qmp *qmp_new(int fd, const char *label)
{
	struct qmp *q = calloc(1, sizeof(*q));
	char l[96];

	if (!q) {
		ocb_fail("out of memory");
		return NULL;
	}
	snprintf(l, sizeof(l), "QMP of %s", label);
	jsonchan_init(&q->ch, fd, l);
	q->events = json_array();
	q->next_id = 1;
	return q;
}

void qmp_free(struct qmp *q)
{
	if (!q)
		return;
	jsonchan_release(&q->ch);
	json_decref(q->events);
	free(q);
}

void qmp_set_event_hook(struct qmp *q, qmp_event_hook hook, void *opaque)
{
	q->hook = hook;
	q->hook_opaque = opaque;
}

const char *qmp_error_class(const struct qmp *q)
{
	return q->err_class;
}

/* An event: tell the hook and queue it for qmp_wait_event().  The queue
 * keeps the latest QMP_EVENTS_MAX: a guest that reports BALLOON_CHANGE
 * for hours must not grow the harness.  Takes the reference. */
#define QMP_EVENTS_MAX 256

static void take_event(struct qmp *q, json_t *msg)
{
	if (q->hook)
		q->hook(q->hook_opaque, json_string_value(json_object_get(msg, "event")),
			json_object_get(msg, "data"), json_object_get(msg, "timestamp"));
	if (json_array_size(q->events) >= QMP_EVENTS_MAX)
		json_array_remove(q->events, 0);
	json_array_append_new(q->events, msg);
}

int qmp_handshake(struct qmp *q, uint64_t timeout_ns, char *version, size_t vlen)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	json_t *msg = NULL, *qemu;

	if (jsonchan_recv(&q->ch, deadline, &msg) < 0)
		return ocb_err_prefix("waiting for the QMP greeting: ");
	qemu = json_object_get(json_object_get(msg, "QMP"), "version");
	qemu = json_object_get(qemu, "qemu");
	if (!qemu) {
		json_decref(msg);
		return ocb_fail("%s: expected a greeting {\"QMP\": {\"version\": ...}}", q->ch.label);
	}
	if (version)
		snprintf(version, vlen, "%lld.%lld.%lld",
			 (long long)json_integer_value(json_object_get(qemu, "major")),
			 (long long)json_integer_value(json_object_get(qemu, "minor")),
			 (long long)json_integer_value(json_object_get(qemu, "micro")));
	json_decref(msg);
	return qmp_command(q, "qmp_capabilities", NULL, NULL, deadline - mono_ns());
}

static int reply_error(struct qmp *q, const char *cmd, json_t *err)
{
	const char *cls = json_string_value(json_object_get(err, "class"));
	const char *desc = json_string_value(json_object_get(err, "desc"));

	snprintf(q->err_class, sizeof(q->err_class), "%s", cls ? cls : "GenericError");
	return ocb_fail("%s: command '%s' failed: %s: %s", q->ch.label, cmd, q->err_class,
			desc ? desc : "(no description)");
}

int qmp_command(struct qmp *q, const char *cmd, json_t *args, json_t **ret,
		uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	int64_t id = q->next_id++;
	json_t *req = json_pack("{s:s, s:I}", "execute", cmd, "id", (json_int_t)id);

	q->err_class[0] = '\0';
	if (args)
		json_object_set_new(req, "arguments", args);
	if (jsonchan_send(&q->ch, req, deadline) < 0) {
		json_decref(req);
		return -1;
	}
	json_decref(req);
	for (;;) {
		json_t *msg = NULL, *rid;

		if (jsonchan_recv(&q->ch, deadline, &msg) < 0)
			return ocb_err_prefix("command '%s': ", cmd);
		if (json_object_get(msg, "event")) {
			take_event(q, msg);
			continue;
		}
		rid = json_object_get(msg, "id");
		if (!json_is_integer(rid) || json_integer_value(rid) != id) {
			/* Late reply to an abandoned command: not ours. */
			json_decref(msg);
			continue;
		}
		if (json_object_get(msg, "error")) {
			reply_error(q, cmd, json_object_get(msg, "error"));
			json_decref(msg);
			return -1;
		}
		if (!json_object_get(msg, "return")) {
			json_decref(msg);
			return ocb_fail("%s: reply to '%s' has neither \"return\" nor \"error\"",
					q->ch.label, cmd);
		}
		if (ret)
			*ret = json_incref(json_object_get(msg, "return"));
		json_decref(msg);
		return 0;
	}
}

int qmp_pump(struct qmp *q, uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + timeout_ns;

	for (;;) {
		json_t *msg = NULL;

		if (jsonchan_recv(&q->ch, deadline, &msg) < 0)
			return q->ch.timed_out ? 0 : -1;
		if (json_object_get(msg, "event"))
			take_event(q, msg);
		else
			json_decref(msg);	/* stray reply */
	}
}

json_t *qmp_next_event(struct qmp *q)
{
	json_t *ev;

	if (json_array_size(q->events) == 0)
		return NULL;
	ev = json_incref(json_array_get(q->events, 0));
	json_array_remove(q->events, 0);
	return ev;
}

static json_t *take_queued(struct qmp *q, const char *name)
{
	for (size_t i = 0; i < json_array_size(q->events); i++) {
		json_t *ev = json_array_get(q->events, i);
		const char *n = json_string_value(json_object_get(ev, "event"));

		if (n && !strcmp(n, name)) {
			json_incref(ev);
			json_array_remove(q->events, i);
			return ev;
		}
	}
	return NULL;
}

int qmp_wait_event(struct qmp *q, const char *name, uint64_t timeout_ns, json_t **out)
{
	uint64_t deadline = mono_ns() + timeout_ns;

	for (;;) {
		json_t *ev = take_queued(q, name), *msg = NULL;

		if (ev) {
			if (out)
				*out = ev;
			else
				json_decref(ev);
			return 0;
		}
		if (jsonchan_recv(&q->ch, deadline, &msg) < 0)
			return ocb_err_prefix("waiting for event %s: ", name);
		if (json_object_get(msg, "event"))
			take_event(q, msg);
		else
			json_decref(msg);
	}
}

int qmp_query_balloon(struct qmp *q, uint64_t *actual_bytes, uint64_t timeout_ns)
{
	json_t *ret = NULL, *actual;

	if (qmp_command(q, "query-balloon", NULL, &ret, timeout_ns) < 0)
		return -1;
	actual = json_object_get(ret, "actual");
	if (!json_is_integer(actual)) {
		json_decref(ret);
		return ocb_fail("%s: query-balloon: reply has no integer \"actual\"", q->ch.label);
	}
	*actual_bytes = (uint64_t)json_integer_value(actual);
	json_decref(ret);
	return 0;
}

int qmp_balloon(struct qmp *q, uint64_t target_bytes, uint64_t timeout_ns)
{
	return qmp_command(q, "balloon", json_pack("{s:I}", "value", (json_int_t)target_bytes),
			   NULL, timeout_ns);
}

int qmp_balloon_stats_enable(struct qmp *q, const char *qom_path, int interval_s,
			     uint64_t timeout_ns)
{
	return qmp_command(q, "qom-set",
			   json_pack("{s:s, s:s, s:i}", "path", qom_path, "property",
				     "guest-stats-polling-interval", "value", interval_s),
			   NULL, timeout_ns);
}

int qmp_balloon_stats(struct qmp *q, const char *qom_path, json_t **stats,
		      int64_t *last_update, uint64_t timeout_ns)
{
	json_t *ret = NULL;

	if (qmp_command(q, "qom-get",
			json_pack("{s:s, s:s}", "path", qom_path, "property", "guest-stats"),
			&ret, timeout_ns) < 0)
		return -1;
	if (!json_is_object(json_object_get(ret, "stats"))) {
		json_decref(ret);
		return ocb_fail("%s: guest-stats of %s has no \"stats\" object", q->ch.label, qom_path);
	}
	*stats = json_incref(json_object_get(ret, "stats"));
	if (last_update)
		*last_update = json_integer_value(json_object_get(ret, "last-update"));
	json_decref(ret);
	return 0;
}

int qmp_vmem_resize(struct qmp *q, const char *qom_path, uint64_t requested_bytes,
		    uint64_t timeout_ns)
{
	return qmp_command(q, "qom-set",
			   json_pack("{s:s, s:s, s:I}", "path", qom_path, "property", "requested-size",
				     "value", (json_int_t)requested_bytes),
			   NULL, timeout_ns);
}

/* One integer property of a QOM object. */
static int qom_get_u64(struct qmp *q, const char *qom_path, const char *prop, uint64_t *out,
		       uint64_t timeout_ns)
{
	json_t *ret = NULL;

	if (qmp_command(q, "qom-get", json_pack("{s:s, s:s}", "path", qom_path, "property", prop),
			&ret, timeout_ns) < 0)
		return -1;
	if (!json_is_integer(ret)) {
		json_decref(ret);
		return ocb_fail("%s: qom-get %s %s: reply is not an integer", q->ch.label, qom_path,
				prop);
	}
	*out = (uint64_t)json_integer_value(ret);
	json_decref(ret);
	return 0;
}

int qmp_vmem_get(struct qmp *q, const char *qom_path, uint64_t *size, uint64_t *requested,
		 uint64_t timeout_ns)
{
	if (qom_get_u64(q, qom_path, "size", size, timeout_ns) < 0)
		return -1;
	return qom_get_u64(q, qom_path, "requested-size", requested, timeout_ns);
}
