/* qmp.c — see qmp.h. */
#include "vm/qmp.h"
#include "util/clock.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A command sent and not answered yet: its reply is kept here by
 * whichever reader meets it first (qmp_answer(), a qmp_command() waiting
 * for its own, qmp_pump(), qmp_wait_event()). */
struct qmp_pending {
	int64_t id;		/* 0: a free slot */
	json_t *reply;		/* NULL until it came */
	char cmd[48];
};

struct qmp {
	struct jsonchan ch;
	json_t *events;		/* array: queued event objects */
	int64_t next_id;
	char err_class[64];
	qmp_event_hook hook;
	void *hook_opaque;
	struct qmp_pending pending[QMP_PENDING_MAX];
	/* qmp_handshake_poll(): 0 waiting for the greeting, then the id of
	 * qmp_capabilities, -1 once negotiated */
	int64_t hs;
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
	for (size_t i = 0; i < QMP_PENDING_MAX; i++)
		json_decref(q->pending[i].reply);
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

static struct qmp_pending *pending_of(struct qmp *q, int64_t id)
{
	for (size_t i = 0; id > 0 && i < QMP_PENDING_MAX; i++)
		if (q->pending[i].id == id)
			return &q->pending[i];
	return NULL;
}

/* One message, waiting until the deadline: an event goes to the queue, a
 * reply to its pending command; the late reply of a command nobody waits
 * for any more (forgotten, timed out) is dropped, never mistaken for
 * another's.  -1 as jsonchan_recv (ch.timed_out says a timeout). */
static int read_one(struct qmp *q, uint64_t deadline)
{
	json_t *msg = NULL, *rid;
	struct qmp_pending *p;

	if (jsonchan_recv(&q->ch, deadline, &msg) < 0)
		return -1;
	if (json_object_get(msg, "event")) {
		take_event(q, msg);
		return 0;
	}
	rid = json_object_get(msg, "id");
	p = json_is_integer(rid) ? pending_of(q, json_integer_value(rid)) : NULL;
	if (p && !p->reply)
		p->reply = msg;
	else
		json_decref(msg);
	return 0;
}

int qmp_send(struct qmp *q, const char *cmd, json_t *args, int64_t *id, uint64_t timeout_ns)
{
	struct qmp_pending *p = NULL;
	json_t *req;
	int rc;

	for (size_t i = 0; !p && i < QMP_PENDING_MAX; i++)
		if (!q->pending[i].id)
			p = &q->pending[i];
	if (!p) {
		json_decref(args);
		return ocb_fail("%s: cannot send '%s': %d commands already wait for their answers",
				q->ch.label, cmd, QMP_PENDING_MAX);
	}
	req = json_pack("{s:s, s:I}", "execute", cmd, "id", (json_int_t)q->next_id);
	if (args)
		json_object_set_new(req, "arguments", args);
	rc = jsonchan_send(&q->ch, req, mono_ns() + timeout_ns);
	json_decref(req);
	if (rc < 0)
		return -1;
	p->id = *id = q->next_id++;
	snprintf(p->cmd, sizeof(p->cmd), "%s", cmd);
	return 0;
}

void qmp_forget(struct qmp *q, int64_t id)
{
	struct qmp_pending *p = pending_of(q, id);

	if (!p)
		return;
	json_decref(p->reply);
	memset(p, 0, sizeof(*p));
}

static int reply_error(struct qmp *q, const char *cmd, json_t *err)
{
	const char *cls = json_string_value(json_object_get(err, "class"));
	const char *desc = json_string_value(json_object_get(err, "desc"));

	snprintf(q->err_class, sizeof(q->err_class), "%s", cls ? cls : "GenericError");
	return ocb_fail("%s: command '%s' failed: %s: %s", q->ch.label, cmd, q->err_class,
			desc ? desc : "(no description)");
}

/* The reply in p, taken: 1 with *ret, -1 an error reply.  Frees p. */
static int take_reply(struct qmp *q, struct qmp_pending *p, json_t **ret)
{
	json_t *msg = p->reply;
	char cmd[sizeof(p->cmd)];
	int rc = 1;

	memcpy(cmd, p->cmd, sizeof(cmd));
	p->reply = NULL;
	qmp_forget(q, p->id);
	q->err_class[0] = '\0';
	if (json_object_get(msg, "error"))
		rc = reply_error(q, cmd, json_object_get(msg, "error"));
	else if (!json_object_get(msg, "return"))
		rc = ocb_fail("%s: reply to '%s' has neither \"return\" nor \"error\"", q->ch.label, cmd);
	else if (ret)
		*ret = json_incref(json_object_get(msg, "return"));
	json_decref(msg);
	return rc;
}

/* Read until id's reply is in, or the deadline: 1 answered (*ret), 0 not
 * yet (the timeout's message is set), -1 an error reply or a failed read
 * (the command is forgotten then). */
static int await(struct qmp *q, int64_t id, uint64_t deadline, json_t **ret)
{
	struct qmp_pending *p = pending_of(q, id);

	if (!p)
		return ocb_fail("%s: no command with id %lld waits for its answer", q->ch.label,
				(long long)id);
	for (;;) {
		if (p->reply)
			return take_reply(q, p, ret);
		if (read_one(q, deadline) < 0) {
			if (q->ch.timed_out)
				return 0;
			ocb_err_prefix("command '%s': ", p->cmd);
			qmp_forget(q, id);
			return -1;
		}
	}
}

int qmp_answer(struct qmp *q, int64_t id, json_t **ret)
{
	struct qmp_pending *p = pending_of(q, id);

	/* only what has arrived: no syscall beyond one poll when nothing has */
	if (p && !p->reply && !jsonchan_readable(&q->ch))
		return 0;
	return await(q, id, 0, ret);
}

int qmp_handshake_poll(struct qmp *q, uint64_t wait_ns, char *version, size_t vlen)
{
	uint64_t deadline = mono_ns() + wait_ns;
	json_t *msg = NULL, *qemu;
	int r;

	if (q->hs < 0)
		return 1;
	if (q->hs == 0) {
		if (jsonchan_recv(&q->ch, deadline, &msg) < 0)
			return q->ch.timed_out ? 0 : ocb_err_prefix("waiting for the QMP greeting: ");
		qemu = json_object_get(json_object_get(json_object_get(msg, "QMP"), "version"), "qemu");
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
		if (qmp_send(q, "qmp_capabilities", NULL, &q->hs, wait_ns) < 0)
			return -1;
	}
	r = await(q, q->hs, deadline, NULL);
	if (r > 0)
		q->hs = -1;
	return r;
}

int qmp_handshake(struct qmp *q, uint64_t timeout_ns, char *version, size_t vlen)
{
	uint64_t deadline = mono_ns() + timeout_ns;

	for (;;) {
		int r = qmp_handshake_poll(q, ns_until(deadline), version, vlen);

		if (r != 0)
			return r < 0 ? -1 : 0;
		if (mono_ns() >= deadline)
			return ocb_err_prefix(q->hs ? "command 'qmp_capabilities': " :
					      "waiting for the QMP greeting: ");
	}
}

int qmp_command(struct qmp *q, const char *cmd, json_t *args, json_t **ret,
		uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	int64_t id;
	int r;

	if (qmp_send(q, cmd, args, &id, timeout_ns) < 0)
		return -1;
	r = await(q, id, deadline, ret);
	if (r == 0) {
		qmp_forget(q, id);	/* its late reply is dropped */
		return ocb_err_prefix("command '%s': ", cmd);
	}
	return r < 0 ? -1 : 0;
}

int qmp_pump(struct qmp *q, uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + timeout_ns;

	for (;;) {
		if (read_one(q, deadline) < 0)
			return q->ch.timed_out ? 0 : -1;
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
		json_t *ev = take_queued(q, name);

		if (ev) {
			if (out)
				*out = ev;
			else
				json_decref(ev);
			return 0;
		}
		if (read_one(q, deadline) < 0)
			return ocb_err_prefix("waiting for event %s: ", name);
	}
}

/* ---- the typed queries ---------------------------------------------------- */

static const char *query_cmd(enum qmp_query w)
{
	return w == QMP_Q_BALLOON ? "query-balloon" : "qom-get";
}

static json_t *query_args(enum qmp_query w, const char *qom_path)
{
	static const char *const prop[] = {
		[QMP_Q_STATS] = "guest-stats", [QMP_Q_SIZE] = "size",
		[QMP_Q_REQUESTED_SIZE] = "requested-size",
	};

	if (w == QMP_Q_BALLOON)
		return NULL;
	return json_pack("{s:s, s:s}", "path", qom_path, "property", prop[w]);
}

/* Check and keep what ret says (ret is taken). */
static int query_parse(struct qmp *q, enum qmp_query w, const char *qom_path, json_t *ret,
		       struct qmp_value *v)
{
	json_t *x = w == QMP_Q_BALLOON ? json_object_get(ret, "actual") :
		    w == QMP_Q_STATS ? json_object_get(ret, "stats") : ret;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	if (w == QMP_Q_STATS && json_is_object(x)) {
		v->stats = json_incref(x);
		v->last_update = json_integer_value(json_object_get(ret, "last-update"));
	} else if (w != QMP_Q_STATS && json_is_integer(x)) {
		v->u64 = (uint64_t)json_integer_value(x);
	} else if (w == QMP_Q_BALLOON) {
		rc = ocb_fail("%s: query-balloon: reply has no integer \"actual\"", q->ch.label);
	} else if (w == QMP_Q_STATS) {
		rc = ocb_fail("%s: guest-stats of %s has no \"stats\" object", q->ch.label, qom_path);
	} else {
		rc = ocb_fail("%s: qom-get %s %s: reply is not an integer", q->ch.label, qom_path,
			      w == QMP_Q_SIZE ? "size" : "requested-size");
	}
	json_decref(ret);
	return rc;
}

int qmp_query_send(struct qmp *q, enum qmp_query w, const char *qom_path, int64_t *id,
		   uint64_t timeout_ns)
{
	return qmp_send(q, query_cmd(w), query_args(w, qom_path), id, timeout_ns);
}

int qmp_query_answer(struct qmp *q, int64_t id, enum qmp_query w, const char *qom_path,
		     struct qmp_value *v)
{
	json_t *ret = NULL;
	int r = qmp_answer(q, id, &ret);

