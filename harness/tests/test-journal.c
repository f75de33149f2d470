/* Unit tests: the crash-safe journal (journal.c) on its own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/fsutil.h"
#include "knobs/journal.h"
#include "util/strbuf.h"
#include "private-lock.h"

static void new_dir(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/ocb-journal-XXXXXX");
	assert_non_null(mkdtemp(buf));
}

static void test_escape_roundtrip(void **state)
{
	static const char *const samples[] = { "", "plain", "always [madvise] never\n",
		"50%", "a b\tc\r\n", "-20 -20 -20", "\x01\x7f\xff", NULL };

	(void)state;
	for (int i = 0; samples[i]; i++) {
		struct strbuf e = STRBUF_INIT, d = STRBUF_INIT;

		journal_escape(samples[i], &e);
		assert_null(strchr(e.buf, ' '));
		assert_null(strchr(e.buf, '\n'));
		assert_int_equal(journal_unescape(e.buf, e.len, &d), 0);
		assert_string_equal(strbuf_str(&d), samples[i]);
		strbuf_release(&e);
		strbuf_release(&d);
	}
}

struct undo_log {
	struct strbuf order;
	int fail_path2;
};

static int log_undo(const char *root, const struct journal_entry *e, void *arg)
{
	struct undo_log *l = arg;

	strbuf_addf(&l->order, "%s:%s=%s|", root, e->path, e->prev);
	if (l->fail_path2 && !strcmp(e->path, "/p2"))
		return ocb_fail("cannot write /p2");
	return 0;
}

static void test_create_load_undo(void **state)
{
	char dir[64];
	struct journal *j, *again, *old = NULL;
	struct undo_log l = { STRBUF_INIT, 1 };
	struct strbuf p = STRBUF_INIT;

	(void)state;
	new_dir(dir, sizeof(dir));
	j = journal_create(dir, "/fake");
	assert_non_null(j);
	assert_int_equal(journal_append(j, "set", "/p1", "0\n"), 0);
	assert_int_equal(journal_append(j, "set", "/p2", "always [madvise] never\n"), 0);
	assert_int_equal(journal_append(j, "set", "/p1", "1\n"), 0);

	/* a second session on the same state directory is refused while we live */
	again = journal_create(dir, "/fake");
	assert_null(again);
	assert_non_null(strstr(ocb_errmsg(), "another ocbench"));
	journal_free(j);	/* "killed": file stays */

	/* the next session sees a killed run's journal and says what to do */
	again = journal_create(dir, "/fake");
	assert_null(again);
	assert_non_null(strstr(ocb_errmsg(), "ocbench restore"));
	assert_non_null(strstr(ocb_errmsg(), "3 changes"));

	assert_int_equal(journal_load(dir, &old), 1);
	assert_string_equal(old->root, "/fake");
	assert_int_equal(old->n, 3);
	/* a failing record is reported, the others are still undone, file kept */
	assert_int_equal(journal_undo_all(old, NULL, log_undo, &l), -1);
	assert_non_null(strstr(ocb_errmsg(), "1 of 3"));
	assert_string_equal(l.order.buf, "/fake:/p1=1\n|/fake:/p2=always [madvise] never\n|/fake:/p1=0\n|");
	journal_file_path(dir, &p);
	assert_true(path_exists(p.buf));
	journal_free(old);

	/* reverse order, root override, then removed; a second undo has nothing */
	l.fail_path2 = 0;
	strbuf_reset(&l.order);
	assert_int_equal(journal_load(dir, &old), 1);
	assert_int_equal(journal_undo_all(old, "/other", log_undo, &l), 0);
	assert_string_equal(l.order.buf, "/other:/p1=1\n|/other:/p2=always [madvise] never\n|/other:/p1=0\n|");
	assert_false(path_exists(p.buf));
	journal_free(old);
	assert_int_equal(journal_load(dir, &old), 0);
	assert_null(old);

	strbuf_release(&l.order);
	strbuf_release(&p);
	remove_tree(dir);
}

/* A crash mid-record leaves a line without its newline: ignored, since
 * the write it announced had not happened yet. */
static void test_torn_record(void **state)
{
	char dir[64];
	struct strbuf p = STRBUF_INIT;
	struct journal *j = NULL;
	const char *text = "ocbench-journal 1 4242\nroot /\nset /a 0%0a\nset /b 1";

	(void)state;
	new_dir(dir, sizeof(dir));
	journal_file_path(dir, &p);
	assert_int_equal(write_file_atomic(p.buf, text, strlen(text), 0600), 0);
	assert_int_equal(journal_load(dir, &j), 1);
	assert_int_equal(j->pid, 4242);
	assert_int_equal(j->n, 1);
	assert_string_equal(j->e[0].path, "/a");
	assert_string_equal(j->e[0].prev, "0\n");
	journal_free(j);

	/* killed before the header was complete: nothing to undo */
	assert_int_equal(write_file_atomic(p.buf, "ocbench-jour", 12, 0600), 0);
	assert_int_equal(journal_load(dir, &j), 1);
	assert_int_equal(j->n, 0);
	journal_free(j);

	/* killed right after creating it: an empty file */
	assert_int_equal(write_file_atomic(p.buf, "", 0, 0600), 0);
	assert_int_equal(journal_load(dir, &j), 1);
	assert_int_equal(j->n, 0);
	journal_free(j);
	/* ... and the next session just starts */
	j = journal_create(dir, "/");
	assert_non_null(j);
	assert_int_equal(journal_remove(j), 0);
	journal_free(j);

	/* garbage is an error, not a silent success */
	assert_int_equal(write_file_atomic(p.buf, "hello\n", 6, 0600), 0);
	assert_int_equal(journal_load(dir, &j), -1);
	assert_non_null(strstr(ocb_errmsg(), "not an ocbench journal"));

	strbuf_release(&p);
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_roundtrip),
		cmocka_unit_test(test_create_load_undo),
		cmocka_unit_test(test_torn_record),
	};

	if (private_lock_init() < 0)
		return 1;
	return private_lock_done(cmocka_run_group_tests(tests, NULL, NULL));
}
