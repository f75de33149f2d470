/* opts.c — see opts.h: getopt's tables and --help from a cli_doc. */
#include "cli/opts.h"
#include "util/strbuf.h"

#include <string.h>

#define HELP_COLUMN 24	/* where the help of an option starts */

void cli_getopt_init(struct cli_getopt *g, const struct cli_doc *d)
{
	size_t n = 0, s = 0;

	memset(g, 0, sizeof(*g));
	for (const struct cli_opt *o = d->opts; o->name && n < CLI_MAX_OPTS; o++, n++) {
		g->longopts[n].name = o->name;
		g->longopts[n].has_arg = o->arg == CLI_ARG ? required_argument :
					 o->arg == CLI_OPTARG ? optional_argument : no_argument;
		g->longopts[n].val = o->key;
		if (o->key >= CLI_LONG_ONLY || s + 3 >= sizeof(g->shortopts))
			continue;
		g->shortopts[s++] = (char)o->key;
		if (o->arg != CLI_NOARG)
			g->shortopts[s++] = ':';
		if (o->arg == CLI_OPTARG)
			g->shortopts[s++] = ':';
	}
	g->shortopts[s] = '\0';
}

int cli_getopt_next(struct cli_getopt *g, int argc, char **argv)
{
	return getopt_long(argc, argv, g->shortopts, g->longopts, NULL);
}

const struct cli_opt *cli_opt_find(const struct cli_doc *d, const char *long_name)
{
	for (const struct cli_opt *o = d->opts; o->name; o++)
		if (!strcmp(o->name, long_name))
			return o;
	return NULL;
}

/* "  -o, --output DIR" / "      --allow-host-change[=FIELD,...]" */
static void opt_left(const struct cli_opt *o, struct strbuf *sb)
{
	if (o->key < CLI_LONG_ONLY)
		strbuf_addf(sb, "  -%c, --%s", o->key, o->name);
	else
		strbuf_addf(sb, "      --%s", o->name);
	if (o->arg == CLI_ARG)
		strbuf_addf(sb, " %s", o->metavar);
	else if (o->arg == CLI_OPTARG)
		strbuf_addf(sb, "[=%s]", o->metavar);
}

static void print_opt(FILE *f, const struct cli_opt *o)
{
	struct strbuf left = STRBUF_INIT;
	const char *h = o->help, *nl;
	size_t width;

	opt_left(o, &left);
	fputs(left.buf, f);
	width = left.len;
	strbuf_release(&left);
	if (!*h) {
		fputc('\n', f);
		return;
	}
	if (width + 2 > HELP_COLUMN)
		fputs("  ", f);
	else
		fprintf(f, "%*s", (int)(HELP_COLUMN - width), "");
	while ((nl = strchr(h, '\n'))) {
		fprintf(f, "%.*s\n%*s", (int)(nl - h), h, HELP_COLUMN, "");
		h = nl + 1;
	}
	fprintf(f, "%s\n", h);
}

void cli_usage(FILE *f, const struct cli_doc *d)
{
	fprintf(f, "usage: ocbench %s %s\n\n%s\n\n", d->name, d->synopsis, d->description);
	for (const struct cli_opt *o = d->opts; o->name; o++)
		print_opt(f, o);
	fprintf(f, "\nExit: %s\n", d->exit_status);
}
