/* Integration tests against a real remote libvirt host: the second
 * libvirtd of ci/remote-libvirtd (its own network, mount and UTS
 * namespace; hostname ocb-remote; reached as qemu+tcp://10.251.47.2/system
 * over a private veth pair, no authentication on that link).
 *
 *   - a KSM pair (tests/scenarios/remote-ksm.ini): KSM's scan rate set
 *     there over libvirt and restored, `wait ksm-settled` on its counters,
 *     the merge metrics, run.json "hosts" with that host's fingerprint
 *     (hostname ocb-remote), samples.csv its ksm@HOST series; while it
 *     runs the host's lock domain exists and a second ocbench with
 *     --no-wait exits 2 naming the lock;
 *   - conform there: BAL-001 and KSM-006/007 pass, KSM-001..004 skip
 *     naming what libvirt does not report, and KSM-008 (the KSM
 *     advisor's knobs are sysfs files of this host) skips too.
 *
 * The "remote" host shares this machine's kernel, so its KSM is this
 * kernel's, which libvirt cannot switch on: the test switches it on itself
 * through a journaled knob session (restored at the end) whose lock is a
 * private one, so that the ocbench processes it starts take the host's.
 * Everything skips with the reason when the namespaces or the daemon
 * cannot be set up (not root, no veth, libvirtd missing).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "host/libvirt-node.h"
#include "int-util.h"
#include "knobs/knobs.h"
#include "knobs/remote-lock.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/libvirt-conn.h"

#define URI "qemu+tcp://10.251.47.2/system"
#define HOST "10.251.47.2"
#define SEC 1000000000ull

static char no_remote[1024];
static char state_dir[] = "/tmp/ocb-int-remote-XXXXXX";
static char lock_dir[] = "/tmp/ocb-int-remote-lock-XXXXXX";
static struct knob_set *ksm_on;

static void need_remote(void)
{
	if (no_remote[0]) {
		print_message("SKIP: %s\n", no_remote);
		skip();
	}
}

/* This kernel's KSM on, journaled, under a lock of the test's own. */
static int switch_ksm_on(void)
{
	char why[512];

	if (!mkdtemp(state_dir) || !mkdtemp(lock_dir) || setenv("OCBENCH_LOCK_DIR", lock_dir, 1) < 0)
		return -1;
	ksm_on = knob_set_begin("/", state_dir, 0);
	unsetenv("OCBENCH_LOCK_DIR");	/* the ocbench we start take the host's */
	if (!ksm_on || knob_apply(ksm_on, "ksm", "on", why, sizeof(why)) != 0) {
		snprintf(no_remote, sizeof(no_remote), "cannot switch KSM on for the remote host: %s",
			 ksm_on ? why : ocb_errmsg());
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	const char *argv[] = { "ci/remote-libvirtd", "start", NULL };
	struct strbuf out = STRBUF_INIT;
	uint64_t t0 = mono_ns();
	int rc;

	(void)state;
	if (geteuid() != 0) {
		snprintf(no_remote, sizeof(no_remote), "needs root (network and mount namespaces, libvirtd)");
		return 0;
	}
	rc = run_capture(argv, &out, 120 * SEC);
	print_message("%s(%.1f s)\n", strbuf_str(&out), ns_to_s(mono_ns() - t0));
	if (rc != 0)
		snprintf(no_remote, sizeof(no_remote), "ci/remote-libvirtd start failed (exit %d): %.600s", rc,
			 strbuf_str(&out));
	else
		switch_ksm_on();
	strbuf_release(&out);
	return 0;
}

static int teardown(void **state)
{
	const char *argv[] = { "ci/remote-libvirtd", "stop", NULL };
	const char *netns[] = { "ip", "netns", "list", NULL };
	struct strbuf out = STRBUF_INIT;
	int rc = 0;

	(void)state;
	if (geteuid() != 0)
		return 0;
	if (ksm_on) {
		if (knob_set_restore(ksm_on) < 0)
			print_error("restoring KSM: %s\n", ocb_errmsg());
		knob_set_free(ksm_on);
	}
	remove_tree(state_dir);
	remove_tree(lock_dir);
	if (run_capture(argv, &out, 120 * SEC) != 0)
		print_error("ci/remote-libvirtd stop: %s\n", strbuf_str(&out));
	strbuf_reset(&out);
	/* nothing of it is left: no namespace (its veth went with it) */
	if (run_capture(netns, &out, 10 * SEC) != 0 || strstr(strbuf_str(&out), "ocb-remote")) {
		print_error("network namespace ocb-remote left behind (ip netns list: %s)\n", strbuf_str(&out));
		rc = -1;
	}
	if (path_exists("/sys/class/net/ocb-remote-h") || path_exists("/run/ocbench-remote")) {
		print_error("ci/remote-libvirtd stop left its veth or /run/ocbench-remote behind\n");
		rc = -1;
	}
	strbuf_release(&out);
	return rc;
}

/* pages_to_scan on the remote host, over libvirt. */
static long long remote_pages_to_scan(void)
{
	virConnectPtr c = lv_open(URI);
	struct lv_ksm k;

	assert_non_null(c);
	assert_int_equal(lvnode_ksm_get(c, URI, &k), 0);
	virConnectClose(c);
	return k.pages_to_scan;
}

/* Until the remote host's lock domain exists (the first run took it). */
static int lock_taken(uint64_t timeout_ns)
{
	virConnectPtr c = lv_open(URI);
	uint64_t t0 = mono_ns();
	int found = 0;

	assert_non_null(c);
	while (!found && mono_ns() - t0 < timeout_ns) {
		virDomainPtr d = virDomainLookupByName(c, LVLOCK_DOMAIN);

		if (d) {
			virDomainFree(d);
			found = 1;
		} else {
			sleep_ns(100000000ull, NULL);
		}
	}
	virConnectClose(c);
	return found;
}

static void test_ksm_pair_and_lock(void **state)
{
	const char *args[] = { "run", "--backend", "libvirt", "--uri", URI, "tests-scenario", "-o", NULL, NULL };
	const char *second[] = { "run", "--no-wait", "--backend", "libvirt", "--uri", URI,
				 "harness/tests/scenarios/remote-ksm.ini", "-o", NULL, NULL };
	char root[1024], root2[1024], run[1200], log[1200], log2[1200];
	long long before;
	struct strbuf out = STRBUF_INIT;
	struct child c;
	json_t *doc, *k, *h;
	int st;

	(void)state;
	need_remote();
	before = remote_pages_to_scan();
	int_tmpdir("remote-ksm", root, sizeof(root));
	int_tmpdir("remote-ksm-second", root2, sizeof(root2));
	args[5] = "harness/tests/scenarios/remote-ksm.ini";
	args[7] = root;
	second[8] = root2;
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	snprintf(log2, sizeof(log2), "%s/ocbench.log", root2);
	int_start(&c, log, args);
	assert_true(lock_taken(60 * SEC));
	/* a second ocbench for the same host: not now, with --no-wait */
	assert_int_equal(int_run(log2, &out, second), 2);
	assert_non_null(strstr(strbuf_str(&out), "holds its lock"));
	assert_non_null(strstr(strbuf_str(&out), URI));
	assert_int_equal(child_wait(&c, &st), 0);
	child_release(&c);
	strbuf_reset(&out);
	assert_int_equal(read_file(log, &out), 0);
	print_message("%s", strbuf_str(&out));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	int_find_run(root, 1, run, sizeof(run));
	doc = int_load_json(run, "run.json");
	assert_true(int_metric(doc, "ksm_merged_mib") > 0);
	assert_true(int_metric(doc, "ksm_settle_s") > 0);
	assert_true(int_metric(doc, "ksm_saved_mib@" HOST) > 0);
	/* where it ran: that host's fingerprint, and its own KSM series */
	h = json_object_get(json_object_get(doc, "hosts"), URI);
	assert_non_null(h);
	assert_string_equal(json_string_value(json_object_get(h, "hostname")), "ocb-remote");
	assert_non_null(json_object_get(json_object_get(h, "node"), "cpus"));
	assert_non_null(json_object_get(h, "qemu_version"));
	assert_true(int_file_has(run, "samples.csv", ",ksm@" HOST ",pages_sharing,"));
	assert_true(int_file_has(run, "samples.csv", ",ksm@" HOST ",full_scans,"));
	k = json_object_get(json_object_get(doc, "knobs"), "ksm.pages_to_scan");
	assert_string_equal(json_string_value(json_object_get(k, "via")), "libvirt " URI);
	assert_string_equal(json_string_value(json_object_get(k, "value")), "4000");
	/* restored there, and the lock gone with the run */
	assert_int_equal(remote_pages_to_scan(), before);
	assert_false(lock_taken(0));
	json_decref(doc);
	strbuf_release(&out);
}

static const char *check_result(json_t *doc, const char *id, const char **reason)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(doc, "checks"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "id")), id)) {
			*reason = json_string_value(json_object_get(c, "reason"));
			return json_string_value(json_object_get(c, "result"));
		}
	fail_msg("%s missing from the conform JSON", id);
	return NULL;
}

