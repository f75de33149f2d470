/* Integration test under TCG: `ocbench conform --junit F --tap --json J`
 * runs the whole suite with real guests.  The required set passes (the
 * checks a TCG host with KSM, THP and hugetlb must pass), the others
 * skip only for their expected reasons (EPT: no usable KVM; KSM-005: no
 * UKSM; HTLB-002: no 1 GiB pages), the JUnit XML and the TAP parse, no
 * QEMU of ours is left, and the host knobs the suite touches are as they
 * were (KSM run/pages_to_scan/sleep_millisecs, THP enabled, the hugetlb
 * pools).
 *
 * Then the mutations: each emulator wrapper of harness/tests breaks one
 * mechanism (qemu-balloon-no-irq: the balloon never moves; qemu-no-merge:
 * the guest RAM is not mergeable; qemu-ram-file: the guest RAM is not
 * anonymous; qemu-no-deflate-on-oom, qemu-no-free-page-reporting: the
 * balloon lacks the feature asked for; qemu-no-online-movable: memory a
 * virtio-mem device plugs stays offline), and the check about it must
 * FAIL (exit 1, not PASS, SKIP or ERROR) naming the cause the diagnosis
 * found.  Only that check runs.  Measured here under TCG: DOO-001's
 * mutation 9 s, VMEM-002's 2 s (each plus ocbench's start); FPR-001's
 * waits out its 30 s return window (45 s), so it runs with OCB_SLOW=1
 * only (`make check-slow`), as does the reclaim suite for real. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>

#include "int-util.h"
#include "knobs/hostlock.h"

static const char *const knob_files[] = {
	"/sys/kernel/mm/ksm/run",
	"/sys/kernel/mm/ksm/pages_to_scan",
	"/sys/kernel/mm/ksm/sleep_millisecs",
	"/sys/kernel/mm/ksm/use_zero_pages",
	"/sys/kernel/mm/ksm/smart_scan",
	"/sys/kernel/mm/transparent_hugepage/enabled",
	"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages",
	"/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages",
	NULL,
};

/* Read under the host-wide knob lock: a knob-changing ocbench elsewhere
 * (or test-knob-route of make check's unit lane, which changes a real
 * knob through libvirtd) changes and restores within its hold, so it is
 * never seen half-way. */
static void snapshot(struct strbuf *out)
{
	int lock = hostlock_take(hostlock_dir(), 1);

	assert_true(lock >= 0);
	for (size_t i = 0; knob_files[i]; i++) {
		struct strbuf v = STRBUF_INIT;

		if (read_file(knob_files[i], &v) < 0)
			strbuf_adds(&v, "(absent)\n");
		strbuf_addf(out, "%s: %s", knob_files[i], strbuf_str(&v));
		strbuf_release(&v);
	}
	hostlock_release(lock);
}

/* A knob journal in the default state directory means another ocbench
 * session is changing host knobs right now. */
static int other_session_active(void)
{
	const char *env = getenv("OCBENCH_STATE_DIR");
	char path[4200];

	snprintf(path, sizeof(path), "%s/host-knobs.journal", env && *env ? env : "/var/lib/ocbench");
	return path_exists(path);
}

/* Every check of the suite is in one of these lists, so a new check is
 * placed in one on purpose. */
static const char *const must_pass[] = {
	"BAL-001", "BAL-002", "BAL-003", "BAL-004", "BAL-005", "BAL-006",
	"KSM-001", "KSM-002", "KSM-003", "KSM-004", "THP-001", "THP-002", "HTLB-001", NULL,
};

