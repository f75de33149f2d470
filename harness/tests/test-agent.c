/* Unit tests: the guest-agent client (agent.c) against scripted
 * transcripts: guest-sync-delimited with stale answers and garbage before
 * the 0xFF delimiter, guest-exec + guest-exec-status with base64 output,
 * guest-file-open/read/close, error replies, EOF; and a hostile guest:
 * a reply over the cap, a file or command output over its cap, a flood of
 * newlines (each fails with the reason, or costs linear time). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include "guest/agent.h"
#include "util/base64.h"
#include "util/error.h"
#include "fake-peer.h"

#define T (2 * 1000000000ull)
#define SHORT (50 * 1000000ull)
#define SEED 1000

/* The answer to sync attempt n (1-based) after seeding with SEED. */
static void say_sync(struct fake_peer *fp, int n)
{
	char line[128];

	snprintf(line, sizeof(line), "{\"return\": %d}\n", SEED + n);
	fake_peer_say_bytes(fp, "\xff", 1);
	fake_peer_say(fp, line);
}

static void assert_msg(const char *msg, const char *want)
{
	if (!strstr(msg, want)) {
		print_message("message: %s\nwanted:  %s\n", msg, want);
		fail();
	}
}

static struct agent *synced(struct fake_peer *fp)
{
	struct agent *a;

	fake_peer_open(fp);
	a = agent_new(fp->client, "guest-1");
	agent_set_token_seed(a, SEED);
	/* leftovers of a previous client, then the stale answer of an older
	 * token, then ours */
	fake_peer_say(fp, "{\"return\": {\"half\":");
	fake_peer_say_bytes(fp, "\xff", 1);
	fake_peer_say(fp, "{\"return\": 17}\n");
	say_sync(fp, 1);
	assert_int_equal(agent_sync(a, T, T), 0);
	assert_non_null(strstr(fake_peer_heard(fp), "\"execute\":\"guest-sync-delimited\""));
	return a;
}

static void test_sync(void **state)
{
	struct fake_peer fp;
	struct agent *a;

	(void)state;
	a = synced(&fp);
	agent_free(a);
	fake_peer_close(&fp);
}

/* A booting guest looked at briefly, many times (a start storm): the
 * question is asked once, its answer may come later and in pieces (the
 * part read in one look is kept for the next), an older token's answer
 * is skipped, and nothing is asked again meanwhile. */
static void test_sync_poll_slow_answer(void **state)
{
	struct fake_peer fp;
	struct agent *a;
	const char *heard;

	(void)state;
	fake_peer_open(&fp);
	a = agent_new(fp.client, "guest-1");
	agent_set_token_seed(a, SEED);
	assert_int_equal(agent_sync_poll(a, 0), 0);	/* asked, no answer yet */
	assert_int_equal(agent_sync_poll(a, SHORT), 0);
	fake_peer_say(&fp, "\xff{\"return\": 17}\n\xff{\"return\": ");	/* an old one, half of ours */
	assert_int_equal(agent_sync_poll(a, SHORT), 0);
	fake_peer_say(&fp, "1001}\n");
	assert_int_equal(agent_sync_poll(a, SHORT), 1);
	heard = fake_peer_heard(&fp);
	assert_non_null(strstr(heard, "guest-sync-delimited"));
	assert_null(strstr(strstr(heard, "guest-sync-delimited") + 1, "guest-sync-delimited"));
	/* synced: a command goes out without another sync */
	fake_peer_say(&fp, "{\"return\": {}}\n");
	assert_int_equal(agent_command(a, "guest-ping", NULL, NULL, T), 0);
	assert_null(strstr(fake_peer_heard(&fp), "guest-sync"));
	agent_free(a);
	fake_peer_close(&fp);
}

/* An agent that talks garbage (no 0xFF delimiter, no JSON): the sync
 * times out and the message says what came instead, and how much. */
