/* scenario-internal.h — shared by scenario.c, timeline.c and matrix.c;
 * nobody else includes it (the public API is scenario.h).
 *
 * A loaded file is kept as a "doc": the records inih handed us, in file
 * order, with their line numbers.  A scenario is built from a doc plus a
 * list of overrides ([quick] values, one [matrix] combination) that replace
 * the value of a record (or add one) while keeping their own line, so an
 * overridden value is validated as if written in place and its errors name
 * the [matrix]/[quick] line.
 */
#ifndef OCB_SCENARIO_INTERNAL_H
#define OCB_SCENARIO_INTERNAL_H

#include "scenario/scenario.h"

#include <stdlib.h>
#include <string.h>

enum sc_section {
	SC_SEC_NONE,		/* before the first header */
	SC_SEC_SCENARIO,
	SC_SEC_HOST,
	SC_SEC_GUEST,
	SC_SEC_TIMELINE,
	SC_SEC_MATRIX,
	SC_SEC_QUICK,
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

/* ---- allocation: like strbuf, failure to allocate aborts */
static inline void *sc_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static inline void *sc_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

static inline char *sc_xstrdup(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		abort();
	return d;
}

/* Grow *arr (element size sz, capacity *alloc) to hold at least n. */
static inline void *sc_grow(void *arr, size_t sz, size_t n, size_t *alloc)
{
	if (n <= *alloc)
		return arr;
	*alloc = *alloc ? *alloc * 2 : 8;
	if (*alloc < n)
		*alloc = n;
	return sc_xrealloc(arr, *alloc * sz);
}

/* scenario.c */
struct scenario *sc_build(const struct scenario_doc *doc, const struct scenario_hooks *hooks,
			  const struct sc_override *ov, size_t n_ov, int quick);
void sc_doc_free(struct scenario_doc *doc);
/* Check a host KEY = VALUE with the hooks; unknown keys get a suggestion.
 * -1 with an unprefixed message. */
int sc_validate_host(const struct scenario_hooks *hooks, const char *key, const char *value);
/* Words from *p up to the end or (stop_at_comma) an unquoted ','; *p is
 * left after the comma or on the NUL.  See scenario_split_argv(). */
int sc_split_words(const char **p, int stop_at_comma, char ***argv, size_t *argc);

/* timeline.c: one TIME = ACTIONS line into s->timeline (unsorted); where
 * ("[timeline] 10s") follows FILE:LINE in messages. */
int sc_timeline_add(struct scenario *s, const char *where, const char *key, const char *value,
		    unsigned line);
void sc_timeline_sort(struct scenario *s);
void sc_timeline_entry_release(struct timeline_entry *e);

#endif
