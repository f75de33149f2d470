/* fuzz-qmp.c — libFuzzer target: the QMP reader (vm/qmp.c over
 * util/jsonchan.c) fed a QEMU's side of the socket.
 *
 * The input is the byte stream QEMU would send: greeting, replies by id
 * (1 qmp_capabilities, 2 query-balloon, 3 qom-get guest-stats, 4 balloon,
 * then 5 query-balloon and 6 qom-get size pipelined: both sent before
 * either reply is read) and events at any point.  Every call is made whatever the previous one
 * returned, so the reader also meets a stream it gave up on.
 */
#include "fuzz/peer.h"
#include "vm/qmp.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#define T_NS (2ull * 1000000000ull)	/* never waited out: the peer hangs up */

static size_t events_seen;

static void hook(void *opaque, const char *event, json_t *data, json_t *timestamp)
{
	/* What the runner's hook reads of an event. */
	if (event && json_is_object(data))
		events_seen += json_object_size(data) + strlen(event);
	(void)json_integer_value(json_object_get(timestamp, "seconds"));
}

/* Two questions out at once, the stream read to its end, then each
 * answer taken by its id (the sampler's way). */
static void pipelined(struct qmp *q)
{
	int64_t a = 0, b = 0;
	struct qmp_value v;

	if (qmp_query_send(q, QMP_Q_BALLOON, NULL, &a, T_NS) < 0 ||
	    qmp_query_send(q, QMP_Q_SIZE, "/machine/peripheral/vmem0", &b, T_NS) < 0) {
		qmp_pump(q, T_NS);
		return;
	}
	qmp_query_answer(q, a, QMP_Q_BALLOON, NULL, &v);
	qmp_pump(q, T_NS);
	qmp_query_answer(q, b, QMP_Q_SIZE, "/machine/peripheral/vmem0", &v);
	if (qmp_query_answer(q, a, QMP_Q_BALLOON, NULL, &v) < 0)
		qmp_forget(q, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_peer p;
	struct qmp *q;
	char version[64];
	uint64_t actual = 0;
	int64_t last = 0;
	json_t *stats = NULL, *ev;

	fuzz_peer_start(&p, data, size);
	q = qmp_new(p.fd, "fuzz");
	qmp_set_event_hook(q, hook, NULL);
	qmp_handshake(q, T_NS, version, sizeof(version));
	qmp_query_balloon(q, &actual, T_NS);
	if (qmp_balloon_stats(q, "/machine/peripheral/balloon0", &stats, &last, T_NS) == 0)
		json_decref(stats);
	qmp_balloon(q, 256ull << 20, T_NS);
	ev = NULL;
	if (qmp_wait_event(q, "BALLOON_CHANGE", T_NS, &ev) == 0)
		json_decref(ev);
	pipelined(q);
	while ((ev = qmp_next_event(q)))
		json_decref(ev);
	qmp_free(q);
	fuzz_peer_finish(&p);
	return 0;
}
