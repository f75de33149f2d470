/* Unit tests: scenario files (scenario.c), timelines (timeline.c), matrix
 * expansion (matrix.c) and "did you mean" (suggest.c).  Host knobs and
 * workloads come from fake hooks. */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>

#include "knobs/knobs.h"
#include "run/runner.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "scenario/scenario.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/units.h"

#define SEC UINT64_C(1000000000)
#define FIXTURES "harness/tests/scenarios/"

/* ---- fake hooks */

static const char *const fake_knobs[] = { "ksm", "ksm.pages_to_scan", "thp", "swappiness", NULL };

static const char *const *fake_host_keys(void)
{
	return fake_knobs;
}

static int fake_validate_host(const char *key, const char *value)
{
	uint64_t v;

	if (strcmp(key, "ksm") == 0)
		return strcmp(value, "on") == 0 || strcmp(value, "off") == 0 ? 0 :
			ocb_fail("ksm: invalid value '%s': expected on or off", value);
	if (strcmp(key, "thp") == 0)
		return strcmp(value, "always") == 0 || strcmp(value, "madvise") == 0 ||
			strcmp(value, "never") == 0 ? 0 :
			ocb_fail("thp: invalid value '%s': expected always, madvise or never", value);
	if (strcmp(key, "ksm.pages_to_scan") == 0 || strcmp(key, "swappiness") == 0)
		return parse_u64_range(value, 0, 100000, &v);
	/* a pattern key the name list does not spell out */
	if (strncmp(key, "hugetlb.", 8) == 0)
		return parse_u64_range(value, 0, 100000, &v);
	return ocb_fail("unknown knob '%s'", key);
}

static int fake_validate_workload(const char *program)
{
	static const char *const known[] = { "memtouch", "memlat", "ksmfill", "sh", NULL };

	for (size_t i = 0; known[i]; i++)
		if (strcmp(known[i], program) == 0)
			return 0;
	return ocb_fail("unknown workload program '%s'", program);
}

static const struct scenario_hooks hooks = {
	.validate_host = fake_validate_host,
	.host_keys = fake_host_keys,
	.validate_workload = fake_validate_workload,
};

/* ---- helpers */

static struct scenario *load_q(const char *text, int quick)
{
	struct scenario *s;

	ocb_err_clear();
	s = scenario_load_string(text, "t.ini", &hooks, quick);
	if (!s)
		print_message("unexpected error: %s\n", ocb_errmsg());
	assert_non_null(s);
	return s;
}

static struct scenario *load(const char *text)
{
	return load_q(text, 0);
}

static void assert_msg_has(const char *msg, const char *want)
{
	if (!strstr(msg, want)) {
		print_message("message: %s\nwanted:  %s\n", msg, want);
		fail();
	}
}

/* The load fails and the message holds every one of the NULL-terminated
 * fragments. */
static void expect_error_q(const char *text, int quick, ...)
{
	struct scenario *s;
	const char *want;
	va_list ap;

	ocb_err_clear();
	s = scenario_load_string(text, "t.ini", &hooks, quick);
	if (s) {
		print_message("loaded, but expected an error for:\n%s\n", text);
		scenario_free(s);
		fail();
	}
	va_start(ap, quick);
	while ((want = va_arg(ap, const char *)))
		assert_msg_has(ocb_errmsg(), want);
	va_end(ap);
}

#define expect_error(text, ...) expect_error_q(text, 0, __VA_ARGS__, (const char *)NULL)

/* e is an entry of the table's row for verb. */
static void assert_action(const struct timeline_entry *e, const char *verb)
{
	assert_non_null(e->action);
	assert_string_equal(e->action->verb, verb);
	assert_ptr_equal(e->action, timeline_action_find(verb));
}

/* ---- tests */

static void test_defaults(void **state)
{
	struct scenario *s;
	const struct scenario_guest_spec *g;

	(void)state;
	s = scenario_load_string("[guest a]\n", "dir/minimal.ini", NULL, 0);
	assert_non_null(s);
	assert_string_equal(s->file, "dir/minimal.ini");
	assert_string_equal(s->name, "minimal");
	assert_null(s->description);
	assert_int_equal(s->repeat, 1);
	assert_true(s->duration_ns == 0);
	assert_true(s->host_memory_limit == 0);
	assert_int_equal(s->sample_rate, 10);
	assert_true(s->boot_timeout_ns == 60 * SEC);
	assert_int_equal(s->n_host, 0);
	assert_int_equal(s->n_timeline, 0);
	assert_int_equal(s->n_specs, 1);
	assert_int_equal(s->n_guests, 1);
	assert_string_equal(s->guests[0].name, "a-1");	/* -1 even with count = 1 */
	assert_int_equal(s->guests[0].index, 1);
	g = s->guests[0].spec;
	assert_ptr_equal(g, &s->specs[0]);
	assert_string_equal(g->name, "a");
	assert_int_equal(g->line, 1);
	assert_int_equal(g->count, 1);
	assert_true(g->memory_bytes == 2048 * MiB);
	assert_int_equal(g->vcpus, 1);
	assert_int_equal(g->balloon, SCENARIO_BALLOON_VIRTIO);
	assert_true(g->stats_period_ns == 1 * SEC);
	assert_int_equal(g->backing, SCENARIO_BACKING_ANONYMOUS);
	assert_int_equal(g->mem_merge, 1);
	assert_null(g->image);
	assert_null(g->kernel);
	assert_null(g->initrd);
	assert_null(g->append);
	assert_null(g->uri);
	assert_null(g->workload);
	assert_null(g->workload_argv);
	assert_int_equal(scenario_count_runs(s), 1);
	scenario_free(s);

	/* an empty file is a scenario with no guests */
	s = scenario_load_string("", "empty.ini", NULL, 0);
	assert_non_null(s);
	assert_string_equal(s->name, "empty");
	assert_int_equal(s->n_guests, 0);
	scenario_free(s);
}

