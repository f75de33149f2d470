/* compare.c — `ocbench compare BASELINE CANDIDATE`. */
#include "cli/compare.h"
#include "cli/opts.h"
#include "cli/cli.h"
#include "reports/compare.h"
#include "reports/compare-html.h"
#include "reports/like.h"
#include "reports/verdict.h"
#include "reports/resultset.h"
#include "util/error.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

enum { O_ALLOW_HOST = CLI_LONG_ONLY, O_ALLOW_INCONCLUSIVE, O_EXPECT_RUNS };

static const struct cli_opt compare_opts[] = {
	{ "threshold", 't', CLI_ARG, "PCT", CLI_V_NONE, NULL,
	  "smallest change that counts (default 5%)" },
	{ "format", 'f', CLI_ARG, "FMT", CLI_V_WORDS, "text md json html",
	  "text (default), md, json, or html (one page: the\n"
	  "verdict first, then each metric's change as a bar)" },
	{ "allow-host-change", O_ALLOW_HOST, CLI_OPTARG, "FIELD,...", CLI_V_HOST_FIELDS, NULL,
	  "compare although the host fingerprint (cpu.vendor,\n"
	  "cpu.model_name, kernel, qemu_version) differs; with\n"
	  "=FIELDS exactly those of cpu.vendor, cpu.model_name,\n"
	  "kernel, qemu_version, accel, backend, quick,\n"
	  "guest_image, knobs (the verdict lists each one)" },
	{ "allow-inconclusive", O_ALLOW_INCONCLUSIVE, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "exit 0 instead of 3 when evidence is missing" },
	{ "expect-runs", O_EXPECT_RUNS, CLI_ARG, "N", CLI_V_NONE, NULL,
	  "every matrix cell needs N complete runs on each side\n"
	  "(besides what run.json says was requested)" },
	{ "help", 'h', CLI_NOARG, NULL, CLI_V_NONE, NULL, "print this help" },
	{ NULL, 0, CLI_NOARG, NULL, CLI_V_NONE, NULL, NULL },
};

const struct cli_doc compare_doc = {
	.name = "compare",
	.summary = "compare two result sets; exit 1 on a regression",
	.synopsis = "BASELINE CANDIDATE [options]",
	.description =
		"BASELINE and CANDIDATE are run directories or index directories (sets of\n"
		"repeats).  Failed and incomplete runs count: a higher failure rate in any\n"
		"matrix cell of the candidate is a regression.  Metrics are matched by name\n"
		"and matrix cell; a gated metric regresses when its change in the worse\n"
		"direction is significant (Welch's t-test, p < 0.05; exact permutation test\n"
		"below " STR(COMPARE_SMALL_N) " repeats) and larger than max(threshold, 2 x baseline coefficient of\n"
		"variation).  Informational metrics (ocbench's own cost) are never gated.",
	.opts = compare_opts,
	.operands = CLI_V_RESULTS,
	.exit_status = "0 no regression, 1 regression (runs failing more often or a gated\n"
		       "metric), 2 incomparable inputs or usage error, 3 inconclusive: fewer complete\n"
		       "runs than requested, runs never recorded, a gated metric missing from runs\n"
		       "or not decidable (0 with --allow-inconclusive).",
};

static int parse_threshold(const char *s, double *pct)
{
	char *end;

	*pct = strtod(s, &end);
	if (end == s || (*end && strcmp(end, "%")) || !isfinite(*pct) || *pct < 0 || *pct > 1000)
		return ocb_fail("--threshold '%s': expected a percentage such as 5%% or 2.5", s);
	return 0;
}

static int parse_runs(const char *s, size_t *n)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > 100000)
		return ocb_fail("--expect-runs '%s': expected a number of runs from 1 to 100000", s);
	*n = (size_t)v;
	return 0;
}

struct compare_args {
	struct compare_opts opts;
	const char *format;
};

/* One option; 0, 1 for --help, -1 after saying what was wrong. */
static int take_option(int c, struct compare_args *a)
{
	switch (c) {
	case 't':
		return parse_threshold(optarg, &a->opts.threshold_pct);
	case 'f':
		a->format = optarg;
		if (strcmp(optarg, "text") && strcmp(optarg, "md") && strcmp(optarg, "json") &&
		    strcmp(optarg, "html"))
			return ocb_fail("--format '%s': expected text, md, json or html", optarg);
		return 0;
	case O_ALLOW_HOST:
		if (!optarg) {
			a->opts.allow_host_change = 1;
			return 0;
		}
		a->opts.allow_fields = optarg;
		return like_check_names(optarg) < 0 ? ocb_err_prefix("--allow-host-change: ") : 0;
	case O_ALLOW_INCONCLUSIVE:
		a->opts.allow_inconclusive = 1;
		return 0;
	case O_EXPECT_RUNS:
		return parse_runs(optarg, &a->opts.expect_runs);
	case 'h':
		return 1;
	default:
		return ocb_fail("unknown option or missing argument (see ocbench compare --help)");
	}
}

static int parse_args(int argc, char **argv, struct compare_args *a)
{
	struct cli_getopt g;
	int c, r;

	cli_getopt_init(&g, &compare_doc);
	optind = 0;	/* reinitialise getopt: tests call this more than once */
	while ((c = cli_getopt_next(&g, argc, argv)) != -1)
		if ((r = take_option(c, a)) != 0)
			return r;
	if (argc - optind != 2)
		return ocb_fail("expected BASELINE and CANDIDATE, got %d argument(s)", argc - optind);
	return 0;
}

static void emit(const struct compare_result *res, const char *format)
{
	struct strbuf out = STRBUF_INIT;

	if (!strcmp(format, "json")) {
		json_t *j = compare_to_json(res);
		char *s = json_dumps(j, JSON_INDENT(2));

		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(j);
	} else {
		if (!strcmp(format, "md"))
			compare_format_md(res, &out);
		else if (!strcmp(format, "html"))
			compare_format_html(res, &out);
		else
			compare_format_text(res, &out);
		fputs(strbuf_str(&out), stdout);
	}
	fflush(stdout);
	strbuf_release(&out);
}

int cmd_compare(int argc, char **argv, struct cmd_env *env)
{
	struct compare_args a = { COMPARE_OPTS_INIT, "text" };
	struct result_set base = RESULTSET_INIT, cand = RESULTSET_INIT;
	struct compare_result res;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0) {
		if (rc > 0) {
			cli_usage(stdout, &compare_doc);
			return OCB_EXIT_OK;
		}
		fprintf(stderr, "ocbench compare: %s\n\n", ocb_errmsg());
		cli_usage(stderr, &compare_doc);
		return OCB_EXIT_USAGE;
	}
	if (resultset_load(&base, argv[optind], 0) < 0 ||
	    resultset_load(&cand, argv[optind + 1], 0) < 0) {
		fprintf(stderr, "ocbench compare: %s\n", ocb_errmsg());
		rc = COMPARE_EXIT_INCOMPARABLE;
		goto out;
	}
	compare_sets(&base, &cand, &a.opts, &res);
	emit(&res, a.format);
	/* the reason on stderr too, where a pipeline's log shows it */
	if (compare_exit_code(&res) != COMPARE_EXIT_OK) {
		struct strbuf h = STRBUF_INIT;

		compare_headline(&res, &h);
		fprintf(stderr, "ocbench compare: %s\n", h.buf);
		strbuf_release(&h);
	}
	rc = compare_exit_code(&res);
	compare_release(&res);
out:
	resultset_release(&base);
	resultset_release(&cand);
	return rc;
}
