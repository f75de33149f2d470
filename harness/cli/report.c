/* report.c — `ocbench report RESULTS... [-o DIR]`. */
#include "cli/report.h"
#include "cli/opts.h"
#include "cli/cli.h"
#include "util/error.h"
#include "reports/qualify.h"
#include "reports/report.h"
#include "reports/resultset.h"
#include "scenario/scenario.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const struct cli_opt report_opts[] = {
	{ "output", 'o', CLI_ARG, "DIR", CLI_V_DIR, NULL,
	  "where to write (default: RESULTS/report for one input;\n"
	  "required for several)" },
	{ "help", 'h', CLI_NOARG, NULL, CLI_V_NONE, NULL, "print this help" },
	{ NULL, 0, CLI_NOARG, NULL, CLI_V_NONE, NULL, NULL },
};

const struct cli_doc report_doc = {
	.name = "report",
	.summary = "turn results into HTML/Markdown reports with plots",
	.synopsis = "RESULTS... [-o DIR]",
	.description =
		"RESULTS are run directories or index directories (a sweep).  Writes\n"
		"DIR/index.html (self-contained), DIR/report.md and the figures as SVG and\n"
		"PNG (gnuplot).  Repeats of a matrix cell are aggregated (mean, sd, n).\n"
		"The Results section shows the scenario's [report] headline metrics (read\n"
		"from the scenario file run.json names, when it is there), else a default.\n"
		"\n"
		"RESULTS that are all `ocbench conform --json` files (from several hosts,\n"
		"or one host with other settings) make the qualification matrix instead:\n"
		"DIR/qualification.html and DIR/qualification.md (default DIR:\n"
		"qualification), one column per file named by its host's fingerprint, one\n"
		"row per check, the verdicts coloured, and the host settings that differ.",
	.opts = report_opts,
	.operands = CLI_V_RESULTS,
	.exit_status = "0 written, 1 rendering failed, 2 usage error or unreadable results.",
};

/* The headline and the question of the scenario the runs ran: from
 * run.json, or for results older than that, from the file their run.json
 * names (relative to where `ocbench run` ran, which is usually here).  Without the file the report uses its defaults: the
 * results are what it reports, the file only says what to show first. */
static struct scenario *scenario_of(const struct result_set *rs, struct report_opts *o)
{
	const char *file;
	struct scenario *s;

	if (!rs->n)
		return NULL;
	/* run.json carries them since the runner records them */
	o->headline = json_string_value(json_object_get(json_object_get(rs->runs[0].json, "report"), "headline"));
	o->description = json_string_value(json_object_get(rs->runs[0].json, "description"));
	if (o->headline || o->description)
		return NULL;
	file = json_string_value(json_object_get(rs->runs[0].json, "scenario_file"));
	if (!file || !path_exists(file))
		return NULL;
	s = scenario_load(file, NULL, 0);
	if (!s) {
		fprintf(stderr, "ocbench report: %s: %s (the report uses its default headline)\n", file,
			ocb_errmsg());
		return NULL;
	}
	o->headline = s->report_headline;
	o->description = s->description;
	return s;
}

static int all_conform_json(int n, char **paths)
{
	for (int i = 0; i < n; i++)
		if (!qualify_is_conform_json(paths[i]))
			return 0;
	return n > 0;
}

static int qualification(int n, char **paths, const char *outdir)
{
	struct qualify_info info = { 0, 0, 0 };

	if (qualify_write((const char *const *)paths, (size_t)n, outdir, &info) < 0) {
		fprintf(stderr, "ocbench report: %s\n", ocb_errmsg());
		return OCB_EXIT_USAGE;
	}
	printf("report: %s/qualification.html, %s/qualification.md (%zu host column(s), %zu check(s), "
	       "%zu differing setting(s))\n", outdir, outdir, info.hosts, info.checks, info.differing);
	return OCB_EXIT_OK;
}

int cmd_report(int argc, char **argv, struct cmd_env *env)
{
	struct cli_getopt g;
	struct result_set rs = RESULTSET_INIT;
	struct strbuf out = STRBUF_INIT;
	struct report_info info = { 0, 0 };
	struct report_opts opts = { NULL, NULL };
	struct scenario *sc = NULL;
	const char *outdir = NULL;
	int c, rc = OCB_EXIT_USAGE;

	cli_getopt_init(&g, &report_doc);
	optind = 0;	/* reinitialise getopt: tests call this more than once */
	while ((c = cli_getopt_next(&g, argc, argv)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'h':
			cli_usage(stdout, &report_doc);
			return OCB_EXIT_OK;
		default:
			cli_usage(stderr, &report_doc);
			return OCB_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ocbench report: expected at least one RESULTS directory\n\n");
		cli_usage(stderr, &report_doc);
		return OCB_EXIT_USAGE;
	}
	if (all_conform_json(argc - optind, argv + optind))
		return qualification(argc - optind, argv + optind, outdir ? outdir : "qualification");
	if (!outdir && argc - optind > 1) {
		fprintf(stderr, "ocbench report: %d RESULTS given: say where the report goes with -o DIR\n",
			argc - optind);
		return OCB_EXIT_USAGE;
	}
	if (outdir) {
		strbuf_adds(&out, outdir);
	} else {
		strbuf_adds(&out, argv[optind]);
		while (out.len > 1 && out.buf[out.len - 1] == '/')
			out.buf[--out.len] = '\0';
		strbuf_adds(&out, "/report");
	}
	for (int i = optind; i < argc; i++)
		if (resultset_load(&rs, argv[i], RESULTSET_SERIES) < 0) {
			fprintf(stderr, "ocbench report: %s\n", ocb_errmsg());
			goto done;
		}
	sc = scenario_of(&rs, &opts);
	if (report_write(&rs, (const char *const *)argv + optind, (size_t)(argc - optind), out.buf,
			 &opts, &info) < 0) {
		fprintf(stderr, "ocbench report: %s\n", ocb_errmsg());
		rc = OCB_EXIT_FAIL;
		goto done;
	}
	printf("report: %s/index.html, %s/report.md (%zu run(s), %zu figure(s))\n", out.buf, out.buf,
	       info.runs, info.figures);
	rc = OCB_EXIT_OK;
done:
	scenario_free(sc);
	resultset_release(&rs);
	strbuf_release(&out);
	return rc;
}
