/* Unit tests: shell completion.  cli_complete() (what `ocbench __complete`
 * prints) offers the commands, each command's options, an option's values
 * (suites, check ids, backends, scenario keys, fixed words, compare's
 * fields) from the same tables as the program, and asks for file names
 * where files go; then the bash script dist/bash-completion/ocbench is
 * sourced into a real interactive bash (with bash-completion) and its
 * completion function is called on command lines as bash splits them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/complete.h"
#include "conform/suites.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "util/strbuf.h"

/* The candidates for the last word of words (a NULL-terminated list). */
static void complete(struct strbuf *out, const char *const *words)
{
	int n = 0;

	while (words[n])
		n++;
	strbuf_reset(out);
	cli_complete(n - 1, words, n, out);
}

static int has_line(const char *out, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, line, n) && (p[n] == '\n' || !p[n]))
			return 1;
	return 0;
}

#define assert_offers(out, line)                                                          \
	do {                                                                              \
		if (!has_line((out)->buf, (line)))                                        \
			fail_msg("'%s' not offered; got:\n%s", (line), strbuf_str(out));  \
	} while (0)
#define assert_not_offered(out, line)                                                     \
	do {                                                                              \
		if (has_line((out)->buf, (line)))                                         \
			fail_msg("'%s' offered; got:\n%s", (line), strbuf_str(out));       \
	} while (0)

static void test_commands_and_options(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	complete(&out, (const char *const[]){ "ocbench", "", NULL });
	for (const struct subcommand *c = cli_commands(); c->doc; c++)
		assert_offers(&out, c->doc->name);
	complete(&out, (const char *const[]){ "ocbench", "co", NULL });
	assert_offers(&out, "conform");
	assert_offers(&out, "compare");
	assert_not_offered(&out, "run");
	complete(&out, (const char *const[]){ "ocbench", "conform", "--", NULL });
	for (const struct cli_opt *o = cli_command_find("conform")->doc->opts; o->name; o++) {
		char w[64];

		snprintf(w, sizeof(w), "--%s", o->name);
		assert_offers(&out, w);
	}
	complete(&out, (const char *const[]){ "ocbench", "nosuch", "--", NULL });
	assert_int_equal(out.len, 0);
	strbuf_release(&out);
}

static void test_values(void **state)
{
	struct strbuf out = STRBUF_INIT;
	const struct conform_suite *const *s = conform_suites();

	(void)state;
	complete(&out, (const char *const[]){ "ocbench", "conform", "--suite", "", NULL });
	for (size_t i = 0; s[i]; i++)
		assert_offers(&out, s[i]->name);
	/* a comma list: the rest, after what is there, never twice */
	complete(&out, (const char *const[]){ "ocbench", "conform", "--suite", "ksm,", NULL });
	assert_offers(&out, "ksm,balloon");
	assert_not_offered(&out, "ksm,ksm");
	complete(&out, (const char *const[]){ "ocbench", "conform", "--check", "BAL", NULL });
	for (size_t k = 0; k < s[0]->n; k++)
		if (!strncmp(s[0]->checks[k].id, "BAL", 3))
			assert_offers(&out, s[0]->checks[k].id);
	assert_not_offered(&out, "KSM-001");
	complete(&out, (const char *const[]){ "ocbench", "run", "--accel", "", NULL });
	assert_offers(&out, "tcg");
	assert_offers(&out, "kvm");
	complete(&out, (const char *const[]){ "ocbench", "policy", "", NULL });
	assert_offers(&out, "list");
	assert_offers(&out, "simulate");
	complete(&out, (const char *const[]){ "ocbench", "policy", "simulate", "--policy", "m", NULL });
	assert_offers(&out, "mom");
	complete(&out, (const char *const[]){ "ocbench", "run", "--backend", "", NULL });
	assert_offers(&out, "libvirt");
	assert_offers(&out, "native");
	/* --opt=VALUE: the value alone (bash replaces what follows '=') */
	complete(&out, (const char *const[]){ "ocbench", "run", "--list-keys=mem", NULL });
	assert_offers(&out, "memory");
	assert_offers(&out, "mem_merge");
	assert_not_offered(&out, "vcpus");
	complete(&out, (const char *const[]){ "ocbench", "run", "--list-keys=ksm.p", NULL });
	assert_offers(&out, "ksm.pages_to_scan");	/* a host knob */
	complete(&out, (const char *const[]){ "ocbench", "compare", "--allow-host-change=kernel,q", NULL });
	assert_offers(&out, "kernel,qemu_version");
	assert_offers(&out, "kernel,quick");
	strbuf_release(&out);
}