static void test_every_key(void **state)
{
	struct scenario *s;
	const struct scenario_guest_spec *g;

	(void)state;
	s = load("[scenario]\n"
		 "name = every-key\n"
		 "description = all of them ; a comment\n"
		 "repeat = 4\n"
		 "duration = 90s\n"
		 "host_memory_limit = 8G\n"
		 "sample_rate = 20\n"
		 "boot_timeout = 2m\n"
		 "[guest big]\n"
		 "count = 3\n"
		 "memory = 4096\n"
		 "vcpus = 2\n"
		 "balloon = none\n"
		 "backing = hugetlb-1G\n"
		 "mem_merge = off\n"
		 "image = /srv/images/debian.qcow2\n"
		 "kernel = /boot/vmlinuz\n"
		 "initrd = /boot/initrd.img\n"
		 "append = console=ttyS0 quiet\n"
		 "workload = memlat --size 1500M --label \"two words\" 'it''s'\n"
		 "uri = qemu+ssh://h/system\n"
		 "[guest small]\n"
		 "memory = 512M\n"
		 "balloon = virtio\n"
		 "balloon.stats_period = 250ms\n"
		 "backing = hugetlb-2M\n"
		 "[guest f]\n"
		 "backing = file\n"
		 "balloon.stats_period = 0\n"
		 "mem_merge = on\n");
	assert_string_equal(s->name, "every-key");
	assert_string_equal(s->description, "all of them");
	assert_int_equal(s->repeat, 4);
	assert_true(s->duration_ns == 90 * SEC);
	assert_true(s->host_memory_limit == 8 * GiB);
	assert_int_equal(s->sample_rate, 20);
	assert_true(s->boot_timeout_ns == 120 * SEC);

	assert_int_equal(s->n_specs, 3);
	assert_int_equal(s->n_guests, 5);
	assert_string_equal(s->guests[0].name, "big-1");
	assert_string_equal(s->guests[2].name, "big-3");
	assert_int_equal(s->guests[2].index, 3);
	assert_string_equal(s->guests[3].name, "small-1");
	assert_string_equal(s->guests[4].name, "f-1");

	g = &s->specs[0];
	assert_int_equal(g->line, 9);
	assert_int_equal(g->count, 3);
	assert_true(g->memory_bytes == 4 * GiB);	/* bare number = MiB */
	assert_int_equal(g->vcpus, 2);
	assert_int_equal(g->balloon, SCENARIO_BALLOON_NONE);
	assert_true(g->stats_period_ns == 0);	/* no balloon, no stats */
	assert_int_equal(g->backing, SCENARIO_BACKING_HUGETLB_1G);
	assert_int_equal(g->mem_merge, 0);
	assert_string_equal(g->image, "/srv/images/debian.qcow2");
	assert_string_equal(g->kernel, "/boot/vmlinuz");
	assert_string_equal(g->initrd, "/boot/initrd.img");
	assert_string_equal(g->append, "console=ttyS0 quiet");
	assert_string_equal(g->uri, "qemu+ssh://h/system");
	assert_string_equal(g->workload, "memlat --size 1500M --label \"two words\" 'it''s'");
	assert_string_equal(g->workload_argv[0], "memlat");
	assert_string_equal(g->workload_argv[1], "--size");
	assert_string_equal(g->workload_argv[2], "1500M");
	assert_string_equal(g->workload_argv[3], "--label");
	assert_string_equal(g->workload_argv[4], "two words");
	assert_string_equal(g->workload_argv[5], "its");
	assert_null(g->workload_argv[6]);

	g = &s->specs[1];
	assert_true(g->memory_bytes == 512 * MiB);
	assert_true(g->stats_period_ns == 250000000);
	assert_int_equal(g->backing, SCENARIO_BACKING_HUGETLB_2M);
	assert_int_equal(g->balloon, SCENARIO_BALLOON_VIRTIO);

	g = &s->specs[2];
	assert_int_equal(g->backing, SCENARIO_BACKING_FILE);
	assert_true(g->stats_period_ns == 0);
	assert_int_equal(g->mem_merge, 1);

	assert_string_equal(scenario_balloon_name(SCENARIO_BALLOON_NONE), "none");
	assert_string_equal(scenario_backing_name(SCENARIO_BACKING_HUGETLB_2M), "hugetlb-2M");
	assert_non_null(scenario_find_guest(s, "small-1"));
	assert_null(scenario_find_guest(s, "small-2"));
	scenario_free(s);
}

static void test_host(void **state)
{
	struct scenario *s;

	(void)state;
	s = load("[host]\n"
		 "thp = madvise\n"
		 "ksm = on\n"
		 "hugetlb.2M.node0 = 64\n"
		 "ksm.pages_to_scan = 1000\n");
	assert_int_equal(s->n_host, 4);
	assert_string_equal(s->host[0].key, "thp");
	assert_string_equal(s->host[0].value, "madvise");
	assert_string_equal(s->host[0].file, "t.ini");
	assert_int_equal(s->host[0].line, 2);
	assert_string_equal(s->host[2].key, "hugetlb.2M.node0");
	assert_string_equal(s->host[3].key, "ksm.pages_to_scan");
	assert_int_equal(s->host[3].line, 5);
	assert_string_equal(scenario_host_value(s, "ksm"), "on");
	assert_null(scenario_host_value(s, "swappiness"));
	scenario_free(s);

	expect_error("[host]\n\nksmm = on\n", "t.ini:3: [host] ksmm: unknown host key 'ksmm'",
		     "did you mean 'ksm'?");
	expect_error("[host]\nthp = sometimes\n", "t.ini:2: [host] thp: ",
		     "invalid value 'sometimes'", "always, madvise or never");
	expect_error("[host]\nksm = on\nksm = off\n", "t.ini:3: [host] duplicate key 'ksm'",
		     "line 2");

	/* without hooks any host key is taken as written */
	s = scenario_load_string("[host]\nanything = goes\n", "t.ini", NULL, 0);
	assert_non_null(s);
	assert_string_equal(s->host[0].key, "anything");
	scenario_free(s);
}

static void test_unknown_keys(void **state)
{
	(void)state;
	expect_error("[guest a]\nmemroy = 1G\n",
		     "t.ini:2: [guest a] unknown guest key 'memroy' (did you mean 'memory'?)");
	expect_error("[scenario]\nduraton = 10s\n",
		     "t.ini:2: [scenario] unknown scenario key 'duraton' (did you mean 'duration'?)");
	expect_error("[guest a]\nballoon.stats = 1s\n", "did you mean 'balloon.stats_period'?");
	/* nothing close: the known keys are listed */
	expect_error("[scenario]\nzzzzzzzzzz = 1\n", "unknown scenario key 'zzzzzzzzzz' (expected name,",
		     "boot_timeout");
	expect_error("[gust x]\n", "t.ini:1: unknown section '[gust x]' (did you mean '[guest NAME]'?)");
	expect_error("; c\n[hots]\n", "t.ini:2: unknown section '[hots]' (did you mean '[host]'?)");
	expect_error("[frobnicate]\n", "t.ini:1: unknown section '[frobnicate]' (expected [scenario]");
}

static void test_malformed(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	expect_error("[guest a]\nmemory 2G\n",
		     "t.ini:2: malformed line 'memory 2G': expected KEY = VALUE");
	expect_error("[scenario]\nrepeat = 2\n[guest a\n", "t.ini:3: malformed section header '[guest a'");
	expect_error("\n\nrepeat = 2\n", "t.ini:3: 'repeat' outside of a section");
	expect_error("[]\n", "t.ini:1: empty section header");
	expect_error("[guest]\n", "t.ini:1: expected [guest NAME]");
	expect_error("[guest a b]\n", "t.ini:1: expected [guest NAME] with one NAME");
	expect_error("[host x]\n", "t.ini:1: section [host] takes no name");
	expect_error("[guest a.b]\n", "t.ini:1: invalid guest name 'a.b'");
	expect_error("[guest a*]\n", "invalid guest name 'a*'");
	expect_error("[guest a]\n[guest b]\n[guest a]\n",
		     "t.ini:3: duplicate guest 'a' (first defined on line 1)");
	expect_error("[guest a]\nmemory = 1G\nvcpus = 2\nmemory = 2G\n",
		     "t.ini:4: [guest a] duplicate key 'memory' (already set on line 2)");
	expect_error("[scenario] junk\n", "t.ini:1: unexpected text 'junk' after the section header");

	/* a line longer than inih's buffer is an error, never split in two */
	strbuf_adds(&sb, "[scenario]\ndescription = ");
	for (int i = 0; i < 5000; i++)
		strbuf_addch(&sb, 'x');
	strbuf_adds(&sb, "\n");
	expect_error(sb.buf, "t.ini:2: line too long");
	strbuf_release(&sb);
}