static void test_sync_garbage_named(void **state)
{
	struct fake_peer fp;
	struct agent *a;

	(void)state;
	fake_peer_open(&fp);
	a = agent_new(fp.client, "guest-1");
	fake_peer_say(&fp, "not-json\nnot-json\n");
	assert_int_equal(agent_sync(a, SHORT, SHORT), -1);
	assert_msg(ocb_errmsg(), "only 18 bytes of something else, starting 'not-json.not-json.'");
	agent_free(a);
	fake_peer_close(&fp);
}

/* A reply that never ends (a flood without a newline, under the cap):
 * the command times out and the message says how much came and how it
 * began. */
static void test_endless_reply_named(void **state)
{
	struct fake_peer fp;
	struct agent *a;

	(void)state;
	a = synced(&fp);
	fake_peer_say(&fp, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	assert_int_equal(agent_command(a, "guest-info", NULL, NULL, SHORT), -1);
	assert_msg(ocb_errmsg(), "after 64 bytes without an end of line, starting 'xxxxxxxx");
	agent_free(a);
	fake_peer_close(&fp);
}

static void test_sync_retries_until_answered(void **state)
{
	struct fake_peer fp;
	struct agent *a;

	(void)state;
	fake_peer_open(&fp);
	a = agent_new(fp.client, "guest-1");
	agent_set_token_seed(a, SEED);
	/* a booting guest: nothing at all; the whole wait times out */
	assert_int_equal(agent_sync(a, SHORT / 2, SHORT), -1);
	assert_non_null(strstr(ocb_errmsg(), "guest-sync-delimited"));
	assert_non_null(strstr(ocb_errmsg(), "guest-1"));
	agent_free(a);
	fake_peer_close(&fp);
}

static void test_exec(void **state)
{
	static const char *const argv[] = { "free", "-m", NULL };
	struct agent_exec_result r;
	struct fake_peer fp;
	struct agent *a;
	const char *heard;

	(void)state;
	a = synced(&fp);
	fake_peer_say(&fp, "{\"return\": {\"pid\": 42}}\n");
	fake_peer_say(&fp, "{\"return\": {\"exited\": false}}\n");
	/* "hello\n" and "oops" */
	fake_peer_say(&fp, "{\"return\": {\"exited\": true, \"exitcode\": 3, \"out-data\": "
			   "\"aGVsbG8K\", \"err-data\": \"b29wcw==\"}}\n");
	assert_int_equal(agent_exec(a, argv, T, &r), 0);
	assert_int_equal(r.exited, 1);
	assert_int_equal(r.exitcode, 3);
	assert_string_equal(strbuf_str(&r.out), "hello\n");
	assert_string_equal(strbuf_str(&r.err), "oops");
	heard = fake_peer_heard(&fp);
	assert_non_null(strstr(heard, "\"path\":\"free\""));
	assert_non_null(strstr(heard, "\"arg\":[\"-m\"]"));
	assert_non_null(strstr(heard, "\"capture-output\":true"));
	assert_non_null(strstr(heard, "\"pid\":42"));
	agent_exec_result_release(&r);
	agent_free(a);
	fake_peer_close(&fp);
}

/* qemu-ga leaves "exitcode" out for a process killed by a signal: that is
 * -1 and the signal, never a clean exit 0. */
static void test_exec_killed_by_signal(void **state)
{
	static const char *const argv[] = { "memtouch", NULL };
	struct agent_exec_result r;
	struct fake_peer fp;
	struct agent *a;

	(void)state;
	a = synced(&fp);
	fake_peer_say(&fp, "{\"return\": {\"pid\": 43}}\n");
	fake_peer_say(&fp, "{\"return\": {\"exited\": true, \"signal\": 9}}\n");
	assert_int_equal(agent_exec(a, argv, T, &r), 0);
	assert_int_equal(r.exited, 1);
	assert_int_equal(r.signal, 9);
	assert_int_equal(r.exitcode, -1);
	agent_exec_result_release(&r);
	agent_free(a);
	fake_peer_close(&fp);
}

static void test_exec_error_and_resync(void **state)
{
	static const char *const argv[] = { "/nonexistent", NULL };
	struct agent_exec_result r;
	struct fake_peer fp;
	struct agent *a;

	(void)state;
	a = synced(&fp);
	fake_peer_say(&fp, "{\"error\": {\"class\": \"GenericError\", \"desc\": "
			   "\"Guest agent command failed, error was 'Failed to execute child process'\"}}\n");
	assert_int_equal(agent_exec(a, argv, T, &r), -1);
	assert_non_null(strstr(ocb_errmsg(), "Failed to execute child process"));
	assert_non_null(strstr(ocb_errmsg(), "/nonexistent"));
	agent_exec_result_release(&r);

	/* a command that times out makes the next one re-synchronize */
	assert_int_equal(agent_command(a, "guest-info", NULL, NULL, SHORT), -1);
	assert_non_null(strstr(ocb_errmsg(), "timed out"));
	fake_peer_heard(&fp);
	fake_peer_say(&fp, "{\"return\": {\"version\": \"late\"}}\n");
	say_sync(&fp, 2);
	fake_peer_say(&fp, "{\"return\": {\"version\": \"7.2.22\"}}\n");
	{
		json_t *ret = NULL;

		assert_int_equal(agent_command(a, "guest-info", NULL, &ret, T), 0);
		assert_string_equal(json_string_value(json_object_get(ret, "version")), "7.2.22");
		json_decref(ret);
	}
	agent_free(a);
	fake_peer_close(&fp);
}

static void test_read_file(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct fake_peer fp;
	struct agent *a;
	const char *heard;

	(void)state;
	a = synced(&fp);
	fake_peer_say(&fp, "{\"return\": 7}\n");
	fake_peer_say(&fp, "{\"return\": {\"count\": 5, \"buf-b64\": \"aGVsbG8=\", \"eof\": false}}\n");
	fake_peer_say(&fp, "{\"return\": {\"count\": 6, \"buf-b64\": \"IHdvcmxk\", \"eof\": true}}\n");
	fake_peer_say(&fp, "{\"return\": {}}\n");
	assert_int_equal(agent_read_file(a, "/tmp/w.json", &out, T), 0);
	assert_string_equal(out.buf, "hello world");
	heard = fake_peer_heard(&fp);
	assert_non_null(strstr(heard, "\"guest-file-open\""));
	assert_non_null(strstr(heard, "\"handle\":7"));
	assert_non_null(strstr(heard, "\"guest-file-close\""));
	strbuf_release(&out);
	agent_free(a);
	fake_peer_close(&fp);
}

static void test_read_missing_file(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct fake_peer fp;
	struct agent *a;

	(void)state;
	a = synced(&fp);
	fake_peer_say(&fp, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"No such file or directory\"}}\n");
	assert_int_equal(agent_read_file(a, "/tmp/none.json", &out, T), -1);
	assert_non_null(strstr(ocb_errmsg(), "/tmp/none.json"));
	assert_non_null(strstr(ocb_errmsg(), "No such file"));
	strbuf_release(&out);
	agent_free(a);
	fake_peer_close(&fp);
}

static void test_eof(void **state)
{
	struct fake_peer fp;
	struct agent *a;

	(void)state;
	a = synced(&fp);
	fake_peer_say(&fp, "{\"return\": {\"pi");
	fake_peer_hangup(&fp);
	assert_int_equal(agent_command(a, "guest-info", NULL, NULL, T), -1);
	assert_non_null(strstr(ocb_errmsg(), "closed in the middle"));
	agent_free(a);
	fake_peer_close(&fp);
}

/* A guest that stopped reading (a SIGSTOPped QEMU, a frozen agent): the
 * socket buffer fills and the send must give up at the command's
 * deadline, not block forever; the channel is then unusable (part of a
 * line may be out) and says so at once. */
static void test_peer_stopped_reading(void **state)
{
	struct fake_peer fp;
	struct agent *a;
	struct agent_exec_result r;
	struct strbuf big = STRBUF_INIT;
	const char *argv[3] = { "/bin/echo", NULL, NULL };
	char chunk[1024];

	(void)state;
	a = synced(&fp);
	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 4096; i++)	/* 4 MiB: more than any socket buffers */
		strbuf_add(&big, chunk, sizeof(chunk));
	argv[1] = big.buf;
	assert_int_equal(agent_exec(a, argv, SHORT, &r), -1);
	assert_msg(ocb_errmsg(), "stopped reading");
	assert_int_equal(agent_command(a, "guest-info", NULL, NULL, T), -1);
	assert_msg(ocb_errmsg(), "not usable");
	strbuf_release(&big);
	agent_free(a);
	fake_peer_close(&fp);
}

