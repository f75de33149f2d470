/* Unit tests: the QMP client (qmp.c over jsonchan.c) against scripted
 * transcripts: greeting, commands matched by id, events interleaved with
 * replies, error replies, malformed JSON, EOF mid-message, timeouts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "results/results.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "vm/qmp.h"
#include "fake-peer.h"

#include <sys/wait.h>

#define T (2 * 1000000000ull)
#define SHORT (50 * 1000000ull)

static const char greeting[] =
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
	"\"package\": \"Debian 1:7.2+dfsg-7\"}, \"capabilities\": [\"oob\"]}}\r\n";

static struct qmp *connected(struct fake_peer *fp)
{
	struct qmp *q;
	char version[32];

	fake_peer_open(fp);
	fake_peer_say(fp, greeting);
	fake_peer_say(fp, "{\"return\": {}, \"id\": 1}\r\n");
	q = qmp_new(fp->client, "guest-1");
	assert_non_null(q);
	assert_int_equal(qmp_handshake(q, T, version, sizeof(version)), 0);
	assert_string_equal(version, "7.2.22");
	assert_non_null(strstr(fake_peer_heard(fp), "\"execute\":\"qmp_capabilities\""));
	return q;
}

static void test_handshake(void **state)
{
	struct fake_peer fp;
	struct qmp *q;

	(void)state;
	q = connected(&fp);
	qmp_free(q);
	fake_peer_close(&fp);
}

static void test_bad_greeting(void **state)
{
	struct fake_peer fp;
	struct qmp *q;

	(void)state;
	fake_peer_open(&fp);
	fake_peer_say(&fp, "{\"hello\": 1}\n");
	q = qmp_new(fp.client, "guest-1");
	assert_int_equal(qmp_handshake(q, T, NULL, 0), -1);
	assert_non_null(strstr(ocb_errmsg(), "greeting"));
	assert_non_null(strstr(ocb_errmsg(), "guest-1"));
	qmp_free(q);
	fake_peer_close(&fp);
}

static int hook_calls;
static char hook_last[64];

static void hook(void *opaque, const char *event, json_t *data, json_t *ts)
{
	(void)opaque;
	(void)data;
	(void)ts;
	hook_calls++;
	snprintf(hook_last, sizeof(hook_last), "%s", event);
}

static void test_events_between_command_and_reply(void **state)
{
	struct fake_peer fp;
	struct qmp *q;
	uint64_t actual = 0;
	json_t *ev;

	(void)state;
	q = connected(&fp);
	hook_calls = 0;
	qmp_set_event_hook(q, hook, NULL);
	fake_peer_say(&fp, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": "
			   "\"BALLOON_CHANGE\", \"data\": {\"actual\": 1073741824}}\r\n");
	fake_peer_say(&fp, "{\"event\": \"RTC_CHANGE\", \"data\": {\"offset\": 0}}\r\n");
	fake_peer_say(&fp, "{\"return\": {\"actual\": 536870912}, \"id\": 2}\r\n");
	assert_int_equal(qmp_query_balloon(q, &actual, T), 0);
	assert_true(actual == 536870912ull);
	assert_int_equal(hook_calls, 2);
	assert_string_equal(hook_last, "RTC_CHANGE");
	/* queued in order, apart from the reply */
	ev = qmp_next_event(q);
	assert_string_equal(json_string_value(json_object_get(ev, "event")), "BALLOON_CHANGE");
	json_decref(ev);
	assert_int_equal(qmp_wait_event(q, "RTC_CHANGE", SHORT, NULL), 0);
	assert_null(qmp_next_event(q));
	assert_non_null(strstr(fake_peer_heard(&fp), "\"execute\":\"query-balloon\""));
	qmp_free(q);
	fake_peer_close(&fp);
}

static void test_wrong_id_is_not_our_reply(void **state)
{
	struct fake_peer fp;
	struct qmp *q;
	json_t *ret = NULL;

	(void)state;
	q = connected(&fp);
	/* a late answer to an abandoned command, then ours */
	fake_peer_say(&fp, "{\"return\": {\"stale\": true}, \"id\": 99}\n");
	fake_peer_say(&fp, "{\"return\": {\"running\": true}, \"id\": 2}\n");
	assert_int_equal(qmp_command(q, "query-status", NULL, &ret, T), 0);
	assert_true(json_is_true(json_object_get(ret, "running")));
	assert_null(json_object_get(ret, "stale"));
	json_decref(ret);
	/* only a wrong id: the command times out rather than take it */
	fake_peer_say(&fp, "{\"return\": {}, \"id\": 7}\n");
	assert_int_equal(qmp_command(q, "query-status", NULL, NULL, SHORT), -1);
	assert_non_null(strstr(ocb_errmsg(), "timed out"));
	qmp_free(q);
	fake_peer_close(&fp);
}

