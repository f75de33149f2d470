/* wlopt.h — command-line options of the workloads, as data.
 *
 * Every program takes the common options (--size, --duration,
 * --iterations, --json, --seed, --help) plus a table of its own.  One
 * table drives getopt_long, validation and --help, so the usage text can
 * never disagree with the parser.  Sizes and durations go through
 * harness/util/units.c, so "512M" means what it means in a scenario file.
 */
#ifndef OCB_WL_OPT_H
#define OCB_WL_OPT_H

#include <stdint.h>
#include <stdio.h>

struct wlopt {
	const char *name;	/* long option, without "--"; NULL ends a table */
	const char *metavar;	/* argument shown in --help; NULL: a flag */
	const char *help;
	/* Store arg (NULL for a flag) into field; 0, or -1 with ocb_errmsg(). */
	int (*set)(void *field, const char *arg);
	void *field;
};

struct wl_common {
	uint64_t size;		/* bytes */
	uint64_t duration_ns;	/* 0: not given */
	uint64_t iterations;	/* 0: not given */
	const char *json_path;	/* NULL: no JSON file */
	uint64_t seed;
};

struct wl_program {
	const char *name;
	const char *summary;		/* one line: what it measures */
	const char *notes;		/* printed after the options; may be NULL */
	uint64_t default_size;
	const char *default_run;	/* e.g. "--duration 2s": shown in --help */
	const struct wlopt *opts;	/* the program's own; may be NULL */
};

enum { WLOPT_OK = 0, WLOPT_HELP = 1, WLOPT_USAGE = 2 };

/* Parse argv.  WLOPT_OK: c is filled (defaults where not given);
 * WLOPT_HELP: usage was printed on stdout; WLOPT_USAGE: an error and the
 * usage were printed on stderr (the caller exits 2). */
int wl_parse(const struct wl_program *p, int argc, char **argv, struct wl_common *c);
void wl_usage(const struct wl_program *p, FILE *f);

/* Setters for tables. */
int wlopt_set_size(void *field, const char *arg);	/* uint64_t bytes */
int wlopt_set_duration(void *field, const char *arg);	/* uint64_t ns */
int wlopt_set_u64(void *field, const char *arg);	/* uint64_t, >= 0 */
int wlopt_set_count(void *field, const char *arg);	/* uint64_t, >= 1 */
int wlopt_set_flag(void *field, const char *arg);	/* int = 1 */
int wlopt_set_fraction(void *field, const char *arg);	/* double in [0, 1] */
int wlopt_set_string(void *field, const char *arg);	/* const char * */

#endif