static void test_line_numbers(void **state)
{
	struct scenario *s;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	/* comments, blank lines, CRLF, a BOM, indentation (not a continuation
	 * line), inline comments: the line of the error is still exact */
	expect_error("\xEF\xBB\xBF; comment\r\n"
		     "# another\r\n"
		     "\r\n"
		     "[guest a]   ; inline\r\n"
		     "    count = 2 ; indented\r\n"
		     "    memory = 3X\r\n",
		     "t.ini:6: [guest a] memory: invalid size '3X'");
	s = load("\xEF\xBB\xBF[guest a]\r\n  count = 2\r\n\tvcpus = 3\r\n");
	assert_int_equal(s->specs[0].count, 2);
	assert_int_equal(s->specs[0].vcpus, 3);
	scenario_free(s);

	/* a long but legal line (above inih's default 200 bytes) */
	strbuf_adds(&sb, "[scenario]\ndescription = ");
	for (int i = 0; i < 1000; i++)
		strbuf_addch(&sb, 'y');
	strbuf_adds(&sb, "\n[guest a]\nvcpus = 0\n");
	expect_error(sb.buf, "t.ini:4: [guest a] vcpus: ");
	strbuf_release(&sb);

	/* no newline at the end of the file */
	expect_error("[guest a]\nvcpus = 999", "t.ini:2: [guest a] vcpus: ", "1..256");
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_error("[guest a]\nmemory = 12X\n", "t.ini:2: [guest a] memory: invalid size '12X'");
	expect_error("[guest a]\nmemory = 0\n", "t.ini:2: [guest a] memory: invalid size '0'");
	expect_error("[guest a]\nmemory =\n", "t.ini:2: [guest a] memory: ");
	expect_error("[scenario]\nduration = 3 parsecs\n",
		     "t.ini:2: [scenario] duration: invalid duration '3 parsecs'");
	expect_error("[scenario]\nboot_timeout = 0s\n", "t.ini:2: [scenario] boot_timeout: ",
		     "greater than zero");
	expect_error("[scenario]\nrepeat = 0\n", "t.ini:2: [scenario] repeat: ", "1..1000");
	expect_error("[scenario]\nsample_rate = ten\n", "t.ini:2: [scenario] sample_rate: ",
		     "'ten'");
	expect_error("[scenario]\nhost_memory_limit = lots\n",
		     "t.ini:2: [scenario] host_memory_limit: invalid size 'lots'");
	expect_error("[guest a]\nvcpus = 0\n", "t.ini:2: [guest a] vcpus: ", "1..256");
	expect_error("[guest a]\ncount = 257\n", "t.ini:2: [guest a] count: ", "1..256");
	expect_error("[guest a]\nballoon = virtoi\n",
		     "t.ini:2: [guest a] balloon: invalid value 'virtoi': expected virtio or none "
		     "(did you mean 'virtio'?)");
	expect_error("[guest a]\nbacking = hugepages\n", "[guest a] backing: invalid value 'hugepages'",
		     "anonymous, hugetlb-2M, hugetlb-1G or file");
	expect_error("[guest a]\nmem_merge = maybe\n", "[guest a] mem_merge: invalid value 'maybe'",
		     "off or on");
	expect_error("[guest a]\nballoon.stats_period = soon\n",
		     "[guest a] balloon.stats_period: invalid duration 'soon'");
	expect_error("[guest a]\nworkload =\n", "t.ini:2: [guest a] workload: empty workload");
	expect_error("[guest a]\nworkload = memtouch --size \"1G\n",
		     "t.ini:2: [guest a] workload: unterminated \" quote");
	expect_error("[guest a]\nworkload = rm -rf /\n",
		     "t.ini:2: [guest a] workload: unknown workload program 'rm'");
	/* cross-key checks name the line of the key at fault */
	expect_error("[guest a]\nballoon.stats_period = 2s\nballoon = none\n",
		     "t.ini:2: [guest a] balloon.stats_period: needs balloon = virtio");
	expect_error("[guest a]\nbacking = hugetlb-1G\nmemory = 1536M\n",
		     "t.ini:3: [guest a] memory: 1536 MiB is not a whole number of the 1 GiB pages");
	expect_error("[guest a]\nbacking = hugetlb-2M\nmemory = 1025K\n",
		     "t.ini:3: [guest a] memory:", "2 MiB pages");
}

/* The scenario name becomes results/NAME-TIMESTAMP: the guest-name rule. */
static void test_bad_name(void **state)
{
	struct scenario *s;

	(void)state;
	expect_error("[scenario]\nname = ../../../tmp/x\n[guest a]\n",
		     "t.ini:2: [scenario] name: invalid name '../../../tmp/x'",
		     "letters, digits, '-' and '_'");
	expect_error("[scenario]\nname = a/b\n[guest a]\n", "t.ini:2: [scenario] name: ");
	expect_error("[scenario]\nname = ..\n[guest a]\n", "t.ini:2: [scenario] name: ");
	expect_error("[scenario]\nname = -rf\n[guest a]\n", "t.ini:2: [scenario] name: ");
	expect_error("[scenario]\nname =\n[guest a]\n", "t.ini:2: [scenario] name: ");
	s = load_q("[scenario]\nname = ok-Name_2\n[guest a]\n", 0);
	assert_non_null(s);
	assert_string_equal(s->name, "ok-Name_2");
	scenario_free(s);
}

/* Loading takes a file without guests; running it would measure nothing. */
static void test_nothing_to_run(void **state)
{
	struct scenario *s;

	(void)state;
	s = load_q("", 0);
	assert_non_null(s);
	assert_int_equal(scenario_check_runnable(s), -1);
	assert_string_equal(ocb_errmsg(), "t.ini: nothing to run: no [guest] section (expected at "
			    "least one [guest NAME] with its keys)");
	scenario_free(s);
	s = load_q("[scenario]\nduration = 10s\n[host]\nksm = on\n", 0);
	assert_non_null(s);
	assert_int_equal(scenario_check_runnable(s), -1);
	scenario_free(s);
	s = load_q("[guest a]\n", 0);
	assert_non_null(s);
	assert_int_equal(scenario_check_runnable(s), 0);
	scenario_free(s);
}

static void test_split_argv(void **state)
{
	char **v;
	size_t n;

	(void)state;
	assert_int_equal(scenario_split_argv("  a  'b c'  \"d \\\"e\\\\\" x'y'z \"\"", &v, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "b c");
	assert_string_equal(v[2], "d \"e\\");
	assert_string_equal(v[3], "xyz");
	assert_string_equal(v[4], "");
	assert_null(v[5]);
	scenario_argv_free(v);
	assert_int_equal(scenario_split_argv("", &v, &n), 0);
	assert_int_equal(n, 0);
	assert_null(v[0]);
	scenario_argv_free(v);
	assert_int_equal(scenario_split_argv("a 'b", &v, &n), -1);
	assert_msg_has(ocb_errmsg(), "unterminated ' quote");
}

static const char *const tl_guests =
	"[scenario]\nduration = 120s\n"
	"[guest light]\ncount = 2\nvirtio_mem = 1G\nworkload = memtouch --size 1G\n"
	"[guest heavy]\nworkload = memlat\n"
	"[guest quiet]\nballoon = none\n";	/* lines 1-10 */

static struct scenario *load_tl(const char *timeline)
{
	struct strbuf sb = STRBUF_INIT;
	struct scenario *s;

	strbuf_adds(&sb, tl_guests);
	strbuf_adds(&sb, timeline);
	s = load(sb.buf);
	strbuf_release(&sb);
	return s;
}

static void expect_tl_error(const char *timeline, const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, tl_guests);
	strbuf_adds(&sb, timeline);
	expect_error(sb.buf, a, b);
	strbuf_release(&sb);
}

