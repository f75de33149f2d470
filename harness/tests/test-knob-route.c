/* Unit tests: where a run's host knobs go (knob-route.c) and the knobs set
 * over libvirt (knob-remote.c).  The remote-vs-local decision per URI and
 * backend; a remote host that offers nothing (test:///default: no node
 * memory parameters, no page allocation) turns every knob into a skip
 * with the reason; and, when libvirtd runs here, the libvirt path for
 * real: qemu:///system treated as remote sets /sys/kernel/mm/ksm/
 * pages_to_scan through virNodeSetMemoryParameters, and both the end of
 * the session and `ocbench restore` after a "crash" put it back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "fake-sysfs.h"
#include "knobs/hostlock.h"
#include "knobs/journal.h"
#include "knobs/remote.h"
#include "knobs/route.h"
#include "util/libvirt-conn.h"
#include "host/sysfs.h"
#include "vm/vm.h"
#include "vm/libvirt.h"
#include "vm/qemu.h"
#include "private-lock.h"

#define TEST_URI "test:///default"
#define SSH_URI "qemu+ssh://nohost.invalid/system"
#define REAL_URI "qemu:///system"
#define KSM_SCAN "/sys/kernel/mm/ksm/pages_to_scan"

struct fx {
	char root[64], state[64];
};

/* The real cases change this host's pages_to_scan: they hold the host's
 * own knob lock (not the private one the fake cases use), so that they
 * wait for a knob-changing ocbench of the integration tests that run
 * beside the unit tests (ci/run-tests), and it for them. */
static int real_lock = -1;

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	fake_root_new(f->root, sizeof(f->root));
	fake_root_new(f->state, sizeof(f->state));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	remove_tree(f->root);
	remove_tree(f->state);
	free(f);
	hostlock_release(real_lock);
	real_lock = -1;
	return 0;
}

/* What the runner's report function sees, one line per outcome. */
struct seen {
	struct strbuf log;
	int applied, skipped;
};

static void report(void *opaque, const char *key, const char *value, const char *via,
		   const char *skip)
{
	struct seen *s = opaque;

	strbuf_addf(&s->log, "%s=%s via=%s %s%s\n", key, value, via ? via : "local",
		    skip ? "skip: " : "applied", skip ? skip : "");
	if (skip)
		s->skipped++;
	else
		s->applied++;
}

static struct knob_route *route(const struct fx *f, int force)
{
	struct knob_route_opts o = { f->root, f->state, force, 0 };

	return knob_route_new(&o);
}

static int lv_journal_exists(const char *state_dir)
{
	struct strbuf d = STRBUF_INIT, p = STRBUF_INIT;
	int e;

	lvknob_state_dir(state_dir, &d);
	journal_file_path(d.buf, &p);
	e = path_exists(p.buf);
	strbuf_release(&d);
	strbuf_release(&p);
	return e;
}

/* ---- the decision ------------------------------------------------------ */

static void test_decision(void **state)
{
	(void)state;
	assert_false(knob_route_is_remote(1, "qemu:///system"));
	assert_false(knob_route_is_remote(1, "qemu:///session"));
	assert_false(knob_route_is_remote(1, "qemu+unix:///system?socket=/run/x"));
	assert_false(knob_route_is_remote(1, NULL));
	assert_false(knob_route_is_remote(1, ""));
	assert_true(knob_route_is_remote(1, "qemu+ssh://root@host/system"));
	assert_true(knob_route_is_remote(1, "qemu+tcp://10.0.0.2/system"));
	assert_true(knob_route_is_remote(1, "qemu+tls://host.example/system"));
	/* the qemu and native backends run here whatever --uri says */
	assert_false(knob_route_is_remote(0, "qemu+ssh://root@host/system"));
}

/* Guests on this host and on a remote one: a knob goes to both; one
 * libvirt does not expose is skipped remotely without connecting. */
