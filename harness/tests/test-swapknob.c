/* Unit tests: the `swap = SIZE` host knob (knobs/swapknob.c,
 * host/swapfile.c) on a fake root with a fake mkswap/swapon/swapoff
 * ($OCBENCH_SWAP_TOOL): journaled before the file exists (the fake mkswap
 * refuses to run otherwise), active while the session lasts, switched off
 * and removed by the session's restore and, after a session that was
 * never restored (a SIGKILLed run), by the journal's restore; a journal
 * record naming another file is left alone.  And the KSM advisor knobs
 * on the fake tree, journaled and put back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake-sysfs.h"
#include "host/swapfile.h"
#include "knobs/journal.h"
#include "knobs/knobs.h"
#include "private-lock.h"
#include "util/error.h"

struct fx {
	char root[64];
	char state[64];
	char tool[128];
	char swapfile[160];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	fake_root_new(f->root, sizeof(f->root));
	fake_host(f->root, FAKE_ALL);
	fake_write(f->root, "/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n");
	snprintf(f->state, sizeof(f->state), "/tmp/ocb-state-XXXXXX");
	if (!mkdtemp(f->state)) {
		free(f);
		return -1;
	}
	snprintf(f->swapfile, sizeof(f->swapfile), "%s/" SWAPFILE_NAME, f->state);
	fake_swap_tool(f->root, 0, f->tool, sizeof(f->tool));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	unsetenv("OCBENCH_SWAP_TOOL");
	remove_tree(f->root);
	remove_tree(f->state);
	free(f);
	return 0;
}

static void test_validate(void **state)
{
	(void)state;
	assert_int_equal(knob_validate("swap", "4G"), 0);
	assert_int_equal(knob_validate("swap", "512"), 0);
	assert_int_equal(knob_validate("swap", "lots"), -1);
	assert_non_null(strstr(ocb_errmsg(), "an amount of memory"));
	assert_int_equal(knob_validate("swap", "1500K"), -1);
}

static void test_apply_restore(void **state)
{
	struct fx *f = *state;
	struct knob_set *ks = knob_set_begin(f->root, f->state, 0);
	char why[256];
	struct stat st;

	assert_non_null(ks);
	if (knob_apply(ks, "swap", "16M", why, sizeof(why)) != 0)
		fail_msg("swap=16M: %s", ocb_errmsg());
	assert_int_equal(stat(f->swapfile, &st), 0);
	assert_int_equal(st.st_size, 16 << 20);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(swapfile_active(f->root, f->swapfile), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		knob_set_applied(ks), "swap"), "value")), "16");
	/* one swap file a run */
	assert_int_equal(knob_apply(ks, "swap", "16M", why, sizeof(why)), -1);
	assert_non_null(strstr(ocb_errmsg(), "exists already"));
	assert_int_equal(knob_set_restore(ks), 0);
	assert_int_equal(swapfile_active(f->root, f->swapfile), 0);
	assert_int_equal(access(f->swapfile, F_OK), -1);
	knob_set_free(ks);
}

/* A session never restored (what a SIGKILL leaves): ocbench restore. */
static void test_restore_after_kill(void **state)
{
	struct fx *f = *state;
	struct knob_set *ks = knob_set_begin(f->root, f->state, 0);
	char why[256];

	assert_non_null(ks);
	assert_int_equal(knob_apply(ks, "swap", "8M", why, sizeof(why)), 0);
	knob_set_free(ks);
	assert_int_equal(swapfile_active(f->root, f->swapfile), 1);
	assert_int_equal(knob_restore_journal(f->root, f->state), 0);
	assert_int_equal(swapfile_active(f->root, f->swapfile), 0);
	assert_int_equal(access(f->swapfile, F_OK), -1);
	/* a crash before the file was made: the record alone is undone too */
	ks = knob_set_begin(f->root, f->state, 0);
	assert_non_null(ks);
	setenv("OCBENCH_SWAP_TOOL", "/nonexistent/swaptool", 1);
	assert_int_equal(knob_apply(ks, "swap", "8M", why, sizeof(why)), -1);
	knob_set_free(ks);
	setenv("OCBENCH_SWAP_TOOL", f->tool, 1);
	assert_int_equal(knob_restore_journal(f->root, f->state), 0);
	assert_int_equal(access(f->swapfile, F_OK), -1);
}

/* Restore trusts a "swapfile" record only for a file of ocbench's name. */
static void test_foreign_record(void **state)
{
	struct fx *f = *state;
	struct journal *j = journal_create(f->state, f->root);
	char other[160];
	FILE *o;

	snprintf(other, sizeof(other), "%s/precious.img", f->state);
	o = fopen(other, "w");
	assert_non_null(o);
	fclose(o);
	assert_non_null(j);
	assert_int_equal(journal_append(j, "swapfile", other, ""), 0);
	journal_free(j);
	assert_int_equal(knob_restore_journal(f->root, f->state), -1);
	assert_non_null(strstr(ocb_errmsg(), "not a file ocbench made"));
	assert_int_equal(access(other, F_OK), 0);
}

/* The KSM advisor (6.8+): journaled and put back like every knob. */
static void test_ksm_advisor(void **state)
{
	struct fx *f = *state;
	struct knob_set *ks;
	char why[256];
	char *v;

	fake_write(f->root, "/sys/kernel/mm/ksm/advisor_target_scan_time", "200\n");
	ks = knob_set_begin(f->root, f->state, 0);
	assert_non_null(ks);
	assert_int_equal(knob_apply(ks, "ksm.advisor_mode", "scan-time", why, sizeof(why)), 0);
	assert_int_equal(knob_apply(ks, "ksm.advisor_target_scan_time", "5", why, sizeof(why)), 0);
	assert_int_equal(knob_apply(ks, "ksm.advisor_target_scan_time", "0", why, sizeof(why)), -1);
	v = fake_read(f->root, "/sys/kernel/mm/ksm/advisor_target_scan_time");
	assert_string_equal(v, "5\n");
	free(v);
	assert_int_equal(knob_set_restore(ks), 0);
	v = fake_read(f->root, "/sys/kernel/mm/ksm/advisor_target_scan_time");
	assert_string_equal(v, "200\n");
	free(v);
	v = fake_read(f->root, "/sys/kernel/mm/ksm/advisor_mode");
	assert_string_equal(v, "[none] scan-time\n");
	free(v);
	knob_set_free(ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test_setup_teardown(test_apply_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_after_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ksm_advisor, setup, teardown),
	};

	if (private_lock_init() < 0)
		return 1;
	return private_lock_done(cmocka_run_group_tests(tests, NULL, NULL));
}
