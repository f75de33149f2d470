/* scenario.h — scenario files: parse, validate, expand.
 *
 * A scenario file (INI, DESIGN.md "Scenario file") becomes a struct
 * scenario: plain data the runner consumes.  Loading parses the file with
 * inih into an ordered list of (section, key, value, line) records, then
 * builds the scenario from them; a [matrix] run (or --quick) is the same
 * build with some records' values substituted, so a substituted value is
 * validated exactly as if it were written in place and its error names the
 * [matrix]/[quick] line it came from.
 *
 * Every key of [scenario] and [guest NAME] is a row of one table
 * (scenario.c): parsing, defaults, "did you mean", validation and
 * scenario_print_keys() all come from it.  Host knobs and workload programs
 * are not known here: the caller passes hooks (the runner passes
 * knob_validate/knob_names; tests pass fakes).
 *
 * Errors: NULL / -1 with ocb_errmsg() set to "FILE:LINE: [SECTION] KEY:
 * what was wrong, what was expected".
 *
 * Ownership: everything reachable from a struct scenario belongs to it and
 * goes with scenario_free().  Each expanded run is a complete, independent
 * struct scenario (free each run, then the array, in any order relative to
 * the scenario it came from).
 *
 * Format notes (inih's rules): ';' or '#' starts a comment line; ' ;'
 * (blank then ';') starts an inline comment anywhere, even inside quotes,
 * so write `sh -c "a; b"` (no blank before ';').  Indented lines are
 * ordinary lines (continuation lines are off).  Lines may be up to 4094
 * bytes.  [matrix] values are split on every ','.
 *
 * Not thread-safe: inih's runtime options are process globals that a load
 * sets for its duration (Debian's libinih is built with them).
 */
#ifndef OCB_SCENARIO_H
#define OCB_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What the parser cannot know by itself.  Every member may be NULL (no
 * validation / no suggestions).  Validators return 0, or -1 with
 * ocb_errmsg() set; the parser prefixes FILE:LINE and the key. */
struct scenario_hooks {
	/* a [host] key, a host.KEY axis, a timeline `host KEY VALUE` */
	int (*validate_host)(const char *key, const char *value);
	/* NULL-terminated list of host keys: "did you mean" and --list-keys */
	const char *const *(*host_keys)(void);
	/* one line of help for a host key (--list-keys), may be NULL */
	const char *(*host_help)(const char *key);
	/* argv[0] of a guest's `workload =` */
	int (*validate_workload)(const char *program);
};

/* Above this many runs scenario_expand() refuses unless allow_many. */
#define SCENARIO_DEFAULT_MAX_RUNS 64

enum scenario_balloon {
	SCENARIO_BALLOON_VIRTIO,	/* virtio-balloon device (default) */
	SCENARIO_BALLOON_NONE,
};

enum scenario_backing {
	SCENARIO_BACKING_ANONYMOUS,	/* default */
	SCENARIO_BACKING_HUGETLB_2M,
	SCENARIO_BACKING_HUGETLB_1G,
	SCENARIO_BACKING_FILE,
};

/* One [host] line, in file order (matrix/quick values substituted in
 * place; a host.KEY axis absent from [host] is appended). */
struct scenario_setting {
	char *key;
	char *value;
	const char *file;	/* = scenario->file */
	unsigned line;		/* the [host] line, or the [matrix]/[quick] line */
};

/* One [guest NAME] section. */
struct scenario_guest_spec {
	char *name;			/* NAME */
	unsigned line;			/* of the section header */
	unsigned count;			/* instances NAME-1..NAME-count (default 1) */
	uint64_t memory_bytes;		/* default 2048 MiB; bare number = MiB */
	unsigned vcpus;			/* default 1 */
	enum scenario_balloon balloon;	/* default virtio */
	uint64_t stats_period_ns;	/* balloon guest-stats polling; default 1s,
					 * 0 = off; always 0 with balloon = none */
	enum scenario_backing backing;	/* default anonymous */
	int mem_merge;			/* 1 = on (default): KSM may merge it */
	char *image;			/* directory (vmlinu[xz] + initramfs) or disk
					 * image, stored as written; NULL = default */
	char *kernel, *initrd, *append;	/* explicit overrides, NULL when unset */
	char *uri;			/* libvirt URI, NULL = the run's --uri */
	char *workload;			/* `workload =` as written, NULL if none */
	char **workload_argv;		/* split on blanks honouring '...' and "...",
					 * NULL-terminated; NULL if no workload */
};

/* One concrete guest.  Guests are in section order, then index order. */
struct scenario_guest {
	char *name;				/* "light-2" */
	unsigned index;				/* 1..spec->count */
	const struct scenario_guest_spec *spec;	/* everything else */
};

enum timeline_action {
	TL_BALLOON,		/* balloon GLOB SIZE           size_bytes */
	TL_WORKLOAD_START,	/* workload GLOB start */
	TL_WORKLOAD_STOP,	/* workload GLOB stop */
	TL_KSM_ON,		/* ksm on */
	TL_KSM_OFF,		/* ksm off */
	TL_KSM_UNMERGE,		/* ksm unmerge */
	TL_HOST,		/* host KEY VALUE              key, value */
	TL_WAIT_BALLOON,	/* wait balloon GLOB [timeout DUR] */
	TL_WAIT_KSM_SETTLED,	/* wait ksm-settled [timeout DUR] */
	TL_WAIT_WORKLOAD,	/* wait workload GLOB [timeout DUR] */
	TL_FREE,		/* free GLOB: one `free -m` sample of each */
	TL_EXEC,		/* exec GLOB CMD ARGS...        argv */
};

/* One action of a [timeline] line.  A line "10s = a, b" gives two entries
 * with the same time, file and line.  Entries are sorted by t_ns; equal
 * times keep file order (line, then position on the line). */
