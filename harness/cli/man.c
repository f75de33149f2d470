/* man.c — see man.h. */
#include "cli/man.h"
#include "cli/commands.h"
#include "cli/man-scenario.h"
#include "cli/roff.h"
#include "conform/suites.h"
#include "guest/guest-image.h"
#include "knobs/journal.h"
#include "util/error.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <string.h>

/* The environment ocbench reads (the FILES and ENVIRONMENT of ocbench(1)). */
static const struct {
	const char *name, *help;
} environment[] = {
	{ "OCBENCH_STATE_DIR", "where the knob journal is kept (default " OCB_DEFAULT_STATE_DIR ")" },
	{ "OCBENCH_LOCK_DIR", "where the host-wide lock host.lock is (default /run/ocbench)" },
	{ "OCBENCH_GUEST_DIR", "the default guest: a directory with a kernel and an initramfs" },
	{ "OCBENCH_WORKLOAD_DIR", "the workload programs for native runs (--native)" },
	{ "CI", "when true, progress is printed as timestamped lines instead of a status line" },
};

static void synopsis(struct strbuf *sb, const char *name, const char *rest)
{
	roff_section(sb, "SYNOPSIS");
	strbuf_adds(sb, ".B ocbench ");
	roff_code(sb, name);
	strbuf_addch(sb, '\n');
	roff_text(sb, rest);
}

static void see_also(struct strbuf *sb, const char *self)
{
	const char *sep = "";

	roff_section(sb, "SEE ALSO");
	if (strcmp(self, "ocbench")) {
		strbuf_adds(sb, ".BR ocbench (1)");
		sep = ",\n";
	}
	for (const struct subcommand *c = cli_commands(); c->doc; c++) {
		if (!strncmp(self, "ocbench-", 8) && !strcmp(self + 8, c->doc->name))
			continue;
		strbuf_addf(sb, "%s.BR ocbench\\-%s (1)", sep, c->doc->name);
		sep = ",\n";
	}
	strbuf_addf(sb, "%s.BR ocbench\\-scenario (5)\n", sep);
}

static void page_ocbench(struct strbuf *sb)
{
	roff_header(sb, "ocbench", 1, "memory overcommit benchmark and conformance suite for QEMU/KVM");
	roff_section(sb, "SYNOPSIS");
	strbuf_adds(sb, ".B ocbench\n.I COMMAND\n[ARGS]\n.br\n.B ocbench \\-\\-version\n");
	roff_section(sb, "DESCRIPTION");
	roff_text(sb, "ocbench measures memory overcommit on QEMU/KVM hosts: virtio-balloon, KSM, "
		      "THP and hugetlbfs, EPT/VPID.  It boots guests with the settings a scenario "
		      "file asks for, drives workloads in them, samples latency and memory "
		      "counters on one clock and writes every run as a comparable result; it "
		      "checks that each mechanism does what it promises on this host; and it turns "
		      "results into reports and a verdict a CI pipeline can gate on.");
	roff_section(sb, "COMMANDS");
	for (const struct subcommand *c = cli_commands(); c->doc; c++) {
		struct strbuf tag = STRBUF_INIT;

		strbuf_addf(&tag, "%s", c->doc->name);
		roff_item(sb, tag.buf, c->doc->summary);
		strbuf_addf(sb, "See\n.BR ocbench\\-%s (1).\n", c->doc->name);
		strbuf_release(&tag);
	}
	roff_item(sb, "--version", "the version, the schema of every document ocbench writes, and "
		  "the features it was built with");
	roff_section(sb, "EXIT STATUS");
	roff_text(sb, "0 success, 1 failure or regression, 2 usage or set-up error; compare adds 3, "
		      "inconclusive.");
	roff_section(sb, "ENVIRONMENT");
	for (size_t i = 0; i < sizeof(environment) / sizeof(environment[0]); i++)
		roff_item(sb, environment[i].name, environment[i].help);
	roff_section(sb, "FILES");
	strbuf_addf(sb, ".TP\n.I %s/guest\n", guest_data_dir());
	roff_text(sb, "the default guest (kernel, initramfs with qemu-guest-agent and the workloads)");
	strbuf_addf(sb, ".TP\n.I %s/scenarios\n", guest_data_dir());
	roff_text(sb, "the shipped scenarios; quickstart.ini is the first");
	strbuf_addf(sb, ".TP\n.I %s/schemas\n", guest_data_dir());
	roff_text(sb, "the JSON schemas of the results");
	strbuf_adds(sb, ".TP\n.I " OCB_DEFAULT_STATE_DIR "/host\\-knobs.journal\n");
	roff_text(sb, "the host settings a run changed, with their previous values (ocbench restore)");
	see_also(sb, "ocbench");
}

