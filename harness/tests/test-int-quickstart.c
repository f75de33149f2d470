/* Integration tests under TCG: the real ocbench boots real guests.
 *
 * quickstart (MemTotal falls by >= 1200 MiB and comes back, run.json
 * validates against its schema, nothing left running), the seed
 * behaviours (clamp above boot memory, no balloon device), and the fault
 * paths (agent never ready, QEMU killed from outside, SIGINT). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "host/accel.h"
#include "util/clock.h"
#include "int-util.h"

#define SCHEMA "harness/results/schemas/run.schema.json"

static void test_quickstart(void **state)
{
	char root[1024], run[2048], runjson[2100], why[256];
	struct strbuf out = STRBUF_INIT;
	long first = 0, min = 0, last = 0;
	int n = 0;
	json_t *doc;

	(void)state;
	{
		const char *args[] = { "run", "scenarios/quickstart.ini", NULL };

		assert_int_equal(int_run_fresh("quickstart", args, root, sizeof(root), &out), 0);
	}
	/* the short human summary the README promises */
	assert_non_null(strstr(out.buf, "guest-1: MemTotal "));
	assert_non_null(strstr(out.buf, "(balloon 2048 → 512 MiB in "));
	int_find_run(root, 1, run, sizeof(run));
	n = int_memtotals(run, &first, &min, &last);
	assert_int_equal(n, 3);
	print_message("MemTotal %ld -> %ld -> %ld MiB\n", first, min, last);
	assert_true(first - min >= 1200);
	assert_true(labs(last - first) <= 16);

	doc = int_load_json(run, "run.json");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "complete");
	assert_string_equal(json_string_value(json_object_get(doc, "schema")), "ocbench.run/1");
	/* the accelerator recorded is the one this host can really use */
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "accel"), "name")),
			    kvm_usable("/", why, sizeof(why)) ? "kvm" : "tcg");
	assert_true(int_metric(doc, "guest-1.balloon_inflate_s") > 0);
	assert_true(int_metric(doc, "guest-1.balloon_inflate_mib_s") > 0);
	assert_true(int_metric(doc, "guest-1.memtotal_before_mib") == (double)first);
	assert_true(int_metric(doc, "guest-1.memtotal_ballooned_mib") == (double)min);
	/* the exact qemu argv is recorded */
	assert_true(json_array_size(json_object_get(json_array_get(json_object_get(doc, "guests"), 0),
						    "argv")) > 10);
	assert_true(int_metric(doc, "timeline_late_max_ms") >= 0);
	json_decref(doc);
	snprintf(runjson, sizeof(runjson), "%s/run.json", run);
	assert_int_equal(int_validate_schema(runjson, SCHEMA), 0);
	assert_true(int_file_has(run, "events.jsonl", "\"event\":\"BALLOON_CHANGE\""));
	assert_true(int_file_has(run, "events.jsonl", "\"type\":\"balloon_reached\""));
	assert_true(int_file_has(run, "events.jsonl", "\"type\":\"action\""));
	/* the timeline starts when the guest is ready: after its boot */
	assert_true(int_file_has(run, "events.jsonl", "\"type\":\"timeline_start\""));
	assert_true(int_file_has(run, "events.jsonl", "\"late_ms\":"));
	{
		char console[2200];

		snprintf(console, sizeof(console), "%s/guests/guest-1/console.log", run);
		assert_true(path_exists(console));
	}
	assert_int_equal(int_processes_mentioning(root), 0);
	strbuf_release(&out);
}

static void test_clamp(void **state)
{
	char root[1024], run[2048];
	long first = 0, min = 0, last = 0;
	int n = 0;
	json_t *doc, *g;

	(void)state;
	{
		const char *args[] = { "run", "harness/tests/scenarios/int-clamp.ini", NULL };
		struct strbuf out = STRBUF_INIT;

		assert_int_equal(int_run_fresh("clamp", args, root, sizeof(root), &out), 0);
		assert_non_null(strstr(out.buf, "clamped to 2048 MiB"));
		strbuf_release(&out);
	}
	int_find_run(root, 1, run, sizeof(run));
	n = int_memtotals(run, &first, &min, &last);
	assert_int_equal(n, 2);
	assert_true(labs(last - first) <= 16);
	doc = int_load_json(run, "run.json");
	g = json_array_get(json_object_get(doc, "guests"), 0);
	assert_true(json_is_true(json_object_get(g, "balloon_clamped")));
	json_decref(doc);
	assert_true(int_file_has(run, "events.jsonl", "\"type\":\"balloon_clamped\""));
	assert_true(int_file_has(run, "events.jsonl", "\"requested_mib\":4096"));
	/* vcpus = 2 with ACPI off: qboot's MP table shows the guest both */
	assert_true(int_file_has(run, "events.jsonl", "\"command\":\"nproc\",\"exitcode\":0,\"stdout\":\"2\\n\""));
}

