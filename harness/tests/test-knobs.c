/* Unit tests: host knobs (knobs.c, sysfs.c, hugetlb.c, kvmparam.c) on fake
 * trees, the journal's crash safety with a real SIGKILL, and — on the real
 * host, only when root — KSM on / THP never around a short operation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/error.h"
#include "util/clock.h"
#include "fake-sysfs.h"
#include "knobs/journal.h"
#include "knobs/knobs.h"
#include "host/ksm.h"
#include "util/runcmd.h"
#include "host/sysfs.h"
#include "private-lock.h"

struct fx {
	char root[64];
	char state[64];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	fake_root_new(f->root, sizeof(f->root));
	snprintf(f->state, sizeof(f->state), "/tmp/ocb-state-XXXXXX");
	if (!mkdtemp(f->state)) {
		free(f);
		return -1;
	}
	chmod(f->state, 0777);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	sysfs_set_fake_hook(NULL);
	if (getuid() == 0 && geteuid() != 0 && seteuid(0) < 0)	/* a failed test_not_root */
		return -1;
	remove_tree(f->root);
	remove_tree(f->state);
	free(f);
	return 0;
}

static int journal_exists(const char *state_dir)
{
	struct strbuf p = STRBUF_INIT;
	int e;

	journal_file_path(state_dir, &p);
	e = path_exists(p.buf);
	strbuf_release(&p);
	return e;
}

static void assert_file(const char *root, const char *rel, const char *want)
{
	char *got = fake_read(root, rel);

	assert_string_equal(got, want);
	free(got);
}

static void test_validate(void **state)
{
	const char *const *names = knob_names();
	struct strbuf a = STRBUF_INIT;
	int n = 0;

	(void)state;
	assert_int_equal(knob_validate("ksm", "on"), 0);
	assert_int_equal(knob_validate("ksm", "2"), 0);
	assert_int_equal(knob_validate("ksm.pages_to_scan", "1000"), 0);
	assert_int_equal(knob_validate("thp", "madvise"), 0);
	assert_int_equal(knob_validate("thp.defrag", "defer+madvise"), 0);
	assert_int_equal(knob_validate("hugetlb.2M", "512"), 0);
	assert_int_equal(knob_validate("hugetlb.2M", "1G"), 0);
	assert_int_equal(knob_validate("hugetlb.1G.node1", "2"), 0);
	assert_int_equal(knob_validate("ept", "off"), 0);
	assert_int_equal(knob_validate("overcommit_memory", "never"), 0);
	assert_int_equal(knob_validate("uksm.cpu_ratios", "-20 -20 -20 -20"), 0);

	/* bad values name the knob and the allowed values */
	assert_int_equal(knob_validate("thp", "sometimes"), -1);
	assert_string_equal(ocb_errmsg(), "invalid value 'sometimes' for host knob 'thp': "
			    "expected always, madvise or never");
	assert_int_equal(knob_validate("ksm.pages_to_scan", "-5"), -1);
	assert_non_null(strstr(ocb_errmsg(), "'ksm.pages_to_scan'"));
	assert_non_null(strstr(ocb_errmsg(), "0 to 100000000"));
	assert_int_equal(knob_validate("swappiness", "201"), -1);
	assert_int_equal(knob_validate("hugetlb.2M", "3M"), -1);
	assert_non_null(strstr(ocb_errmsg(), "multiple"));
	assert_int_equal(knob_validate("hugetlb.3X", "1"), -1);
	assert_non_null(strstr(ocb_errmsg(), "hugetlb.<size>"));
	assert_int_equal(knob_validate("hugetlb.2M.nod0", "1"), -1);
	/* unknown knobs: suggestion */
	assert_int_equal(knob_validate("thp.defarg", "never"), -1);
	assert_non_null(strstr(ocb_errmsg(), "did you mean 'thp.defrag'"));
	assert_int_equal(knob_validate("frobnicate", "1"), -1);
	assert_non_null(strstr(ocb_errmsg(), "unknown host knob 'frobnicate'"));

	for (; names[n]; n++)
		assert_non_null(knob_help(names[n]));
	assert_true(n > 30);
	knob_allowed("ksm", &a);
	assert_string_equal(a.buf, "on, off, unmerge, 1, 0 or 2");
	strbuf_release(&a);

	assert_true(knob_path_allowed("/sys/kernel/mm/ksm/run"));
	assert_true(knob_path_allowed("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"));
	assert_true(knob_path_allowed("/sys/devices/system/node/node3/hugepages/hugepages-2048kB/nr_hugepages"));
	assert_false(knob_path_allowed("/etc/passwd"));
	assert_false(knob_path_allowed("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages/../../x"));
	assert_false(knob_path_allowed("/sys/kernel/mm/ksm/pages_sharing"));
}