static void test_vms_mixed_hosts(void **state)
{
	struct fx *f = *state;
	struct vm q, l_local, l_remote, l_remote2;
	struct vm *vms[] = { &q, &l_local, &l_remote, &l_remote2 };
	struct seen s = { STRBUF_INIT, 0, 0 };
	struct knob_route *r;
	json_t *applied;

	memset(&q, 0, sizeof(q));
	q.ops = &vm_qemu_ops;
	l_local = q;
	l_local.ops = &vm_libvirt_ops;		/* empty uri: qemu:///system */
	l_remote = l_local;
	snprintf(l_remote.cfg.uri, sizeof(l_remote.cfg.uri), SSH_URI);
	l_remote2 = l_remote;			/* same host: counted once */
	fake_host(f->root, FAKE_KSM | FAKE_THP);
	r = route(f, 0);
	{
		const char *uris[4];

		for (size_t i = 0; i < 4; i++)
			uris[i] = vm_host_uri(vms[i]);	/* what the runner passes */
		knob_route_add_uris(r, uris, 4);
	}
	assert_int_equal(knob_route_apply(r, "thp", "never", report, &s), 0);
	assert_int_equal(s.applied, 1);
	assert_int_equal(s.skipped, 1);
	assert_non_null(strstr(s.log.buf, "thp=never via=local applied\n"));
	assert_non_null(strstr(s.log.buf, "thp=never via=libvirt " SSH_URI " skip: thp: not available "
					  "over libvirt (remote URI " SSH_URI ")\n"));
	strbuf_reset(&s.log);
	assert_int_equal(knob_route_apply(r, "ksm", "on", report, &s), 0);
	assert_non_null(strstr(s.log.buf, "ksm: not available over libvirt (remote URI " SSH_URI
					  "); libvirt sets KSM's scan rate, not run/stop"));
	/* an invalid value is the scenario's error, for every host */
	assert_int_equal(knob_route_apply(r, "thp", "sometimes", report, &s), -1);
	assert_non_null(strstr(ocb_errmsg(), "always, madvise or never"));

	applied = knob_route_applied(r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(applied, "thp"), "value")),
			    "never");
	assert_null(json_object_get(json_object_get(applied, "thp"), "via"));
	json_decref(applied);
	assert_int_equal(knob_route_restore(r), 0);
	assert_int_equal(knob_route_restore(r), 0);	/* twice: nothing left */
	knob_route_free(r);
	{
		char *thp = fake_read(f->root, "/sys/kernel/mm/transparent_hugepage/enabled");

		assert_string_equal(thp, "always [madvise] never\n");
		free(thp);
	}
	strbuf_release(&s.log);
}

/* The qemu backend only: exactly the local session, as before. */
static void test_qemu_backend_local(void **state)
{
	struct fx *f = *state;
	struct vm q;
	struct vm *vms[] = { &q };
	struct seen s = { STRBUF_INIT, 0, 0 };
	struct knob_route *r;
	char *v;

	memset(&q, 0, sizeof(q));
	q.ops = &vm_qemu_ops;
	snprintf(q.cfg.uri, sizeof(q.cfg.uri), SSH_URI);	/* ignored: not libvirt */
	fake_host(f->root, FAKE_KSM);
	r = route(f, 0);
	{
		const char *uri = vm_host_uri(vms[0]);

		assert_null(uri);			/* the qemu backend runs here */
		knob_route_add_uris(r, &uri, 1);
	}
	assert_int_equal(knob_route_apply(r, "ksm.pages_to_scan", "4000", report, &s), 0);
	assert_string_equal(s.log.buf, "ksm.pages_to_scan=4000 via=local applied\n");
	v = fake_read(f->root, KSM_SCAN);
	assert_string_equal(v, "4000\n");
	free(v);
	assert_int_equal(knob_route_restore(r), 0);
	knob_route_free(r);
	v = fake_read(f->root, KSM_SCAN);
	assert_string_equal(v, "100\n");
	free(v);
	assert_false(lv_journal_exists(f->state));
	strbuf_release(&s.log);
}

/* ---- a remote host whose driver offers nothing ------------------------- */

