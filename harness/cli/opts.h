/* opts.h — a subcommand's documentation and options as one table
 * (struct cli_doc): getopt's tables, `--help`, the man page
 * (`ocbench __man`, cli/man.c) and the shell completion
 * (`ocbench __complete`, cli/complete.c) all come from it, so an option
 * cannot be parsed one way and documented another.
 *
 * Text fields are plain text with hard line breaks as --help prints
 * them; the man page joins the lines of a paragraph (a blank line
 * separates paragraphs) and lets the pager wrap.
 */
#ifndef OCB_CLI_OPTS_H
#define OCB_CLI_OPTS_H

#include <getopt.h>
#include <stdio.h>

/* What a value is, for completion: an option's argument or the
 * command's operands. */
enum cli_values {
	CLI_V_NONE = 0,		/* free text: nothing to offer */
	CLI_V_FILE,		/* any file */
	CLI_V_DIR,		/* a directory */
	CLI_V_SCENARIO,		/* a scenario file (*.ini) */
	CLI_V_RESULTS,		/* results: run/index directories, conform --json files */
	CLI_V_WORDS,		/* one of cli_opt.words */
	CLI_V_SUITES,		/* comma list of conformance suites */
	CLI_V_CHECKS,		/* comma list of check ids */
	CLI_V_BACKENDS,		/* a VM backend name */
	CLI_V_KEYS,		/* a scenario key, host knob or timeline action */
	CLI_V_HOST_FIELDS,	/* comma list of compare's like-for-like fields */
	CLI_V_POLICIES,		/* an overcommit policy's name (policy/policies.h) */
};

enum cli_arg { CLI_NOARG, CLI_ARG, CLI_OPTARG };

struct cli_opt {
	const char *name;	/* long name, without "--" */
	int key;		/* getopt_long's value; a printable one is also the short option */
	enum cli_arg arg;
	const char *metavar;	/* "DIR", for CLI_ARG and CLI_OPTARG */
	enum cli_values values;	/* what the argument is */
	const char *words;	/* CLI_V_WORDS: the choices, space separated */
	const char *help;	/* lines, '\n' between */
};

/* Keys above this are long-only (getopt's values for them). */
#define CLI_LONG_ONLY 256

struct cli_doc {
	const char *name;		/* "run" */
	const char *summary;		/* one line: `ocbench` lists it, NAME of the man page */
	const char *synopsis;		/* after "ocbench NAME ": "SCENARIO.ini... [options]" */
	const char *description;	/* paragraphs */
	const struct cli_opt *opts;	/* ends with a row whose name is NULL */
	enum cli_values operands;	/* what the non-option arguments are */
	const char *operand_words;	/* CLI_V_WORDS operands: the first one's choices */
	const char *exit_status;	/* "0 ..., 1 ..., 2 ..." */
	enum cli_values listed;		/* a table its man page lists in full
					 * (conform: CLI_V_CHECKS), or CLI_V_NONE */
};

/* getopt_long's tables for a doc, built once per parse. */
#define CLI_MAX_OPTS 32
struct cli_getopt {
	struct option longopts[CLI_MAX_OPTS + 1];
	char shortopts[2 * CLI_MAX_OPTS + 2];
};

void cli_getopt_init(struct cli_getopt *g, const struct cli_doc *d);
/* getopt_long over g's tables. */
int cli_getopt_next(struct cli_getopt *g, int argc, char **argv);

/* `ocbench NAME --help`. */
void cli_usage(FILE *f, const struct cli_doc *d);
/* The option's name as written: "-o, --output" / "--backend". */
const struct cli_opt *cli_opt_find(const struct cli_doc *d, const char *long_name);

#endif