static void test_error_reply(void **state)
{
	struct fake_peer fp;
	struct qmp *q;

	(void)state;
	q = connected(&fp);
	fake_peer_say(&fp, "{\"id\": 2, \"error\": {\"class\": \"DeviceNotActive\", \"desc\": "
			   "\"No balloon device has been activated\"}}\n");
	assert_int_equal(qmp_balloon(q, 512ull << 20, T), -1);
	assert_string_equal(qmp_error_class(q), "DeviceNotActive");
	assert_non_null(strstr(ocb_errmsg(), "No balloon device has been activated"));
	assert_non_null(strstr(ocb_errmsg(), "guest-1"));
	assert_non_null(strstr(ocb_errmsg(), "'balloon'"));
	assert_non_null(strstr(fake_peer_heard(&fp), "\"value\":536870912"));
	qmp_free(q);
	fake_peer_close(&fp);
}

static void test_malformed_json(void **state)
{
	struct fake_peer fp;
	struct qmp *q;

	(void)state;
	q = connected(&fp);
	fake_peer_say(&fp, "{\"return\": {\"actual\": 5,}, \"id\": 2\n");
	assert_int_equal(qmp_command(q, "query-balloon", NULL, NULL, T), -1);
	assert_non_null(strstr(ocb_errmsg(), "malformed JSON"));
	assert_non_null(strstr(ocb_errmsg(), "\"actual\": 5,"));
	/* the channel recovers at the next line */
	fake_peer_say(&fp, "{\"return\": {}, \"id\": 3}\n");
	assert_int_equal(qmp_command(q, "query-status", NULL, NULL, T), 0);
	qmp_free(q);
	fake_peer_close(&fp);
}

static void test_eof_mid_message(void **state)
{
	struct fake_peer fp;
	struct qmp *q;

	(void)state;
	q = connected(&fp);
	fake_peer_say(&fp, "{\"return\": {\"act");
	fake_peer_hangup(&fp);
	assert_int_equal(qmp_command(q, "query-balloon", NULL, NULL, T), -1);
	assert_non_null(strstr(ocb_errmsg(), "closed in the middle of a message"));
	qmp_free(q);
	fake_peer_close(&fp);
}

static void test_clean_eof(void **state)
{
	struct fake_peer fp;
	struct qmp *q;

	(void)state;
	q = connected(&fp);
	fake_peer_hangup(&fp);
	assert_int_equal(qmp_command(q, "query-balloon", NULL, NULL, T), -1);
	assert_non_null(strstr(ocb_errmsg(), "connection closed by peer"));
	assert_int_equal(qmp_pump(q, SHORT), -1);
	qmp_free(q);
	fake_peer_close(&fp);
}

static void test_missing_return(void **state)
{
	struct fake_peer fp;
	struct qmp *q;
	uint64_t actual;

	(void)state;
	q = connected(&fp);
	fake_peer_say(&fp, "{\"id\": 2}\n");
	assert_int_equal(qmp_command(q, "query-balloon", NULL, NULL, T), -1);
	assert_non_null(strstr(ocb_errmsg(), "neither"));
	fake_peer_say(&fp, "{\"return\": {\"nope\": 1}, \"id\": 3}\n");
	assert_int_equal(qmp_query_balloon(q, &actual, T), -1);
	assert_non_null(strstr(ocb_errmsg(), "actual"));
	qmp_free(q);
	fake_peer_close(&fp);
}

static void test_pump_and_stats(void **state)
{
	struct fake_peer fp;
	struct qmp *q;
	json_t *stats = NULL;
	int64_t upd = 0;

	(void)state;
	q = connected(&fp);
	fake_peer_say(&fp, "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true}}\n");
	assert_int_equal(qmp_pump(q, SHORT), 0);
	assert_int_equal(qmp_wait_event(q, "SHUTDOWN", SHORT, NULL), 0);
	assert_int_equal(qmp_wait_event(q, "SHUTDOWN", SHORT, NULL), -1);
	fake_peer_say(&fp, "{\"return\": {}, \"id\": 2}\n");
	assert_int_equal(qmp_balloon_stats_enable(q, "/machine/peripheral/balloon0", 1, T), 0);
	assert_non_null(strstr(fake_peer_heard(&fp), "guest-stats-polling-interval"));
	fake_peer_say(&fp, "{\"return\": {\"stats\": {\"stat-free-memory\": 1024}, \"last-update\": 17}, \"id\": 3}\n");
	assert_int_equal(qmp_balloon_stats(q, "/machine/peripheral/balloon0", &stats, &upd, T), 0);
	assert_int_equal(json_integer_value(json_object_get(stats, "stat-free-memory")), 1024);
	assert_int_equal(upd, 17);
	json_decref(stats);
	qmp_free(q);
	fake_peer_close(&fp);
}