/* Apply a realistic [host] section to a fake tree; restore gives back
 * every byte, and a second restore is harmless. */
static void test_apply_restore(void **state)
{
	struct fx *f = *state;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT, v = STRBUF_INIT;
	static const char *const kv[][2] = {
		{ "ksm", "on" }, { "ksm.pages_to_scan", "4000" }, { "ksm.sleep_millisecs", "10" },
		{ "ksm.advisor_mode", "scan-time" }, { "thp", "never" }, { "thp.defrag", "defer" },
		{ "thp.khugepaged.max_ptes_none", "0" }, { "hugetlb.2M", "64M" },
		{ "hugetlb.1G.node1", "1" }, { "swappiness", "10" }, { "overcommit_memory", "never" },
		{ "ksm.pages_to_scan", "2000" },	/* twice: restore ends at the first previous */
		{ "thp", "never" },			/* already so: nothing journaled */
	};
	struct knob_set *ks;
	char why[256];
	json_t *applied;

	fake_host(f->root, FAKE_ALL);
	fake_snapshot(f->root, &before);
	ks = knob_set_begin(f->root, f->state, 0);
	assert_non_null(ks);
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		int rc = knob_apply(ks, kv[i][0], kv[i][1], why, sizeof(why));

		if (rc != 0)
			fail_msg("%s=%s: %d %s", kv[i][0], kv[i][1], rc, ocb_errmsg());
	}
	assert_file(f->root, "/sys/kernel/mm/ksm/run", "1\n");
	assert_file(f->root, "/sys/kernel/mm/ksm/pages_to_scan", "2000\n");
	assert_file(f->root, "/sys/kernel/mm/ksm/advisor_mode", "none [scan-time]\n");
	assert_file(f->root, "/sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]\n");
	assert_file(f->root, "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "32\n");
	assert_file(f->root, "/sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages", "1\n");
	assert_file(f->root, "/proc/sys/vm/overcommit_memory", "2\n");
	assert_int_equal(knob_read(f->root, "thp.defrag", &v), 0);
	assert_string_equal(v.buf, "defer");
	applied = knob_set_applied(ks);
	assert_string_equal(json_string_value(json_object_get(json_object_get(applied, "ksm"), "previous")), "0");
	assert_true(journal_exists(f->state));

	/* a bad value mid-session changes nothing and is not journaled */
	fake_snapshot(f->root, &after);
	assert_int_equal(knob_apply(ks, "thp", "sometimes", why, sizeof(why)), -1);
	assert_non_null(strstr(ocb_errmsg(), "always, madvise or never"));
	fake_snapshot(f->root, &v);
	assert_string_equal(after.buf, v.buf);

	assert_int_equal(knob_set_restore(ks), 0);
	fake_snapshot(f->root, &after);
	assert_string_equal(before.buf, after.buf);
	assert_false(journal_exists(f->state));
	assert_int_equal(knob_set_restore(ks), 0);
	knob_set_free(ks);
	assert_int_equal(knob_restore_journal(f->root, f->state), 0);

	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&v);
}

/* Missing on this kernel: skipped with a reason, never an error. */
static void test_missing_knobs(void **state)
{
	struct fx *f = *state;
	struct knob_set *ks;
	char why[256];

	fake_host(f->root, FAKE_KSM | FAKE_VM | FAKE_KVM_PVM);
	ks = knob_set_begin(f->root, f->state, 0);
	assert_non_null(ks);
	assert_int_equal(knob_apply(ks, "uksm", "on", why, sizeof(why)), 1);
	assert_non_null(strstr(why, "UKSM is not in this kernel"));
	assert_int_equal(knob_apply(ks, "uksm.max_cpu_percentage", "50", why, sizeof(why)), 1);
	assert_int_equal(knob_apply(ks, "thp", "never", why, sizeof(why)), 1);
	assert_non_null(strstr(why, "THP is not in this kernel"));
	assert_int_equal(knob_apply(ks, "hugetlb.1G", "1", why, sizeof(why)), 1);
	assert_non_null(strstr(why, "no such hugetlb pool"));
	assert_int_equal(knob_apply(ks, "ksm.smart_scan", "1", why, sizeof(why)), 1);
	assert_non_null(strstr(why, "does not exist on this kernel"));
	assert_int_equal(knob_apply(ks, "ept", "off", why, sizeof(why)), 1);
	assert_non_null(strstr(why, "kvm_pvm"));
	assert_int_equal(knob_apply(ks, "npt", "off", why, sizeof(why)), 1);
	/* still validated before skipping */
	assert_int_equal(knob_apply(ks, "uksm", "maybe", why, sizeof(why)), -1);
	assert_int_equal(knob_set_restore(ks), 0);
	knob_set_free(ks);
}

