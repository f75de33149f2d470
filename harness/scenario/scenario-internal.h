/* scenario-internal.h — what the files of harness/scenario/ share and
 * nobody else may see (ci/check-layers refuses it outside the folder; the
 * public API is scenario.h).
 *
 * A loaded file is kept as a "doc": the records inih handed us, in file
 * order, with their line numbers.  A scenario is built from a doc plus a
 * list of overrides ([quick] values, one [matrix] combination) that replace
 * the value of a record (or add one) while keeping their own line, so an
 * overridden value is validated as if written in place and its errors name
 * the [matrix]/[quick] line.
 *
 * It includes no header of the folder (it only declares the public types
 * it names), so including it ties no file to another.  A file that calls a
 * function declared here includes the defining file's own header as well,
 * so ci/check-layers sees every dependency between the folder's files.
 * They go one way, in the order of the groups below: a file calls only the
 * files listed before its own (words, model, timeline, keys, build,
 * matrix, parse).
 */
#ifndef OCB_SCENARIO_INTERNAL_H
#define OCB_SCENARIO_INTERNAL_H

#include "util/xalloc.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct scenario;
struct scenario_hooks;
struct strbuf;
struct timeline_entry;

enum sc_section {
	SC_SEC_NONE,		/* before the first header */
	SC_SEC_SCENARIO,
	SC_SEC_HOST,
	SC_SEC_GUEST,
	SC_SEC_TIMELINE,
	SC_SEC_MATRIX,
	SC_SEC_QUICK,
	SC_SEC_REPORT,
	SC_SEC_POLICY,
};

/* One KEY = VALUE line of [scenario], [host], [guest NAME] or [timeline]. */
struct sc_record {
	enum sc_section section;
	size_t guest;		/* index in doc->guests for SC_SEC_GUEST */
	char *key;
	char *value;
	unsigned line;
};

struct sc_doc_guest {
	char *name;
	unsigned line;
};

/* A [matrix] axis or a [quick] override, resolved to its target. */
struct sc_axis {
	char *axis;		/* as written: "guest.light.memory" */
	enum sc_section section;	/* SCENARIO, HOST, GUEST; TIMELINE for a
					 * [quick] timeline.TIME line */
	size_t guest;
	char *key;		/* "memory" */
	char **values;		/* matrix: the comma-separated list; quick: one */
	size_t n_values;
	unsigned line;
};

/* Raw [matrix]/[quick] line before the guests are all known. */
struct sc_raw_axis {
	enum sc_section section;	/* SC_SEC_MATRIX or SC_SEC_QUICK */
	char *key;
	char *value;
	unsigned line;
};

struct scenario_doc {
	char *file;
	char *default_name;
	struct sc_record *recs;
	size_t n_recs, a_recs;
	struct sc_doc_guest *guests;
	size_t n_guests, a_guests;
	struct sc_raw_axis *raw;
	size_t n_raw, a_raw;
	struct sc_axis *matrix;
	size_t n_matrix;
	struct sc_axis *quick;
	size_t n_quick;
};

/* A value that replaces (or adds) the record of one key. */
struct sc_override {
	const struct sc_axis *axis;	/* target and line */
	const char *value;
	const char *origin;		/* "matrix" or "quick" */
};

/* ---- words.c */

/* Words from *p up to the end or (stop_at_comma) an unquoted ','; *p is
 * left after the comma or on the NUL.  See scenario_split_argv(). */
int sc_split_words(const char **p, int stop_at_comma, char ***argv, size_t *argc);
/* "a, b or c" (sep_last " or ") of a NULL-terminated list. */
void sc_add_name_list(struct strbuf *sb, const char *const *names, const char *sep_last);
/* -1 with "unknown WHAT 'WORD' (did you mean 'X'?)", or "(expected a, b
 * or c)" when nothing in names is close. */
int sc_fail_unknown(const char *what, const char *word, const char *const *names);
/* 1 when s is a plain file-name component: a letter or digit, then
 * letters, digits, '-' and '_'.  Guest names and the scenario name become
 * directory names under the results directory, so neither may hold '/',
 * "..", a leading '-' or '.', blanks or control characters. */
int sc_valid_name(const char *s);
#define SC_NAME_RULE "expected letters, digits, '-' and '_', starting with a letter or digit"

/* ---- model.c */

/* The values of `balloon =` and `backing =`, in enum order. */
extern const char *const sc_balloon_names[];
extern const char *const sc_backing_names[];
/* Check a host KEY = VALUE with the hooks; unknown keys get a suggestion.
 * -1 with an unprefixed message. */
int sc_validate_host(const struct scenario_hooks *hooks, const char *key, const char *value);

/* ---- timeline.c: one TIME = ACTIONS line into s->timeline (unsorted);
 * where ("[timeline] 10s") follows FILE:LINE in messages. */

int sc_timeline_add(struct scenario *s, const char *where, const char *key, const char *value,
		    unsigned line);
void sc_timeline_sort(struct scenario *s);
void sc_timeline_entry_release(struct timeline_entry *e);

/* ---- keys.c: the rows of the [scenario] and [guest NAME] key table */

struct sc_key;
const struct sc_key *sc_key_find(enum sc_section sec, const char *name);
/* NULL-terminated names of a section's keys (static storage). */
const char *const *sc_key_names(enum sc_section sec);
/* Parse value into the field k describes in base (a struct scenario or a
 * struct scenario_guest_spec).  -1 with an unprefixed message. */
int sc_key_set(const struct sc_key *k, void *base, const char *value,
	       const struct scenario_hooks *hooks);
/* Every default of a section's keys into base. */
void sc_key_defaults(enum sc_section sec, void *base);
/* Rows are numbered 0..sc_key_count()-1 (build.c keeps a line per row). */
size_t sc_key_count(void);
size_t sc_key_index(const struct sc_key *k);
/* 0 for keys a [matrix] may not vary (name, repeat). */
int sc_key_matrix_ok(const struct sc_key *k);
/* "scenario", "guest NAME", ... as messages write a section (buf holds
 * the guest's). */
const char *sc_section_label(const struct scenario_doc *d, enum sc_section sec, size_t guest,
			     char *buf, size_t size);

/* ---- build.c */

struct scenario *sc_build(const struct scenario_doc *doc, const struct scenario_hooks *hooks,
			  const struct sc_override *ov, size_t n_ov, int quick);
void sc_doc_free(struct scenario_doc *doc);

/* ---- matrix.c */

/* The doc's raw [matrix]/[quick] lines into d->matrix and d->quick, each
 * resolved to the key it overrides.  -1 with FILE:LINE in the message. */
int sc_resolve_axes(struct scenario_doc *d, const struct scenario_hooks *hooks);
/* Every [quick] value of d as overrides in ov (room for d->n_quick);
 * returns how many. */
size_t sc_quick_overrides(const struct scenario_doc *d, struct sc_override *ov);

#endif