struct timeline_entry {
	uint64_t t_ns;			/* from the start of the run */
	enum timeline_action action;
	char *glob;			/* fnmatch() pattern over guest names; NULL
					 * for ksm, host and wait ksm-settled.  It
					 * matches at least one guest, and every
					 * guest it matches can take the action:
					 * balloon actions: a balloon and at least
					 * the target's memory; workload actions:
					 * a workload. */
	uint64_t size_bytes;		/* TL_BALLOON target; bare number = MiB */
	char *key, *value;		/* TL_HOST */
	char **argv;			/* TL_EXEC, NULL-terminated */
	uint64_t timeout_ns;		/* TL_WAIT_*: 0 = not given (the runner
					 * bounds the wait by the run's end) */
	int partial_ok;			/* TL_WAIT_BALLOON: a target not reached
					 * by the timeout is recorded, not a failure */
	char *text;			/* the action as written, for events.jsonl */
	const char *file;		/* = scenario->file */
	unsigned line;
};

/* A matrix axis and the value this run uses. */
struct scenario_axis_value {
	char *axis;			/* "guest.light.memory" */
	char *value;			/* "1G" */
};

struct scenario_doc;	/* the parsed records (private to scenario.c) */

struct scenario {
	char *file;			/* path as given (or the name given to
					 * scenario_load_string) */
	/* [scenario] */
	char *name;			/* default: file basename without .ini */
	char *description;		/* NULL when not given */
	unsigned repeat;		/* default 1 */
	uint64_t duration_ns;		/* 0 (default): the run ends when the
					 * timeline has completed */
	uint64_t host_memory_limit;	/* bytes; 0 (default): no cgroup cap */
	unsigned sample_rate;		/* Hz, default 10 */
	uint64_t boot_timeout_ns;	/* default 60s */

	struct scenario_setting *host;		/* [host], file order */
	size_t n_host;
	struct scenario_guest_spec *specs;	/* [guest NAME], file order */
	size_t n_specs;
	struct scenario_guest *guests;		/* concrete guests */
	size_t n_guests;
	struct timeline_entry *timeline;	/* sorted */
	size_t n_timeline;

	/* Set on expanded runs (scenario_expand); 0/NULL on a loaded file. */
	struct scenario_axis_value *axes;	/* file order of [matrix] */
	size_t n_axes;
	size_t run_index;		/* 1..n_runs */
	size_t n_runs;
	size_t combo_index;		/* 1..number of matrix combinations */
	unsigned repeat_index;		/* 1..repeat */

	int quick;			/* [quick] overrides were applied */

	/* private */
	struct scenario_doc *doc;	/* loaded scenarios only */
	struct scenario_hooks hooks;
};

/* Load and validate a file, including every [matrix] value and the [quick]
 * overrides (applied when quick is set, validated anyway).  [quick] holds
 * SECTION.KEY = VALUE lines like a one-value [matrix], plus optional
 * timeline.TIME = ACTIONS lines which, when present, replace the whole
 * [timeline] (a shorter run needs other times).  hooks may be NULL.  NULL
 * on error with ocb_errmsg() set. */
struct scenario *scenario_load(const char *path, const struct scenario_hooks *hooks, int quick);
/* The same over text in memory; name stands for the file in messages
 * and gives the default scenario name. */
struct scenario *scenario_load_string(const char *text, const char *name,
				      const struct scenario_hooks *hooks, int quick);
void scenario_free(struct scenario *s);

/* The runs of a loaded scenario: the cartesian product of the [matrix]
 * axes (first axis outermost, values in file order) times repeat, with
 * repeat outermost so the combinations are interleaved (drift of the host
 * over a sweep spreads over all of them): for repeat = 2 and axes a=1,2:
 * (a=1 #1) (a=2 #1) (a=1 #2) (a=2 #2).  Without a matrix: repeat runs.
 * More than max_runs runs (0: SCENARIO_DEFAULT_MAX_RUNS) is an error
 * "N runs ...; pass --yes" unless allow_many.  On success *runs is a
 * malloc'ed array of *n scenarios; release with scenario_free_runs(). */
int scenario_expand(const struct scenario *s, size_t max_runs, int allow_many,
		    struct scenario ***runs, size_t *n);
void scenario_free_runs(struct scenario **runs, size_t n);
/* Number of runs scenario_expand() would make (without building them). */
size_t scenario_count_runs(const struct scenario *s);

/* Guests whose name matches the glob, in guest order: fills up to max
 * pointers into out (which may be NULL) and returns how many match. */
size_t scenario_match_guests(const struct scenario *s, const char *glob,
			     const struct scenario_guest **out, size_t max);
const struct scenario_guest *scenario_find_guest(const struct scenario *s, const char *name);
/* The value of a [host] key, or NULL. */
const char *scenario_host_value(const struct scenario *s, const char *key);

/* Names for messages and run.json ("virtio", "hugetlb-2M", "balloon", ...). */
const char *scenario_balloon_name(enum scenario_balloon b);
const char *scenario_backing_name(enum scenario_backing b);
const char *timeline_action_name(enum timeline_action a);

/* Every key and timeline action with type, default and help (for
 * `ocbench run --list-keys` and the README).  Host keys are listed when
 * hooks->host_keys is given. */
void scenario_print_keys(FILE *f, const struct scenario_hooks *hooks);

/* Split a command line into words: blanks separate, '...' is literal,
 * "..." is literal but for \" and \\.  NULL-terminated array in *argv
 * (free with scenario_argv_free), word count in *argc.  -1 on an
 * unterminated quote. */
int scenario_split_argv(const char *s, char ***argv, size_t *argc);
void scenario_argv_free(char **argv);

#endif
