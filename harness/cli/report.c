/* report.c — `ocbench report RESULTS... [-o DIR]`. */
#include "cli/report.h"
#include "cli/cli.h"
#include "util/error.h"
#include "reports/report.h"
#include "reports/resultset.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void report_usage(FILE *f)
{
	fprintf(f,
		"usage: ocbench report RESULTS... [-o DIR]\n\n"
		"RESULTS are run directories or index directories (a sweep).  Writes\n"
		"DIR/index.html (self-contained), DIR/report.md and the figures as SVG and\n"
		"PNG (gnuplot).  Repeats of a matrix cell are aggregated (mean, sd, n).\n\n"
		"  -o, --output DIR   where to write (default: RESULTS/report for one input;\n"
		"                     required for several)\n\n"
		"Exit: 0 written, 1 rendering failed, 2 usage error or unreadable results.\n");
}

int cmd_report(int argc, char **argv, struct cmd_env *env)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct result_set rs = RESULTSET_INIT;
	struct strbuf out = STRBUF_INIT;
	struct report_info info = { 0, 0 };
	const char *outdir = NULL;
	int c, rc = OCB_EXIT_USAGE;

	optind = 0;	/* reinitialise getopt: tests call this more than once */
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'h':
			report_usage(stdout);
			return OCB_EXIT_OK;
		default:
			report_usage(stderr);
			return OCB_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ocbench report: expected at least one RESULTS directory\n\n");
		report_usage(stderr);
		return OCB_EXIT_USAGE;
	}
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
	if (report_write(&rs, (const char *const *)argv + optind, (size_t)(argc - optind), out.buf,
			 &info) < 0) {
		fprintf(stderr, "ocbench report: %s\n", ocb_errmsg());
		rc = OCB_EXIT_FAIL;
		goto done;
	}
	printf("report: %s/index.html, %s/report.md (%zu run(s), %zu figure(s))\n", out.buf, out.buf,
	       info.runs, info.figures);
	rc = OCB_EXIT_OK;
done:
	resultset_release(&rs);
	strbuf_release(&out);
	return rc;
}
