/* Unit tests: size/duration parsing (units.c), strbuf and xalloc. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/error.h"
#include "util/fsutil.h"
#include "util/jsontext.h"
#include "util/printable.h"
#include "util/runcmd.h"
#include "util/strbuf.h"
#include "util/units.h"
#include "util/xalloc.h"

static void test_sizes(void **state)
{
	uint64_t b;

	(void)state;
	assert_int_equal(parse_size("512M", 1, &b), 0);
	assert_true(b == 512 * MiB);
	assert_int_equal(parse_size("2GiB", 1, &b), 0);
	assert_true(b == 2 * GiB);
	assert_int_equal(parse_size("1.5G", 1, &b), 0);
	assert_true(b == 1536 * MiB);
	assert_int_equal(parse_size("4096", 1, &b), 0);
	assert_true(b == 4096);
	assert_int_equal(parse_size("2048", MiB, &b), 0);
	assert_true(b == 2 * GiB);
	assert_int_equal(parse_size(" 16 KiB ", 1, &b), 0);
	assert_true(b == 16 * KiB);
	assert_int_equal(parse_size("1t", 1, &b), 0);
	assert_true(b == 1024 * GiB);
}

static void test_bad_sizes(void **state)
{
	static const char *bad[] = { "512X", "0", "-1", "-512M", "", "M", "1.5", "abc",
				     "99999999999T", "12 M B", NULL };
	uint64_t b = 7;

	(void)state;
	for (int i = 0; bad[i]; i++) {
		ocb_err_clear();
		assert_int_equal(parse_size(bad[i], 1, &b), -1);
		/* the message names the value it rejected */
		assert_non_null(strstr(ocb_errmsg(), "size"));
	}
	assert_int_equal(parse_size("512X", 1, &b), -1);
	assert_non_null(strstr(ocb_errmsg(), "'512X'"));
	assert_true(b == 7);
}

static void test_durations(void **state)
{
	uint64_t ns;

	(void)state;
	assert_int_equal(parse_duration_ns("90s", 0, &ns), 0);
	assert_true(ns == 90000000000ull);
	assert_int_equal(parse_duration_ns("250ms", 0, &ns), 0);
	assert_true(ns == 250000000ull);
	assert_int_equal(parse_duration_ns("2m", 0, &ns), 0);
	assert_true(ns == 120000000000ull);
	assert_int_equal(parse_duration_ns("1.5", 0, &ns), 0);
	assert_true(ns == 1500000000ull);
	assert_int_equal(parse_duration_ns("0s", 1, &ns), 0);
	assert_true(ns == 0);
	assert_int_equal(parse_duration_ns("0s", 0, &ns), -1);
	assert_int_equal(parse_duration_ns("5M", 0, &ns), -1);
	assert_int_equal(parse_duration_ns("-3s", 0, &ns), -1);
	assert_int_equal(parse_duration_ns("3 parsecs", 0, &ns), -1);
	assert_non_null(strstr(ocb_errmsg(), "'3 parsecs'"));
}

static void test_u64_range(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_u64_range("17", 1, 64, &v), 0);
	assert_true(v == 17);
	assert_int_equal(parse_u64_range("65", 1, 64, &v), -1);
	assert_int_equal(parse_u64_range("0", 1, 64, &v), -1);
	assert_int_equal(parse_u64_range("1x", 1, 64, &v), -1);
	assert_int_equal(parse_u64_range("-1", 0, 64, &v), -1);
}

static void test_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	(void)state;
	assert_string_equal(strbuf_str(&sb), "");
	/* adding nothing (even from NULL) still makes buf a real string */
	strbuf_add(&sb, NULL, 0);
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	assert_int_equal(sb.len, strlen(sb.buf));
	assert_memory_equal(sb.buf, "0,1,2,", 6);
	strbuf_remove_front(&sb, 4);
	assert_memory_equal(sb.buf, "2,3,", 4);
	strbuf_reset(&sb);
	strbuf_adds(&sb, "x \n");
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "x");
	s = strbuf_detach(&sb);
	assert_string_equal(s, "x");
	assert_null(sb.buf);
	free(s);
}

