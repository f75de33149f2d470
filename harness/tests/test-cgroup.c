/* Unit tests: the host memory cap (cgroup.c).
 *
 * Detection and the stats readers run on fake trees.  On the real host,
 * as root with a memory controller: create a 256 MiB group, start a child
 * in it (struct child .cgroup_procs) that touches 400 MiB, see it
 * OOM-killed and the events counted, and the group removed.  Skipped with
 * the reason otherwise. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/cgroup.h"
#include "util/clock.h"
#include "util/error.h"
#include "fake-sysfs.h"
#include "util/runcmd.h"

#define MS 1000000ull

struct fx {
	char root[64];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	fake_root_new(f->root, sizeof(f->root));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	remove_tree(f->root);
	free(f);
	return 0;
}

/* The development machines: cgroup2 with hugetlb only, memory in v1. */
static void test_find_v1_beside_hugetlb_only_v2(void **state)
{
	struct fx *f = *state;
	char mount[4096], want[256];
	int version = 0;

	fake_write(f->root, "/proc/self/mounts",
		   "proc /proc proc rw 0 0\n"
		   "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n"
		   "cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0\n"
		   "cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0\n");
	fake_write(f->root, "/sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n");
	assert_int_equal(cgroup_memory_find(f->root, mount, sizeof(mount), &version), 0);
	snprintf(want, sizeof(want), "%s/sys/fs/cgroup/memory", f->root);
	assert_string_equal(mount, want);
	assert_int_equal(version, 1);
}