static void test_unsupported_driver_skips(void **state)
{
	struct fx *f = *state;
	struct seen s = { STRBUF_INIT, 0, 0 };
	struct knob_route *r = route(f, 0);
	json_t *applied;

	knob_route_add_host(r, TEST_URI, 1);
	assert_int_equal(knob_route_apply(r, "ksm.pages_to_scan", "100", report, &s), 0);
	assert_int_equal(knob_route_apply(r, "ksm.merge_across_nodes", "off", report, &s), 0);
	/* the test driver lists 2M pools but cannot allocate: journaled,
	 * then skipped; the restore finds nothing changed */
	assert_int_equal(knob_route_apply(r, "hugetlb.2M", "16", report, &s), 0);
	assert_int_equal(knob_route_apply(r, "hugetlb.2M.node7", "1", report, &s), 0);
	assert_int_equal(knob_route_apply(r, "swappiness", "10", report, &s), 0);
	assert_int_equal(s.applied, 0);
	assert_int_equal(s.skipped, 5);
	print_message("%s", s.log.buf);
	assert_non_null(strstr(s.log.buf, "ksm.pages_to_scan=100 via=libvirt " TEST_URI " skip: "
					  "ksm.pages_to_scan: KSM parameters (virNodeGetMemoryParameters) at "
					  TEST_URI ": "));
	assert_non_null(strstr(s.log.buf, "(this libvirt driver does not offer it)\n"
					  "ksm.merge_across_nodes=off"));
	assert_non_null(strstr(s.log.buf, "hugetlb.2M: setting the 2048 KiB hugepage pool of the host "
					  "to 16 (virNodeAllocPages) at " TEST_URI));
	assert_non_null(strstr(s.log.buf, "hugetlb.2M.node7: the capabilities of " TEST_URI " list no "
					  "2048 KiB pages on NUMA cell 7 (no such hugepage pool there)"));
	assert_non_null(strstr(s.log.buf, "swappiness: not available over libvirt (remote URI "
					  TEST_URI ")"));
	assert_true(lv_journal_exists(f->state));
	applied = knob_route_applied(r);
	assert_int_equal(json_object_size(applied), 0);
	json_decref(applied);
	assert_int_equal(knob_route_restore(r), 0);
	assert_false(lv_journal_exists(f->state));
	knob_route_free(r);
	strbuf_release(&s.log);
}

/* A URI nobody answers: an error naming it, never a skip. */
static void test_unreachable_is_error(void **state)
{
	struct fx *f = *state;
	struct seen s = { STRBUF_INIT, 0, 0 };
	struct knob_route *r = route(f, 0);

	knob_route_add_host(r, "qemu+unix:///system?socket=/nonexistent/sock", 1);
	assert_int_equal(knob_route_apply(r, "ksm.sleep_millisecs", "20", report, &s), -1);
	assert_non_null(strstr(ocb_errmsg(), "host knob 'ksm.sleep_millisecs': cannot connect to "
					     "libvirt at qemu+unix:///system?socket=/nonexistent/sock"));
	assert_int_equal(s.applied + s.skipped, 0);
	assert_int_equal(knob_route_restore(r), 0);
	knob_route_free(r);
	strbuf_release(&s.log);
}

/* A journal whose record is not one ocbench writes over libvirt: left
 * alone, reported, journal kept. */
static void test_journal_whitelist(void **state)
{
	struct fx *f = *state;
	struct strbuf d = STRBUF_INIT;
	struct journal *j;
	size_t n = 0;

	lvknob_state_dir(f->state, &d);
	j = journal_create(d.buf, "libvirt");
	assert_non_null(j);
	assert_int_equal(journal_append(j, "libvirt-ksm", TEST_URI, "ksm.run=1"), 0);
	journal_free(j);	/* as a killed run leaves it */
	assert_int_equal(lvknob_restore_journal(f->state, &n), -1);
	assert_non_null(strstr(ocb_errmsg(), "not a knob ocbench sets over libvirt, left alone"));
	assert_true(lv_journal_exists(f->state));
	/* and a new session refuses to start over it without --force */
	assert_null(lvknob_set_begin(f->state, 0));
	assert_non_null(strstr(ocb_errmsg(), "run 'ocbench restore --state-dir"));
	strbuf_release(&d);
}

/* ---- the libvirt path for real: qemu:///system treated as remote ------ */

static int real_ksm(struct strbuf *v)
{
	virConnectPtr c;

	if (geteuid() != 0 || sysfs_read("/", KSM_SCAN, v) < 0) {
		print_message("SKIP: needs root and %s\n", KSM_SCAN);
		return 0;
	}
	c = lv_open(REAL_URI);
	if (!c) {
		print_message("SKIP: %s (start it with ci/start-libvirtd)\n", ocb_errmsg());
		return 0;
	}
	virConnectClose(c);
	real_lock = hostlock_take(HOSTLOCK_DEFAULT_DIR, 1);
	if (real_lock < 0)
		fail_msg("the host's knob lock in %s: %s", HOSTLOCK_DEFAULT_DIR, ocb_errmsg());
	/* what the value is now that no one else changes it */
	strbuf_reset(v);
	if (sysfs_read("/", KSM_SCAN, v) < 0)
		fail_msg("%s: %s", KSM_SCAN, ocb_errmsg());
	return 1;
}

