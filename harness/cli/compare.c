/* cmd-compare.c — `ocbench compare BASELINE CANDIDATE`. */
#include "cli/compare.h"
#include "reports/compare.h"
#include "util/error.h"
#include "reports/resultset.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void compare_usage(FILE *f)
{
	fprintf(f,
		"usage: ocbench compare BASELINE CANDIDATE [--threshold PCT] [--format text|md|json]\n"
		"                       [--allow-host-change[=FIELD,...]]\n\n"
		"BASELINE and CANDIDATE are run directories or index directories (sets of\n"
		"repeats).  Metrics are matched by name and matrix cell.  A regression is a\n"
		"change in the metric's worse direction that is significant (Welch's t-test,\n"
		"p < 0.05; exact permutation test below %d repeats) and larger than\n"
		"max(threshold, 2 x baseline coefficient of variation).\n\n"
		"  --threshold PCT        smallest change that counts (default 5%%)\n"
		"  --format FMT           text (default), md or json\n"
		"  --allow-host-change    compare even if the host fingerprint differs; with\n"
		"                         =FIELDS only those (cpu.vendor, cpu.model_name, kernel,\n"
		"                         qemu_version)\n\n"
		"Exit: 0 no regression, 1 regression, 2 incomparable inputs or usage error.\n",
		COMPARE_SMALL_N);
}

static int parse_threshold(const char *s, double *pct)
{
	char *end;

	*pct = strtod(s, &end);
	if (end == s || (*end && strcmp(end, "%")) || !isfinite(*pct) || *pct < 0 || *pct > 1000)
		return ocb_fail("--threshold '%s': expected a percentage such as 5%% or 2.5", s);
	return 0;
}

static int check_fields(const char *list)
{
	const char *p = list;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int ok = 0;

		for (int i = 0; i < HOST_NFIELDS; i++)
			ok |= strlen(host_field_names[i]) == n && !strncmp(host_field_names[i], p, n);
		if (!ok)
			return ocb_fail("--allow-host-change: unknown field '%.*s': expected "
					"cpu.vendor, cpu.model_name, kernel or qemu_version", (int)n, p);
		p += n + (comma ? 1 : 0);
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "allow-host-change", optional_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct compare_opts opts = COMPARE_OPTS_INIT;
	struct result_set base = RESULTSET_INIT, cand = RESULTSET_INIT;
	struct compare_result res;
	struct strbuf out = STRBUF_INIT;
	const char *format = "text";
	int c, rc = OCB_EXIT_USAGE;

	optind = 0;	/* reinitialise getopt: tests call this more than once */
	while ((c = getopt_long(argc, argv, "t:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_threshold(optarg, &opts.threshold_pct) < 0) {
				fprintf(stderr, "ocbench compare: %s\n", ocb_errmsg());
				return OCB_EXIT_USAGE;
			}
			break;
		case 'f':
			format = optarg;
			if (strcmp(format, "text") && strcmp(format, "md") && strcmp(format, "json")) {
				fprintf(stderr, "ocbench compare: --format '%s': expected text, md or json\n",
					format);
				return OCB_EXIT_USAGE;
			}
			break;
		case 'A':
			if (!optarg) {
				opts.allow_host_change = 1;
			} else if (check_fields(optarg) < 0) {
				fprintf(stderr, "ocbench compare: %s\n", ocb_errmsg());
				return OCB_EXIT_USAGE;
			} else {
				opts.allow_fields = optarg;
			}
			break;
		case 'h':
			compare_usage(stdout);
			return OCB_EXIT_OK;
		default:
			compare_usage(stderr);
			return OCB_EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "ocbench compare: expected BASELINE and CANDIDATE, got %d argument(s)\n\n",
			argc - optind);
		compare_usage(stderr);
		return OCB_EXIT_USAGE;
	}
	if (resultset_load(&base, argv[optind], 0) < 0 ||
	    resultset_load(&cand, argv[optind + 1], 0) < 0) {
		fprintf(stderr, "ocbench compare: %s\n", ocb_errmsg());
		goto out;
	}
	compare_sets(&base, &cand, &opts, &res);
	if (!strcmp(format, "json")) {
		json_t *j = compare_to_json(&res);
		char *s = json_dumps(j, JSON_INDENT(2));

		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(j);
	} else {
		if (!strcmp(format, "md"))
			compare_format_md(&res, &out);
		else
			compare_format_text(&res, &out);
		fputs(out.buf, stdout);
	}
	fflush(stdout);
	if (res.incomparable)
		fprintf(stderr, "ocbench compare: incomparable inputs:\n%s", res.problems.buf);
	rc = compare_exit_code(&res);
	compare_release(&res);
out:
	strbuf_release(&out);
	resultset_release(&base);
	resultset_release(&cand);
	return rc;
}
