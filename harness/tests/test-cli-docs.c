/* Unit tests: what the command tables make — getopt's tables and --help
 * (cli/opts.c), the man pages (cli/man.c: every page renders with groff
 * -ww without a warning, and lists every option, scenario key, host knob,
 * timeline action, workload and check id), and `ocbench --version`
 * (cli/version.c: every JSON schema the tree ships is named). */
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

#include "cli/commands.h"
#include "cli/man.h"
#include "cli/roff.h"
#include "cli/run.h"
#include "cli/version.h"
#include "conform/suites.h"
#include "policy/policies.h"
#include "scenario/scenario.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "util/strbuf.h"
#include "workloads/workloads.h"

#define assert_has(hay, needle)                                                          \
	do {                                                                             \
		if (!strstr((hay), (needle)))                                            \
			fail_msg("'%s' is missing from the output", (needle));           \
	} while (0)

static char *usage_text(const struct cli_doc *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cli_usage(f, d);
	fclose(f);
	return buf;
}

/* Every option of every command in its --help; names and keys unique; the
 * short options getopt is given are the table's. */
static void test_help_from_table(void **state)
{
	(void)state;
	for (const struct subcommand *c = cli_commands(); c->doc; c++) {
		char *help = usage_text(c->doc);
		struct cli_getopt g;

		cli_getopt_init(&g, c->doc);
		for (const struct cli_opt *o = c->doc->opts; o->name; o++) {
			char want[80];

			snprintf(want, sizeof(want), "--%s", o->name);
			assert_has(help, want);
			assert_ptr_equal(cli_opt_find(c->doc, o->name), o);
			for (const struct cli_opt *p = o + 1; p->name; p++)
				assert_int_not_equal(o->key, p->key);
			if (o->key < CLI_LONG_ONLY)
				assert_non_null(strchr(g.shortopts, o->key));
			assert_true(o->arg == CLI_NOARG || o->metavar);
		}
		assert_has(help, c->doc->exit_status);
		free(help);
	}
}

/* getopt from the table: a long option with its argument, a short one, an
 * optional argument, an unknown option. */
static void test_getopt_from_table(void **state)
{
	const struct subcommand *c = cli_command_find("compare");
	char *argv[] = { "compare", "--format", "md", "-t", "7", "--allow-host-change=kernel",
			 "--nope", "a", "b", NULL };
	struct cli_getopt g;
	int seen[4] = { 0 }, opt;

	(void)state;
	assert_non_null(c);
	cli_getopt_init(&g, c->doc);
	optind = 0;
	opterr = 0;
	while ((opt = cli_getopt_next(&g, 9, argv)) != -1) {
		if (opt == 'f')
			seen[0] = !strcmp(optarg, "md");
		else if (opt == 't')
			seen[1] = !strcmp(optarg, "7");
		else if (opt == '?')
			seen[3] = 1;
		else if (opt >= CLI_LONG_ONLY && optarg && !strcmp(optarg, "kernel"))
			seen[2] = 1;
	}
	opterr = 1;
	for (int i = 0; i < 4; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(optind, 7);
}

/* groff's warnings about page (-ww: all of them), "" when none; -1 when
 * groff cannot run. */
static int groff_warnings(const char *roff, struct strbuf *out)
{
	char path[] = "/tmp/ocb-man-XXXXXX";
	const char *argv[] = { "groff", "-ww", "-z", "-man", path, NULL };
	int fd = mkstemp(path), rc;

	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, roff, strlen(roff)), 0);
	close(fd);
	rc = run_capture(argv, out, 0);
	unlink(path);
	return rc;
}

static int have_groff(void)
{
	struct strbuf p = STRBUF_INIT;
	int ok = find_program("groff", &p) == 0;

	strbuf_release(&p);
	if (!ok)
		print_message("SKIP: groff not installed (groff-base, ci/install-deps): pages not rendered\n");
	return ok;
}

/* The renderer can say no: a page with an undefined macro and a bad
 * escape draws warnings. */