static void assert_real_scan(const char *want)
{
	struct strbuf v = STRBUF_INIT;

	assert_int_equal(sysfs_read("/", KSM_SCAN, &v), 0);
	assert_string_equal(v.buf, want);
	strbuf_release(&v);
}

/* pages_to_scan + 37: a value no default has, so the change is ours. */
static void other_value(const char *orig, char *buf, size_t len)
{
	snprintf(buf, len, "%llu", strtoull(orig, NULL, 10) + 37);
}

static void test_real_set_restore(void **state)
{
	struct fx *f = *state;
	struct strbuf orig = STRBUF_INIT;
	struct seen s = { STRBUF_INIT, 0, 0 };
	struct knob_route *r;
	char want[32], via[64];
	json_t *applied, *k;
	int rc;

	if (!real_ksm(&orig)) {
		strbuf_release(&orig);
		skip();
	}
	other_value(orig.buf, want, sizeof(want));
	r = route(f, 0);
	knob_route_add_host(r, REAL_URI, 1);
	rc = knob_route_apply(r, "ksm.pages_to_scan", want, report, &s);
	if (rc == 0 && s.applied == 1)
		assert_real_scan(want);
	applied = knob_route_applied(r);
	/* restore before asserting more, so a failure never leaves it changed */
	assert_int_equal(knob_route_restore(r), 0);
	knob_route_free(r);
	assert_real_scan(orig.buf);
	if (rc != 0)
		fail_msg("ksm.pages_to_scan over libvirt: %s", ocb_errmsg());
	assert_int_equal(s.applied, 1);
	k = json_object_get(applied, "ksm.pages_to_scan");
	snprintf(via, sizeof(via), "libvirt %s", REAL_URI);
	assert_string_equal(json_string_value(json_object_get(k, "via")), via);
	assert_string_equal(json_string_value(json_object_get(k, "value")), want);
	assert_string_equal(json_string_value(json_object_get(k, "previous")), orig.buf);
	assert_false(lv_journal_exists(f->state));
	print_message("ksm.pages_to_scan %s -> %s -> %s through libvirt at %s\n", orig.buf, want,
		      orig.buf, REAL_URI);
	json_decref(applied);
	strbuf_release(&orig);
	strbuf_release(&s.log);
}

/* Killed mid-run: the journal in STATE_DIR/libvirt holds URI and previous
 * value; `ocbench restore` (lvknob_restore_journal) puts it back, and a
 * run with --force does the same before it starts. */
static void test_real_crash_restore(void **state)
{
	struct fx *f = *state;
	struct strbuf orig = STRBUF_INIT;
	struct lvknob_set *ls;
	char want[32], why[512];
	size_t n = 0;

	if (!real_ksm(&orig)) {
		strbuf_release(&orig);
		skip();
	}
	other_value(orig.buf, want, sizeof(want));
	for (int force = 0; force <= 1; force++) {
		ls = lvknob_set_begin(f->state, 0);
		assert_non_null(ls);
		if (lvknob_apply(ls, REAL_URI, "ksm.pages_to_scan", want, why, sizeof(why)) != 0) {
			lvknob_set_restore(ls);
			lvknob_set_free(ls);
			fail_msg("set over libvirt: %s", ocb_errmsg());
		}
		assert_real_scan(want);
		lvknob_set_free(ls);	/* no restore: the "crash" */
		assert_true(lv_journal_exists(f->state));
		if (!force) {
			assert_int_equal(lvknob_restore_journal(f->state, &n), 1);
			assert_int_equal(n, 1);
		} else {
			ls = lvknob_set_begin(f->state, 1);	/* a run with --force */
			assert_non_null(ls);
			assert_int_equal(lvknob_set_restore(ls), 0);
			lvknob_set_free(ls);
		}
		assert_real_scan(orig.buf);
		assert_false(lv_journal_exists(f->state));
	}
	assert_int_equal(lvknob_restore_journal(f->state, &n), 0);
	strbuf_release(&orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decision),
		cmocka_unit_test_setup_teardown(test_vms_mixed_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qemu_backend_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsupported_driver_skips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreachable_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_whitelist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_set_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_crash_restore, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);	/* as ocbench does: a failed transport closes its pipe */
	if (private_lock_init() < 0)
		return 1;
	return private_lock_done(cmocka_run_group_tests_name("knob routing: local sysfs or libvirt", tests, NULL, NULL));
}