/* The runner's hook, in short: each event to events.jsonl through the
 * guest's cap (run/guests.c: on_vm_event). */
struct flood_ctx {
	struct results_run res;
	struct results_event_cap cap;
};

static void capped_hook(void *opaque, const char *event, json_t *data, json_t *ts)
{
	struct flood_ctx *f = opaque;

	(void)ts;
	results_event_capped(&f->res, &f->cap, "guest-1", "qmp_event",
			     json_pack("{s:s, s:s, s:O?}", "guest", "guest-1", "event", event, "data", data));
}

static size_t count_lines(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* A QEMU (or a guest working its balloon) that sends events without end:
 * events.jsonl takes the cap's worth, then one events_dropped line with
 * the reason, then at the end the count; QMP's own queue stays at its
 * bound. */
static void test_event_flood_capped(void **state)
{
	enum { FLOOD = 3000, CAP = 40 };
	char dir[] = "/tmp/ocb-test-qmp-XXXXXX";
	struct flood_ctx f = { .cap = { CAP, 0, 0 } };
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct fake_peer fp;
	struct qmp *q;
	size_t queued = 0;
	json_t *ev;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&path, "%s/run", dir);
	assert_int_equal(results_open(&f.res, path.buf, NULL), 0);
	q = connected(&fp);
	qmp_set_event_hook(q, capped_hook, &f);
	pid = fork();	/* the flood outgrows a socket buffer: written apart */
	assert_true(pid >= 0);
	if (pid == 0) {
		for (int i = 0; i < FLOOD; i++)
			fake_peer_say(&fp, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, "
				      "\"event\": \"BALLOON_CHANGE\", \"data\": {\"actual\": 1048576}}\n");
		_exit(0);
	}
	close(fp.peer);		/* the child's copy is the peer now: EOF when it is done */
	while (qmp_pump(q, T) == 0)
		;		/* read to the peer's end (-1) */
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	while ((ev = qmp_next_event(q))) {
		queued++;
		json_decref(ev);
	}
	assert_true(queued <= 256);
	assert_int_equal(f.cap.written, CAP);
	assert_int_equal(f.cap.dropped, FLOOD - CAP);
	results_event_cap_close(&f.res, &f.cap, "guest-1");
	assert_int_equal(results_close(&f.res, "complete", NULL), 0);
	strbuf_addf(&path, "/events.jsonl");
	assert_int_equal(read_file(path.buf, &text), 0);
	assert_int_equal(count_lines(text.buf, "\"type\":\"qmp_event\""), CAP);
	assert_int_equal(count_lines(text.buf, "\"type\":\"events_dropped\""), 2);
	assert_non_null(strstr(text.buf, "more than 40 events from this guest and its VM in one run"));
	assert_non_null(strstr(text.buf, "\"dropped\":2960"));
	qmp_free(q);
	assert_int_equal(remove_tree(dir), 0);
	strbuf_release(&path);
	strbuf_release(&text);
}

/* Pipelined: two questions out at once, answered out of order with an
 * event between; nothing is waited for, each answer is taken by its id. */
static void test_pipelined_out_of_order(void **state)
{
	struct fake_peer fp;
	struct qmp *q;
	struct qmp_value v;
	int64_t bal = 0, st = 0;

	(void)state;
	q = connected(&fp);
	assert_int_equal(qmp_query_send(q, QMP_Q_BALLOON, NULL, &bal, T), 0);
	assert_int_equal(qmp_query_send(q, QMP_Q_STATS, "/machine/peripheral/balloon0", &st, T), 0);
	assert_int_equal(bal, 2);
	assert_int_equal(st, 3);
	/* nothing has come: not yet, at once */
	assert_int_equal(qmp_query_answer(q, bal, QMP_Q_BALLOON, NULL, &v), 0);
	fake_peer_say(&fp, "{\"return\": {\"stats\": {\"stat-free-memory\": 4096}, \"last-update\": 5}, "
			   "\"id\": 3}\n{\"event\": \"RTC_CHANGE\", \"data\": {}}\n"
			   "{\"return\": {\"actual\": 1048576}, \"id\": 2}\n");
	assert_int_equal(qmp_query_answer(q, bal, QMP_Q_BALLOON, NULL, &v), 1);
	assert_true(v.u64 == 1048576);
	/* id 3's reply was read on the way: kept for it, not dropped */
	assert_int_equal(qmp_query_answer(q, st, QMP_Q_STATS, "/machine/peripheral/balloon0", &v), 1);
	assert_int_equal(json_integer_value(json_object_get(v.stats, "stat-free-memory")), 4096);
	assert_int_equal(v.last_update, 5);
	json_decref(v.stats);
	assert_int_equal(qmp_wait_event(q, "RTC_CHANGE", SHORT, NULL), 0);
	/* an id once answered is done */
	assert_int_equal(qmp_answer(q, bal, NULL), -1);
	assert_non_null(strstr(ocb_errmsg(), "no command with id 2"));
	qmp_free(q);
	fake_peer_close(&fp);
}