/* A guest that sends more than a socketpair buffers: a thread writes the
 * script while the client reads.  It stops when the client hangs up. */
struct flood {
	int fd;
	char fill;		/* the flood's byte */
	size_t n;		/* how many of it */
	const char *after;	/* then this text */
	pthread_t thread;
};

static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = send(fd, p, len, MSG_NOSIGNAL);

		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static void *flood_main(void *arg)
{
	struct flood *f = arg;
	char *chunk = malloc(65536);

	memset(chunk, f->fill, 65536);
	for (size_t left = f->n; left;) {
		size_t k = left < 65536 ? left : 65536;

		if (send_all(f->fd, chunk, k) < 0)
			break;
		left -= k;
	}
	free(chunk);
	send_all(f->fd, f->after, strlen(f->after));
	return NULL;
}

static void flood_start(struct flood *f, struct fake_peer *fp, char fill, size_t n,
			const char *after)
{
	*f = (struct flood){ .fd = fp->peer, .fill = fill, .n = n, .after = after };
	assert_int_equal(pthread_create(&f->thread, NULL, flood_main, f), 0);
}

/* A reply over AGENT_MAX_REPLY fails naming the guest and the cap; the
 * rest of it is dropped, not buffered, and the agent recovers. */
static void test_reply_cap(void **state)
{
	struct fake_peer fp;
	struct flood f;
	struct agent *a;
	json_t *ret = NULL;

	(void)state;
	a = synced(&fp);
	flood_start(&f, &fp, 'x', AGENT_MAX_REPLY + (2u << 20),
		    "\n\xff{\"return\": 1002}\n{\"return\": {\"version\": \"ok\"}}\n");
	assert_int_equal(agent_command(a, "guest-info", NULL, NULL, T), -1);
	assert_msg(ocb_errmsg(), "guest-info: guest agent of guest-1: message larger than the cap of "
		   "16777216 bytes");
	assert_int_equal(agent_command(a, "guest-info", NULL, &ret, T), 0);
	assert_string_equal(json_string_value(json_object_get(ret, "version")), "ok");
	json_decref(ret);
	agent_free(a);
	pthread_join(f.thread, NULL);
	fake_peer_close(&fp);
}

