/* Unit tests of the conformance suite's frame against fakes (no guest
 * boots; every check's pass and fail path: test-conform-checks.c):
 *   - requirements turn checks into SKIPs with their reason, also for
 *     guests behind a remote libvirt URI; the KSM knobs a check set are
 *     back afterwards;
 *   - selection errors name what was wrong;
 *   - JUnit, TAP and JSON of a synthetic result set are well-formed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conform/conform.h"
#include "conform/fixture.h"
#include "conform/suites.h"
#include "conform/emit.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "fake-sysfs.h"
#include "fake-guest.h"
#include "private-lock.h"
#include "util/runcmd.h"
#include "host/sysfs.h"
#include "util/units.h"
#include "vm/libvirt.h"
#include "vm/qemu.h"

/* ---- fixture --------------------------------------------------------------- */

struct fx {
	char root[64], state[64], image[64];
	struct conform_options opt;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	fake_root_new(f->root, sizeof(f->root));
	fake_host(f->root, FAKE_ALL);
	snprintf(f->state, sizeof(f->state), "/tmp/ocb-state-XXXXXX");
	snprintf(f->image, sizeof(f->image), "/tmp/ocb-image-XXXXXX");
	if (!mkdtemp(f->state) || !mkdtemp(f->image)) {
		free(f);
		return -1;
	}
	fake_write(f->image, "/vmlinux", "");
	fake_write(f->image, "/initramfs.cpio", "");
	f->opt.backend = &fake_ops;
	f->opt.qemu_binary = "/bin/true";
	f->opt.accel = ACCEL_TCG;
	f->opt.image = f->image;
	f->opt.root = f->root;
	f->opt.state_dir = f->state;
	f->opt.quiet = 1;
	f->opt.balloon_timeout_ns = 300 * 1000000ull;
	f->opt.ksm_timeout_ns = 3 * 1000000000ull;
	fw_reset(f->root);
	f->opt.ksm = &fw_probe;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	sysfs_set_fake_hook(NULL);
	remove_tree(f->root);
	remove_tree(f->state);
	remove_tree(f->image);
	free(f);
	return 0;
}

static void run_checks(struct fx *f, const char *id, struct conform_report *rep)
{
	const char *ids[] = { id, NULL };
	struct conform_ctx ctx;

	memset(rep, 0, sizeof(*rep));
	assert_int_equal(conform_ctx_init(&ctx, &f->opt), 0);
	assert_int_equal(conform_run(&ctx, NULL, ids, rep), 0);
	assert_int_equal(conform_ctx_release(&ctx), 0);
	assert_int_equal(rep->n, 1);
}

/* KSM-001 sets KSM up for quick merging; the suite's end puts it back. */
static void test_knobs_restored(void **state)
{
	struct fx *f = *state;
	struct conform_report rep;
	char *run, *scan, *sleep_ms;

	run_checks(f, "KSM-001", &rep);
	assert_int_equal(rep.r[0].status, CONFORM_PASS);
	run = fake_read(f->root, "/sys/kernel/mm/ksm/run");
	scan = fake_read(f->root, "/sys/kernel/mm/ksm/pages_to_scan");
	sleep_ms = fake_read(f->root, "/sys/kernel/mm/ksm/sleep_millisecs");
	assert_string_equal(run, "0\n");
	assert_string_equal(scan, "100\n");
	assert_string_equal(sleep_ms, "20\n");
	free(run);
	free(scan);
	free(sleep_ms);
	conform_report_release(&rep);
}

/* Check id skips, its reason naming why (and, when given, also). */
static void expect_skip(struct fx *f, const char *id, const char *why, const char *also)
{
	struct conform_report rep;

	run_checks(f, id, &rep);
	assert_int_equal(rep.r[0].status, CONFORM_SKIP);
	assert_non_null(strstr(rep.r[0].reason, why));
	if (also)
		assert_non_null(strstr(rep.r[0].reason, also));
	conform_report_release(&rep);
}