/* Pass, or skip for one of these reasons (their start). */
static const struct {
	const char *id;
	const char *reasons[3];
} may_skip[] = {
	{ "KSM-005", { "needs UKSM: ", NULL } },
	{ "KSM-006", { "needs a remote libvirt host", NULL } },
	{ "KSM-007", { "needs a remote libvirt host", NULL } },
	/* make check-slow runs it (test_slow_ksm_advisor) */
	{ "KSM-008", { "needs the KSM advisor (Linux 6.8+)", "left out with --skip KSM-008", NULL } },
	{ "HTLB-002", { "needs 1 GiB pages: ", "the 1G pool cannot be filled", NULL } },
	{ "EPT-001", { "needs KVM: ", NULL } },
	{ "EPT-002", { "needs KVM: ", "VPID is Intel's", NULL } },
	{ "EPT-003", { "needs KVM: ", "needs --allow-module-reload", NULL } },
};

static void check_required(const char *id, const char *res, const char *why)
{
	for (size_t i = 0; must_pass[i]; i++)
		if (!strcmp(id, must_pass[i])) {
			if (strcmp(res, "pass"))
				fail_msg("%s must pass on this host, it is %s: %s", id, res, why ? why : "");
			return;
		}
	for (size_t i = 0; i < sizeof(may_skip) / sizeof(may_skip[0]); i++) {
		if (strcmp(id, may_skip[i].id))
			continue;
		if (!strcmp(res, "pass"))
			return;
		if (!strcmp(res, "skip"))
			for (size_t k = 0; may_skip[i].reasons[k]; k++)
				if (why && !strncmp(why, may_skip[i].reasons[k], strlen(may_skip[i].reasons[k])))
					return;
		fail_msg("%s may only pass or skip for its expected reason, it is %s: %s", id, res, why ? why : "");
	}
	fail_msg("%s is in neither the required set nor the accepted skips of this test", id);
}

/* TAP 13: version, plan, then N ok/not ok lines numbered 1..N. */
static void check_tap(const char *text, size_t want)
{
	struct strbuf t = STRBUF_INIT;
	char *save = NULL;
	size_t n = 0, plan = 0;
	int line = 0, in_yaml = 0;

	strbuf_adds(&t, text);
	for (char *l = strtok_r(t.buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save), line++) {
		int num = 0, off = 0;

		if (line == 0) {
			assert_string_equal(l, "TAP version 13");
		} else if (line == 1) {
			assert_int_equal(sscanf(l, "1..%zu", &plan), 1);
		} else if (in_yaml) {
			in_yaml = strcmp(l, "  ...") != 0;
		} else if (!strcmp(l, "  ---")) {
			in_yaml = 1;
		} else if (l[0] == '#') {
			continue;
		} else if ((sscanf(l, "ok %d - %n", &num, &off) == 1 && off) ||
			   (sscanf(l, "not ok %d - %n", &num, &off) == 1 && off)) {
			assert_int_equal((size_t)num, ++n);
			assert_true(strncmp(l, "not ok", 6) != 0);	/* nothing failed */
		} else {
			fail_msg("not a TAP line: '%s'", l);
		}
	}
	assert_int_equal(plan, want);
	assert_int_equal(n, want);
	strbuf_release(&t);
}

/* Where one conform run of a test keeps its files: a fresh directory
 * under the test results, with its log, outputs, guests' work directory
 * and a private knob journal (its own state directory). */
struct run_paths {
	char root[1024], log[1200], junit[1200], json[1200], work[1200], state[1200];
};

static void run_paths(struct run_paths *p, const char *name)
{
	int_tmpdir(name, p->root, sizeof(p->root));
	snprintf(p->log, sizeof(p->log), "%s/ocbench.log", p->root);
	snprintf(p->junit, sizeof(p->junit), "%s/conform.xml", p->root);
	snprintf(p->json, sizeof(p->json), "%s/conform.json", p->root);
	snprintf(p->work, sizeof(p->work), "%s/work", p->root);
	snprintf(p->state, sizeof(p->state), "%s/state", p->root);
	assert_int_equal(mkdir_p(p->state, 0755), 0);
}

/* After a run: no process of its guests left, and the host knobs as
 * before it, unless another ocbench session (busy at the start, or now)
 * changed the same host-wide knobs meanwhile (a shared development
 * machine): then the comparison would judge its changes, not ours. */