static void test_groff_catches_a_broken_page(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	if (!have_groff())
		skip();
	assert_int_equal(groff_warnings(".TH X 1\n.SH NAME\nx \\- y\n.XY z\n\\*[nosuch]\n", &out), 0);
	assert_true(out.len > 0);
	strbuf_release(&out);
}

static void test_every_page_renders_clean(void **state)
{
	struct strbuf file = STRBUF_INIT, roff = STRBUF_INIT, out = STRBUF_INIT;
	size_t n = 0;

	(void)state;
	if (!have_groff())
		skip();
	for (size_t i = 0; man_page_file(i, &file); i++, n++) {
		assert_int_equal(man_render(file.buf, &roff), 0);
		assert_int_equal(groff_warnings(roff.buf, &out), 0);
		if (out.len)
			fail_msg("%s: groff -ww: %s", file.buf, out.buf);
		strbuf_reset(&file);
		strbuf_reset(&roff);
		strbuf_reset(&out);
	}
	/* ocbench(1), one per command, ocbench-scenario(5) */
	assert_true(n >= 3);
	assert_int_equal(man_render("ocbench-nosuch", &roff), -1);
	assert_has(ocb_errmsg(), "ocbench-nosuch");
	strbuf_release(&file);
	strbuf_release(&roff);
	strbuf_release(&out);
}

/* text as the page spells it (roff_code: '-' as \-) */
static void assert_page_has(const char *page, const char *text)
{
	struct strbuf want = STRBUF_INIT;

	roff_code(&want, text);
	if (!strstr(page, want.buf))
		fail_msg("'%s' (as '%s') is missing from the man page", text, want.buf);
	strbuf_release(&want);
}

/* prose as the page spells it (roff_text) */
static void assert_page_has_text(const char *page, const char *text)
{
	struct strbuf want = STRBUF_INIT;

	roff_text(&want, text);
	strbuf_rtrim(&want);
	if (!strstr(page, want.buf))
		fail_msg("'%s' (as '%s') is missing from the man page", text, want.buf);
	strbuf_release(&want);
}

static void key_in_page(const struct scenario_key_info *k, void *arg)
{
	assert_page_has(arg, k->name);
	assert_page_has_text(arg, k->help);
}

static void test_scenario_page_lists_every_key(void **state)
{
	struct strbuf roff = STRBUF_INIT;

	(void)state;
	assert_int_equal(man_render("ocbench-scenario.5", &roff), 0);
	assert_has(roff.buf, ".TH OCBENCH\\-SCENARIO 5");
	scenario_each_key(run_scenario_hooks(), key_in_page, roff.buf);
	assert_page_has(roff.buf, "ksm.pages_to_scan");	/* a host knob, from knobs/ */
	for (size_t i = 0; i < timeline_action_count(); i++) {
		assert_page_has(roff.buf, timeline_action_at(i)->usage);
		assert_page_has_text(roff.buf, timeline_action_at(i)->help);
	}
	for (size_t i = 0; i < policy_count(); i++)
		for (size_t k = 0; policy_at(i)->params && policy_at(i)->params[k].name; k++)
			assert_page_has(roff.buf, policy_at(i)->params[k].name);
#define WL_IN_PAGE(name, help) assert_page_has(roff.buf, #name);
	OCB_WORKLOADS(WL_IN_PAGE)
#undef WL_IN_PAGE
	strbuf_release(&roff);
}

static void test_command_pages(void **state)
{
	struct strbuf roff = STRBUF_INIT, top = STRBUF_INIT;
	const struct conform_suite *const *s = conform_suites();

	(void)state;
	assert_int_equal(man_render("ocbench", &top), 0);
	for (const struct subcommand *c = cli_commands(); c->doc; c++) {
		char page[64];

		snprintf(page, sizeof(page), "ocbench-%s", c->doc->name);
		assert_page_has(top.buf, page);
		strbuf_reset(&roff);
		assert_int_equal(man_render(page, &roff), 0);
		for (const struct cli_opt *o = c->doc->opts; o->name; o++)
			assert_page_has(roff.buf, o->name);
		if (!strcmp(c->doc->name, "conform"))
			for (size_t i = 0; s[i]; i++)
				for (size_t k = 0; k < s[i]->n; k++)
					assert_page_has(roff.buf, s[i]->checks[k].id);
	}
	strbuf_release(&roff);
	strbuf_release(&top);
}