static void test_requirements_skip(void **state)
{
	struct fx *f = *state;

	expect_skip(f, "KSM-005", "needs UKSM", NULL);
	expect_skip(f, "EPT-003", "needs KVM", NULL);

	/* guests behind a remote libvirt URI: checks that need this host's
	 * per-process KSM figures skip, and nothing boots */
	f->opt.backend = &vm_libvirt_ops;
	f->opt.uri = "qemu+ssh://remote.invalid/system";
	expect_skip(f, "KSM-001", "needs the guests on this host", "remote.invalid");
	f->opt.backend = &fake_ops;
	f->opt.uri = NULL;

	/* an emulator without what the check gives its guests: the check
	 * skips naming it, and nothing boots (this one cannot boot) */
	{
		char qemu[256];
		static const char script[] = "#!/bin/sh\necho 'virtio-balloon-pci options:'\n"
					     "echo '  guest-stats-polling-interval=<int>'\n";

		snprintf(qemu, sizeof(qemu), "%s/qemu-7.0", f->state);
		assert_int_equal(write_file_atomic(qemu, script, strlen(script), 0755), 0);
		f->opt.backend = &vm_qemu_ops;
		f->opt.qemu_binary = qemu;
		expect_skip(f, "DOO-001", "needs virtio-balloon-pci's deflate-on-oom property", NULL);
		expect_skip(f, "VMEM-001", "needs the virtio-mem-pci device", NULL);
		f->opt.backend = &fake_ops;
		f->opt.qemu_binary = NULL;
	}
}

/* --skip: the check is not run and says why; the others are run as
 * selected; an unknown id is a selection error. */
static void test_skip_option(void **state)
{
	struct fx *f = *state;
	static const char *const skip[] = { "ksm-002", NULL };
	static const char *const bad[] = { "KSM-999", NULL };
	const char *ids[] = { "KSM-001", "KSM-002", NULL };
	struct conform_report rep;
	struct conform_ctx ctx;

	f->opt.skip_ids = skip;
	memset(&rep, 0, sizeof(rep));
	assert_int_equal(conform_ctx_init(&ctx, &f->opt), 0);
	assert_int_equal(conform_run(&ctx, NULL, ids, &rep), 0);
	assert_int_equal(rep.n, 2);
	assert_string_equal(rep.r[0].check->id, "KSM-001");
	assert_int_equal(rep.r[0].status, CONFORM_PASS);
	assert_string_equal(rep.r[1].check->id, "KSM-002");
	assert_int_equal(rep.r[1].status, CONFORM_SKIP);
	assert_string_equal(rep.r[1].reason, "left out with --skip KSM-002");
	conform_report_release(&rep);
	memset(&rep, 0, sizeof(rep));
	ctx.opt.skip_ids = bad;	/* the context holds its own copy */
	assert_int_equal(conform_run(&ctx, NULL, ids, &rep), -1);
	assert_non_null(strstr(ocb_errmsg(), "unknown check 'KSM-999'"));
	conform_report_release(&rep);
	assert_int_equal(conform_ctx_release(&ctx), 0);
	f->opt.skip_ids = NULL;
}

static void test_selection_errors(void **state)
{
	const char *bad[] = { "BAL-999", NULL };

	(void)state;
	assert_int_equal(conform_validate_selection("balloon,ksm", NULL), 0);
	assert_int_equal(conform_validate_selection("balloon,kms", NULL), -1);
	assert_non_null(strstr(ocb_errmsg(), "unknown suite 'kms'"));
	assert_int_equal(conform_validate_selection(NULL, bad), -1);
	assert_non_null(strstr(ocb_errmsg(), "BAL-999"));
}

/* README.md's check table has a row per check, each with what passing
 * proves and when it fails (the tests run from the top of the tree). */