static void test_find_v2(void **state)
{
	struct fx *f = *state;
	char mount[4096], want[256];
	int version = 0;

	/* v1 memory listed first, but a v2 memory controller wins */
	fake_write(f->root, "/proc/self/mounts",
		   "cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0\n"
		   "cgroup2 /sys/fs/cgroup cgroup2 rw,nsdelegate 0 0\n");
	fake_write(f->root, "/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
	assert_int_equal(cgroup_memory_find(f->root, mount, sizeof(mount), &version), 0);
	snprintf(want, sizeof(want), "%s/sys/fs/cgroup", f->root);
	assert_string_equal(mount, want);
	assert_int_equal(version, 2);
}

static void test_find_none(void **state)
{
	struct fx *f = *state;
	char mount[4096];
	int version = 0;

	/* "memory_recursiveprot" is not "memory" */
	fake_write(f->root, "/proc/self/mounts",
		   "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,memory_recursiveprot 0 0\n"
		   "cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n");
	fake_write(f->root, "/sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n");
	assert_int_equal(cgroup_memory_find(f->root, mount, sizeof(mount), &version), -1);
	assert_non_null(strstr(ocb_errmsg(), "needs the memory cgroup controller"));
	/* and cgroup_create says the same, creating nothing */
	assert_null(cgroup_create(f->root, 256 * 1048576ull));
	assert_non_null(strstr(ocb_errmsg(), "needs the memory cgroup controller"));
}

static void test_stats_v1(void **state)
{
	struct fx *f = *state;
	struct cgroup_stats st;
	char dir[256];

	fake_write(f->root, "/g/memory.usage_in_bytes", "104857600\n");
	fake_write(f->root, "/g/memory.limit_in_bytes", "268435456\n");
	fake_write(f->root, "/g/memory.max_usage_in_bytes", "268435456\n");
	fake_write(f->root, "/g/memory.failcnt", "42\n");
	fake_write(f->root, "/g/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
	snprintf(dir, sizeof(dir), "%s/g", f->root);
	assert_int_equal(cgroup_read_stats(dir, &st), 0);
	assert_int_equal(st.version, 1);
	assert_int_equal(st.current, 100 * 1048576ull);
	assert_int_equal(st.limit, 256 * 1048576ull);
	assert_int_equal(st.peak, 256 * 1048576ull);
	assert_int_equal(st.max_events, 42);
	assert_int_equal(st.oom_kill, 2);
	assert_int_equal(st.oom_events, 2);
	/* v1's "unlimited" */
	fake_write(f->root, "/g/memory.limit_in_bytes", "9223372036854771712\n");
	assert_int_equal(cgroup_read_stats(dir, &st), 0);
	assert_true(st.limit == UINT64_MAX);
	/* a missing file names the group */
	fake_write(f->root, "/g/memory.failcnt", "");
	{
		char p[300];

		snprintf(p, sizeof(p), "%s/g/memory.failcnt", f->root);
		unlink(p);
	}
	assert_int_equal(cgroup_read_stats(dir, &st), -1);
	assert_non_null(strstr(ocb_errmsg(), "memory.failcnt"));
}

static void test_stats_v2(void **state)
{
	struct fx *f = *state;
	struct cgroup_stats st;
	char dir[256];

	fake_write(f->root, "/g/memory.current", "1048576\n");
	fake_write(f->root, "/g/memory.max", "max\n");
	fake_write(f->root, "/g/memory.events", "low 0\nhigh 0\nmax 17\noom 3\noom_kill 1\noom_group_kill 0\n");
	snprintf(dir, sizeof(dir), "%s/g", f->root);
	assert_int_equal(cgroup_read_stats(dir, &st), 0);
	assert_int_equal(st.version, 2);
	assert_int_equal(st.current, 1048576);
	assert_true(st.limit == UINT64_MAX);
	assert_int_equal(st.peak, 0);	/* no memory.peak before 5.19 */
	assert_int_equal(st.max_events, 17);
	assert_int_equal(st.oom_events, 3);
	assert_int_equal(st.oom_kill, 1);
	fake_write(f->root, "/g/memory.peak", "2097152\n");
	assert_int_equal(cgroup_read_stats(dir, &st), 0);
	assert_int_equal(st.peak, 2097152);
}

/* ---- the real host -------------------------------------------------------- */

static int real_host_usable(void)
{
	char mount[4096];
	int version;

	if (geteuid() != 0) {
		print_message("SKIP: not root: creating a memory cgroup needs root\n");
		return 0;
	}
	if (cgroup_memory_find("/", mount, sizeof(mount), &version) < 0) {
		print_message("SKIP: %s\n", ocb_errmsg());
		return 0;
	}
	return 1;
}

static void self_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	assert_true(n > 0);
	buf[n] = '\0';
}

static void test_real_oom(void **state)
{
	struct cgroup *cg;
	struct cgroup_stats st;
	struct child c = CHILD_INIT;
	char exe[4096], dir[4096];
	json_t *d;
	int status;

	(void)state;
	if (!real_host_usable())
		skip();
	cg = cgroup_create("/", 256 * 1048576ull);
	if (!cg)
		print_error("%s\n", ocb_errmsg());
	assert_non_null(cg);
	snprintf(dir, sizeof(dir), "%s", cgroup_dir(cg));
	print_message("cgroup v%d at %s\n", cgroup_version(cg), dir);
	assert_true(path_exists(dir));
	assert_int_equal(cgroup_read_stats(dir, &st), 0);
	assert_int_equal(st.limit, 256 * 1048576ull);
	assert_int_equal(cgroup_nprocs(cg), 0);

	/* this test binary again, as a memory hog inside the group */
	self_exe(exe, sizeof(exe));
	strvec_push(&c.args, exe);
	strvec_push(&c.args, "--hog");
	strvec_push(&c.args, "400");
	c.cgroup_procs = cgroup_procs_path(cg);
	assert_int_equal(child_start(&c), 0);
	assert_int_equal(child_wait(&c, &status), 0);
	child_release(&c);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);

	assert_int_equal(cgroup_read_stats(dir, &st), 0);
	print_message("peak %.0f MiB, max events %llu, oom %llu, oom_kill %llu\n",
		      (double)st.peak / 1048576, (unsigned long long)st.max_events,
		      (unsigned long long)st.oom_events, (unsigned long long)st.oom_kill);
	assert_true(st.oom_kill >= 1);
	assert_true(st.max_events >= 1);
	assert_true(st.peak == 0 || st.peak >= 200 * 1048576ull);
	d = cgroup_describe(cg);
	assert_int_equal(json_integer_value(json_object_get(d, "oom_kill")), (json_int_t)st.oom_kill);
	assert_true(json_number_value(json_object_get(d, "limit_mib")) == 256.0);
	json_decref(d);

	assert_int_equal(cgroup_destroy(cg, 2000 * MS), 0);
	assert_false(path_exists(dir));
}