static void test_timeline(void **state)
{
	struct scenario *s;
	const struct timeline_entry *e;

	(void)state;
	s = load_tl("[timeline]\n"					/* 11 */
		    "60s = balloon light-* 2G, balloon heavy-1 512\n"	/* 12 */
		    "0s = workload light-* start, ksm on\n"		/* 13 */
		    "10s = host thp never\n"				/* 14 */
		    "0s = wait balloon light-1 timeout 30s\n"		/* 15 */
		    "10s = wait ksm-settled timeout 1m, ksm unmerge\n"	/* 16 */
		    "20s = wait workload [lh]* , free quiet-1\n"		/* 17 */
		    "; the same time again on another line\n"		/* 18 */
		    "20s = exec q* sh -c \"echo a, b; true\"\n"		/* 19 */
		    "30s = ksm off, workload heavy-1 stop, wait ksm-settled\n"); /* 20 */
	assert_int_equal(s->n_timeline, 14);
	e = s->timeline;
	/* 0s: line 13 (two actions), then line 15 */
	assert_true(e[0].t_ns == 0);
	assert_action(&e[0], "workload start");
	assert_string_equal(e[0].glob, "light-*");
	assert_int_equal(e[0].line, 13);
	assert_string_equal(e[0].file, "t.ini");
	assert_string_equal(e[0].text, "workload light-* start");
	assert_action(&e[1], "ksm on");
	assert_null(e[1].glob);
	assert_string_equal(e[1].text, "ksm on");
	assert_action(&e[2], "wait balloon");
	assert_string_equal(e[2].glob, "light-1");
	assert_true(e[2].timeout_ns == 30 * SEC);
	assert_int_equal(e[2].line, 15);
	/* 10s: line 14, then line 16 */
	assert_true(e[3].t_ns == 10 * SEC);
	assert_action(&e[3], "host");
	assert_string_equal(e[3].key, "thp");
	assert_string_equal(e[3].value, "never");
	assert_action(&e[4], "wait ksm-settled");
	assert_true(e[4].timeout_ns == 60 * SEC);
	assert_action(&e[5], "ksm unmerge");
	/* 20s: line 17, then 19 */
	assert_action(&e[6], "wait workload");
	assert_string_equal(e[6].glob, "[lh]*");
	assert_true(e[6].timeout_ns == 0);
	assert_action(&e[7], "free");
	assert_string_equal(e[7].glob, "quiet-1");
	assert_action(&e[8], "exec");
	assert_string_equal(e[8].glob, "q*");
	assert_string_equal(e[8].argv[0], "sh");
	assert_string_equal(e[8].argv[1], "-c");
	assert_string_equal(e[8].argv[2], "echo a, b; true");	/* quoted comma kept */
	assert_null(e[8].argv[3]);
	assert_int_equal(e[8].line, 19);
	/* 30s */
	assert_action(&e[9], "ksm off");
	assert_action(&e[10], "workload stop");
	assert_string_equal(e[10].glob, "heavy-1");
	assert_action(&e[11], "wait ksm-settled");
	assert_true(e[11].timeout_ns == 0);
	/* 60s: line 12, both actions in their order on the line */
	assert_true(e[12].t_ns == 60 * SEC);
	assert_action(&e[12], "balloon");
	assert_string_equal(e[12].glob, "light-*");
	assert_true(e[12].size_bytes == 2 * GiB);
	assert_action(&e[13], "balloon");
	assert_string_equal(e[13].glob, "heavy-1");
	assert_true(e[13].size_bytes == 512 * MiB);	/* bare number = MiB */
	assert_int_equal(e[13].line, 12);
	scenario_free(s);

	s = load_tl("[timeline]\n60s = balloon light-* 2G, balloon heavy-1 512\n");
	assert_int_equal(s->n_timeline, 2);
	assert_action(&s->timeline[0], "balloon");
	assert_string_equal(s->timeline[0].glob, "light-*");
	assert_true(s->timeline[0].size_bytes == 2 * GiB);
	assert_string_equal(s->timeline[1].glob, "heavy-1");
	assert_int_equal(scenario_match_guests(s, "light-*", NULL, 0), 2);
	assert_int_equal(scenario_match_guests(s, "*-1", NULL, 0), 3);
	assert_string_equal(timeline_action_name(timeline_action_find("wait ksm-settled")), "wait ksm-settled");
	assert_string_equal(timeline_action_name(NULL), "?");
	scenario_free(s);

	/* partial-ok, with and without a timeout; the seed behaviours (a
	 * target above memory, a guest without balloon) load: the runner
	 * clamps and reports them */
	s = load_tl("[timeline]\n0s = balloon quiet-1 8G, wait balloon light-* timeout 5s partial-ok, "
		    "wait balloon heavy-1 partial-ok, wait balloon light-1\n");
	assert_int_equal(s->n_timeline, 4);
	assert_true(s->timeline[0].size_bytes == 8 * GiB);
	assert_int_equal(s->timeline[1].partial_ok, 1);
	assert_true(s->timeline[1].timeout_ns == 5 * SEC);
	assert_int_equal(s->timeline[2].partial_ok, 1);
	assert_true(s->timeline[2].timeout_ns == 0);
	assert_int_equal(s->timeline[3].partial_ok, 0);
	scenario_free(s);
	expect_tl_error("[timeline]\n5s = wait balloon light-1 timeout\n", "t.ini:12: ",
			"expected 'timeout DURATION' [partial-ok]");
}

static void test_timeline_errors(void **state)
{
	(void)state;
	expect_tl_error("[timeline]\n5s = balloon nope-* 512M\n",
			"t.ini:12: [timeline] 5s: balloon nope-* 512M: 'nope-*' matches no guest",
			"light-1, light-2, heavy-1, quiet-1");
	expect_tl_error("[timeline]\n5s = free light-3\n", "t.ini:12: ", "'light-3' matches no guest");
	expect_tl_error("[timeline]\nsoon = ksm on\n", "t.ini:12: [timeline] soon: expected TIME = ACTION",
			"invalid duration 'soon'");
	expect_tl_error("[timeline]\n121s = ksm on\n", "t.ini:12: [timeline] 121s: after the end of the run",
			"duration = 120s");
	expect_tl_error("[timeline]\n5s = baloon light-* 1G\n",
			"t.ini:12: [timeline] 5s: baloon light-* 1G: unknown timeline action 'baloon'",
			"did you mean 'balloon'?");
	expect_tl_error("[timeline]\n5s = balloon light-* 12Q\n", "t.ini:12: ", "invalid size '12Q'");
	expect_tl_error("[timeline]\n5s = workload quiet-1 start\n", "t.ini:12: ",
			"guest quiet-1 has no workload");
	expect_tl_error("[timeline]\n5s = wait workload *\n", "t.ini:12: ",
			"guest quiet-1 has no workload");
	/* a known first word: the rows it starts, by their usage */
	expect_tl_error("[timeline]\n5s = workload light-1 begin\n", "t.ini:12: ",
			"invalid value 'begin': expected 'workload GLOB start' or 'workload GLOB stop'");
	expect_tl_error("[timeline]\n5s = ksm maybe\n", "t.ini:12: ",
			"invalid value 'maybe': expected 'ksm on', 'ksm off' or 'ksm unmerge'");
	expect_tl_error("[timeline]\n5s = host thp sometimes\n", "t.ini:12: [timeline] 5s: host thp sometimes: ",
			"invalid value 'sometimes'");
	expect_tl_error("[timeline]\n5s = host thpp never\n", "t.ini:12: ",
			"unknown host key 'thpp' (did you mean 'thp'?)");
	expect_tl_error("[timeline]\n5s = wait ksm-settled timeout forever\n", "t.ini:12: ",
			"timeout: invalid duration 'forever'");
	expect_tl_error("[timeline]\n5s = wait ksm-settled 30s\n", "t.ini:12: ",
			"expected 'timeout DURATION'");
	expect_tl_error("[timeline]\n5s = wait kms-settled\n", "t.ini:12: ",
			"did you mean 'ksm-settled'?");
	expect_tl_error("[timeline]\n5s = wait balloon\n", "t.ini:12: ",
			"expected 'wait balloon GLOB [timeout DUR] [partial-ok]', got 2 words");
	expect_tl_error("[timeline]\n5s = exec light-1\n", "t.ini:12: ", "expected 'exec GLOB CMD ARGS...'");
	expect_tl_error("[timeline]\n5s = free\n", "t.ini:12: ", "expected 'free GLOB'");
	expect_tl_error("[timeline]\n5s =\n", "t.ini:12: [timeline] 5s: no action", NULL);
	expect_tl_error("[timeline]\n5s = ksm on,, ksm off\n", "t.ini:12: ", "empty action");
	expect_tl_error("[timeline]\n5s = ksm on,\n", "t.ini:12: ", "empty action after the last ','");
	expect_tl_error("[timeline]\n5s = exec light-1 sh -c 'x\n", "t.ini:12: ", "unterminated ' quote");
}