static void test_no_balloon_device(void **state)
{
	char root[1024], run[2048];
	const char *reason;
	json_t *doc;

	(void)state;
	{
		const char *args[] = { "run", "harness/tests/scenarios/int-noballoon.ini", NULL };
		struct strbuf out = STRBUF_INIT;

		assert_int_equal(int_run_fresh("noballoon", args, root, sizeof(root), &out), 1);
		assert_non_null(strstr(out.buf, "guest-1"));
		assert_non_null(strstr(out.buf, "DeviceNotActive"));
		strbuf_release(&out);
	}
	int_find_run(root, 1, run, sizeof(run));
	doc = int_load_json(run, "run.json");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "failed");
	reason = json_string_value(json_object_get(doc, "reason"));
	assert_non_null(reason);
	assert_non_null(strstr(reason, "guest-1"));
	/* QEMU 7.2's words, or older QEMUs' */
	assert_true(strstr(reason, "No balloon device has been activated") ||
		    strstr(reason, "has not been activated"));
	assert_non_null(strstr(reason, "balloon = none"));
	json_decref(doc);
	assert_int_equal(int_processes_mentioning(root), 0);
}

static void test_agent_never_ready(void **state)
{
	char root[1024], run[2048];
	const char *reason;
	json_t *doc;

	(void)state;
	{
		const char *args[] = { "run", "harness/tests/scenarios/int-noagent.ini", NULL };

		assert_int_equal(int_run_fresh("noagent", args, root, sizeof(root), NULL), 1);
	}
	int_find_run(root, 1, run, sizeof(run));
	doc = int_load_json(run, "run.json");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "failed");
	reason = json_string_value(json_object_get(doc, "reason"));
	assert_non_null(strstr(reason, "guest agent not ready within 4 s"));
	assert_non_null(strstr(reason, "last console lines"));
	json_decref(doc);
	assert_int_equal(int_processes_mentioning(root), 0);
}

/* Wait until events.jsonl says the guest is up; returns its QEMU pid. */
static int wait_guest_ready(const char *root)
{
	uint64_t deadline = mono_ns() + 90 * 1000000000ull;

	while (mono_ns() < deadline) {
		char run[2048], path[2200];
		struct strbuf ev = STRBUF_INIT;
		const char *p;
		DIR *d = opendir(root);
		struct dirent *e;
		int pid = 0;

		run[0] = '\0';
		while (d && (e = readdir(d)))
			if (!strncmp(e->d_name, "int-long", 8))
				snprintf(run, sizeof(run), "%s/%s/run-001", root, e->d_name);
		if (d)
			closedir(d);
		snprintf(path, sizeof(path), "%s/events.jsonl", run);
		if (run[0] && read_file(path, &ev) == 0 && (p = strstr(strbuf_str(&ev), "\"qemu_pid\":")))
			pid = atoi(p + 11);
		strbuf_release(&ev);
		if (pid > 0)
			return pid;
		sleep_ns(50000000, NULL);
	}
	fail_msg("guest never became ready");
	return -1;
}

static void interrupted_run(const char *name, int kill_qemu, const char *want_status,
			    const char *want_reason)
{
	char root[1024], log[1200], run[2048];
	const char *args[] = { "run", "harness/tests/scenarios/int-long.ini", "-o", NULL, NULL };
	struct child c;
	int st, qemu_pid;
	json_t *doc;

	int_tmpdir(name, root, sizeof(root));
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	args[3] = root;
	int_start(&c, log, args);
	qemu_pid = wait_guest_ready(root);
	assert_int_equal(kill(kill_qemu ? qemu_pid : c.pid, kill_qemu ? SIGKILL : SIGINT), 0);
	assert_int_equal(child_wait(&c, &st), 0);
	child_release(&c);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	int_find_run(root, 1, run, sizeof(run));
	doc = int_load_json(run, "run.json");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), want_status);
	print_message("reason: %s\n", json_string_value(json_object_get(doc, "reason")));
	assert_non_null(strstr(json_string_value(json_object_get(doc, "reason")), want_reason));
	/* the run stopped long before its 60 s */
	assert_true(json_number_value(json_object_get(doc, "duration_s")) < 30);
	json_decref(doc);
	assert_int_equal(int_processes_mentioning(root), 0);
	assert_true(kill(qemu_pid, 0) < 0 && errno == ESRCH);
}

static void test_qemu_killed_from_outside(void **state)
{
	(void)state;
	interrupted_run("killed", 1, "failed", "killed by signal 9");
}

