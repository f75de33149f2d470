/* qmp.h — QEMU Machine Protocol client.
 *
 * Transport: jsonchan (one JSON object per line).  Protocol: read the
 * greeting, negotiate with qmp_capabilities, then send commands carrying
 * an "id" and match replies by that id.  Asynchronous events
 * (BALLOON_CHANGE, SHUTDOWN, ...) can arrive at any time, including
 * between a command and its reply; they are queued apart from replies and
 * also handed to an optional hook (the runner logs them to events.jsonl
 * with their time on the run's clock).  A reply whose id matches no
 * outstanding command (e.g. the late answer to a command that timed out)
 * is dropped, never mistaken for the current answer.
 *
 * Pipelined commands (the sampler asks many QEMUs at once): qmp_send()
 * sends and returns, qmp_answer() takes the reply later without waiting.
 * Whichever reader meets a reply first (qmp_answer, another command
 * waiting for its own, qmp_pump, qmp_wait_event) keeps it for its
 * command, so commands of the sampler and of the run loop can be out on
 * one channel at once.
 */
#ifndef OCB_QMP_H
#define OCB_QMP_H

#include <jansson.h>
#include <stdint.h>

#include "util/jsonchan.h"

struct qmp;

typedef void (*qmp_event_hook)(void *opaque, const char *event, json_t *data,
			       json_t *timestamp);

/* Takes ownership of fd. label names the guest in every message. */
struct qmp *qmp_new(int fd, const char *label);
void qmp_free(struct qmp *q);
void qmp_set_event_hook(struct qmp *q, qmp_event_hook hook, void *opaque);

/* At most this many commands wait for their answers at once. */
#define QMP_PENDING_MAX 8

/* Greeting + qmp_capabilities.  Fills *version ("7.2.22") when non-NULL. */
int qmp_handshake(struct qmp *q, uint64_t timeout_ns, char *version, size_t vlen);
/* The same a step at a time, reading for at most wait_ns: 1 negotiated,
 * 0 not yet (a starting QEMU greets late; the caller keeps the overall
 * deadline), -1 failed. */
int qmp_handshake_poll(struct qmp *q, uint64_t wait_ns, char *version, size_t vlen);
/* Execute cmd with args (stolen; may be NULL).  On success *ret is the
 * "return" value (new reference; pass NULL to ignore).  On an error reply
 * returns -1 with "CMD: CLASS: DESC" and qmp_error_class() says the class. */
int qmp_command(struct qmp *q, const char *cmd, json_t *args, json_t **ret,
		uint64_t timeout_ns);
const char *qmp_error_class(const struct qmp *q);
/* Send cmd (args stolen, may be NULL) without waiting for its reply; *id
 * names it for qmp_answer().  -1 when the send failed or QMP_PENDING_MAX
 * commands are out already. */
int qmp_send(struct qmp *q, const char *cmd, json_t *args, int64_t *id, uint64_t timeout_ns);
/* Never waits: 1 the reply to id came (*ret its "return", new reference,
 * when ret non-NULL), 0 not yet, -1 an error reply (as qmp_command) or a
 * failed read.  After 1 or -1 the id is done. */
int qmp_answer(struct qmp *q, int64_t id, json_t **ret);
/* Nobody waits for id any more: its reply is dropped when it comes. */
void qmp_forget(struct qmp *q, int64_t id);
/* Read whatever has arrived within timeout_ns (events go to the queue and
 * the hook).  -1 only on a broken connection. */
int qmp_pump(struct qmp *q, uint64_t timeout_ns);
/* Pop the oldest queued event (caller decrefs) or NULL. */
json_t *qmp_next_event(struct qmp *q);
/* Wait until event NAME arrives (or is already queued); removes it from the
 * queue.  *ev may be NULL. */
int qmp_wait_event(struct qmp *q, const char *name, uint64_t timeout_ns, json_t **ev);

/* Typed helpers over qmp_command. */
int qmp_query_balloon(struct qmp *q, uint64_t *actual_bytes, uint64_t timeout_ns);
int qmp_balloon(struct qmp *q, uint64_t target_bytes, uint64_t timeout_ns);
/* Set guest-stats-polling-interval on the balloon device at QOM path. */
int qmp_balloon_stats_enable(struct qmp *q, const char *qom_path, int interval_s,
			     uint64_t timeout_ns);
/* The same pipelined: its answer is qmp_answer(q, *id, NULL)'s. */
int qmp_balloon_stats_enable_send(struct qmp *q, const char *qom_path, int interval_s, int64_t *id,
				  uint64_t timeout_ns);
/* qom-get guest-stats: returns the "stats" object (new reference) and the
 * guest's last-update time. */
/* virtio-mem: qom-set requested-size (plug or unplug), and qom-get its
 * plugged size and requested size, in bytes. */
int qmp_vmem_resize(struct qmp *q, const char *qom_path, uint64_t requested_bytes,
		    uint64_t timeout_ns);
int qmp_vmem_get(struct qmp *q, const char *qom_path, uint64_t *size, uint64_t *requested,
		 uint64_t timeout_ns);
int qmp_balloon_stats(struct qmp *q, const char *qom_path, json_t **stats,
		      int64_t *last_update, uint64_t timeout_ns);

/* The same questions pipelined (the sampler's, to every QEMU at once):
 * query-balloon's actual, and qom-get of the balloon's guest-stats and of
 * a virtio-mem device's size and requested-size at qom_path. */
enum qmp_query { QMP_Q_BALLOON, QMP_Q_STATS, QMP_Q_SIZE, QMP_Q_REQUESTED_SIZE };
struct qmp_value {
	uint64_t u64;		/* actual, size, requested-size: bytes */
	json_t *stats;		/* QMP_Q_STATS: new reference */
	int64_t last_update;	/* QMP_Q_STATS */
};
int qmp_query_send(struct qmp *q, enum qmp_query w, const char *qom_path, int64_t *id,
		   uint64_t timeout_ns);
/* As qmp_answer(), with the reply checked into *v. */
int qmp_query_answer(struct qmp *q, int64_t id, enum qmp_query w, const char *qom_path,
		     struct qmp_value *v);

#endif