/* The text is read as written: a leading dot or quote cannot become a
 * request, a backslash cannot become an escape. */
static void test_roff_escapes(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	roff_text(&sb, ".nope a\\b\n'x\n\nsecond");
	assert_string_equal(sb.buf, "\\&.nope a\\eb 'x\n.PP\nsecond\n");
	strbuf_reset(&sb);
	roff_code(&sb, "--list-keys");
	assert_string_equal(sb.buf, "\\-\\-list\\-keys");
	strbuf_reset(&sb);
	roff_code(&sb, "a — é");	/* groff reads Latin-1: named code points */
	assert_string_equal(sb.buf, "a \\[u2014] \\[u00E9]");
	strbuf_release(&sb);
}

/* The schema "const" of a *.schema.json file. */
static int schema_const(const char *path, struct strbuf *id)
{
	json_t *j = json_load_file(path, 0, NULL);
	const char *s;

	s = json_string_value(json_object_get(json_object_get(json_object_get(j, "properties"),
									  "schema"), "const"));
	if (s)
		strbuf_adds(id, s);
	json_decref(j);
	return s ? 0 : -1;
}

static void test_version_names_every_schema(void **state)
{
	char *buf = NULL;
	size_t len = 0, files = 0;
	FILE *f = open_memstream(&buf, &len);
	DIR *d = opendir("harness/results/schemas");
	struct dirent *e;

	(void)state;
	assert_non_null(f);
	ocb_print_version(f);
	fclose(f);
	assert_int_equal(strncmp(buf, "ocbench ", 8), 0);
	assert_int_equal(strncmp(buf + 8, ocb_version(), strlen(ocb_version())), 0);
	assert_has(buf, "features: libvirt on");
	for (const struct ocb_schema *s = ocb_schemas(); s->document; s++)
		assert_has(buf, s->id);
	assert_non_null(d);
	while ((e = readdir(d))) {
		struct strbuf path = STRBUF_INIT, id = STRBUF_INIT;

		if (!strstr(e->d_name, ".schema.json"))
			continue;
		strbuf_addf(&path, "harness/results/schemas/%s", e->d_name);
		assert_int_equal(schema_const(path.buf, &id), 0);
		assert_has(buf, id.buf);
		assert_has(buf, e->d_name);
		files++;
		strbuf_release(&path);
		strbuf_release(&id);
	}
	closedir(d);
	assert_true(files > 0);
	free(buf);
}

/* The built binary says the same, and its version is set (not empty). */
static void test_binary_version(void **state)
{
	const char *bin = getenv("OCBENCH");
	const char *argv[] = { bin, "--version", NULL };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	if (!bin || access(bin, X_OK)) {
		print_message("SKIP: $OCBENCH is not set to a built ocbench\n");
		skip();
	}
	assert_int_equal(run_capture(argv, &out, 0), 0);
	assert_int_equal(strncmp(out.buf, "ocbench ", 8), 0);
	assert_true(out.buf[8] >= '0' && out.buf[8] <= '9');
	assert_has(out.buf, "schema: run.json");
	assert_has(out.buf, "features: ");
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_from_table),
		cmocka_unit_test(test_getopt_from_table),
		cmocka_unit_test(test_groff_catches_a_broken_page),
		cmocka_unit_test(test_every_page_renders_clean),
		cmocka_unit_test(test_scenario_page_lists_every_key),
		cmocka_unit_test(test_command_pages),
		cmocka_unit_test(test_roff_escapes),
		cmocka_unit_test(test_version_names_every_schema),
		cmocka_unit_test(test_binary_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