static void test_readme_lists_every_check(void **state)
{
	const struct conform_suite *const *suites = conform_suites();
	struct strbuf readme = STRBUF_INIT;

	(void)state;
	assert_int_equal(read_file("README.md", &readme), 0);
	assert_non_null(strstr(readme.buf, "| ID | What passing proves | Fails when |"));
	for (size_t s = 0; suites[s]; s++)
		for (size_t i = 0; i < suites[s]->n; i++) {
			char head[32];
			const char *row, *end;
			int bars = 0;

			snprintf(head, sizeof(head), "\n| %s | ", suites[s]->checks[i].id);
			row = strstr(readme.buf, head);
			if (!row)
				fail_msg("README.md's check table has no row for %s", suites[s]->checks[i].id);
			end = strchr(row + 1, '\n');
			for (const char *p = row + 1; p < end; p++)
				bars += *p == '|';
			if (bars != 4)
				fail_msg("README.md: the row of %s needs 3 columns (ID, what passing proves, fails when)",
					 suites[s]->checks[i].id);
		}
	strbuf_release(&readme);
}

/* ---- emitters ------------------------------------------------------------- */

static const struct conform_check syn[] = {
	{ "SYN-001", "syn", "passes <with> & \"quotes\"", 0, NULL },
	{ "SYN-002", "syn", "fails # with a hash", 0, NULL },
	{ "SYN-003", "syn", "skips", 0, NULL },
	{ "SYN-004", "syn", "errors", 0, NULL },
};

static void synthetic(struct conform_report *rep)
{
	static const enum conform_status st[] = { CONFORM_PASS, CONFORM_FAIL, CONFORM_SKIP, CONFORM_ERROR };
	static const char *const why[] = { "", "off by 3 MiB > 1 MiB\nsecond line", "needs UKSM: # none here",
					   "guest <x> did not boot & died" };

	memset(rep, 0, sizeof(*rep));
	rep->n = rep->alloc = 4;
	rep->r = calloc(4, sizeof(*rep->r));
	for (int i = 0; i < 4; i++) {
		rep->r[i].check = &syn[i];
		rep->r[i].status = st[i];
		snprintf(rep->r[i].reason, sizeof(rep->r[i].reason), "%s", why[i]);
		snprintf(rep->r[i].summary, sizeof(rep->r[i].summary), "value \x01<%d>", i);
		rep->r[i].evidence = json_pack("{s:i, s:s}", "n", i, "text", "a<b>&\"c\"\n#");
		rep->r[i].seconds = 0.5 * i;
	}
	rep->wall_s = 3;
	snprintf(rep->accel, sizeof(rep->accel), "tcg");
	snprintf(rep->accel_reason, sizeof(rep->accel_reason), "no vmx & no svm");
	snprintf(rep->backend, sizeof(rep->backend), "qemu");
}

static void test_junit_well_formed(void **state)
{
	struct conform_report rep;
	struct strbuf x = STRBUF_INIT, out = STRBUF_INIT;
	char path[] = "/tmp/ocb-junit-XXXXXX";
	int fd;

	(void)state;
	synthetic(&rep);
	conform_emit_junit.emit(&rep, &x);
	assert_non_null(strstr(x.buf, "<skipped message=\"needs UKSM: # none here\"/>"));
	assert_non_null(strstr(x.buf, "<failure message=\"off by 3 MiB &gt; 1 MiB&#10;second line\""));
	assert_non_null(strstr(x.buf, "<error message=\"guest &lt;x&gt; did not boot &amp; died\""));
	assert_non_null(strstr(x.buf, "tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\""));
	assert_null(strchr(x.buf, '\x01'));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, x.buf, x.len), 0);
	close(fd);
	if (access("/usr/bin/xmllint", X_OK) == 0) {
		const char *argv[] = { "/usr/bin/xmllint", "--noout", path, NULL };

		assert_int_equal(run_capture(argv, &out, 30 * 1000000000ull), 0);
	} else {
		print_message("SKIP: xmllint not installed (libxml2-utils): structure checked by strstr only\n");
	}
	unlink(path);
	strbuf_release(&out);
	strbuf_release(&x);
	conform_report_release(&rep);
}