static void option_tag(struct strbuf *tag, const struct cli_opt *o)
{
	if (o->key < CLI_LONG_ONLY)
		strbuf_addf(tag, "-%c, ", o->key);
	strbuf_addf(tag, "--%s", o->name);
	if (o->arg == CLI_ARG)
		strbuf_addf(tag, " %s", o->metavar);
	else if (o->arg == CLI_OPTARG)
		strbuf_addf(tag, "[=%s]", o->metavar);
}

static void list_checks(struct strbuf *sb)
{
	const struct conform_suite *const *s = conform_suites();

	roff_section(sb, "CHECKS");
	for (size_t i = 0; s[i]; i++)
		for (size_t k = 0; k < s[i]->n; k++) {
			struct strbuf body = STRBUF_INIT;

			strbuf_addf(&body, "(suite %s) %s", s[i]->name, s[i]->checks[k].title);
			roff_item(sb, s[i]->checks[k].id, body.buf);
			strbuf_release(&body);
		}
}

static void page_command(struct strbuf *sb, const struct cli_doc *d)
{
	struct strbuf page = STRBUF_INIT;

	strbuf_addf(&page, "ocbench-%s", d->name);
	roff_header(sb, page.buf, 1, d->summary);
	synopsis(sb, d->name, d->synopsis);
	roff_section(sb, "DESCRIPTION");
	roff_text(sb, d->description);
	roff_section(sb, "OPTIONS");
	for (const struct cli_opt *o = d->opts; o->name; o++) {
		struct strbuf tag = STRBUF_INIT;

		option_tag(&tag, o);
		roff_item(sb, tag.buf, o->help);
		strbuf_release(&tag);
	}
	if (d->listed == CLI_V_CHECKS)
		list_checks(sb);
	roff_section(sb, "EXIT STATUS");
	roff_text(sb, d->exit_status);
	see_also(sb, page.buf);
	strbuf_release(&page);
}

int man_page_file(size_t i, struct strbuf *file)
{
	const struct subcommand *c = cli_commands();
	size_t n = 0;

	while (c[n].doc)
		n++;
	if (i == 0)
		strbuf_adds(file, "ocbench.1");
	else if (i <= n)
		strbuf_addf(file, "ocbench-%s.1", c[i - 1].doc->name);
	else if (i == n + 1)
		strbuf_adds(file, "ocbench-scenario.5");
	else
		return 0;
	return 1;
}

int man_render(const char *page, struct strbuf *out)
{
	const struct subcommand *c;
	size_t len = strcspn(page, ".");
	char name[64];

	snprintf(name, sizeof(name), "%.*s", (int)len, page);
	if (!strcmp(name, "ocbench")) {
		page_ocbench(out);
		return 0;
	}
	if (!strcmp(name, "ocbench-scenario")) {
		man_scenario_page(out);
		return 0;
	}
	c = strncmp(name, "ocbench-", 8) ? NULL : cli_command_find(name + 8);
	if (!c)
		return ocb_fail("no man page '%s' (ocbench __man --list lists them)", page);
	page_command(out, c->doc);
	return 0;
}

/* Every page into dir/NAME.N. */
static int write_pages(const char *dir)
{
	struct strbuf file = STRBUF_INIT, path = STRBUF_INIT, roff = STRBUF_INIT;
	int rc = 0;

	for (size_t i = 0; rc == 0 && man_page_file(i, &file); i++) {
		strbuf_addf(&path, "%s/%s", dir, file.buf);
		rc = man_render(file.buf, &roff);
		if (rc == 0)
			rc = write_file_atomic(path.buf, roff.buf, roff.len, 0644);
		strbuf_reset(&file);
		strbuf_reset(&path);
		strbuf_reset(&roff);
	}
	strbuf_release(&file);
	strbuf_release(&path);
	strbuf_release(&roff);
	return rc;
}

int cmd_man(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (size_t i = 0; man_page_file(i, &sb); i++) {
			printf("%s\n", sb.buf);
			strbuf_reset(&sb);
		}
	} else if (argc == 3 && !strcmp(argv[1], "--write")) {
		rc = write_pages(argv[2]);
	} else if (argc == 2) {
		rc = man_render(argv[1], &sb);
		if (rc == 0)
			fputs(sb.buf, stdout);
	} else {
		rc = ocb_fail("usage: ocbench __man PAGE | --list | --write DIR");
	}
	if (rc < 0)
		fprintf(stderr, "ocbench __man: %s\n", ocb_errmsg());
	strbuf_release(&sb);
	return rc < 0 ? 2 : 0;
}