static void test_uksm_present(void **state)
{
	struct fx *f = *state;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct knob_set *ks;
	char why[256];
	json_t *c;

	fake_host(f->root, FAKE_KSM | FAKE_UKSM);
	fake_snapshot(f->root, &before);
	ks = knob_set_begin(f->root, f->state, 0);
	assert_int_equal(knob_apply(ks, "uksm", "off", why, sizeof(why)), 0);
	assert_int_equal(knob_apply(ks, "uksm.cpu_governor", "quarter", why, sizeof(why)), 0);
	assert_file(f->root, "/sys/kernel/mm/uksm/cpu_governor", "full medium low [quarter]\n");
	assert_int_equal(knob_apply(ks, "uksm.cpu_ratios", "-10 -10 -10 -10", why, sizeof(why)), 0);
	c = ksm_counters(f->root);
	assert_int_equal(json_integer_value(json_object_get(c, "pages_sharing")), 345);
	assert_int_equal(json_integer_value(json_object_get(c, "general_profit")), -4096);
	assert_int_equal(json_integer_value(json_object_get(c, "uksm_pages_sharing")), 99);
	assert_null(json_object_get(c, "ksm_zero_pages"));
	json_decref(c);
	assert_int_equal(knob_set_restore(ks), 0);
	knob_set_free(ks);
	fake_snapshot(f->root, &after);
	assert_string_equal(before.buf, after.buf);
	strbuf_release(&before);
	strbuf_release(&after);
}

/* The kernel gives fewer hugepages than asked: say so, in numbers. */
static void short_pool(const char *path, const char *value)
{
	if (strstr(path, "hugepages-2048kB/nr_hugepages") && atoi(value) > 10) {
		FILE *fp = fopen(path, "w");

		fputs("10\n", fp);
		fclose(fp);
	}
}

static void test_hugetlb_short(void **state)
{
	struct fx *f = *state;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct knob_set *ks;
	char why[256];

	fake_host(f->root, FAKE_HUGETLB);
	fake_snapshot(f->root, &before);
	sysfs_set_fake_hook(short_pool);
	ks = knob_set_begin(f->root, f->state, 0);
	assert_int_equal(knob_apply(ks, "hugetlb.2M", "8", why, sizeof(why)), 0);
	assert_int_equal(knob_apply(ks, "hugetlb.2M", "512", why, sizeof(why)), -1);
	assert_non_null(strstr(ocb_errmsg(), "hugetlb.2M"));
	assert_non_null(strstr(ocb_errmsg(), "requested 512 pages, got 10"));
	/* the failed setting is still undone */
	assert_int_equal(knob_set_restore(ks), 0);
	knob_set_free(ks);
	fake_snapshot(f->root, &after);
	assert_string_equal(before.buf, after.buf);
	strbuf_release(&before);
	strbuf_release(&after);
}

static void write_fake_modprobe(const char *root, const char *state_dir, struct strbuf *prog)
{
	struct strbuf s = STRBUF_INIT;

	strbuf_addf(prog, "%s/fake-modprobe", state_dir);
	/* "-r MOD" does nothing; "MOD p=v ..." writes each p=v as the module would */
	strbuf_addf(&s, "#!/bin/sh\n[ \"$1\" = -r ] && exit 0\nmod=$1; shift\n"
		    "for a; do printf '%%s\\n' \"${a#*=}\" > '%s'/sys/module/$mod/parameters/\"${a%%%%=*}\"; done\n"
		    "echo \"$mod $*\" >> '%s/modprobe.log'\n", root, state_dir);
	assert_int_equal(write_file_atomic(prog->buf, s.buf, s.len, 0755), 0);
	strbuf_release(&s);
}

