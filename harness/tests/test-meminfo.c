/* Unit tests: the one "Key:   123 kB" reader (util/meminfo.c) that host
 * facts, the sampler and conform share. */
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
#include "util/meminfo.h"

static void test_text(void **state)
{
	long long v = 0;

	(void)state;
	assert_int_equal(meminfo_text_field("MemTotal:  100 kB\nMemFree:   7 kB\n", "MemFree", &v), 0);
	assert_true(v == 7);
	/* a key is whole: "Pss" is not "Pss_Anon" nor "SwapPss" */
	assert_int_equal(meminfo_text_field("SwapPss: 1 kB\nPss_Anon: 2 kB\nPss: 3 kB\n", "Pss", &v), 0);
	assert_true(v == 3);
	/* counts without a unit, and the last line without a newline */
	assert_int_equal(meminfo_text_field("HugePages_Total:       4\nHugePages_Free: 3", "HugePages_Free",
					    &v), 0);
	assert_true(v == 3);
	/* ksm_stat's profit goes negative */
	assert_int_equal(meminfo_text_field("ksm_process_profit:-4096\n", "ksm_process_profit", &v), 0);
	assert_true(v == -4096);
	assert_int_equal(meminfo_text_field("MemTotal: 1 kB\n", "MemFree", &v), -1);
	assert_non_null(strstr(ocb_errmsg(), "no 'MemFree:' line with a number"));
	assert_int_equal(meminfo_text_field("MemFree: kB\n", "MemFree", &v), -1);
	assert_int_equal(meminfo_text_field("", "MemFree", &v), -1);
	assert_int_equal(meminfo_text_field(NULL, "MemFree", &v), -1);
}

/* A NUMA node's meminfo carries "Node N " before every key. */
static void test_node(void **state)
{
	static const char node[] = "Node 1 MemTotal:       16318864 kB\n"
				   "Node 1 MemFree:         1234567 kB\n";
	long long v = 0;

	(void)state;
	assert_int_equal(meminfo_text_field(node, "MemFree", &v), 0);
	assert_true(v == 1234567);
	assert_int_equal(meminfo_text_field(node, "MemTotal", &v), 0);
	assert_true(v == 16318864);
	/* "Node" alone is not a prefix to skip */
	assert_int_equal(meminfo_text_field("Node MemFree: 5 kB\n", "MemFree", &v), -1);
}

static void test_file(void **state)
{
	char dir[] = "/tmp/test-meminfo-XXXXXX", path[64];
	static const char text[] = "MemTotal:       2048 kB\nSwapFree: 0 kB\n";
	long long v = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/meminfo", dir);
	assert_int_equal(write_file_atomic(path, text, strlen(text), 0644), 0);
	assert_int_equal(meminfo_file_field(path, "MemTotal", &v), 0);
	assert_true(v == 2048);
	assert_int_equal(meminfo_file_field(path, "SwapFree", &v), 0);
	assert_true(v == 0);
	assert_int_equal(meminfo_file_field(path, "MemAvailable", &v), -1);
	assert_non_null(strstr(ocb_errmsg(), path));
	assert_non_null(strstr(ocb_errmsg(), "'MemAvailable:'"));
	unlink(path);
	assert_int_equal(meminfo_file_field(path, "MemTotal", &v), -1);
	assert_non_null(strstr(ocb_errmsg(), path));
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_node),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests_name("meminfo", tests, NULL, NULL);
}
