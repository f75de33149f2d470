/* Integration tests of the libvirt backend under TCG (domain type qemu)
 * through qemu:///system: quickstart completes, its balloon figures match
 * the qemu backend's, the seed's `info balloon` is recorded, an
 * unreachable URI is a set-up error (exit 2) that says how to start the
 * daemon, and neither SIGINT nor SIGKILL of ocbench leaves a domain
 * behind (SIGKILL: libvirtd's autodestroy).
 *
 * libvirtd is started with ci/start-libvirtd when it does not run; when
 * it cannot be (not root, not installed) every test skips with why. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "util/clock.h"
#include "int-util.h"

#define URI "qemu:///system"
#define MEMTOTAL_TOLERANCE_MIB 16

static char no_libvirt[1024];

static void quiet(void *opaque, virErrorPtr err)
{
	(void)opaque;
	(void)err;
}

static int setup(void **state)
{
	const char *argv[] = { "ci/start-libvirtd", NULL };
	struct strbuf out = STRBUF_INIT;
	virConnectPtr c;
	int rc;

	(void)state;
	virSetErrorFunc(NULL, quiet);
	rc = run_capture(argv, &out, 60 * 1000000000ull);
	print_message("%s", strbuf_str(&out));
	if (rc != 0) {
		snprintf(no_libvirt, sizeof(no_libvirt), "ci/start-libvirtd failed (exit %d): %.400s", rc,
			 strbuf_str(&out));
	} else if (!(c = virConnectOpen(URI))) {
		snprintf(no_libvirt, sizeof(no_libvirt), "libvirtd runs but %s does not answer: %s", URI,
			 virGetLastErrorMessage());
	} else {
		virConnectClose(c);
	}
	strbuf_release(&out);
	return 0;
}

static void need_libvirt(void)
{
	if (no_libvirt[0]) {
		print_message("SKIP: %s\n", no_libvirt);
		skip();
	}
}

/* Domains of the ocbench process pid still defined at URI (named when
 * report: they are then left behind). */