static void test_kvm_params(void **state)
{
	struct fx *f = *state;
	struct strbuf prog = STRBUF_INIT, before = STRBUF_INIT, after = STRBUF_INIT;
	struct knob_set *ks;
	char why[256], *log;

	fake_host(f->root, FAKE_KVM_INTEL);
	fake_snapshot(f->root, &before);
	ks = knob_set_begin(f->root, f->state, 0);
	/* already so: fine without a reload */
	assert_int_equal(knob_apply(ks, "ept", "on", why, sizeof(why)), 0);
	/* AMD parameter on an Intel host */
	assert_int_equal(knob_apply(ks, "npt", "off", why, sizeof(why)), 1);
	assert_non_null(strstr(why, "CPU has vmx but kvm_amd is not loaded") ? why : strstr(why, "kvm_amd"));
	/* a change needs permission to reload */
	assert_int_equal(knob_apply(ks, "ept", "off", why, sizeof(why)), -1);
	assert_non_null(strstr(ocb_errmsg(), "--allow-module-reload"));
	knob_set_allow_module_reload(ks, 1);
	/* never the real modprobe on a fake root */
	unsetenv("OCBENCH_MODPROBE");
	assert_int_equal(knob_apply(ks, "ept", "off", why, sizeof(why)), -1);
	assert_non_null(strstr(ocb_errmsg(), "refusing to run the real modprobe"));
	/* not while a VM holds the module */
	fake_write(f->root, "/sys/module/kvm_intel/refcnt", "2\n");
	write_fake_modprobe(f->root, f->state, &prog);
	setenv("OCBENCH_MODPROBE", prog.buf, 1);
	assert_int_equal(knob_apply(ks, "vpid", "off", why, sizeof(why)), -1);
	assert_non_null(strstr(ocb_errmsg(), "a VM is running"));
	fake_write(f->root, "/sys/module/kvm_intel/refcnt", "0\n");
	assert_int_equal(knob_apply(ks, "vpid", "off", why, sizeof(why)), 0);
	assert_file(f->root, "/sys/module/kvm_intel/parameters/vpid", "N\n");
	assert_file(f->root, "/sys/module/kvm_intel/parameters/ept", "Y\n");
	assert_int_equal(knob_set_restore(ks), 0);
	knob_set_free(ks);
	unsetenv("OCBENCH_MODPROBE");
	log = fake_read(f->state, "/modprobe.log");
	/* the reload keeps the other parameter at its value */
	assert_non_null(strstr(log, "kvm_intel ept=Y vpid=N"));
	assert_non_null(strstr(log, "kvm_intel vpid=Y ept=Y") ? log : strstr(log, "kvm_intel ept=Y vpid=Y"));
	free(log);
	fake_snapshot(f->root, &after);
	assert_string_equal(before.buf, after.buf);
	strbuf_release(&prog);
	strbuf_release(&before);
	strbuf_release(&after);
}

/* Not root: the write fails saying so, nothing is left half-done, and the
 * read-only report still works. */
static void test_not_root(void **state)
{
	struct fx *f = *state;
	struct strbuf v = STRBUF_INIT;
	struct knob_set *ks;
	char why[256];

	if (geteuid() != 0) {
		print_message("SKIP: not root: the not-root test drops privileges from root\n");
		skip();
	}
	fake_host(f->root, FAKE_KSM | FAKE_THP);
	assert_int_equal(seteuid(65534), 0);
	assert_int_equal(knob_read(f->root, "thp", &v), 0);
	assert_string_equal(v.buf, "madvise");
	assert_int_equal(knob_unwritable(f->root, &v), 12);
	assert_non_null(strstr(v.buf, "ksm, ksm.pages_to_scan"));
	ks = knob_set_begin(f->root, f->state, 0);
	assert_non_null(ks);
	assert_int_equal(knob_apply(ks, "ksm", "on", why, sizeof(why)), -1);
	assert_non_null(strstr(ocb_errmsg(), "needs root"));
	assert_non_null(strstr(ocb_errmsg(), "host knob 'ksm'"));
	assert_int_equal(knob_set_restore(ks), 0);
	knob_set_free(ks);
	assert_int_equal(seteuid(0), 0);
	assert_file(f->root, "/sys/kernel/mm/ksm/run", "0\n");
	strbuf_release(&v);
}

