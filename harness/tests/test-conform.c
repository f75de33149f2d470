/* Unit tests of the conformance suite against fakes (no guest boots):
 *   - a fake sysfs where KSM scans but never merges: KSM-001 fails with
 *     its evidence, and the KSM knobs are back afterwards;
 *   - a fake VM backend whose balloon never moves: BAL-001 fails after
 *     its (shortened) timeout;
 *   - JUnit, TAP and JSON of a synthetic result set are well-formed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
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
#include "fake-sysfs.h"
#include "util/runcmd.h"
#include "host/sysfs.h"
#include "util/units.h"
#include "vm/libvirt.h"

/* ---- a fake VM backend --------------------------------------------------- */

static int fake_polls;		/* agent_poll calls before "exited" */

static int f_start(struct vm *vm)
{
	vm->boot_ns = 1000000;
	return 0;
}

static int f_stop(struct vm *vm)
{
	(void)vm;
	return 0;
}

static void f_kill(struct vm *vm)
{
	(void)vm;
}

static int f_balloon_set(struct vm *vm, uint64_t t)
{
	(void)vm;
	(void)t;
	return 0;
}

/* The balloon that never moves. */
static int f_balloon_get(struct vm *vm, uint64_t *actual)
{
	*actual = vm->cfg.memory_bytes;
	return 0;
}

static int f_balloon_stats(struct vm *vm, json_t **stats)
{
	(void)vm;
	*stats = json_object();
	return 0;
}

static int f_agent_exec(struct vm *vm, const char *const *argv, uint64_t t, struct agent_exec_result *res)
{
	(void)vm;
	(void)argv;
	(void)t;
	memset(res, 0, sizeof(*res));
	res->exited = 1;
	return 0;
}

static int f_read_file(struct vm *vm, const char *path, struct strbuf *out, uint64_t t)
{
	(void)vm;
	(void)t;
	if (!strcmp(path, "/proc/meminfo")) {
		strbuf_adds(out, "MemTotal:        2014000 kB\nMemFree:         1900000 kB\n"
				 "MemAvailable:    1950000 kB\n");
		return 0;
	}
	if (strstr(path, "ksm-")) {
		/* ksmfill's results: 24576 pages, 18432 of them identical. */
		strbuf_adds(out, "{\"status\":\"ok\",\"pages\":{\"total\":24576,\"identical\":18432,\"zero\":0,"
				 "\"unique\":6144},\"verify\":{\"pages\":24576,\"mismatched_pages\":0}}");
		return 0;
	}
	return ocb_fail("%s: no such file in the fake guest", path);
}

static int f_spawn(struct vm *vm, const char *const *argv, long long *pid)
{
	(void)vm;
	(void)argv;
	*pid = 77;
	return 0;
}

static int f_poll(struct vm *vm, long long pid, struct agent_exec_result *res)
{
	(void)vm;
	(void)pid;
	memset(res, 0, sizeof(*res));
	if (fake_polls-- > 0)
		return 0;
	res->exited = 1;
	strbuf_adds(&res->out, "ksmfill: done\n");
	return 1;
}

static int f_pump(struct vm *vm, uint64_t t)
{
	(void)vm;
	(void)t;
	return 0;
}

static pid_t f_pid(struct vm *vm)
{
	(void)vm;
	return 4242;
}

static int f_alive(struct vm *vm)
{
	(void)vm;
	return 1;
}

static void f_describe(struct vm *vm, json_t *g)
{
	(void)vm;
	(void)g;
}

static const struct vm_backend_ops fake_ops = {
	.name = "fake", .start = f_start, .stop = f_stop, .kill = f_kill, .balloon_set = f_balloon_set,
	.balloon_get = f_balloon_get, .balloon_stats = f_balloon_stats, .agent_exec = f_agent_exec,
	.agent_read_file = f_read_file, .agent_spawn = f_spawn, .agent_poll = f_poll, .pump = f_pump,
	.pid = f_pid, .alive = f_alive, .describe = f_describe,
};

/* ---- a KSM that scans but never merges ----------------------------------- */

static int probe_counter(void *opaque, const char *root, const char *name, unsigned long long *v)
{
	char rel[256], val[32];

	(void)opaque;
	snprintf(rel, sizeof(rel), "/sys/kernel/mm/ksm/%s", name);
	if (sysfs_read_u64(root, rel, v) < 0)
		return -1;
	if (!strcmp(name, "full_scans")) {
		/* Every look sees one more full scan: scanning goes on. */
		snprintf(val, sizeof(val), "%llu\n", *v + 1);
		fake_write(root, rel, val);
	}
	return 0;
}