/* A million blank lines before the answer: linear time (the old split
 * moved the rest of the buffer per line, quadratic: minutes). */
static void test_newline_flood(void **state)
{
	struct fake_peer fp;
	struct flood f;
	struct agent *a;
	struct timespec t0, t1;
	json_t *ret = NULL;

	(void)state;
	a = synced(&fp);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	flood_start(&f, &fp, '\n', 1u << 20, "{\"return\": {\"version\": \"ok\"}}\n");
	assert_int_equal(agent_command(a, "guest-info", NULL, &ret, 30 * T), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_string_equal(json_string_value(json_object_get(ret, "version")), "ok");
	/* generous for valgrind; the quadratic split took far longer */
	assert_true(t1.tv_sec - t0.tv_sec < 15);
	json_decref(ret);
	agent_free(a);
	pthread_join(f.thread, NULL);
	fake_peer_close(&fp);
}

static const struct agent_limits small = { .reply = AGENT_MAX_REPLY, .file = 10, .exec_output = 4 };

static void test_file_cap(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct fake_peer fp;
	struct agent *a;

	(void)state;
	a = synced(&fp);
	agent_set_limits(a, &small);
	fake_peer_say(&fp, "{\"return\": 7}\n");
	fake_peer_say(&fp, "{\"return\": {\"count\": 5, \"buf-b64\": \"aGVsbG8=\", \"eof\": false}}\n");
	fake_peer_say(&fp, "{\"return\": {\"count\": 6, \"buf-b64\": \"IHdvcmxk\", \"eof\": false}}\n");
	fake_peer_say(&fp, "{\"return\": {}}\n");
	assert_int_equal(agent_read_file(a, "/tmp/w.json", &out, T), -1);
	assert_msg(ocb_errmsg(), "guest agent of guest-1: /tmp/w.json is larger than the cap of 10 "
		   "bytes on a file read from the guest (5 bytes read");
	/* the error did not stop the clean-up */
	assert_non_null(strstr(fake_peer_heard(&fp), "\"guest-file-close\""));
	strbuf_release(&out);
	agent_free(a);
	fake_peer_close(&fp);
}

static void test_exec_output_cap(void **state)
{
	static const char *const argv[] = { "cat", NULL };
	struct agent_exec_result r;
	struct fake_peer fp;
	struct agent *a;

	(void)state;
	a = synced(&fp);
	agent_set_limits(a, &small);
	/* "hello\n": 6 decoded bytes, found after decoding */
	fake_peer_say(&fp, "{\"return\": {\"pid\": 42}}\n");
	fake_peer_say(&fp, "{\"return\": {\"exited\": true, \"exitcode\": 0, \"out-data\": "
			   "\"aGVsbG8K\"}}\n");
	assert_int_equal(agent_exec(a, argv, T, &r), -1);
	assert_msg(ocb_errmsg(), "guest agent of guest-1: output of guest pid 42 (out-data) is 6 "
		   "bytes, over the cap of 4 bytes on one command's output");
	agent_exec_result_release(&r);
	/* 12 bytes of stderr: refused before decoding */
	fake_peer_say(&fp, "{\"return\": {\"pid\": 43}}\n");
	fake_peer_say(&fp, "{\"return\": {\"exited\": true, \"exitcode\": 0, \"err-data\": "
			   "\"aGVsbG8gd29ybGQh\"}}\n");
	assert_int_equal(agent_exec(a, argv, T, &r), -1);
	assert_msg(ocb_errmsg(), "output of guest pid 43 (err-data) is at least 10 bytes, over the "
		   "cap of 4 bytes");
	assert_int_equal(r.err.len, 0);
	agent_exec_result_release(&r);
	agent_free(a);
	fake_peer_close(&fp);
}

/* The guest's PID goes back into guest-exec-status and `kill -TERM PID`:
 * one that is missing, not a number, 0 or negative (-1: every process)
 * fails the command instead. */
static void test_exec_pid_checked(void **state)
{
	static const char *const bad[] = { "{}", "{\"pid\": \"1; reboot\"}", "{\"pid\": 0}",
					    "{\"pid\": -1}", "{\"pid\": 99999999999}" };
	static const char *const argv[] = { "true", NULL };
	struct fake_peer fp;
	struct agent *a;
	char line[128];
	long long pid = 7;

	(void)state;
	a = synced(&fp);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "{\"return\": %s}\n", bad[i]);
		fake_peer_say(&fp, line);
		assert_int_equal(agent_spawn(a, argv, T, &pid), -1);
		assert_msg(ocb_errmsg(), "guest agent of guest-1: guest-exec of 'true' answered without a "
			   "valid \"pid\" (expected a positive process id)");
	}
	fake_peer_say(&fp, "{\"return\": {\"pid\": 4242}}\n");
	assert_int_equal(agent_spawn(a, argv, T, &pid), 0);
	assert_int_equal(pid, 4242);
	agent_free(a);
	fake_peer_close(&fp);
}

