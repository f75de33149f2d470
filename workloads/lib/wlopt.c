/* wlopt.c — see wlopt.h. */
#include "wlopt.h"
#include "util/error.h"
#include "util/units.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WLOPT_MAX 48

static struct wl_common parsed;

static const struct wlopt common_opts[] = {
	{ "size", "SIZE", "memory to use (e.g. 64M, 1G; binary units)", wlopt_set_size, &parsed.size },
	{ "duration", "DUR", "run this long (e.g. 500ms, 10s, 2m)", wlopt_set_duration, &parsed.duration_ns },
	{ "iterations", "N", "run N rounds instead of a duration", wlopt_set_count, &parsed.iterations },
	{ "json", "FILE", "write results (schema ocbench.workload/1) to FILE atomically",
	  wlopt_set_string, &parsed.json_path },
	{ "seed", "N", "random seed (default 1); same seed, same pattern", wlopt_set_u64, &parsed.seed },
	{ "help", NULL, "show this help and exit", NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

int wlopt_set_size(void *field, const char *arg)
{
	return parse_size(arg, 1, field);
}

int wlopt_set_duration(void *field, const char *arg)
{
	return parse_duration_ns(arg, 0, field);
}

int wlopt_set_u64(void *field, const char *arg)
{
	return parse_u64_range(arg, 0, UINT64_MAX, field);
}

int wlopt_set_count(void *field, const char *arg)
{
	return parse_u64_range(arg, 1, UINT64_MAX, field);
}

int wlopt_set_flag(void *field, const char *arg)
{
	*(int *)field = 1;
	return 0;
}

int wlopt_set_fraction(void *field, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0 || v > 1)
		return ocb_fail("invalid fraction '%s': expected a number from 0 to 1", arg);
	*(double *)field = v;
	return 0;
}

int wlopt_set_string(void *field, const char *arg)
{
	if (!*arg)
		return ocb_fail("empty argument: expected a non-empty value");
	*(const char **)field = arg;
	return 0;
}

static void usage_table(const struct wlopt *t, FILE *f)
{
	for (; t && t->name; t++) {
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", t->name, t->metavar ? " " : "",
			 t->metavar ? t->metavar : "");
		fprintf(f, "  %-24s %s\n", left, t->help);
	}
}

void wl_usage(const struct wl_program *p, FILE *f)
{
	fprintf(f, "usage: %s [OPTION]...\n%s\n\nOptions:\n", p->name, p->summary);
	usage_table(common_opts, f);
	usage_table(p->opts, f);
	fprintf(f, "\nDefaults: --size %lluM %s.\n", (unsigned long long)(p->default_size >> 20),
		p->default_run ? p->default_run : "");
	if (p->notes)
		fprintf(f, "\n%s\n", p->notes);
	fprintf(f, "\nExit status: 0 success, 1 measurement or verification failure, 2 usage or setup error.\n");
}

/* Option index i of the combined table: common first, then the program's. */
static const struct wlopt *nth_opt(const struct wl_program *p, int i, int ncommon)
{
	return i < ncommon ? &common_opts[i] : &p->opts[i - ncommon];
}

static int build_longopts(const struct wl_program *p, struct option *lo, int *ncommon)
{
	int n = 0;

	for (const struct wlopt *t = common_opts; t->name; t++, n++)
		lo[n] = (struct option){ t->name, t->metavar ? required_argument : no_argument, NULL, 256 + n };
	*ncommon = n;
	for (const struct wlopt *t = p->opts; t && t->name; t++, n++) {
		if (n >= WLOPT_MAX - 1)
			return ocb_fail("%s: too many options (at most %d)", p->name, WLOPT_MAX - 1);
		lo[n] = (struct option){ t->name, t->metavar ? required_argument : no_argument, NULL, 256 + n };
	}
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	return 0;
}

static int usage_error(const struct wl_program *p)
{
	fprintf(stderr, "%s: %s\n", p->name, ocb_errmsg());
	wl_usage(p, stderr);
	return WLOPT_USAGE;
}

int wl_parse(const struct wl_program *p, int argc, char **argv, struct wl_common *c)
{
	struct option lo[WLOPT_MAX];
	int ncommon, ch;

	memset(&parsed, 0, sizeof(parsed));
	parsed.size = p->default_size;
	parsed.seed = 1;
	if (build_longopts(p, lo, &ncommon) < 0)
		return usage_error(p);
	optind = 0;	/* glibc: reinitialise, so tests can parse repeatedly */
	opterr = 0;	/* our own message, with the usage */
	while ((ch = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		const struct wlopt *o;

		if (ch == 'h' || (ch >= 256 && !nth_opt(p, ch - 256, ncommon)->set)) {
			wl_usage(p, stdout);
			return WLOPT_HELP;
		}
		if (ch == '?' || ch == ':') {
			ocb_fail("unknown option or missing argument '%s'", argv[optind - 1]);
			return usage_error(p);
		}
		o = nth_opt(p, ch - 256, ncommon);
		if (o->set(o->field, optarg) < 0) {
			ocb_err_prefix("--%s: ", o->name);
			return usage_error(p);
		}
	}
	if (optind < argc) {
		ocb_fail("unexpected argument '%s': the workloads take options only", argv[optind]);
		return usage_error(p);
	}
	if (parsed.duration_ns && parsed.iterations) {
		ocb_fail("--duration and --iterations both given: expected one of them");
		return usage_error(p);
	}
	*c = parsed;
	return WLOPT_OK;
}