static void check_left_clean(const struct run_paths *p, const struct strbuf *before, int busy_at_start)
{
	struct strbuf after = STRBUF_INIT;

	assert_int_equal(int_processes_mentioning(p->work), 0);
	snapshot(&after);
	if (strcmp(after.buf, before->buf) && (busy_at_start || other_session_active()))
		print_message("SKIP: knob comparison: another ocbench session changed host knobs during the "
			      "run\nbefore:\n%safter:\n%s", before->buf, after.buf);
	else
		assert_string_equal(after.buf, before->buf);
	strbuf_release(&after);
}

static void test_conform_full_suite(void **state)
{
	struct run_paths p;
	struct strbuf out = STRBUF_INIT, before = STRBUF_INIT;
	json_t *doc, *checks;
	int rc, busy_at_start;

	(void)state;
	run_paths(&p, "conform");
	busy_at_start = other_session_active();
	snapshot(&before);
	{
		/* every suite but reclaim (it boots 2048 MiB guests and
		 * touches 2.7 GiB in them, ~45 s more under TCG here), and
		 * without KSM-008 (35-40 s): past make check's budget, both
		 * are make check-slow's (test_slow_*) */
		const char *args[] = { "conform", "--suite", "balloon,ksm,thp,hugetlb,ept", "--skip", "KSM-008",
				       "--junit", p.junit, "--tap", "--json", p.json, "--workdir", p.work,
				       "--state-dir", p.state, NULL };

		rc = int_run(p.log, &out, args);
	}
	assert_int_equal(rc, 0);

	/* JSON: the required set passed, the rest skipped for its reason. */
	doc = int_load_json(p.root, "conform.json");
	checks = json_object_get(doc, "checks");
	assert_true(json_array_size(checks) >= 18);
	for (size_t i = 0; i < json_array_size(checks); i++) {
		json_t *c = json_array_get(checks, i);
		const char *id = json_string_value(json_object_get(c, "id"));
		const char *res = json_string_value(json_object_get(c, "result"));
		const char *why = json_string_value(json_object_get(c, "reason"));

		print_message("%-9s %-5s %s\n", id, res, why);
		check_required(id, res, why);
		assert_true(json_is_object(json_object_get(c, "evidence")));
	}
	print_message("conform wall time: %.1f s\n", json_number_value(json_object_get(doc, "wall_s")));

	/* TAP (stdout, mixed with stderr progress in the log: take from
	 * "TAP version" on, dropping the progress lines). */
	{
		struct strbuf tap = STRBUF_INIT;
		const char *from = strstr(out.buf, "TAP version 13");
		char *save = NULL, *copy;

		assert_non_null(from);
		copy = strdup(from);
		for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			if (l[0] != '[' && strncmp(l, "conform: ", 9))
				strbuf_addf(&tap, "%s\n", l);
		free(copy);
		check_tap(tap.buf, json_array_size(checks));
		strbuf_release(&tap);
	}

	/* JUnit: well-formed XML. */
	if (access("/usr/bin/xmllint", X_OK) == 0) {
		const char *argv[] = { "/usr/bin/xmllint", "--noout", p.junit, NULL };
		struct strbuf x = STRBUF_INIT;

		assert_int_equal(run_capture(argv, &x, 60 * 1000000000ull), 0);
		strbuf_release(&x);
	} else {
		print_message("SKIP: xmllint not installed: JUnit only checked for its root element\n");
	}
	{
		struct strbuf x = STRBUF_INIT;

		assert_int_equal(read_file(p.junit, &x), 0);
		assert_non_null(strstr(x.buf, "<testsuites "));
		assert_non_null(strstr(x.buf, "<skipped message=\"needs KVM: "));
		strbuf_release(&x);
	}

	check_left_clean(&p, &before, busy_at_start);
	json_decref(doc);
	strbuf_release(&out);
	strbuf_release(&before);
}

/* ---- mutations --------------------------------------------------------- */

struct mutation {
	const char *wrapper;	/* harness/tests/... */
	const char *check;
	const char *cause;	/* the diagnosis finding's code */
	const char *says;	/* in the reason */
};