static void test_stale_journal(void **state)
{
	struct fx *f = *state;
	struct knob_set *ks, *again;
	char why[256];

	fake_host(f->root, FAKE_KSM);
	ks = knob_set_begin(f->root, f->state, 0);
	assert_int_equal(knob_apply(ks, "ksm", "on", why, sizeof(why)), 0);
	knob_set_free(ks);	/* as if killed: journal stays */
	assert_file(f->root, "/sys/kernel/mm/ksm/run", "1\n");
	again = knob_set_begin(f->root, f->state, 0);
	assert_null(again);
	assert_non_null(strstr(ocb_errmsg(), "ocbench restore"));
	assert_non_null(strstr(ocb_errmsg(), "--force"));
	again = knob_set_begin(f->root, f->state, 1);	/* --force restores first */
	assert_non_null(again);
	assert_file(f->root, "/sys/kernel/mm/ksm/run", "0\n");
	assert_int_equal(knob_set_restore(again), 0);
	knob_set_free(again);
}

/* A tampered journal cannot make restore write outside the whitelist. */
static void test_whitelist(void **state)
{
	struct fx *f = *state;
	struct strbuf p = STRBUF_INIT, t = STRBUF_INIT;
	const char *text;

	fake_host(f->root, FAKE_KSM);
	fake_write(f->root, "/etc/passwd", "root:x:0:0\n");
	journal_file_path(f->state, &p);
	strbuf_addf(&t, "ocbench-journal 1 1\nroot %s\nset /etc/passwd pwned%%0a\n"
		    "set /sys/kernel/mm/ksm/run 0%%0a\n", f->root);
	assert_int_equal(write_file_atomic(p.buf, t.buf, t.len, 0600), 0);
	fake_write(f->root, "/sys/kernel/mm/ksm/run", "1\n");
	assert_int_equal(knob_restore_journal(f->root, f->state), -1);
	if (!strstr(ocb_errmsg(), "/etc/passwd: not a path ocbench may write"))
		fail_msg("%s", ocb_errmsg());
	assert_file(f->root, "/etc/passwd", "root:x:0:0\n");
	assert_file(f->root, "/sys/kernel/mm/ksm/run", "0\n");	/* the rest is restored */
	assert_true(journal_exists(f->state));
	/* a journal for another root is not applied to this one */
	text = "ocbench-journal 1 1\nroot /elsewhere\nset /sys/kernel/mm/ksm/run 0%0a\n";
	assert_int_equal(write_file_atomic(p.buf, text, strlen(text), 0600), 0);
	assert_int_equal(knob_restore_journal(f->root, f->state), -1);
	assert_non_null(strstr(ocb_errmsg(), "written for root /elsewhere"));
	strbuf_release(&p);
	strbuf_release(&t);
}

/* ---- crash safety: SIGKILL at arbitrary points, then restore ---- */

static const char *const crash_kv[][2] = {
	{ "ksm", "on" }, { "ksm.pages_to_scan", "5000" }, { "thp", "never" },
	{ "thp.defrag", "always" }, { "hugetlb.2M", "16" }, { "swappiness", "1" },
	{ "overcommit_memory", "always" }, { "ksm.merge_across_nodes", "0" },
};

static void crash_child(const char *root, const char *state_dir, int ready_fd)
{
	struct knob_set *ks = knob_set_begin(root, state_dir, 0);
	char why[256];

	if (!ks)
		_exit(3);
	for (size_t i = 0; i < sizeof(crash_kv) / sizeof(crash_kv[0]); i++) {
		if (i == 2 && write(ready_fd, "r", 1) != 1)
			_exit(4);
		if (knob_apply(ks, crash_kv[i][0], crash_kv[i][1], why, sizeof(why)) != 0)
			_exit(5);
	}
	/* everything applied: wait to be killed */
	for (;;)
		pause();
}

static int run_restore(const char *root, const char *state_dir)
{
	const char *bin = getenv("OCBENCH");

	if (bin && *bin && access(bin, X_OK) == 0) {
		const char *argv[] = { bin, "restore", "--root", root, "--state-dir", state_dir, NULL };
		struct strbuf out = STRBUF_INIT;
		int rc = run_capture(argv, &out, 60ull * 1000000000ull);

		if (rc != 0)
			print_message("ocbench restore: %s\n", out.buf);
		strbuf_release(&out);
		return rc;
	}
	return knob_restore_journal(root, state_dir);
}

