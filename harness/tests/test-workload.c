/* Unit tests: the workload list (workloads/workloads.h) is the one the
 * harness validates with (guest/workload.c) and the one the Makefile
 * builds: every listed program has its source, every source is listed,
 * and a program left out of the list stops the build.
 *
 * Run from the top of the tree (the sources are read from there). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest/workload.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "util/strbuf.h"

#define MAKE_TIMEOUT_NS (60 * 1000000000ull)

static int listed(const char *name)
{
	return workload_help(name) != NULL;
}

static void test_every_listed_has_a_source(void **state)
{
	const char *const *names = workload_names();
	char path[256];

	(void)state;
	assert_non_null(names[0]);
	for (size_t i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "workloads/%s.c", names[i]);
		if (access(path, R_OK) != 0)
			fail_msg("workload '%s' is listed in workloads/workloads.h but %s does not exist: "
				 "expected its source there", names[i], path);
		assert_true(strlen(workload_help(names[i])) > 0);
	}
}

static void test_every_source_is_listed(void **state)
{
	DIR *d = opendir("workloads");
	struct dirent *e;
	size_t n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char name[256];

		if (len < 3 || strcmp(e->d_name + len - 2, ".c"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 2), e->d_name);
		if (!listed(name))
			fail_msg("workloads/%s is a program not listed in workloads/workloads.h: expected "
				 "X(%s, \"...\") in OCB_WORKLOADS", e->d_name, name);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
}

static void test_validate(void **state)
{
	(void)state;
	for (const char *const *n = workload_names(); *n; n++)
		assert_int_equal(workload_validate(*n), 0);
	assert_int_equal(workload_validate("/opt/mine/bench"), 0);	/* the user's image */
	assert_null(workload_help("memtuch"));
	assert_int_equal(workload_validate("memtuch"), -1);
	assert_string_equal(ocb_errmsg(), "unknown workload 'memtuch' (did you mean 'memtouch'? "
			    "expected one of bandwidth, ksmfill, memlat, memtouch, pressure, or an "
			    "absolute path in the guest)");
	assert_int_equal(workload_validate("rm"), -1);
	assert_string_equal(ocb_errmsg(), "unknown workload 'rm' (expected one of bandwidth, ksmfill, "
			    "memlat, memtouch, pressure, or an absolute path in the guest)");
}

/* A copy of the Makefile and the list in a temporary tree with a stub
 * source per listed program, plus extra when not NULL. */
static void make_tree(char *dir, const char *extra)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT;
	static const char *const files[] = { "Makefile", "workloads/workloads.h", NULL };

	assert_non_null(mkdtemp(dir));
	strbuf_addf(&p, "%s/workloads", dir);
	assert_int_equal(mkdir_p(p.buf, 0755), 0);
	for (size_t i = 0; files[i]; i++) {
		strbuf_reset(&text);
		assert_int_equal(read_file(files[i], &text), 0);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir, files[i]);
		assert_int_equal(write_file_atomic(p.buf, text.buf, text.len, 0644), 0);
	}
	for (const char *const *n = workload_names(); *n; n++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/workloads/%s.c", dir, *n);
		assert_int_equal(write_file_atomic(p.buf, "", 0, 0644), 0);
	}
	if (extra) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/workloads/%s", dir, extra);
		assert_int_equal(write_file_atomic(p.buf, "", 0, 0644), 0);
	}
	strbuf_release(&p);
	strbuf_release(&text);
}

/* `make -s -C dir ocb-wl` with a rule that prints $(WL_PROGS). */
static int make_wl_progs(const char *dir, struct strbuf *out)
{
	const char *const argv[] = { "make", "-s", "--no-print-directory", "-C", dir, "--eval",
				     "ocb-wl: ; @echo $(WL_PROGS)", "ocb-wl", NULL };

	/* Under `make check-unit -j2` the jobserver of the outer make is in
	 * the environment; this make is not its child and must not use it. */
	unsetenv("MAKEFLAGS");
	unsetenv("MFLAGS");
	unsetenv("MAKELEVEL");
	return run_capture(argv, out, MAKE_TIMEOUT_NS);
}

static void test_makefile_builds_the_list(void **state)
{
	char dir[] = "/tmp/test-workload-XXXXXX";
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;

	(void)state;
	make_tree(dir, NULL);
	for (const char *const *n = workload_names(); *n; n++)
		strbuf_addf(&want, "%s%s", want.len ? " " : "", *n);
	strbuf_addch(&want, '\n');
	assert_int_equal(make_wl_progs(dir, &out), 0);
	if (strcmp(out.buf, want.buf))
		fail_msg("the Makefile's WL_PROGS is not workloads.h's list: expected \"%s\", make "
			 "printed \"%s\"", want.buf, out.buf);
	assert_int_equal(remove_tree(dir), 0);
	strbuf_release(&out);
	strbuf_release(&want);
}

static void test_makefile_stops_on_unlisted(void **state)
{
	char dir[] = "/tmp/test-workload-XXXXXX";
	struct strbuf out = STRBUF_INIT;

	(void)state;
	make_tree(dir, "stray.c");
	assert_int_not_equal(make_wl_progs(dir, &out), 0);
	if (!strstr(out.buf, "workloads/stray.c is a program not listed in workloads/workloads.h"))
		fail_msg("make did not refuse the unlisted workloads/stray.c; it said: %s", out.buf);
	assert_int_equal(remove_tree(dir), 0);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_listed_has_a_source),
		cmocka_unit_test(test_every_source_is_listed),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_makefile_builds_the_list),
		cmocka_unit_test(test_makefile_stops_on_unlisted),
	};

	return cmocka_run_group_tests_name("workload", tests, NULL, NULL);
}