/* File names are the shell's: the helper only says which kind. */
static void test_files(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	complete(&out, (const char *const[]){ "ocbench", "run", "sc", NULL });
	assert_string_equal(out.buf, "@ini\n");
	complete(&out, (const char *const[]){ "ocbench", "run", "-o", "", NULL });
	assert_string_equal(out.buf, "@dir\n");
	complete(&out, (const char *const[]){ "ocbench", "report", "results/", NULL });
	assert_string_equal(out.buf, "@results\n");
	complete(&out, (const char *const[]){ "ocbench", "conform", "--json", "", NULL });
	assert_string_equal(out.buf, "@file\n");
	/* an option without a value is followed by operands, not its values */
	complete(&out, (const char *const[]){ "ocbench", "run", "--quick", "", NULL });
	assert_string_equal(out.buf, "@ini\n");
	strbuf_release(&out);
}

/* The real thing: an interactive bash with bash-completion and our script
 * sourced, the completion function called with COMP_WORDS as bash splits
 * a command line (it breaks words at '='), in a directory of its own. */
static const char bash_script[] =
	"source /usr/share/bash-completion/bash_completion\n"
	"source \"$SRC/dist/bash-completion/ocbench\"\n"
	"cd \"$DIR\" || exit 1\n"
	"t() { COMP_LINE=$1; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 ));\n"
	"      COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _ocbench;\n"
	"      printf '%s|' \"$COMP_LINE\" \"${COMPREPLY[@]}\"; echo; }\n"
	"t \"$OCB co\" \"$OCB\" co\n"
	"t \"$OCB conform --suite ksm,b\" \"$OCB\" conform --suite ksm,b\n"
	"t \"$OCB conform --check KSM-00\" \"$OCB\" conform --check KSM-00\n"
	"t \"$OCB run --list-keys=mem\" \"$OCB\" run --list-keys = mem\n"
	"t \"$OCB run q\" \"$OCB\" run q\n"
	"t \"$OCB report r\" \"$OCB\" report r\n"
	"complete -p ocbench\n";

static void test_bash_session(void **state)
{
	const char *bin = getenv("OCBENCH");
	char dir[] = "/tmp/ocb-complete-XXXXXX", src[4096], abs_bin[4096];
	struct strbuf out = STRBUF_INIT, setup = STRBUF_INIT;
	const char *argv[] = { "bash", "--norc", "--noprofile", "-i", "-c", NULL, NULL };
	char *line;
	int rc;

	(void)state;
	if (!bin || !realpath(bin, abs_bin) || access("/usr/share/bash-completion/bash_completion", R_OK)) {
		print_message("SKIP: needs $OCBENCH and bash-completion (ci/install-deps)\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	assert_non_null(getcwd(src, sizeof(src)));
	/* a scenario, a directory and a results file to offer */
	strbuf_addf(&setup, "OCB='%s' SRC='%s' DIR='%s'\n"
			    "touch \"$DIR/quick.ini\" \"$DIR/quick.txt\" \"$DIR/run.json\"\n"
			    "mkdir \"$DIR/results\"\n%s", abs_bin, src, dir, bash_script);
	argv[5] = setup.buf;
	rc = run_capture(argv, &out, 30ULL * 1000000000);
	if (rc != 0)
		fail_msg("bash exited with %d:\n%s", rc, out.buf);
	print_message("%s", out.buf);
	assert_non_null(strstr(out.buf, " co|conform|compare|"));
	assert_non_null(strstr(out.buf, "ksm,b|ksm,balloon|\n"));
	assert_non_null(strstr(out.buf, "KSM-00|KSM-001|KSM-002|KSM-003|KSM-004|KSM-005|"));
	assert_non_null(strstr(out.buf, "--list-keys=mem|memory|mem_merge|\n"));
	assert_non_null(strstr(out.buf, "run q|quick.ini|\n"));	/* not quick.txt */
	line = strstr(out.buf, "report r|");
	assert_non_null(line);
	line = strndup(line, strcspn(line, "\n") + 1);
	assert_non_null(strstr(line, "|results|"));
	assert_non_null(strstr(line, "|run.json|"));
	assert_null(strstr(line, "quick"));
	free(line);
	assert_non_null(strstr(out.buf, "complete -F _ocbench ocbench"));
	assert_int_equal(remove_tree(dir), 0);
	strbuf_release(&out);
	strbuf_release(&setup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands_and_options),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_bash_session),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