static void test_crash_restore(void **state)
{
	struct fx *f = *state;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	int rounds = 15, changed_seen = 0;

	fake_host(f->root, FAKE_ALL);
	fake_snapshot(f->root, &before);
	srand((unsigned)time(NULL));
	for (int r = 0; r < rounds; r++) {
		int pfd[2], st;
		char c;
		pid_t pid;

		assert_int_equal(pipe(pfd), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(pfd[0]);
			crash_child(f->root, f->state, pfd[1]);
		}
		close(pfd[1]);
		/* every third round: anywhere from fork on (even before the
		 * journal exists); else after two knobs, at a random moment within
		 * the next few ms; the last rounds once everything is applied */
		if (r % 3 == 0)
			sleep_ns((uint64_t)(rand() % 2000) * 1000u, NULL);
		else
			assert_int_equal(read(pfd[0], &c, 1), 1);
		if (r % 3 == 0)
			;
		else if (r < rounds - 2)
			sleep_ns((uint64_t)(rand() % 3000) * 1000u, NULL);
		else
			sleep_ns(300000 * 1000ull, NULL);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		close(pfd[0]);
		assert_true(WIFSIGNALED(st));
		fake_snapshot(f->root, &after);
		if (strcmp(before.buf, after.buf) != 0) {
			changed_seen++;
			assert_true(journal_exists(f->state));	/* changed => journaled */
		}
		assert_int_equal(run_restore(f->root, f->state), 0);
		fake_snapshot(f->root, &after);
		assert_string_equal(before.buf, after.buf);
		assert_false(journal_exists(f->state));
		/* restore is idempotent */
		assert_int_equal(run_restore(f->root, f->state), 0);
	}
	assert_true(changed_seen > 0);
	print_message("crash: %d/%d kills left the tree changed; all restored byte for byte (%s)\n",
		      changed_seen, rounds, getenv("OCBENCH") ? "via $OCBENCH restore" : "in-process");
	strbuf_release(&before);
	strbuf_release(&after);
}

/* ---- the real host: KSM on and THP never around a short operation ---- */

static void test_real_host(void **state)
{
	struct fx *f = *state;
	struct strbuf ksm0 = STRBUF_INIT, thp0 = STRBUF_INIT, v = STRBUF_INIT;
	struct knob_set *ks;
	char why[256];
	char *mem;
	int rc1, rc2;

	if (geteuid() != 0 || knob_read("/", "ksm", &ksm0) != 0 || knob_read("/", "thp", &thp0) != 0) {
		print_message("SKIP: real host test needs root, KSM and THP\n");
		skip();
	}
	ks = knob_set_begin("/", f->state, 0);
	assert_non_null(ks);
	rc1 = knob_apply(ks, "ksm", "on", why, sizeof(why));
	rc2 = knob_apply(ks, "thp", "never", why, sizeof(why));
	if (rc1 == 0 && rc2 == 0) {
		/* the short operation: touch some memory KSM could merge */
		mem = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem != MAP_FAILED) {
			memset(mem, 0x5a, 8 << 20);
			madvise(mem, 8 << 20, MADV_MERGEABLE);
			sleep_ns(100000 * 1000ull, NULL);
			munmap(mem, 8 << 20);
		}
		assert_int_equal(knob_read("/", "ksm", &v), 0);
		rc1 = strcmp(v.buf, "1");
		assert_int_equal(knob_read("/", "thp", &v), 0);
		rc2 = strcmp(v.buf, "never");
	}
	/* restore before asserting, so a failure never leaves the host changed */
	assert_int_equal(knob_set_restore(ks), 0);
	knob_set_free(ks);
	assert_int_equal(rc1, 0);
	assert_int_equal(rc2, 0);
	assert_int_equal(knob_read("/", "ksm", &v), 0);
	assert_string_equal(v.buf, ksm0.buf);
	assert_int_equal(knob_read("/", "thp", &v), 0);
	assert_string_equal(v.buf, thp0.buf);
	strbuf_release(&ksm0);
	strbuf_release(&thp0);
	strbuf_release(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test_setup_teardown(test_apply_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_knobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uksm_present, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hugetlb_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kvm_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whitelist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_host, setup, teardown),
	};

	if (private_lock_init() < 0)
		return 1;
	return private_lock_done(cmocka_run_group_tests(tests, NULL, NULL));
}