static void run_mutation(const struct mutation *m)
{
	struct run_paths p;
	char wrapper[PATH_MAX];
	struct strbuf out = STRBUF_INIT, before = STRBUF_INIT;
	json_t *doc, *c, *f;
	const char *reason;
	size_t i;
	int rc, found = 0;

	run_paths(&p, m->check);
	assert_non_null(realpath(m->wrapper, wrapper));
	snapshot(&before);
	{
		const char *args[] = { "conform", "--qemu", wrapper, "--check", m->check, "--json", p.json,
				       "--workdir", p.work, "--state-dir", p.state, NULL };

		rc = int_run(p.log, &out, args);
	}
	doc = int_load_json(p.root, "conform.json");
	c = json_array_get(json_object_get(doc, "checks"), 0);
	reason = json_string_value(json_object_get(c, "reason"));
	print_message("%s under %s: %s: %s\n", m->check, m->wrapper, json_string_value(json_object_get(c, "result")),
		      reason);
	assert_int_equal(json_array_size(json_object_get(doc, "checks")), 1);
	assert_string_equal(json_string_value(json_object_get(c, "result")), "fail");
	assert_int_equal(rc, 1);
	assert_non_null(strstr(reason, m->says));
	json_array_foreach(json_object_get(json_object_get(json_object_get(c, "evidence"), "diagnosis"), "findings"), i, f)
		found |= !strcmp(json_string_value(json_object_get(f, "code")), m->cause) &&
			 !strcmp(json_string_value(json_object_get(f, "kind")), "cause");
	assert_true(found);
	check_left_clean(&p, &before, 0);
	json_decref(doc);
	strbuf_release(&out);
	strbuf_release(&before);
}

/* The balloon device is on a slot whose interrupt the guest never gets. */
static void test_mutation_balloon_never_moves(void **state)
{
	static const struct mutation m = { "harness/tests/qemu-balloon-no-irq", "BAL-001", "interrupt-not-delivered",
					   "the balloon's interrupt never arrived" };

	(void)state;
	run_mutation(&m);
}

/* mem-merge=off whatever ocbench asks. */
static void test_mutation_ram_not_mergeable(void **state)
{
	static const struct mutation m = { "harness/tests/qemu-no-merge", "KSM-001", "ram-not-mergeable",
					   "QEMU's guest RAM is not mergeable: no 'mg' in the VmFlags" };

	(void)state;
	run_mutation(&m);
}

/* Guest RAM from a file (-mem-path), not anonymous memory. */
static void test_mutation_ram_not_anonymous(void **state)
{
	static const struct mutation m = { "harness/tests/qemu-ram-file", "THP-001", "ram-not-anonymous",
					   "QEMU's guest RAM is not anonymous memory" };

	(void)state;
	run_mutation(&m);
}

/* deflate-on-oom=on dropped from the balloon: the hog is OOM-killed. */
static void test_mutation_no_deflate_on_oom(void **state)
{
	static const struct mutation m = { "harness/tests/qemu-no-deflate-on-oom", "DOO-001", "feature-not-negotiated",
					   "deflate-on-oom did not give memory back" };

	(void)state;
	run_mutation(&m);
}

/* memhp_default_state=online_movable dropped: plugged memory stays offline. */
static void test_mutation_vmem_offline(void **state)
{
	static const struct mutation m = { "harness/tests/qemu-no-online-movable", "VMEM-002", "vmem-offline",
					   "the plugged memory is not where the kernel can empty it" };

	(void)state;
	run_mutation(&m);
}

/* The slow tests (test_slow_*) run with OCB_SLOW=1 only: `make
 * check-slow`, which .ci/run runs after make check. */
static void need_slow(const char *what)
{
	const char *slow = getenv("OCB_SLOW");

	if (!slow || strcmp(slow, "1")) {
		print_message("SKIP: %s, past make check's time budget: make check-slow runs it (OCB_SLOW=1; "
			      ".ci/run does)\n", what);
		skip();
	}
}

