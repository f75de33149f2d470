/* Unit tests: the cross-host qualification matrix (reports/qualify.c) —
 * two synthetic conform --json documents from hosts that differ (a check
 * that passes on one and fails on the other, one run on one host only,
 * differing kernel and THP settings), a document of another kind refused;
 * then the real thing: `ocbench conform --json` run twice, once on this
 * host and once on a fake host tree (--root), and `ocbench report` over
 * the two files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../harness/tests/fake-sysfs.h"
#include "reports/qualify.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "util/strbuf.h"

#define assert_has(hay, needle)                                                            \
	do {                                                                               \
		if (!strstr((hay), (needle)))                                              \
			fail_msg("'%s' is missing from:\n%s", (needle), (hay));           \
	} while (0)

static const char doc_a[] =
	"{\"schema\": \"ocbench.conform/1\", \"accel\": {\"name\": \"tcg\", \"reason\": \"x\"},"
	" \"backend\": \"qemu\", \"counts\": {\"pass\": 2, \"fail\": 0, \"skip\": 0, \"error\": 0},"
	" \"host\": {\"hostname\": \"alpha\", \"kernel\": \"6.1.0-1\", \"cpu\": {\"vendor\": \"GenuineIntel\","
	" \"model_name\": \"Xeon A\"}, \"thp\": {\"enabled\": \"always\", \"khugepaged\": {\"full_scans\": 3}}},"
	" \"checks\": [{\"id\": \"BAL-001\", \"title\": \"inflate\", \"result\": \"pass\", \"reason\": \"\"},"
	" {\"id\": \"KSM-001\", \"title\": \"merge\", \"result\": \"pass\", \"reason\": \"\"}]}";
static const char doc_b[] =
	"{\"schema\": \"ocbench.conform/1\", \"accel\": {\"name\": \"kvm\", \"reason\": \"y\"},"
	" \"backend\": \"qemu\", \"counts\": {\"pass\": 0, \"fail\": 1, \"skip\": 0, \"error\": 0},"
	" \"host\": {\"hostname\": \"beta\", \"kernel\": \"6.12.0-9\", \"cpu\": {\"vendor\": \"GenuineIntel\","
	" \"model_name\": \"Xeon A\"}, \"thp\": {\"enabled\": \"never\", \"khugepaged\": {\"full_scans\": 99}}},"
	" \"checks\": [{\"id\": \"BAL-001\", \"title\": \"inflate\", \"result\": \"fail\","
	" \"reason\": \"the balloon did not move\"}]}";

static void write_tmp(char *path, const char *text)
{
	int fd = mkstemps(path, 5);

	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, text, strlen(text)), 0);
	close(fd);
}

static char *slurp(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT, s = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", dir, name);
	assert_int_equal(read_file(p.buf, &s), 0);
	strbuf_release(&p);
	return strbuf_detach(&s);
}

static void test_matrix_of_two_hosts(void **state)
{
	char a[] = "/tmp/ocb-qa-XXXXXX.json", b[] = "/tmp/ocb-qb-XXXXXX.json";
	char out[] = "/tmp/ocb-qual-XXXXXX";
	const char *paths[] = { a, b };
	struct qualify_info info;
	char *md, *html;

	(void)state;
	write_tmp(a, doc_a);
	write_tmp(b, doc_b);
	assert_non_null(mkdtemp(out));
	assert_int_equal(qualify_is_conform_json(a), 1);
	assert_int_equal(qualify_write(paths, 2, out, &info), 0);
	assert_int_equal(info.hosts, 2);
	assert_int_equal(info.checks, 2);
	md = slurp(out, "qualification.md");
	html = slurp(out, "qualification.html");
	/* columns named by their hosts, a row per check */
	assert_has(md, "alpha · Xeon A · 6.1.0-1 · #");
	assert_has(md, "beta · Xeon A · 6.12.0-9 · #");
	assert_has(md, "| BAL-001 | inflate | PASS | FAIL: the balloon did not move |");
	assert_has(md, "KSM-001");
	assert_has(md, "not run");
	/* coloured verdicts */
	assert_has(html, "class=\"v-pass\"");
	assert_has(html, "class=\"v-fail\"");
	/* what differs, and only that: not the CPU, not a moving counter */
	assert_has(md, "| kernel | 6.1.0-1 | 6.12.0-9 |");
	assert_has(md, "| thp.enabled | always | never |");
	assert_has(md, "| accel | tcg | kvm |");
	assert_null(strstr(md, "| cpu.model_name |"));
	assert_null(strstr(md, "full_scans"));
	assert_int_equal(info.differing, 4);	/* hostname, kernel, thp.enabled, accel */
	free(md);
	free(html);
	unlink(a);
	unlink(b);
	assert_int_equal(remove_tree(out), 0);
}