static void test_tap_format(void **state)
{
	struct conform_report rep;
	struct strbuf t = STRBUF_INIT;
	char *save = NULL;
	int n = 0, in_yaml = 0, yaml_blocks = 0, line = 0;

	(void)state;
	synthetic(&rep);
	conform_emit_tap.emit(&rep, &t);
	for (char *l = strtok_r(t.buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save), line++) {
		int num = 0, off = 0;

		if (line == 0) {
			assert_string_equal(l, "TAP version 13");
			continue;
		}
		if (line == 1) {
			assert_string_equal(l, "1..4");
			continue;
		}
		if (in_yaml) {
			if (!strcmp(l, "  ...")) {
				in_yaml = 0;
				yaml_blocks++;
			} else {
				assert_true(!strncmp(l, "  ", 2));	/* indented YAML */
			}
			continue;
		}
		if (!strcmp(l, "  ---")) {
			in_yaml = 1;
			continue;
		}
		if (l[0] == '#')
			continue;
		if (sscanf(l, "ok %d - %n", &num, &off) == 1 && off) {
			assert_int_equal(num, ++n);
		} else if (sscanf(l, "not ok %d - %n", &num, &off) == 1 && off) {
			assert_int_equal(num, ++n);
		} else {
			fail_msg("not a TAP line: '%s'", l);
		}
		/* '#' only as the directive separator */
		if (n == 3)
			assert_non_null(strstr(l, "ok 3 - SYN-003 skips # SKIP needs UKSM: \\# none here"));
		else if (n == 2)
			assert_non_null(strstr(l, "not ok 2 - SYN-002 fails \\# with a hash"));
		if (n != 3)
			assert_null(strstr(l, " # "));
	}
	assert_int_equal(n, 4);
	assert_int_equal(yaml_blocks, 4);
	strbuf_release(&t);
	conform_report_release(&rep);
}

/* A reason or summary that quotes a guest reaches the table printable:
 * an escape sequence in it is shown as \xNN, never sent to the terminal. */
static void test_reason_printable(void **state)
{
	struct conform_result r;

	(void)state;
	memset(&r, 0, sizeof(r));
	conform_failf(&r, "g-1: pressure said '%s'", "\033[2J\033]0;title\007");
	assert_string_equal(r.reason, "g-1: pressure said '\\x1b[2J\\x1b]0;title\\x07'");
	conform_summary(&r, "%s", "held\r\033[K 0 MiB");
	assert_string_equal(r.summary, "held\\x0d\\x1b[K 0 MiB");
}

static void test_json_output(void **state)
{
	struct conform_report rep;
	struct strbuf j = STRBUF_INIT;
	json_error_t err;
	json_t *doc;

	(void)state;
	synthetic(&rep);
	conform_emit_json.emit(&rep, &j);
	doc = json_loads(j.buf, 0, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "schema")), "ocbench.conform/1");
	assert_int_equal(json_array_size(json_object_get(doc, "checks")), 4);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "counts"), "fail")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(doc, "checks"), 2),
							       "result")), "skip");
	json_decref(doc);
	strbuf_release(&j);
	conform_emit_text.emit(&rep, &j);
	assert_non_null(strstr(j.buf, "1 passed, 1 failed, 1 skipped, 1 errors"));
	strbuf_release(&j);
	conform_report_release(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_knobs_restored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requirements_skip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_option, setup, teardown),
		cmocka_unit_test(test_selection_errors),
		cmocka_unit_test(test_readme_lists_every_check),
		cmocka_unit_test(test_junit_well_formed),
		cmocka_unit_test(test_tap_format),
		cmocka_unit_test(test_json_output),
		cmocka_unit_test(test_reason_printable),
	};

	/* as ocbench does: the remote-URI case opens libvirt's ssh transport
	 * to a host that does not exist, and the write to its dead pipe must
	 * be an error, not the end of the test (it was, under valgrind) */
	signal(SIGPIPE, SIG_IGN);
	/* A private host-wide knob lock: the fake trees' knob sessions run
	 * beside a real ocbench (knobs/hostlock.h). */
	if (private_lock_init() < 0)
		return 1;
	return private_lock_done(cmocka_run_group_tests(tests, NULL, NULL));
}