/* free-page-reporting=on dropped: the freed hog stays in QEMU (45 s). */
static void test_slow_mutation_no_free_page_reporting(void **state)
{
	static const struct mutation m = { "harness/tests/qemu-no-free-page-reporting", "FPR-001",
					   "feature-not-negotiated", "the freed hog was not reported back" };

	(void)state;
	need_slow("FPR-001's mutation waits out its 30 s return window (45 s here)");
	run_mutation(&m);
}

/* `conform SEL_OPT SEL` for real: every check of pass[] passes (or
 * skips for a reason check_required() accepts), its evidence is there,
 * nothing of ours is left and the knobs are as they were. */
static void run_required(const char *name, const char *sel_opt, const char *sel, const char *const *pass)
{
	struct run_paths p;
	struct strbuf before = STRBUF_INIT;
	json_t *doc, *c;
	size_t i;
	int busy_at_start;

	run_paths(&p, name);
	busy_at_start = other_session_active();
	snapshot(&before);
	{
		const char *args[] = { "conform", sel_opt, sel, "--json", p.json, "--workdir", p.work,
				       "--state-dir", p.state, NULL };

		assert_int_equal(int_run(p.log, NULL, args), 0);
	}
	doc = int_load_json(p.root, "conform.json");
	for (size_t k = 0; pass[k]; k++) {
		int seen = 0;

		json_array_foreach(json_object_get(doc, "checks"), i, c) {
			const char *res = json_string_value(json_object_get(c, "result"));
			const char *why = json_string_value(json_object_get(c, "reason"));

			if (strcmp(json_string_value(json_object_get(c, "id")), pass[k]))
				continue;
			seen = 1;
			print_message("%-9s %-5s %s\n", pass[k], res, why);
			if (strcmp(res, "pass"))
				check_required(pass[k], res, why);
			assert_true(json_is_object(json_object_get(c, "evidence")));
		}
		if (!seen)
			fail_msg("%s is not in the results of conform %s %s", pass[k], sel_opt, sel);
	}
	check_left_clean(&p, &before, busy_at_start);
	json_decref(doc);
	strbuf_release(&before);
}

/* The reclaim suite for real (about 45 s here): all six pass on this
 * TCG host (check_required() knows none of them: a skip fails). */
static void test_slow_reclaim_suite(void **state)
{
	static const char *const pass[] = { "FPR-001", "BAL-007", "DOO-001", "VMEM-001", "VMEM-002",
					    "SWAP-001", NULL };

	(void)state;
	need_slow("the reclaim suite boots 2048 MiB guests and touches 2.7 GiB in them (about 45 s here)");
	run_required("conform-reclaim", "--suite", "reclaim", pass);
}

/* KSM-008, the advisor, for real: it times full scans of 2 x 192 MiB of
 * unique pages against a 2 s target (35-40 s here); it passes, or skips
 * on a kernel without the advisor. */
static void test_slow_ksm_advisor(void **state)
{
	static const char *const pass[] = { "KSM-008", NULL };

	(void)state;
	need_slow("KSM-008 times ten of ksmd's full scans against the advisor's target (35-40 s here)");
	run_required("conform-ksm-advisor", "--check", "KSM-008", pass);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conform_full_suite),
		cmocka_unit_test(test_mutation_balloon_never_moves),
		cmocka_unit_test(test_mutation_ram_not_mergeable),
		cmocka_unit_test(test_mutation_ram_not_anonymous),
		cmocka_unit_test(test_mutation_no_deflate_on_oom),
		cmocka_unit_test(test_mutation_vmem_offline),
		cmocka_unit_test(test_slow_mutation_no_free_page_reporting),
		cmocka_unit_test(test_slow_reclaim_suite),
		cmocka_unit_test(test_slow_ksm_advisor),
	};

	/* OCB_TEST_FILTER=test_mutation_* runs the mutations alone (cmocka's
	 * glob over the test names) */
	if (getenv("OCB_TEST_FILTER"))
		cmocka_set_test_filter(getenv("OCB_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