static void test_base64(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(base64_decode("TWFu", &sb), 0);
	assert_string_equal(sb.buf, "Man");
	strbuf_reset(&sb);
	assert_int_equal(base64_decode("TWE=", &sb), 0);
	assert_string_equal(sb.buf, "Ma");
	strbuf_reset(&sb);
	assert_int_equal(base64_decode("TQ==\n", &sb), 0);
	assert_string_equal(sb.buf, "M");
	assert_int_equal(base64_decode("T*==", &sb), -1);
	strbuf_release(&sb);
}

/* A command sent without waiting: its answer is taken later, never
 * waited for; a channel out of step is synced first, a step at a time. */
static void test_send_take(void **state)
{
	struct fake_peer fp;
	struct agent *a;
	json_t *ret = NULL;

	(void)state;
	fake_peer_open(&fp);
	a = agent_new(fp.client, "guest-1");
	agent_set_token_seed(a, SEED);
	assert_int_equal(agent_send(a, "guest-file-open", json_pack("{s:s}", "path", "/x")), 0);
	assert_non_null(strstr(fake_peer_heard(&fp), "guest-sync-delimited"));
	say_sync(&fp, 1);
	assert_int_equal(agent_send(a, "guest-file-open", json_pack("{s:s}", "path", "/x")), 1);
	assert_non_null(strstr(fake_peer_heard(&fp), "\"execute\":\"guest-file-open\""));
	assert_int_equal(agent_take(a, &ret), 0);	/* nothing yet: at once */
	fake_peer_say(&fp, "{\"return\": 7}\n");
	assert_int_equal(agent_take(a, &ret), 1);
	assert_int_equal(json_integer_value(ret), 7);
	json_decref(ret);
	assert_int_equal(agent_take(a, &ret), -1);	/* nothing waits any more */
	/* an error answer fails only its command */
	assert_int_equal(agent_send(a, "guest-file-read", NULL), 1);
	fake_peer_say(&fp, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"bad handle\"}}\n");
	assert_int_equal(agent_take(a, &ret), -1);
	assert_msg(ocb_errmsg(), "bad handle");
	agent_free(a);
	fake_peer_close(&fp);
}