static void test_conform(void **state)
{
	/* the balloon over the remote connection once (its suite is
	 * test-int-libvirt's, over the local one: the same backend code),
	 * the KSM checks that are the remote host's own, and the KSM checks
	 * that need what libvirt cannot give */
	static const char *const pass[] = { "BAL-001", "KSM-006", "KSM-007", NULL };
	static const char *const skip_ids[] = { "KSM-001", "KSM-002", "KSM-003", "KSM-004", NULL };
	char root[1024], json[1200], log[1200];
	const char *args[] = { "conform", "--backend", "libvirt", "--uri", URI, "--check",
			       "BAL-001,KSM-001,KSM-002,KSM-003,KSM-004,KSM-006,KSM-007,KSM-008", "--json", json,
			       NULL };
	const char *why;
	json_t *doc;

	(void)state;
	need_remote();
	int_tmpdir("remote-conform", root, sizeof(root));
	snprintf(json, sizeof(json), "%s/conform.json", root);
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	assert_int_equal(int_run(log, NULL, args), 0);
	doc = int_load_json(root, "conform.json");
	for (size_t i = 0; pass[i]; i++)
		if (strcmp(check_result(doc, pass[i], &why), "pass"))
			fail_msg("%s must pass on the remote host: %s", pass[i], why ? why : "");
	for (size_t i = 0; skip_ids[i]; i++) {
		assert_string_equal(check_result(doc, skip_ids[i], &why), "skip");
		assert_non_null(strstr(why, "libvirt does not report"));
	}
	/* the KSM advisor's knobs are this host's sysfs */
	assert_string_equal(check_result(doc, "KSM-008", &why), "skip");
	assert_non_null(strstr(why, "needs the guests on this host"));
	/* where the checks ran: that host's fingerprint */
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(doc, "hosts"), URI),
							      "hostname")), "ocb-remote");
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ksm_pair_and_lock),
		cmocka_unit_test(test_conform),
	};

	virSetErrorFunc(NULL, NULL);
	return cmocka_run_group_tests_name("a remote libvirt host (ci/remote-libvirtd)", tests, setup, teardown);
}