/* A process still inside keeps the group: the error names it. */
static void test_real_busy(void **state)
{
	struct cgroup *cg;
	struct child c = CHILD_INIT;
	char dir[4096], pid[32];

	(void)state;
	if (!real_host_usable())
		skip();
	cg = cgroup_create("/", 64 * 1048576ull);
	assert_non_null(cg);
	snprintf(dir, sizeof(dir), "%s", cgroup_dir(cg));
	strvec_push(&c.args, "sleep");
	strvec_push(&c.args, "30");
	c.cgroup_procs = cgroup_procs_path(cg);
	assert_int_equal(child_start(&c), 0);
	assert_int_equal(cgroup_nprocs(cg), 1);
	assert_int_equal(cgroup_destroy(cg, 50 * MS), -1);
	snprintf(pid, sizeof(pid), "%ld", (long)c.pid);
	print_message("%s\n", ocb_errmsg());
	assert_non_null(strstr(ocb_errmsg(), "still in it"));
	assert_non_null(strstr(ocb_errmsg(), pid));
	child_release(&c);
	/* the operator's (here: our) cleanup */
	for (int i = 0; i < 100 && rmdir(dir) < 0; i++)
		sleep_ns(10000 * 1000ull, NULL);
	assert_false(path_exists(dir));
}

/* A child that cannot join says which file, and never runs. */
static void test_join_fails(void **state)
{
	struct child c = CHILD_INIT;

	(void)state;
	strvec_push(&c.args, "true");
	c.cgroup_procs = "/nonexistent/ocbench/cgroup.procs";
	assert_int_equal(child_start(&c), -1);
	print_message("%s\n", ocb_errmsg());
	assert_non_null(strstr(ocb_errmsg(), "/nonexistent/ocbench/cgroup.procs"));
	assert_non_null(strstr(ocb_errmsg(), "No such file"));
	child_release(&c);
}

/* --hog MiB: touch that much memory, then exit 0 (if never killed). */
static int hog(const char *mib)
{
	size_t len = (size_t)atol(mib) << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 3;
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	return 0;
}

/* A SIGKILLed run leaves its empty group: cgroup_remove_stale (what
 * `ocbench restore` calls) removes it, and leaves live runs' groups. */
static void test_real_remove_stale(void **state)
{
	struct cgroup *live;
	char dead[4200], *slash;
	int n;

	(void)state;
	if (!real_host_usable())
		skip();
	live = cgroup_create("/", 256 * 1048576ull);
	assert_non_null(live);
	/* a sibling named after a pid that cannot exist (above pid_max) */
	snprintf(dead, sizeof(dead), "%s", cgroup_dir(live));
	slash = strrchr(dead, '/');
	assert_non_null(slash);
	snprintf(slash, sizeof(dead) - (size_t)(slash - dead), "/ocbench-%ld", 99999999L);
	assert_int_equal(mkdir(dead, 0755), 0);
	n = cgroup_remove_stale("/");
	assert_true(n >= 1);
	assert_false(path_exists(dead));
	assert_true(path_exists(cgroup_dir(live)));	/* ours: still running */
	assert_int_equal(cgroup_destroy(live, 5 * 1000000000ull), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_find_v1_beside_hugetlb_only_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_v2, setup, teardown),
		cmocka_unit_test(test_real_oom),
		cmocka_unit_test(test_real_busy),
		cmocka_unit_test(test_real_remove_stale),
		cmocka_unit_test(test_join_fails),
	};

	if (argc == 3 && !strcmp(argv[1], "--hog"))
		return hog(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