static int domains_of(pid_t pid, int report)
{
	virConnectPtr c = virConnectOpen(URI);
	virDomainPtr *doms = NULL;
	char prefix[64];
	int n, found = 0;

	assert_non_null(c);
	snprintf(prefix, sizeof(prefix), "ocbench-%ld-", (long)pid);
	n = virConnectListAllDomains(c, &doms, 0);
	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		const char *name = virDomainGetName(doms[i]);

		if (name && !strncmp(name, prefix, strlen(prefix))) {
			if (report)
				print_error("left behind: domain %s\n", name);
			found++;
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	virConnectClose(c);
	return found;
}

/* The quickstart through backend, with the default guest or image (NULL). */
static void quickstart(const char *name, const char *backend, const char *image, char *run, size_t len,
		       long m[3])
{
	char root[1024], log[1200];
	const char *args[11] = { "run", "scenarios/quickstart.ini", "-o", NULL, "--backend", backend };
	size_t n = 6;
	struct strbuf out = STRBUF_INIT;
	pid_t pid;

	int_tmpdir(name, root, sizeof(root));
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	args[3] = root;
	if (!strcmp(backend, "libvirt")) {
		args[n++] = "--uri";
		args[n++] = URI;
	}
	if (image) {
		args[n++] = "--image";
		args[n++] = image;
	}
	assert_int_equal(int_run_pid(log, &out, &pid, args), 0);
	assert_non_null(strstr(out.buf, "(balloon 2048 → 512 MiB in "));
	int_find_run(root, 1, run, len);
	assert_int_equal(int_memtotals(run, &m[0], &m[1], &m[2]), 3);
	print_message("%s: MemTotal %ld -> %ld -> %ld MiB\n", backend, m[0], m[1], m[2]);
	assert_true(m[0] - m[1] >= 1200);
	assert_true(labs(m[2] - m[0]) <= MEMTOTAL_TOLERANCE_MIB);
	if (!strcmp(backend, "libvirt"))
		assert_int_equal(domains_of(pid, 1), 0);
	assert_int_equal(int_processes_mentioning(root), 0);
	strbuf_release(&out);
}

static void test_quickstart_matches_qemu_backend(void **state)
{
	char run[2048], qrun[2048];
	long lv[3], q[3];
	json_t *doc, *g;

	(void)state;
	need_libvirt();
	quickstart("libvirt-quickstart", "libvirt", NULL, run, sizeof(run), lv);
	doc = int_load_json(run, "run.json");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "complete");
	assert_string_equal(json_string_value(json_object_get(doc, "backend")), "libvirt");
	g = json_array_get(json_object_get(doc, "guests"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(g, "xml")), "<domain type='qemu'"));
	assert_non_null(strstr(json_string_value(json_object_get(g, "xml")), "qboot.rom"));
	/* the seed's parity record: QEMU's own words after the deflate */
	assert_string_equal(json_string_value(json_object_get(g, "hmp_info_balloon")),
			    "balloon: actual=2048");
	assert_string_equal(json_string_value(json_object_get(json_object_get(g, "libvirt"), "uri")), URI);
	assert_true(int_metric(doc, "guest-1.balloon_inflate_s") > 0);
	json_decref(doc);
	assert_true(int_file_has(run, "events.jsonl", "\"event\":\"BALLOON_CHANGE\""));
	assert_true(int_file_has(run, "events.jsonl", "\"text\":\"balloon: actual=512\""));
	assert_true(int_file_has(run, "guests/guest-1/console.log", "ocbench-guest"));
	{
		char runjson[2100];

		snprintf(runjson, sizeof(runjson), "%s/run.json", run);
		assert_int_equal(int_validate_schema(runjson, "harness/results/schemas/run.schema.json"), 0);
	}

	quickstart("libvirt-quickstart-qemu", "qemu", NULL, qrun, sizeof(qrun), q);
	for (int i = 0; i < 3; i++)
		assert_true(labs(lv[i] - q[i]) <= MEMTOTAL_TOLERANCE_MIB);
}

/* A user disk image through libvirt: given by a relative path (libvirtd
 * opens files from its own working directory, so the harness makes it
 * absolute) in a directory with a comma; booted from a <transient/> virtio
 * disk, so the image is unchanged afterwards. */
static void test_user_disk_image(void **state)
{
	char img[1300], abs_img[4096], run[2048];
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	const char *xml;
	json_t *doc;
	long m[3];

	(void)state;
	need_libvirt();
	int_disk_image("libvirt-diskimage", img, sizeof(img));
	assert_non_null(realpath(img, abs_img));
	assert_int_equal(read_file(img, &before), 0);
	quickstart("libvirt-diskrun", "libvirt", img, run, sizeof(run), m);
	doc = int_load_json(run, "run.json");
	xml = json_string_value(json_object_get(json_array_get(json_object_get(doc, "guests"), 0), "xml"));
	assert_non_null(xml);
	assert_non_null(strstr(xml, abs_img));
	assert_non_null(strstr(xml, "<transient/>"));
	assert_null(strstr(xml, "<kernel>"));
	json_decref(doc);
	assert_int_equal(read_file(img, &after), 0);
	assert_true(before.len == after.len && !memcmp(before.buf, after.buf, before.len));
	strbuf_release(&before);
	strbuf_release(&after);
}

/* The balloon conformance checks through libvirt: every check passes
 * (skips would need a reason), JSON evidence, no domain left. */