/* A waiting command while a sent one's answer is out: the answers come
 * in order, so the sent one's is read first and dropped (its take says
 * so), and the command gets its own. */
static void test_send_then_command(void **state)
{
	struct fake_peer fp;
	struct agent *a;
	json_t *ret = NULL;

	(void)state;
	a = synced(&fp);
	assert_int_equal(agent_send(a, "guest-exec", json_pack("{s:s}", "path", "free")), 1);
	fake_peer_say(&fp, "{\"return\": {\"pid\": 5}}\n{\"return\": {\"version\": \"7.2\"}}\n");
	assert_int_equal(agent_command(a, "guest-info", NULL, &ret, T), 0);
	assert_string_equal(json_string_value(json_object_get(ret, "version")), "7.2");
	json_decref(ret);
	assert_int_equal(agent_take(a, &ret), -2);
	assert_msg(ocb_errmsg(), "a waiting command read it");
	/* an answer that never comes: the command fails in its own time,
	 * not twice that, and the channel resyncs before the next one */
	assert_non_null(strstr(fake_peer_heard(&fp), "guest-info"));
	assert_int_equal(agent_send(a, "guest-exec", json_pack("{s:s}", "path", "free")), 1);
	assert_int_equal(agent_command(a, "guest-info", NULL, NULL, SHORT), -1);
	assert_msg(ocb_errmsg(), "guest-info: guest agent of guest-1: no answer (timed out)");
	assert_null(strstr(fake_peer_heard(&fp), "guest-info"));
	agent_free(a);
	fake_peer_close(&fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync),
		cmocka_unit_test(test_sync_retries_until_answered),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_exec_killed_by_signal),
		cmocka_unit_test(test_exec_error_and_resync),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_missing_file),
		cmocka_unit_test(test_eof),
		cmocka_unit_test(test_sync_poll_slow_answer),
		cmocka_unit_test(test_sync_garbage_named),
		cmocka_unit_test(test_endless_reply_named),
		cmocka_unit_test(test_peer_stopped_reading),
		cmocka_unit_test(test_reply_cap),
		cmocka_unit_test(test_newline_flood),
		cmocka_unit_test(test_file_cap),
		cmocka_unit_test(test_exec_output_cap),
		cmocka_unit_test(test_exec_pid_checked),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_send_take),
		cmocka_unit_test(test_send_then_command),
	};

	return cmocka_run_group_tests_name("agent", tests, NULL, NULL);
}
