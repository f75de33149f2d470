/* Unit tests: the host-wide knob lock (knobs/hostlock.c) — a second
 * holder waits (saying for whom) or, with --no-wait, fails naming the
 * holder; the process's hold is counted; journals in different state
 * directories exclude each other through it (issue 16: two runs with
 * their own --state-dir each restored the other's knob values). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "knobs/hostlock.h"
#include "util/clock.h"
#include "knobs/journal.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "private-lock.h"

static void assert_msg(const char *msg, const char *want)
{
	if (!strstr(msg, want)) {
		print_message("message: %s\nwanted:  %s\n", msg, want);
		fail();
	}
}

static void test_lock_dir(void **state)
{
	(void)state;
	assert_string_equal(hostlock_dir(), private_lock_dir);
	unsetenv("OCBENCH_LOCK_DIR");
	assert_string_equal(hostlock_dir(), "/run/ocbench");
	setenv("OCBENCH_LOCK_DIR", private_lock_dir, 1);
}

/* Two takes in one process exclude each other like two processes. */
static void test_no_wait(void **state)
{
	struct strbuf want = STRBUF_INIT;
	int a, b;

	(void)state;
	a = hostlock_take(private_lock_dir, 0);
	assert_true(a >= 0);
	assert_int_equal(hostlock_take(private_lock_dir, 0), -1);
	strbuf_addf(&want, "another ocbench (pid %ld) is changing host knobs: it holds %s/host.lock",
		    (long)getpid(), private_lock_dir);
	assert_msg(ocb_errmsg(), want.buf);
	assert_msg(ocb_errmsg(), "--no-wait");
	hostlock_release(a);
	b = hostlock_take(private_lock_dir, 0);
	assert_true(b >= 0);
	hostlock_release(b);
	strbuf_release(&want);
}

struct waiter {
	int fd;
	double waited_s;
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;
	double t0 = now_s();

	w->fd = hostlock_take(private_lock_dir, 1);
	w->waited_s = now_s() - t0;
	return NULL;
}

/* The second holder waits, says for whom, and gets the lock when the
 * first lets go. */
static void test_wait(void **state)
{
	char log[] = "/tmp/ocb-hostlock-stderr-XXXXXX";
	struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;
	struct waiter w = { -1, 0 };
	pthread_t th;
	int a, saved, logfd;

	(void)state;
	logfd = mkstemp(log);
	assert_true(logfd >= 0);
	a = hostlock_take(private_lock_dir, 0);
	assert_true(a >= 0);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0 && dup2(logfd, 2) == 2);
	assert_int_equal(pthread_create(&th, NULL, waiter_main, &w), 0);
	sleep_ns(400 * 1000000ull, NULL);
	hostlock_release(a);
	assert_int_equal(pthread_join(th, NULL), 0);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	close(logfd);
	assert_true(w.fd >= 0);
	assert_true(w.waited_s >= 0.3);
	hostlock_release(w.fd);
	assert_int_equal(read_file(log, &text), 0);
	strbuf_addf(&want, "ocbench: waiting for the ocbench that holds %s/host.lock (pid %ld)",
		    private_lock_dir, (long)getpid());
	assert_msg(text.buf, want.buf);
	unlink(log);
	strbuf_release(&text);
	strbuf_release(&want);
}

/* The process's hold is counted: a process never waits for itself. */
static void test_hold_counted(void **state)
{
	int fd;

	(void)state;
	assert_int_equal(hostlock_hold(), 0);
	assert_int_equal(hostlock_hold(), 0);
	hostlock_drop();
	assert_int_equal(hostlock_take(private_lock_dir, 0), -1);
	hostlock_drop();
	fd = hostlock_take(private_lock_dir, 0);
	assert_true(fd >= 0);
	hostlock_release(fd);
}

/* Journals in two state directories: the second session cannot begin
 * (and read "previous" values) while the first holds the host. */
static void test_journals_exclude_across_state_dirs(void **state)
{
	char d1[] = "/tmp/ocb-hostlock-a-XXXXXX", d2[] = "/tmp/ocb-hostlock-b-XXXXXX";
	struct journal *j1, *j2;
	int other;

	(void)state;
	assert_non_null(mkdtemp(d1));
	assert_non_null(mkdtemp(d2));
	/* "another process": a take of its own */
	other = hostlock_take(private_lock_dir, 0);
	assert_true(other >= 0);
	hostlock_set_wait(0);
	assert_null(journal_create(d1, "/fake"));
	assert_msg(ocb_errmsg(), "is changing host knobs: it holds");
	hostlock_release(other);
	j1 = journal_create(d1, "/fake");
	assert_non_null(j1);
	/* within one process both sessions go on (counted) */
	j2 = journal_create(d2, "/fake");
	assert_non_null(j2);
	assert_int_equal(journal_remove(j2), 0);
	journal_free(j2);
	assert_int_equal(hostlock_take(private_lock_dir, 0), -1);
	assert_int_equal(journal_remove(j1), 0);
	journal_free(j1);
	other = hostlock_take(private_lock_dir, 0);
	assert_true(other >= 0);
	hostlock_release(other);
	hostlock_set_wait(1);
	assert_int_equal(remove_tree(d1), 0);
	assert_int_equal(remove_tree(d2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_dir),
		cmocka_unit_test(test_no_wait),
		cmocka_unit_test(test_wait),
		cmocka_unit_test(test_hold_counted),
		cmocka_unit_test(test_journals_exclude_across_state_dirs),
	};

	if (private_lock_init() < 0)
		return 1;
	return private_lock_done(cmocka_run_group_tests_name("hostlock", tests, NULL, NULL));
}