/* An empty file (a /proc file of an exiting process) reads as "", so a
 * caller can parse sb.buf without a NULL check. */
static void test_read_empty_file(void **state)
{
	char path[] = "/tmp/ocb-empty-XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(read_file(path, &sb), 0);
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(read_file("/nonexistent/ocb", &sb), -1);
	assert_non_null(strstr(ocb_errmsg(), "/nonexistent/ocb"));
	unlink(path);
	strbuf_release(&sb);
}

/* ALLOC_GROW keeps what was there and doubles from 8; the x* helpers
 * never hand back NULL, not even for 0 bytes. */
static void test_xalloc(void **state)
{
	size_t n = 0, alloc = 0;
	int *v = NULL;
	char *s;

	(void)state;
	for (int i = 0; i < 100; i++) {
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = i;
	}
	assert_true(alloc == 128);
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i);
	ALLOC_GROW(v, 1000, alloc);
	assert_true(alloc == 1000);
	assert_int_equal(v[99], 99);
	free(v);
	s = xstrndup("memtouch", 3);
	assert_string_equal(s, "mem");
	free(s);
	s = xstrndup("ab", 10);
	assert_string_equal(s, "ab");
	free(s);
	assert_null(xstrdup(NULL));
	s = xstrdup("x");
	assert_string_equal(s, "x");
	free(s);
	s = xmalloc(0);
	assert_non_null(s);
	free(s);
	s = xcalloc(0, 0);
	assert_non_null(s);
	free(s);
}

static void expect_text(const char *in, size_t len, const char *want)
{
	json_t *j = json_text(in, len);

	assert_non_null(j);
	assert_int_equal(json_string_length(j), strlen(want));
	assert_memory_equal(json_string_value(j), want, strlen(want));
	json_decref(j);
}

/* A guest's output is kept whatever bytes it holds: valid UTF-8 as it is,
 * each invalid sequence as U+FFFD (an event never loses its fields). */
static void test_json_text(void **state)
{
	(void)state;
	expect_text("free -m\n", 8, "free -m\n");
	expect_text("caf\xC3\xA9", 5, "caf\xC3\xA9");			/* valid 2-byte */
	expect_text("a\xFF" "b", 3, "a\xEF\xBF\xBD" "b");		/* stray byte */
	expect_text("\xC3", 1, "\xEF\xBF\xBD");				/* truncated */
	expect_text("\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD");	/* overlong '/' */
	expect_text("\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");	/* surrogate */
	expect_text("\xF0\x9F\x98\x80", 4, "\xF0\x9F\x98\x80");		/* U+1F600 */
	expect_text(NULL, 0, "");
	{
		/* in a whole event: json_pack with "o" keeps every field */
		json_t *ev = json_pack("{s:s, s:o}", "guest", "g-1", "stdout", json_text("x\x80", 2));

		assert_non_null(ev);
		assert_non_null(json_object_get(ev, "guest"));
		json_decref(ev);
	}
}

static void expect_printable(const char *in, size_t dstlen, const char *want)
{
	char out[256];

	assert_true(dstlen <= sizeof(out));
	assert_int_equal(printable_copy(out, dstlen, in), strlen(want));
	assert_string_equal(out, want);
}

/* What a guest printed reaches the terminal without acting on it: every
 * control byte a terminal would act on becomes \xNN, text and valid
 * UTF-8 stay, and truncation never splits an escape or a character. */