static void test_sigint(void **state)
{
	(void)state;
	interrupted_run("sigint", 0, "incomplete", "interrupted by SIGINT");
}

/* The harness itself SIGKILLed half way (nothing of it can react): its
 * QEMU dies with it (PDEATHSIG), run.json still says "incomplete", and
 * samples.csv holds whole lines up to about a second before the kill,
 * because the CSVs are streamed, not written at the end. */
static void test_harness_sigkilled(void **state)
{
	char root[1024], log[1200], run[2048], path[2200];
	const char *args[] = { "run", "harness/tests/scenarios/int-long.ini", "-o", NULL, NULL };
	struct strbuf csv = STRBUF_INIT;
	struct child c;
	unsigned long long last_ms = 0;
	int st, qemu_pid, rows = 0;
	char *save = NULL;
	json_t *doc;

	(void)state;
	int_tmpdir("sigkilled", root, sizeof(root));
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	args[3] = root;
	int_start(&c, log, args);
	qemu_pid = wait_guest_ready(root);
	sleep_ns(3000000000ull, NULL);
	assert_int_equal(kill(c.pid, SIGKILL), 0);
	assert_int_equal(child_wait(&c, &st), 0);
	child_release(&c);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	int_find_run(root, 1, run, sizeof(run));
	doc = int_load_json(run, "run.json");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "incomplete");
	json_decref(doc);
	snprintf(path, sizeof(path), "%s/samples.csv", run);
	assert_int_equal(read_file(path, &csv), 0);
	assert_true(csv.len > 0 && csv.buf[csv.len - 1] == '\n');	/* whole lines only */
	for (char *l = strtok_r(csv.buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		unsigned long long t;
		char src[64], series[128];
		double v;

		if (!rows++) {
			assert_string_equal(l, "t_ms,source,series,value");
			continue;
		}
		if (sscanf(l, "%llu,%63[^,],%127[^,],%lf", &t, src, series, &v) != 4)
			fail_msg("samples.csv line %d is not t_ms,source,series,value: '%s'", rows, l);
		last_ms = t > last_ms ? t : last_ms;
	}
	/* killed 3 s after the guest was ready: the file reaches within
	 * about a second of the kill (1 s streaming period + slack) */
	{
		struct strbuf ev = STRBUF_INIT;
		const char *p;
		unsigned long long ready_ms = 0;

		snprintf(path, sizeof(path), "%s/events.jsonl", run);
		assert_int_equal(read_file(path, &ev), 0);
		p = strstr(ev.buf, "\"type\":\"guest_ready\"");
		assert_non_null(p);
		while (p > ev.buf && p[-1] != '\n')
			p--;
		assert_int_equal(sscanf(p, "{\"t_ms\":%llu", &ready_ms), 1);
		print_message("samples.csv: %d rows, last at %llu ms, guest ready at %llu ms\n", rows,
			      (unsigned long long)last_ms, ready_ms);
		assert_true(last_ms + 1500 >= ready_ms + 3000);
		strbuf_release(&ev);
	}
	strbuf_release(&csv);
	/* PDEATHSIG: QEMU went with the harness */
	for (int i = 0; i < 100 && kill(qemu_pid, 0) == 0; i++)
		sleep_ns(50000000, NULL);
	assert_true(kill(qemu_pid, 0) < 0 && errno == ESRCH);
}

/* A user image directory with a compressed bzImage (no PVH ELF): the
 * fallback path boots it through SeaBIOS, and run.json says which
 * kernel and firmware were used. */
static void test_user_image_bzimage(void **state)
{
	char root[1024], log[1200], img[1200], run[2048], src[4200], dst[4200];
	const char *args[] = { "run", "scenarios/quickstart.ini", "-o", NULL, "--image", NULL, NULL };
	const char *guest_dir = getenv("OCBENCH_GUEST_DIR");
	struct strbuf data = STRBUF_INIT, argv_text = STRBUF_INIT;
	json_t *doc, *g, *a;
	size_t i;

	(void)state;
	int_tmpdir("userimage", root, sizeof(root));
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	snprintf(img, sizeof(img), "%s-image", root);	/* beside the results root */
	remove_tree(img);
	assert_int_equal(mkdir_p(img, 0755), 0);
	for (i = 0; i < 2; i++) {
		const char *f = i ? "initramfs.cpio" : "vmlinuz";

		snprintf(src, sizeof(src), "%s/%s", guest_dir && *guest_dir ? guest_dir : "build/guest", f);
		snprintf(dst, sizeof(dst), "%s/%s", img, f);
		strbuf_reset(&data);
		assert_int_equal(read_file(src, &data), 0);
		assert_int_equal(write_file_atomic(dst, data.buf, data.len, 0644), 0);
	}
	strbuf_release(&data);
	args[3] = root;
	args[5] = img;
	assert_int_equal(int_run(log, NULL, args), 0);
	int_find_run(root, 1, run, sizeof(run));
	doc = int_load_json(run, "run.json");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "complete");
	g = json_array_get(json_object_get(doc, "guests"), 0);
	/* recorded absolute (a libvirt daemon opens it from its own cwd) */
	snprintf(src, sizeof(src), "%s/vmlinuz", img);
	assert_non_null(realpath(src, dst));
	assert_string_equal(json_string_value(json_object_get(g, "kernel")), dst);
	json_array_foreach(json_object_get(g, "argv"), i, a)
		strbuf_addf(&argv_text, "%s ", json_string_value(a));
	assert_null(strstr(argv_text.buf, "qboot"));	/* not an ELF: SeaBIOS */
	assert_true(int_metric(doc, "guest-1.memtotal_before_mib") - int_metric(doc, "guest-1.memtotal_ballooned_mib") >= 1200);
	strbuf_release(&argv_text);
	json_decref(doc);
	assert_int_equal(int_processes_mentioning(root), 0);
}