static void test_refuses_other_documents(void **state)
{
	char a[] = "/tmp/ocb-qr-XXXXXX.json";
	const char *paths[] = { a };
	struct qualify_info info;

	(void)state;
	write_tmp(a, "{\"schema\": \"ocbench.run/1\"}");
	assert_int_equal(qualify_is_conform_json(a), 0);
	assert_int_equal(qualify_write(paths, 1, "/tmp/ocb-qual-never", &info), -1);
	assert_has(ocb_errmsg(), a);
	assert_has(ocb_errmsg(), "ocbench.conform/1");
	assert_false(path_exists("/tmp/ocb-qual-never"));
	unlink(a);
}

/* Real conform --json files: this host, and a fake host tree (another
 * kernel, KVM with EPT): EPT-001 boots no guest and changes nothing. */
static void test_real_conform_output(void **state)
{
	const char *bin = getenv("OCBENCH");
	char dir[] = "/tmp/ocb-qreal-XXXXXX", root[64];
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, st = STRBUF_INIT, out = STRBUF_INIT, log = STRBUF_INIT;
	char *md;

	(void)state;
	if (!bin || access(bin, X_OK)) {
		print_message("SKIP: $OCBENCH is not set to a built ocbench\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	fake_root_new(root, sizeof(root));
	fake_host(root, FAKE_ALL | FAKE_KVM_INTEL);
	strbuf_addf(&a, "%s/here.json", dir);
	strbuf_addf(&b, "%s/fake.json", dir);
	strbuf_addf(&st, "%s/state", dir);
	strbuf_addf(&out, "%s/qual", dir);
	{
		const char *here[] = { bin, "conform", "--check", "EPT-001", "-q", "--state-dir", st.buf,
				       "--json", a.buf, NULL };
		const char *fake[] = { bin, "conform", "--check", "EPT-001", "-q", "--state-dir", st.buf,
				       "--root", root, "--json", b.buf, NULL };
		const char *report[] = { bin, "report", a.buf, b.buf, "-o", out.buf, NULL };

		assert_in_range(run_capture(here, &log, 60ULL * 1000000000), 0, 1);
		assert_in_range(run_capture(fake, &log, 60ULL * 1000000000), 0, 1);
		if (run_capture(report, &log, 60ULL * 1000000000) != 0)
			fail_msg("ocbench report: %s", log.buf);
	}
	assert_has(log.buf, "2 host column(s), 1 check(s)");
	md = slurp(out.buf, "qualification.md");
	assert_has(md, "| EPT-001 |");
	assert_has(md, "6.1.0-fake");	/* the fake host's kernel, a column and a differing row */
	assert_has(md, "| kernel |");
	free(md);
	assert_int_equal(remove_tree(dir), 0);
	assert_int_equal(remove_tree(root), 0);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&st);
	strbuf_release(&out);
	strbuf_release(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_of_two_hosts),
		cmocka_unit_test(test_refuses_other_documents),
		cmocka_unit_test(test_real_conform_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