static int probe_merging(void *opaque, const char *root, pid_t pid, long long *pages)
{
	(void)opaque;
	(void)root;
	(void)pid;
	*pages = 0;
	return 0;
}

static const struct ksm_probe_ops never_merges_ops = { probe_counter, probe_merging };
static const struct ksm_probe never_merges = { &never_merges_ops, NULL };

/* ---- fixture --------------------------------------------------------------- */

struct fx {
	char root[64], state[64], image[64];
	struct conform_options opt;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	fake_root_new(f->root, sizeof(f->root));
	fake_host(f->root, FAKE_ALL);
	snprintf(f->state, sizeof(f->state), "/tmp/ocb-state-XXXXXX");
	snprintf(f->image, sizeof(f->image), "/tmp/ocb-image-XXXXXX");
	if (!mkdtemp(f->state) || !mkdtemp(f->image))
		return -1;
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
	f->opt.ksm = &never_merges;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

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

static void test_ksm_never_merges(void **state)
{
	struct fx *f = *state;
	struct conform_report rep;
	json_t *a;
	char *run, *scan, *sleep_ms;

	fake_polls = 3;
	run_checks(f, "KSM-001", &rep);
	print_message("KSM-001: %s: %s\n", conform_status_name(rep.r[0].status), rep.r[0].reason);
	assert_int_equal(rep.r[0].status, CONFORM_FAIL);
	assert_non_null(strstr(rep.r[0].reason, "did not merge the expected pages"));
	/* The evidence says what was expected and what came. */
	a = json_object_get(json_object_get(rep.r[0].evidence, "guests"), "ksm-a");
	assert_non_null(a);
	assert_true(json_number_value(json_object_get(a, "expected_pages")) == 18432.0);
	assert_true(json_number_value(json_object_get(a, "gained_pages")) == 0.0);
	assert_non_null(json_object_get(rep.r[0].evidence, "ksm-a_tolerance"));
	assert_true(json_is_false(json_object_get(rep.r[0].evidence, "settled")));
	/* Knobs restored: what KSM-001 set is back to the fake's values. */
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

static void test_balloon_never_moves(void **state)
{
	struct fx *f = *state;
	struct conform_report rep;
	json_t *b;

	run_checks(f, "BAL-001", &rep);
	print_message("BAL-001: %s: %s\n", conform_status_name(rep.r[0].status), rep.r[0].reason);
	assert_int_equal(rep.r[0].status, CONFORM_FAIL);
	assert_non_null(strstr(rep.r[0].reason, "did not reach 512 MiB within 0.3 s"));
	b = json_object_get(rep.r[0].evidence, "balloon");
	assert_true(json_is_false(json_object_get(b, "reached")));
	assert_true(json_number_value(json_object_get(b, "actual_mib")) == 2048.0);
	/* It gave up after its timeout, not before, and not much later. */
	assert_true(rep.r[0].seconds >= 0.3 && rep.r[0].seconds < 5);
	conform_report_release(&rep);
}

static void test_requirements_skip(void **state)
{
	struct fx *f = *state;
	struct conform_report rep;

	run_checks(f, "KSM-005", &rep);
	assert_int_equal(rep.r[0].status, CONFORM_SKIP);
	assert_non_null(strstr(rep.r[0].reason, "needs UKSM"));
	conform_report_release(&rep);
	run_checks(f, "EPT-003", &rep);
	assert_int_equal(rep.r[0].status, CONFORM_SKIP);
	assert_non_null(strstr(rep.r[0].reason, "needs KVM"));
	conform_report_release(&rep);

	/* guests behind a remote libvirt URI: checks that read or change
	 * this host skip, before anything connects or boots */
	f->opt.backend = &vm_libvirt_ops;
	f->opt.uri = "qemu+ssh://remote.invalid/system";
	run_checks(f, "KSM-001", &rep);
	assert_int_equal(rep.r[0].status, CONFORM_SKIP);
	assert_non_null(strstr(rep.r[0].reason, "needs the guests on this host"));
	assert_non_null(strstr(rep.r[0].reason, "remote.invalid"));
	conform_report_release(&rep);
	f->opt.backend = &fake_ops;
	f->opt.uri = NULL;
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
		cmocka_unit_test_setup_teardown(test_ksm_never_merges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_balloon_never_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requirements_skip, setup, teardown),
		cmocka_unit_test(test_selection_errors),
		cmocka_unit_test(test_junit_well_formed),
		cmocka_unit_test(test_tap_format),
		cmocka_unit_test(test_json_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