/* A pipelined question's reply read by another reader (a command waiting
 * for its own, a pump) stays its own; a forgotten one's is dropped; an
 * error reply fails only its question. */
static void test_pipelined_with_commands(void **state)
{
	struct fake_peer fp;
	struct qmp *q;
	struct qmp_value v;
	int64_t a = 0, b = 0, c = 0;

	(void)state;
	q = connected(&fp);
	assert_int_equal(qmp_query_send(q, QMP_Q_BALLOON, NULL, &a, T), 0);		/* id 2 */
	fake_peer_say(&fp, "{\"return\": {\"actual\": 7}, \"id\": 2}\n{\"return\": {}, \"id\": 3}\n");
	assert_int_equal(qmp_command(q, "query-status", NULL, NULL, T), 0);		/* id 3 */
	assert_int_equal(qmp_query_answer(q, a, QMP_Q_BALLOON, NULL, &v), 1);
	assert_true(v.u64 == 7);
	assert_int_equal(qmp_query_send(q, QMP_Q_SIZE, "/machine/peripheral/vmem0", &b, T), 0);	/* 4 */
	assert_int_equal(qmp_query_send(q, QMP_Q_BALLOON, NULL, &c, T), 0);		/* 5 */
	qmp_forget(q, c);
	fake_peer_say(&fp, "{\"return\": {\"actual\": 9}, \"id\": 5}\n"
			   "{\"id\": 4, \"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"no vmem0\"}}\n");
	assert_int_equal(qmp_pump(q, SHORT), 0);
	assert_int_equal(qmp_query_answer(q, b, QMP_Q_SIZE, "/machine/peripheral/vmem0", &v), -1);
	assert_string_equal(qmp_error_class(q), "DeviceNotFound");
	assert_int_equal(qmp_answer(q, c, NULL), -1);	/* forgotten: its reply went */
	qmp_free(q);
	fake_peer_close(&fp);
}

/* At most QMP_PENDING_MAX questions out; a QEMU that greets late is
 * waited for a step at a time. */
static void test_pending_cap_and_handshake_poll(void **state)
{
	struct fake_peer fp;
	struct qmp *q;
	char version[32] = "";
	int64_t id;

	(void)state;
	fake_peer_open(&fp);
	q = qmp_new(fp.client, "guest-1");
	assert_int_equal(qmp_handshake_poll(q, 0, version, sizeof(version)), 0);
	fake_peer_say(&fp, greeting);
	assert_int_equal(qmp_handshake_poll(q, 0, version, sizeof(version)), 0);	/* capabilities out */
	assert_string_equal(version, "7.2.22");
	assert_non_null(strstr(fake_peer_heard(&fp), "qmp_capabilities"));
	fake_peer_say(&fp, "{\"return\": {}, \"id\": 1}\n");
	assert_int_equal(qmp_handshake_poll(q, T, version, sizeof(version)), 1);
	for (int i = 0; i < QMP_PENDING_MAX; i++)
		assert_int_equal(qmp_send(q, "query-status", NULL, &id, T), 0);
	assert_int_equal(qmp_send(q, "query-status", NULL, &id, T), -1);
	assert_non_null(strstr(ocb_errmsg(), "already wait for their answers"));
	qmp_free(q);
	fake_peer_close(&fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_bad_greeting),
		cmocka_unit_test(test_events_between_command_and_reply),
		cmocka_unit_test(test_wrong_id_is_not_our_reply),
		cmocka_unit_test(test_error_reply),
		cmocka_unit_test(test_malformed_json),
		cmocka_unit_test(test_eof_mid_message),
		cmocka_unit_test(test_clean_eof),
		cmocka_unit_test(test_missing_return),
		cmocka_unit_test(test_pump_and_stats),
		cmocka_unit_test(test_event_flood_capped),
		cmocka_unit_test(test_pipelined_out_of_order),
		cmocka_unit_test(test_pipelined_with_commands),
		cmocka_unit_test(test_pending_cap_and_handshake_poll),
	};

	return cmocka_run_group_tests_name("qmp", tests, NULL, NULL);
}