/* ---- the table of timeline actions */

/* The lowercase words of a usage before its first '[': the verb it spells. */
static void verb_of_usage(const char *usage, struct strbuf *sb)
{
	char **w;
	size_t n;

	assert_int_equal(scenario_split_argv(usage, &w, &n), 0);
	for (size_t i = 0; i < n && w[i][0] != '['; i++)
		if (islower((unsigned char)w[i][0]))
			strbuf_addf(sb, "%s%s", sb->len ? " " : "", w[i]);
	scenario_argv_free(w);
}

/* 1 when a usage has words parse() must take: a CAPITAL other than GLOB,
 * or optional ones. */
static int usage_has_args(const char *usage)
{
	char **w;
	size_t n;
	int has = 0;

	assert_int_equal(scenario_split_argv(usage, &w, &n), 0);
	for (size_t i = 0; i < n; i++)
		has |= w[i][0] == '[' || (isupper((unsigned char)w[i][0]) && strcmp(w[i], "GLOB") != 0);
	scenario_argv_free(w);
	return has;
}

static int usage_has_glob(const char *usage)
{
	char **w;
	size_t n;
	int has = 0;

	assert_int_equal(scenario_split_argv(usage, &w, &n), 0);
	for (size_t i = 0; i < n; i++)
		has |= strcmp(w[i], "GLOB") == 0;
	scenario_argv_free(w);
	return has;
}

static void test_action_table(void **state)
{
	/* today's names, which scenario files use: each must stay (new rows
	 * may join them anywhere) */
	static const char *const verbs[] = {
		"balloon", "workload start", "workload stop", "ksm on", "ksm off", "ksm unmerge",
		"host", "wait balloon", "wait ksm-settled", "wait workload", "free", "exec",
	};
	size_t n = timeline_action_count();

	(void)state;
	assert_true(n >= sizeof(verbs) / sizeof(verbs[0]));
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		assert_non_null(timeline_action_find(verbs[i]));
	for (size_t i = 0; i < n; i++) {
		const struct timeline_action *a = timeline_action_at(i);
		struct strbuf v = STRBUF_INIT;

		assert_non_null(a);
		assert_true(a->usage && *a->usage);
		assert_true(a->help && *a->help);
		assert_ptr_equal(timeline_action_find(a->verb), a);
		assert_string_equal(timeline_action_name(a), a->verb);
		/* the usage is the grammar: its lowercase words are the verb */
		verb_of_usage(a->usage, &v);
		assert_string_equal(v.buf, a->verb);
		strbuf_release(&v);
		if (usage_has_args(a->usage) != (a->parse != NULL))
			fail_msg("'%s': has %s parse function but %s arguments", a->usage,
				 a->parse ? "a" : "no", a->parse ? "no" : "has");
		assert_int_equal(usage_has_glob(a->usage), !!(a->flags & TLA_GUESTS));
		if (a->flags & (TLA_BALLOON | TLA_WORKLOAD))
			assert_true(a->flags & TLA_GUESTS);
	}
	assert_null(timeline_action_at(n));
	assert_null(timeline_action_find("wait"));
	assert_null(timeline_action_find("nap"));
	/* the runner skips the balloon ones on a native run; the load refuses
	 * the workload ones on a guest without a workload */
	assert_true(timeline_action_find("balloon")->flags & TLA_BALLOON);
	assert_true(timeline_action_find("wait balloon")->flags & TLA_BALLOON);
	assert_false(timeline_action_find("free")->flags & TLA_BALLOON);
	assert_true(timeline_action_find("workload start")->flags & TLA_WORKLOAD);
	assert_true(timeline_action_find("workload stop")->flags & TLA_WORKLOAD);
	assert_true(timeline_action_find("wait workload")->flags & TLA_WORKLOAD);
	assert_false(timeline_action_find("exec")->flags & TLA_WORKLOAD);
	assert_true(timeline_action_find("ksm unmerge")->flags & TLA_HOST);
	assert_true(timeline_action_find("host")->flags & TLA_HOST);
	assert_false(timeline_action_find("wait ksm-settled")->flags & TLA_HOST);
}

/* "5s = ACTION" for a row: its usage with glob for GLOB, a valid word for
 * every other CAPITAL, no optional words. */
static void action_line(const struct timeline_action *a, const char *glob, struct strbuf *sb)
{
	char **w;
	size_t n;

	strbuf_adds(sb, "[timeline]\n5s =");
	assert_int_equal(scenario_split_argv(a->usage, &w, &n), 0);
	for (size_t i = 0; i < n && w[i][0] != '['; i++) {
		const char *x = w[i];

		if (strcmp(x, "GLOB") == 0)
			x = glob;
		else if (strcmp(x, "SIZE") == 0)
			x = "512M";
		else if (strcmp(x, "KEY") == 0)
			x = "thp";
		else if (strcmp(x, "VALUE") == 0)
			x = "never";
		else if (strcmp(x, "CMD") == 0)
			x = "true";
		else if (strcmp(x, "ARGS...") == 0)
			continue;
		else if (isupper((unsigned char)x[0]))
			fail_msg("no sample value for %s of '%s': add one here", x, a->usage);
		strbuf_addf(sb, " %s", x);
	}
	strbuf_adds(sb, "\n");
	scenario_argv_free(w);
}

/* Every row parses as its usage says; the guest checks follow its flags. */
static void test_action_checks(void **state)
{
	(void)state;
	for (size_t i = 0; i < timeline_action_count(); i++) {
		const struct timeline_action *a = timeline_action_at(i);
		struct strbuf sb = STRBUF_INIT;
		struct scenario *s;

		/* light-1/2: a workload and a balloon */
		action_line(a, "light-*", &sb);
		s = load_tl(sb.buf);
		assert_int_equal(s->n_timeline, 1);
		assert_ptr_equal(s->timeline[0].action, a);
		if (a->flags & TLA_GUESTS)
			assert_string_equal(s->timeline[0].glob, "light-*");
		else
			assert_null(s->timeline[0].glob);
		scenario_free(s);
		strbuf_reset(&sb);
		if (!(a->flags & TLA_GUESTS)) {
			strbuf_release(&sb);
			continue;
		}
		action_line(a, "nope-*", &sb);
		expect_tl_error(sb.buf, "t.ini:12: ", "'nope-*' matches no guest");
		strbuf_reset(&sb);
		/* quiet-1: neither a workload nor a balloon.  Only the workload
		 * actions refuse it; balloon ones are the seed behaviour the
		 * runner reproduces (see timeline_entry.glob). */
		action_line(a, "quiet-1", &sb);
		if (a->flags & TLA_WORKLOAD) {
			expect_tl_error(sb.buf, "t.ini:12: ", "guest quiet-1 has no workload");
		} else if (a->flags & TLA_VMEM) {
			expect_tl_error(sb.buf, "t.ini:12: ", "guest quiet-1 has no virtio-mem device");
		} else {
			s = load_tl(sb.buf);
			assert_ptr_equal(s->timeline[0].action, a);
			scenario_free(s);
		}
		strbuf_release(&sb);
	}
	/* unknown words get "did you mean", whichever word is wrong */
	expect_tl_error("[timeline]\n5s = exce light-1 true\n", "t.ini:12: [timeline] 5s: exce light-1 true: ",
			"unknown timeline action 'exce' (did you mean 'exec'?)");
	expect_tl_error("[timeline]\n5s = wiat ksm-settled\n", "t.ini:12: ",
			"unknown timeline action 'wiat' (did you mean 'wait'?)");
	expect_tl_error("[timeline]\n5s = nap 5s\n", "t.ini:12: ",
			"unknown timeline action 'nap' (expected balloon, workload, ksm, host, wait, resize, free");
	expect_tl_error("[timeline]\n5s = workload light-1 strat\n", "t.ini:12: ",
			"invalid value 'strat': expected 'workload GLOB start' or 'workload GLOB stop' "
			"(did you mean 'start'?)");
	expect_tl_error("[timeline]\n5s = ksm unmerg\n", "t.ini:12: ", "(did you mean 'unmerge'?)");
	expect_tl_error("[timeline]\n5s = wait\n", "t.ini:12: ",
			"expected 'wait balloon GLOB [timeout DUR] [partial-ok]', "
			"'wait ksm-settled [timeout DUR]' or 'wait workload GLOB [timeout DUR]', got 1 word");
	expect_tl_error("[timeline]\n5s = ksm on now\n", "t.ini:12: ", "expected 'ksm on', got 3 words");
}