/* A user disk image (no -kernel): guest-images/build-disk-image makes a
 * FAT + syslinux disk of the default guest, QEMU boots it through SeaBIOS
 * from a virtio disk, the quickstart completes, and the image is byte for
 * byte what it was (snapshot=on).  Its directory has a comma in its name,
 * which QEMU's option syntax must see doubled. */
static void test_user_disk_image(void **state)
{
	char root[1024], img[1300], abs_img[4096], run[2048];
	const char *args[] = { "run", "scenarios/quickstart.ini", "--image", img, NULL };
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT, argv_text = STRBUF_INIT;
	json_t *doc, *g, *a;
	size_t i;

	(void)state;
	int_disk_image("diskimage", img, sizeof(img));
	assert_non_null(realpath(img, abs_img));
	assert_int_equal(read_file(img, &before), 0);

	assert_int_equal(int_run_fresh("diskrun", args, root, sizeof(root), NULL), 0);
	int_find_run(root, 1, run, sizeof(run));
	doc = int_load_json(run, "run.json");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "complete");
	g = json_array_get(json_object_get(doc, "guests"), 0);
	assert_string_equal(json_string_value(json_object_get(g, "disk")), abs_img);
	assert_string_equal(json_string_value(json_object_get(g, "kernel")), "");
	json_array_foreach(json_object_get(g, "argv"), i, a)
		strbuf_addf(&argv_text, "%s ", json_string_value(a));
	assert_null(strstr(argv_text.buf, "-kernel"));
	assert_non_null(strstr(argv_text.buf, "vendor,,image/disk.img,format=raw,if=none,id=disk0,snapshot=on"));
	assert_true(int_metric(doc, "guest-1.memtotal_before_mib") -
		    int_metric(doc, "guest-1.memtotal_ballooned_mib") >= 1200);
	json_decref(doc);
	assert_true(int_file_has(run, "guests/guest-1/console.log", "agent starting"));

	assert_int_equal(read_file(img, &after), 0);
	assert_true(before.len == after.len && !memcmp(before.buf, after.buf, before.len));
	assert_int_equal(int_processes_mentioning(root), 0);
	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&argv_text);
}

/* A journal left by a killed run: `ocbench run` refuses to start. */
static void test_refuses_after_killed_run(void **state)
{
	char root[1024], log[1200], journal[1300];
	struct strbuf out = STRBUF_INIT;
	const char *args[] = { "run", "scenarios/quickstart.ini", "-o", NULL, "--state-dir", NULL, NULL };

	(void)state;
	int_tmpdir("leftover", root, sizeof(root));
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	snprintf(journal, sizeof(journal), "%s/host-knobs.journal", root);
	assert_int_equal(write_file_atomic(journal, "x\n", 2, 0600), 0);
	args[3] = root;
	args[5] = root;
	assert_int_equal(int_run(log, &out, args), 2);
	assert_non_null(strstr(out.buf, "ocbench restore"));
	assert_non_null(strstr(out.buf, journal));
	assert_true(path_exists(journal));	/* nothing was touched */
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quickstart),
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_no_balloon_device),
		cmocka_unit_test(test_agent_never_ready),
		cmocka_unit_test(test_qemu_killed_from_outside),
		cmocka_unit_test(test_sigint),
		cmocka_unit_test(test_harness_sigkilled),
		cmocka_unit_test(test_refuses_after_killed_run),
		cmocka_unit_test(test_user_image_bzimage),
		cmocka_unit_test(test_user_disk_image),
	};

	return cmocka_run_group_tests_name("integration: quickstart and faults", tests, NULL, NULL);
}