	if (r <= 0)
		return r;
	return query_parse(q, w, qom_path, ret, v) < 0 ? -1 : 1;
}

/* A query, waiting for its answer. */
static int query(struct qmp *q, enum qmp_query w, const char *qom_path, struct qmp_value *v,
		 uint64_t timeout_ns)
{
	json_t *ret = NULL;

	if (qmp_command(q, query_cmd(w), query_args(w, qom_path), &ret, timeout_ns) < 0)
		return -1;
	return query_parse(q, w, qom_path, ret, v);
}

int qmp_query_balloon(struct qmp *q, uint64_t *actual_bytes, uint64_t timeout_ns)
{
	struct qmp_value v;

	if (query(q, QMP_Q_BALLOON, NULL, &v, timeout_ns) < 0)
		return -1;
	*actual_bytes = v.u64;
	return 0;
}

int qmp_balloon(struct qmp *q, uint64_t target_bytes, uint64_t timeout_ns)
{
	return qmp_command(q, "balloon", json_pack("{s:I}", "value", (json_int_t)target_bytes),
			   NULL, timeout_ns);
}

static json_t *stats_interval_args(const char *qom_path, int interval_s)
{
	return json_pack("{s:s, s:s, s:i}", "path", qom_path, "property", "guest-stats-polling-interval",
			 "value", interval_s);
}

int qmp_balloon_stats_enable(struct qmp *q, const char *qom_path, int interval_s,
			     uint64_t timeout_ns)
{
	return qmp_command(q, "qom-set", stats_interval_args(qom_path, interval_s), NULL, timeout_ns);
}

int qmp_balloon_stats_enable_send(struct qmp *q, const char *qom_path, int interval_s, int64_t *id,
				  uint64_t timeout_ns)
{
	return qmp_send(q, "qom-set", stats_interval_args(qom_path, interval_s), id, timeout_ns);
}

int qmp_balloon_stats(struct qmp *q, const char *qom_path, json_t **stats,
		      int64_t *last_update, uint64_t timeout_ns)
{
	struct qmp_value v;

	if (query(q, QMP_Q_STATS, qom_path, &v, timeout_ns) < 0)
		return -1;
	*stats = v.stats;
	if (last_update)
		*last_update = v.last_update;
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

int qmp_vmem_get(struct qmp *q, const char *qom_path, uint64_t *size, uint64_t *requested,
		 uint64_t timeout_ns)
{
	struct qmp_value v;

	if (query(q, QMP_Q_SIZE, qom_path, &v, timeout_ns) < 0)
		return -1;
	*size = v.u64;
	if (query(q, QMP_Q_REQUESTED_SIZE, qom_path, &v, timeout_ns) < 0)
		return -1;
	*requested = v.u64;
	return 0;
}