static void test_balloon_conformance(void **state)
{
	char root[1024], log[1200], json[1300];
	const char *args[] = { "conform", "--backend", "libvirt", "--uri", URI, "--suite", "balloon",
			       "--json", NULL, NULL };
	struct strbuf out = STRBUF_INIT;
	json_t *doc, *checks;
	pid_t pid;

	(void)state;
	need_libvirt();
	int_tmpdir("libvirt-conform", root, sizeof(root));
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	snprintf(json, sizeof(json), "%s/conform.json", root);
	args[8] = json;
	assert_int_equal(int_run_pid(log, &out, &pid, args), 0);
	assert_non_null(strstr(out.buf, "BAL-001"));
	doc = int_load_json(root, "conform.json");
	checks = json_object_get(doc, "checks");
	assert_true(json_array_size(checks) >= 6);
	for (size_t i = 0; i < json_array_size(checks); i++) {
		const char *r = json_string_value(json_object_get(json_array_get(checks, i), "result"));

		assert_non_null(r);
		assert_true(!strcmp(r, "pass") || !strcmp(r, "skip"));
	}
	json_decref(doc);
	assert_int_equal(domains_of(pid, 1), 0);
	strbuf_release(&out);
}

static void test_unreachable_uri_is_setup_error(void **state)
{
	char root[1024], log[1200];
	const char *args[] = { "run", "scenarios/quickstart.ini", "-o", NULL, "--backend", "libvirt", "--uri",
			       "qemu+unix:///system?socket=/nonexistent/libvirt-sock", NULL };
	struct strbuf out = STRBUF_INIT;
	pid_t pid;

	(void)state;
	int_tmpdir("libvirt-unreachable", root, sizeof(root));
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	args[3] = root;
	assert_int_equal(int_run_pid(log, &out, &pid, args), 2);
	assert_non_null(strstr(out.buf, "cannot connect to libvirt at qemu+unix:///system?socket=/nonexistent"));
	assert_non_null(strstr(out.buf, "virtlogd -d && libvirtd -d"));
	strbuf_release(&out);
}

/* Start int-long, wait for its guest, signal ocbench; returns its pid. */
static pid_t signalled_run(const char *name, int sig, int *status)
{
	char root[1024], log[1200];
	const char *args[] = { "run", "harness/tests/scenarios/int-long.ini", "-o", NULL, "--backend",
			       "libvirt", NULL };
	uint64_t deadline = mono_ns() + 90 * 1000000000ull;
	struct child c;
	pid_t pid;

	int_tmpdir(name, root, sizeof(root));
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	args[3] = root;
	int_start(&c, log, args);
	pid = c.pid;
	for (;;) {
		struct strbuf sb = STRBUF_INIT;
		int ready = read_file(log, &sb) == 0 && strstr(strbuf_str(&sb), "agent ready after");

		strbuf_release(&sb);
		if (ready)
			break;
		assert_true(mono_ns() < deadline);
		sleep_ns(50 * 1000000ull, NULL);
	}
	assert_int_equal(domains_of(pid, 0) > 0, 1);
	assert_int_equal(kill(pid, sig), 0);
	assert_int_equal(child_wait(&c, status), 0);
	child_release(&c);
	return pid;
}

static void test_sigint_destroys_domain(void **state)
{
	int st;
	pid_t pid;

	(void)state;
	need_libvirt();
	pid = signalled_run("libvirt-sigint", SIGINT, &st);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	assert_int_equal(domains_of(pid, 1), 0);
}

/* SIGKILL gives ocbench no chance: libvirtd's autodestroy must act when
 * the connection drops. */
static void test_sigkill_autodestroys_domain(void **state)
{
	uint64_t deadline;
	int st;
	pid_t pid;

	(void)state;
	need_libvirt();
	pid = signalled_run("libvirt-sigkill", SIGKILL, &st);
	assert_true(WIFSIGNALED(st));
	deadline = mono_ns() + 15 * 1000000000ull;
	while (domains_of(pid, 0) > 0 && mono_ns() < deadline)
		sleep_ns(100 * 1000000ull, NULL);
	assert_int_equal(domains_of(pid, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quickstart_matches_qemu_backend),
		cmocka_unit_test(test_balloon_conformance),
		cmocka_unit_test(test_user_disk_image),
		cmocka_unit_test(test_unreachable_uri_is_setup_error),
		cmocka_unit_test(test_sigint_destroys_domain),
		cmocka_unit_test(test_sigkill_autodestroys_domain),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("integration: libvirt backend", tests, setup, NULL);
}