/* Every shipped scenario loads, as it is and --quick, with the real knob
 * table and workload list, and is runnable; the scale scenario launches
 * its 32 guests at once (8 in --quick). */
static void test_shipped_scenarios(void **state)
{
	static const struct scenario_hooks real = {
		.validate_host = knob_validate,
		.host_keys = knob_names,
		.host_help = knob_help,
		.validate_workload = runner_validate_workload,
	};
	DIR *d = opendir("scenarios");
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512];

		if (!strstr(e->d_name, ".ini"))
			continue;
		snprintf(path, sizeof(path), "scenarios/%s", e->d_name);
		for (int quick = 0; quick < 2; quick++) {
			struct scenario *s = scenario_load(path, &real, quick);

			if (!s || scenario_check_runnable(s) < 0)
				fail_msg("%s%s: %s", path, quick ? " --quick" : "", ocb_errmsg());
			if (!strcmp(e->d_name, "scale-32x256m.ini")) {
				assert_int_equal(s->n_guests, quick ? 8 : 32);
				assert_int_equal(s->boot_wave, 32);
			}
			scenario_free(s);
		}
		n++;
	}
	closedir(d);
	assert_true(n >= 7);
}

static void test_fixture_file(void **state)
{
	struct scenario *s;

	(void)state;
	s = scenario_load(FIXTURES "overcommit-6x2g.ini", &hooks, 0);
	if (!s)
		print_message("%s\n", ocb_errmsg());
	assert_non_null(s);
	assert_string_equal(s->name, "overcommit-6x2g");
	assert_string_equal(s->description, "six 2 GiB guests on an 8 GiB host");
	assert_int_equal(s->repeat, 3);
	assert_true(s->host_memory_limit == 8 * GiB);
	assert_int_equal(s->n_guests, 6);
	assert_string_equal(s->guests[5].name, "heavy-3");
	assert_int_equal(s->n_timeline, 4);
	assert_action(&s->timeline[1], "wait balloon");	/* 10s, line 29 */
	assert_int_equal(s->timeline[1].line, 29);
	assert_string_equal(s->timeline[1].file, FIXTURES "overcommit-6x2g.ini");
	assert_int_equal(scenario_count_runs(s), 12);
	scenario_free(s);

	ocb_err_clear();
	assert_null(scenario_load(FIXTURES "bad-glob.ini", &hooks, 0));
	assert_msg_has(ocb_errmsg(), FIXTURES "bad-glob.ini:6: [timeline] 5s: balloon b-* 512M: "
		       "'b-*' matches no guest (guests: a-1, a-2)");
	assert_null(scenario_load(FIXTURES "bad-matrix-value.ini", &hooks, 0));
	assert_msg_has(ocb_errmsg(), FIXTURES "bad-matrix-value.ini:5: [matrix] guest.a.memory: "
		       "invalid size '2X'");
	assert_null(scenario_load(FIXTURES "does-not-exist.ini", &hooks, 0));
	assert_msg_has(ocb_errmsg(), "does-not-exist.ini");
}