static void test_printable(void **state)
{
	(void)state;
	expect_printable("free -m\n\tok", 64, "free -m\n\tok");
	expect_printable("caf\xC3\xA9", 64, "caf\xC3\xA9");
	/* clear the screen, set the title, a bell, a carriage return */
	expect_printable("a\033[2Jb\033]0;pwned\007c\rd", 64, "a\\x1b[2Jb\\x1b]0;pwned\\x07c\\x0dd");
	expect_printable("x\x7f", 64, "x\\x7f");				/* DEL */
	expect_printable("\xC2\x9B" "1m", 64, "\\xc2\\x9b1m");	/* C1 CSI as UTF-8 */
	expect_printable("\x9B" "1m", 64, "\\x9b1m");			/* 8-bit CSI, invalid UTF-8 */
	expect_printable("ab\033", 6, "ab");				/* "ab\x1b" needs 7 */
	expect_printable("ab\xC3\xA9", 4, "ab");			/* no half character */
	expect_printable(NULL, 8, "");
	{
		char one[1] = { 'x' };

		assert_int_equal(printable_copy(one, 1, "abc"), 0);
		assert_int_equal(one[0], '\0');
	}
	/* the error buffer stores what it is given printable, prefixes too */
	ocb_fail("guest said '%s'", "\033[31mred");
	assert_string_equal(ocb_errmsg(), "guest said '\\x1b[31mred'");
	ocb_err_prefix("%s: ", "g\033-1");
	assert_string_equal(ocb_errmsg(), "g\\x1b-1: guest said '\\x1b[31mred'");
	ocb_err_clear();
}

/* process_stopped(): a stopped child is seen stopped (a hung guest's
 * QEMU), a running or continued one is not, nor a pid that is gone. */
static void test_process_stopped(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	assert_int_equal(process_stopped(pid), 0);
	assert_int_equal(kill(pid, SIGSTOP), 0);
	assert_int_equal(waitpid(pid, &st, WUNTRACED), pid);
	assert_true(WIFSTOPPED(st));
	assert_int_equal(process_stopped(pid), 1);
	assert_int_equal(kill(pid, SIGCONT), 0);
	assert_int_equal(waitpid(pid, &st, WCONTINUED), pid);
	assert_int_equal(process_stopped(pid), 0);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(process_stopped(pid), 0);
	assert_int_equal(process_stopped(-1), 0);
}

/* A child started through runcmd gets fds 0-2 only: a descriptor the
 * harness holds open without close-on-exec (as flock(1) hands its lock
 * down) is not there in the child.  fd 1 is the control: the probe does
 * see a descriptor that is passed. */
static void test_child_gets_only_stdio(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char held[64];
	int fd = open("/dev/null", O_RDONLY);	/* no O_CLOEXEC on purpose */

	(void)state;
	assert_true(fd > 2);
	snprintf(held, sizeof(held), "/proc/self/fd/%d", fd);
	const char *probe_held[] = { "test", "-e", held, NULL };
	const char *probe_stdout[] = { "test", "-e", "/proc/self/fd/1", NULL };

	assert_int_equal(run_capture(probe_stdout, &out, 10ull * 1000000000ull), 0);
	assert_int_equal(run_capture(probe_held, &out, 10ull * 1000000000ull), 1);
	assert_int_equal(close(fd), 0);
	strbuf_release(&out);
}

/* runcmd_child_nice(): a child runs at the nice value it is given, not
 * at the harness's (which the runner raises above its guests); off, it
 * inherits the harness's.  Read by the child itself (nice(1) prints it). */
static void test_child_nice(void **state)
{
	struct strbuf out = STRBUF_INIT;
	const char *probe[] = { "nice", NULL };
	int own;

	(void)state;
	errno = 0;
	own = getpriority(PRIO_PROCESS, 0);
	assert_false(own == -1 && errno);
	runcmd_child_nice(own < 15 ? own + 4 : own);
	assert_int_equal(run_capture(probe, &out, 10ull * 1000000000ull), 0);
	assert_int_equal(atoi(out.buf), own < 15 ? own + 4 : own);
	runcmd_child_nice_off();
	strbuf_reset(&out);
	assert_int_equal(run_capture(probe, &out, 10ull * 1000000000ull), 0);
	assert_int_equal(atoi(out.buf), own);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_bad_sizes),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_u64_range),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_read_empty_file),
		cmocka_unit_test(test_xalloc),
		cmocka_unit_test(test_json_text),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_process_stopped),
		cmocka_unit_test(test_child_gets_only_stdio),
		cmocka_unit_test(test_child_nice),
	};

	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