static void test_matrix(void **state)
{
	struct scenario *s, **runs;
	size_t n;

	(void)state;
	s = load("[scenario]\nrepeat = 2\n"
		 "[host]\nksm = on\nswappiness = 10\n"				/* 3-5 */
		 "[guest a]\nmemory = 1G\n"					/* 6-7 */
		 "[matrix]\n"							/* 8 */
		 "host.ksm = on, off\n"						/* 9 */
		 "guest.a.memory = 512M,  2G , 3G\n"				/* 10 */
		 "host.thp = never\n"						/* 11 */
		 "scenario.duration = 10s\n");					/* 12 */
	/* the loaded scenario has the file's values */
	assert_true(s->specs[0].memory_bytes == 1 * GiB);
	assert_int_equal(s->n_host, 2);
	assert_int_equal(scenario_count_runs(s), 12);
	assert_int_equal(scenario_expand(s, 0, 0, &runs, &n), 0);
	assert_int_equal(n, 12);
	for (size_t i = 0; i < n; i++) {
		const struct scenario *r = runs[i];
		size_t c = i % 6;
		static const char *const ksm[] = { "on", "off" };
		static const uint64_t mem[] = { 512 * MiB, 2 * GiB, 3 * GiB };
		static const char *const memtext[] = { "512M", "2G", "3G" };

		assert_int_equal(r->run_index, i + 1);
		assert_int_equal(r->n_runs, 12);
		assert_int_equal(r->combo_index, c + 1);
		/* repeat outermost: all combinations, then all again */
		assert_int_equal(r->repeat_index, i / 6 + 1);
		assert_null(r->doc);
		assert_int_equal(r->n_axes, 4);
		assert_string_equal(r->axes[0].axis, "host.ksm");
		assert_string_equal(r->axes[0].value, ksm[c / 3]);
		assert_string_equal(r->axes[1].axis, "guest.a.memory");
		assert_string_equal(r->axes[1].value, memtext[c % 3]);
		assert_string_equal(r->axes[2].value, "never");
		assert_string_equal(r->axes[3].value, "10s");
		assert_true(r->specs[0].memory_bytes == mem[c % 3]);
		assert_true(r->duration_ns == 10 * SEC);
		/* ksm replaced in place (line of the axis), thp appended */
		assert_int_equal(r->n_host, 3);
		assert_string_equal(r->host[0].key, "ksm");
		assert_string_equal(r->host[0].value, ksm[c / 3]);
		assert_int_equal(r->host[0].line, 9);
		assert_string_equal(r->host[1].key, "swappiness");
		assert_int_equal(r->host[1].line, 5);
		assert_string_equal(r->host[2].key, "thp");
		assert_string_equal(r->host[2].value, "never");
		assert_int_equal(r->host[2].line, 11);
		assert_string_equal(r->guests[0].name, "a-1");
	}
	/* a run cannot be expanded again */
	{
		struct scenario **again;
		size_t m;

		assert_int_equal(scenario_expand(runs[0], 0, 0, &again, &m), -1);
		assert_msg_has(ocb_errmsg(), "cannot expand");
	}
	scenario_free_runs(runs, 12);

	/* without a matrix: repeat runs */
	scenario_free(s);
	s = load("[scenario]\nrepeat = 3\n[guest a]\n");
	assert_int_equal(scenario_expand(s, 0, 0, &runs, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(runs[2]->repeat_index, 3);
	assert_int_equal(runs[2]->n_axes, 0);
	scenario_free(s);	/* runs are independent of the scenario */
	assert_string_equal(runs[1]->guests[0].name, "a-1");
	scenario_free_runs(runs, n);
}

/* [policy]: the keys, POLICY.KEY from the registry, policy.* as an axis,
 * and the errors (exit 2 before boot). */
static void test_policy(void **state)
{
	struct scenario *s, **runs;
	size_t n;

	s = load("[guest a]\n[scenario]\nduration = 1s\n");
	assert_null(s->policy_name);
	assert_int_equal(s->policy_floor_pct, 25);
	scenario_free(s);
	s = load("[guest a]\n[policy]\nname = mom\ninterval = 2s\nksm = ksmtuned\nfloor = 40\n"
		 "mom.pressure_threshold = 30%\npve.target = 0.7\n"
		 "[matrix]\npolicy.name = static, pve, psi\n");
	assert_string_equal(s->policy_name, "mom");
	assert_string_equal(s->policy_ksm, "ksmtuned");
	assert_true(s->policy_interval_ns == 2 * SEC);
	assert_int_equal(s->policy_floor_pct, 40);
	assert_int_equal(s->n_policy_params, 2);
	assert_string_equal(s->policy_params[1].key, "pve.target");
	assert_int_equal(scenario_expand(s, 0, 0, &runs, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(runs[1]->policy_name, "pve");
	assert_string_equal(runs[1]->axes[0].axis, "policy.name");
	scenario_free_runs(runs, n);
	scenario_free(s);
	expect_error("[guest a]\n[policy]\nname = mum\n", "t.ini:3: [policy] name:",
		     "unknown policy 'mum'", "did you mean 'mom'", "static, mom, pve, psi, fpr-only, ksmtuned");
	expect_error("[guest a]\n[policy]\nnmae = mom\n", "did you mean 'name'");
	expect_error("[guest a]\n[policy]\nmom.pressure_treshold = 0.1\n", "t.ini:3:",
		     "did you mean pressure_threshold");
	expect_error("[guest a]\n[policy]\nmom.pressure_threshold = 3\n", "[0, 1]");
	expect_error("[guest a]\n[policy]\nksm = mom\n", "[policy] ksm:", "does not drive KSM");
	expect_error("[guest a]\n[matrix]\npolicy.name = static, pvv\n", "t.ini:3:",
		     "unknown policy 'pvv'", "did you mean 'pve'");
	expect_error("[guest a]\n[matrix]\npolicy.nam = static\n", "unknown policy key");
	/* a balloon policy needs a balloon on every guest */
	expect_error("[guest a]\nballoon = none\n[policy]\nname = psi\n", "[policy] name:",
		     "[guest a] has balloon = none");
	s = load("[guest a]\nballoon = none\n[policy]\nname = static\n");
	scenario_free(s);
}

static void test_matrix_changes_guests(void **state)
{
	struct scenario *s, **runs;
	size_t n;

	(void)state;
	/* count in the matrix: each run has its own guest list and its
	 * timeline is checked against it */
	s = load("[guest a]\n[timeline]\n0s = free a-*\n[matrix]\nguest.a.count = 1, 3\n");
	assert_int_equal(scenario_expand(s, 0, 0, &runs, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(runs[0]->n_guests, 1);
	assert_int_equal(runs[1]->n_guests, 3);
	assert_string_equal(runs[1]->guests[2].name, "a-3");
	assert_int_equal(scenario_match_guests(runs[1], runs[1]->timeline[0].glob, NULL, 0), 3);
	scenario_free_runs(runs, n);
	scenario_free(s);

	/* a matrix value that breaks the timeline fails the load, naming the
	 * timeline line */
	expect_error("[scenario]\nduration = 20s\n[guest a]\n[timeline]\n5s = free a-1\n"
		     "[matrix]\nscenario.duration = 10s, 2s\n",
		     "t.ini:5: [timeline] 5s: after the end of the run");
}

static void test_matrix_errors(void **state)
{
	(void)state;
	expect_error("[guest a]\n[matrix]\nguest.a.memory = 1G, 3X\n",
		     "t.ini:3: [matrix] guest.a.memory: invalid size '3X'");
	expect_error("[guest a]\n[matrix]\nguest.a.memroy = 1G\n",
		     "t.ini:3: [matrix] unknown guest key 'memroy' (did you mean 'memory'?)");
	expect_error("[guest light]\n[matrix]\nguest.ligth.memory = 1G\n",
		     "t.ini:3: [matrix] unknown guest 'ligth' (did you mean 'light'?)");
	expect_error("[matrix]\nhots.ksm = on\n",
		     "t.ini:2: [matrix] unknown section 'hots' (did you mean 'host'?)");
	expect_error("[matrix]\nhost.ksm = on, maybe\n",
		     "t.ini:2: [matrix] host.ksm: ksm: invalid value 'maybe'");
	expect_error("[matrix]\nhost.kms = on, off\n",
		     "t.ini:2: [matrix] host.kms: unknown host key 'kms' (did you mean 'ksm'?)");
	expect_error("[matrix]\nscenario.repeat = 1, 2\n",
		     "t.ini:2: [matrix] scenario.repeat cannot be a matrix axis");
	expect_error("[matrix]\ntimeline.10s = ksm on\n", "t.ini:2: [matrix] ",
		     "timeline lines cannot be matrix axes");
	expect_error("[matrix]\nhost.ksm = on\nhost.thp = never\nhost.ksm = off\n",
		     "t.ini:4: [matrix] host.ksm: listed twice (first on line 2)");
	expect_error("[matrix]\nhost.ksm = on,,off\n", "t.ini:2: [matrix] ", "empty value in 'on,,off'");
	expect_error("[matrix]\nhost.ksm = on, off, on\n", "t.ini:2: [matrix] ", "value 'on' listed twice");
	expect_error("[matrix]\nksm = on\n", "t.ini:2: [matrix] ", "expected SECTION.KEY");
	expect_error("[guest a]\n[matrix]\nguest.a = 1\n", "t.ini:3: [matrix] ",
		     "expected guest.NAME.KEY");
	/* a guest declared after [matrix] is known to it */
	{
		struct scenario *s = load("[matrix]\nguest.late.vcpus = 1, 2\n[guest late]\n");

		assert_int_equal(scenario_count_runs(s), 2);
		scenario_free(s);
	}
}

static void test_too_many_runs(void **state)
{
	struct scenario *s, **runs;
	size_t n;

	(void)state;
	s = load("[scenario]\nrepeat = 3\n[guest a]\n[matrix]\n"
		 "guest.a.vcpus = 1, 2, 3, 4, 5\nguest.a.count = 1, 2, 3, 4, 5\n");
	assert_int_equal(scenario_count_runs(s), 75);
	ocb_err_clear();
	assert_int_equal(scenario_expand(s, 0, 0, &runs, &n), -1);
	assert_null(runs);
	assert_int_equal(n, 0);
	assert_msg_has(ocb_errmsg(), "t.ini: 75 runs (25 matrix combinations x 3 repeats), more than 64; "
		       "pass --yes");
	assert_int_equal(scenario_expand(s, 80, 0, &runs, &n), 0);
	assert_int_equal(n, 75);
	assert_int_equal(runs[74]->specs[0].vcpus, 5);
	assert_int_equal(runs[74]->n_guests, 5);
	scenario_free_runs(runs, n);
	assert_int_equal(scenario_expand(s, 10, 0, &runs, &n), -1);
	assert_msg_has(ocb_errmsg(), "more than 10");
	assert_int_equal(scenario_expand(s, 10, 1, &runs, &n), 0);
	assert_int_equal(n, 75);
	scenario_free_runs(runs, n);
	scenario_free(s);
}

static const char *const quick_text =
	"[scenario]\nduration = 90s\nrepeat = 3\n"			/* 1-3 */
	"[guest a]\nmemory = 2G\nworkload = memtouch --size 1G\n"		/* 4-6 */
	"[timeline]\n60s = balloon a-* 1536M\n"				/* 7-8 */
	"[matrix]\nguest.a.vcpus = 1, 2\n"				/* 9-10 */
	"[quick]\n"							/* 11 */
	"scenario.duration = 10s\n"					/* 12 */
	"scenario.repeat = 1\n"						/* 13 */
	"guest.a.memory = 512M\n"					/* 14 */
	"guest.a.workload = memtouch --size 128M\n"			/* 15 */
	"host.ksm = on\n"						/* 16 */
	"timeline.5s = balloon a-* 256M, free a-1\n"			/* 17 */
	"timeline.1s = wait workload a-1\n";				/* 18 */

static void test_quick(void **state)
{
	struct scenario *s, **runs;
	size_t n;

	(void)state;
	s = load_q(quick_text, 0);
	assert_int_equal(s->quick, 0);
	assert_true(s->duration_ns == 90 * SEC);
	assert_true(s->specs[0].memory_bytes == 2 * GiB);
	assert_int_equal(s->n_host, 0);
	assert_int_equal(s->n_timeline, 1);
	assert_int_equal(scenario_count_runs(s), 6);
	scenario_free(s);

	s = load_q(quick_text, 1);
	assert_int_equal(s->quick, 1);
	assert_true(s->duration_ns == 10 * SEC);
	assert_int_equal(s->repeat, 1);
	assert_true(s->specs[0].memory_bytes == 512 * MiB);
	assert_string_equal(s->specs[0].workload_argv[2], "128M");
	assert_int_equal(s->n_host, 1);
	assert_string_equal(s->host[0].key, "ksm");
	assert_int_equal(s->host[0].line, 16);
	/* the quick timeline replaced the file's, sorted */
	assert_int_equal(s->n_timeline, 3);
	assert_action(&s->timeline[0], "wait workload");
	assert_int_equal(s->timeline[0].line, 18);
	assert_true(s->timeline[1].size_bytes == 256 * MiB);
	assert_action(&s->timeline[2], "free");
	assert_int_equal(scenario_expand(s, 0, 0, &runs, &n), 0);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(runs[i]->quick, 1);
		assert_true(runs[i]->specs[0].memory_bytes == 512 * MiB);
		assert_int_equal(runs[i]->specs[0].vcpus, i + 1);
		assert_int_equal(runs[i]->n_timeline, 3);
	}
	scenario_free_runs(runs, n);
	scenario_free(s);

	/* a matrix axis wins over [quick] for the same key */
	s = load_q("[guest a]\n[matrix]\nguest.a.memory = 1G, 2G\n[quick]\nguest.a.memory = 256M\n", 1);
	assert_true(s->specs[0].memory_bytes == 256 * MiB);
	assert_int_equal(scenario_expand(s, 0, 0, &runs, &n), 0);
	assert_true(runs[0]->specs[0].memory_bytes == 1 * GiB);
	assert_true(runs[1]->specs[0].memory_bytes == 2 * GiB);
	scenario_free_runs(runs, n);
	scenario_free(s);

	/* [quick] is validated even without --quick, and names its line */
	expect_error_q("[guest a]\n[quick]\nguest.a.memory = tiny\n", 0,
		       "t.ini:3: [quick] guest.a.memory: invalid size 'tiny'", (const char *)NULL);
	expect_error_q("[guest a]\n[quick]\nguest.a.memory = 1G\nguest.a.memory = 2G\n", 0,
		       "t.ini:4: [quick] guest.a.memory: listed twice (first on line 3)", (const char *)NULL);
	expect_error_q("[guest a]\n[quick]\ntimeline.5s = free b-1\n", 1,
		       "t.ini:3: [quick] timeline.5s: free b-1: 'b-1' matches no guest", (const char *)NULL);
	/* the file's own timeline would not fit a quick duration */
	expect_error_q("[scenario]\nduration = 90s\n[timeline]\n60s = ksm on\n[quick]\n"
		       "scenario.duration = 10s\n", 1,
		       "t.ini:4: [timeline] 60s: after the end of the run (duration = 10s)", (const char *)NULL);
}

/* What --list-keys[=only] prints; rc its return value. */
static char *print_keys(const char *only, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*rc = scenario_print_keys(f, &hooks, only);
	fclose(f);
	return buf;
}

static void test_print_keys(void **state)
{
	int rc;
	char *buf = print_keys(NULL, &rc);

	(void)state;
	assert_int_equal(rc, 0);
	assert_msg_has(buf, "memory");
	assert_msg_has(buf, "2048M");
	assert_msg_has(buf, "balloon.stats_period");
	assert_msg_has(buf, "virtio|none");
	assert_msg_has(buf, "anonymous|hugetlb-2M|hugetlb-1G|file");
	assert_msg_has(buf, "host_memory_limit");
	assert_msg_has(buf, "ksm.pages_to_scan");	/* from the hook */
	for (size_t i = 0; i < timeline_action_count(); i++)
		assert_msg_has(buf, timeline_action_at(i)->usage);
	assert_msg_has(buf, "until KSM has settled");
	assert_msg_has(buf, "[matrix]");
	free(buf);
}

/* --list-keys=KEY: the row of one key, knob or action, and an error for
 * a name that is none of them. */
static void test_print_one_key(void **state)
{
	static const char *const one[][2] = { { "mem_merge", "mem_merge" },
					      { "ksm.pages_to_scan", "ksm.pages_to_scan" },
					      { "wait balloon", "wait balloon GLOB" } };
	int rc;
	char *buf;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		buf = print_keys(one[i][0], &rc);
		assert_int_equal(rc, 0);
		assert_msg_has(buf, one[i][1]);
		assert_null(strstr(buf, "balloon.stats_period"));	/* only the row asked for */
		assert_null(strstr(buf, "[matrix]"));
		free(buf);
	}
	free(print_keys("nosuch", &rc));
	assert_int_equal(rc, -1);
	assert_msg_has(ocb_errmsg(), "--list-keys=nosuch");
}

/* README.md's list of timeline actions is the table, row for row, so the
 * README cannot drift from what the harness parses.  The tests run from
 * the repository root. */
static void test_readme_actions(void **state)
{
	struct strbuf readme = STRBUF_INIT, want = STRBUF_INIT;

	(void)state;
	if (read_file("README.md", &readme) < 0)
		fail_msg("%s (test-scenario runs from the repository root)", ocb_errmsg());
	strbuf_adds(&want, "| action | what it does |\n|---|---|\n");
	for (size_t i = 0; i < timeline_action_count(); i++) {
		const struct timeline_action *a = timeline_action_at(i);
		struct strbuf row = STRBUF_INIT;

		strbuf_addf(&row, "| `%s` | %s |\n", a->usage, a->help);
		if (!strstr(readme.buf, row.buf))
			fail_msg("README.md: no line %s(row %zu of the actions in harness/scenario/"
				 "timeline.c)", row.buf, i + 1);
		strbuf_adds(&want, row.buf);
		strbuf_release(&row);
	}
	strbuf_adds(&want, "\n");	/* and no row the table lacks */
	if (!strstr(readme.buf, want.buf)) {
		print_message("README.md's list of timeline actions should read:\n%s", want.buf);
		fail();
	}
	strbuf_release(&want);
	strbuf_release(&readme);
}

static void test_suggest(void **state)
{
	static const char *const words[] = { "memory", "vcpus", "count", NULL };

	(void)state;
	assert_int_equal(ocb_edit_distance("memory", "memory"), 0);
	assert_int_equal(ocb_edit_distance("memroy", "memory"), 1);
	assert_int_equal(ocb_edit_distance("", "abc"), 3);
	assert_int_equal(ocb_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(ocb_edit_distance("MEMORY", "memory"), 0);
	assert_string_equal(ocb_suggest("memry", words), "memory");
	assert_string_equal(ocb_suggest("vcpu", words), "vcpus");
	assert_null(ocb_suggest("xyzzy", words));
	assert_null(ocb_suggest("memory", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_bad_name),
		cmocka_unit_test(test_nothing_to_run),
		cmocka_unit_test(test_split_argv),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_timeline_errors),
		cmocka_unit_test(test_action_table),
		cmocka_unit_test(test_action_checks),
		cmocka_unit_test(test_shipped_scenarios),
		cmocka_unit_test(test_fixture_file),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_matrix_changes_guests),
		cmocka_unit_test(test_matrix_errors),
		cmocka_unit_test(test_too_many_runs),
		cmocka_unit_test(test_quick),
		cmocka_unit_test(test_print_keys),
		cmocka_unit_test(test_print_one_key),
		cmocka_unit_test(test_readme_actions),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
