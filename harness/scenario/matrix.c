/* matrix.c — [matrix] and [quick] lines resolved to the keys they
 * override, and a loaded scenario expanded into its runs: [matrix]
 * combinations × repeat.  Each run is built from the file's records with
 * the run's values substituted (sc_build), so it is validated exactly like
 * the file and owns all of its data.
 */
#include "scenario/matrix.h"
#include "scenario/build.h"
#include "scenario/keys.h"
#include "scenario/model.h"
#include "scenario/scenario-internal.h"
#include "scenario/words.h"
#include "util/error.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ resolving */

/* "SECTION.KEY" of a [matrix]/[quick] line to its target.  Unprefixed. */
static int resolve_target(const struct scenario_doc *d, const struct scenario_hooks *hooks,
			  const struct sc_raw_axis *r, struct sc_axis *a)
{
	static const char *const targets[] = { "scenario", "host", "guest", "policy", NULL };
	const char *what = r->section == SC_SEC_MATRIX ? "matrix axis" : "quick override";
	const char *dot = strchr(r->key, '.'), *rest;
	size_t seclen;

	if (!dot || !dot[1])
		return ocb_fail("%s '%s': expected SECTION.KEY (scenario.KEY, host.KEY or "
				"guest.NAME.KEY)", what, r->key);
	seclen = (size_t)(dot - r->key);
	rest = dot + 1;
	if (seclen == 8 && strncmp(r->key, "scenario", 8) == 0) {
		const struct sc_key *k = sc_key_find(SC_SEC_SCENARIO, rest);

		a->section = SC_SEC_SCENARIO;
		if (!k)
			return sc_fail_unknown("scenario key", rest, sc_key_names(SC_SEC_SCENARIO));
		if (!sc_key_matrix_ok(k) && r->section == SC_SEC_MATRIX)
			return ocb_fail("scenario.%s cannot be a matrix axis", rest);
	} else if (seclen == 6 && strncmp(r->key, "policy", 6) == 0) {
		a->section = SC_SEC_POLICY;
		/* POLICY.KEY is checked with its value when the run is built */
		if (!sc_key_find(SC_SEC_POLICY, rest) && !strchr(rest, '.'))
			return sc_fail_unknown("policy key", rest, sc_key_names(SC_SEC_POLICY));
	} else if (seclen == 4 && strncmp(r->key, "host", 4) == 0) {
		const char *const *names = hooks && hooks->host_keys ? hooks->host_keys() : NULL;
		int known = !names;

		a->section = SC_SEC_HOST;
		for (size_t i = 0; names && names[i]; i++)
			known |= strcmp(names[i], rest) == 0;
		/* pattern keys are left to validate_host when the values are built */
		if (!known && !(hooks && hooks->validate_host))
			return sc_fail_unknown("host key", rest, names);
	} else if (seclen == 5 && strncmp(r->key, "guest", 5) == 0) {
		const char *kdot = strchr(rest, '.');
		const char *gnames[d->n_guests + 1];
		size_t i;

		if (!kdot || kdot == rest || !kdot[1])
			return ocb_fail("%s '%s': expected guest.NAME.KEY", what, r->key);
		for (i = 0; i < d->n_guests; i++) {
			gnames[i] = d->guests[i].name;
			if (strlen(gnames[i]) == (size_t)(kdot - rest) &&
			    strncmp(gnames[i], rest, (size_t)(kdot - rest)) == 0)
				break;
		}
		if (i == d->n_guests) {
			char name[256];

			gnames[d->n_guests] = NULL;
			snprintf(name, sizeof(name), "%.*s", (int)(kdot - rest), rest);
			return sc_fail_unknown("guest", name, gnames);
		}
		a->section = SC_SEC_GUEST;
		a->guest = i;
		rest = kdot + 1;
		if (!sc_key_find(SC_SEC_GUEST, rest))
			return sc_fail_unknown("guest key", rest, sc_key_names(SC_SEC_GUEST));
	} else {
		char sec[64];

		snprintf(sec, sizeof(sec), "%.*s", (int)seclen, r->key);
		if (strcmp(sec, "timeline") == 0 && r->section == SC_SEC_MATRIX)
			return ocb_fail("%s '%s': timeline lines cannot be matrix axes", what, r->key);
		if (strcmp(sec, "timeline") == 0) {
			/* [quick] timeline.TIME = ACTIONS: its lines replace the
			 * whole [timeline] (a quick run is shorter) */
			a->section = SC_SEC_TIMELINE;
		} else {
			return sc_fail_unknown("section", sec, targets);
		}
	}
	a->key = xstrdup(rest);
	return 0;
}

static void add_value(struct sc_axis *a, const char *v, size_t n)
{
	while (n && isspace((unsigned char)*v)) {
		v++;
		n--;
	}
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	a->values = xrealloc(a->values, (a->n_values + 1) * sizeof(*a->values));
	a->values[a->n_values] = xstrndup(v, n);
	a->n_values++;
}

static int resolve_axis(const struct scenario_doc *d, const struct scenario_hooks *hooks,
			const struct sc_raw_axis *r, struct sc_axis *a)
{
	if (resolve_target(d, hooks, r, a) < 0)
		return -1;
	a->axis = xstrdup(r->key);
	a->line = r->line;
	if (r->section == SC_SEC_QUICK) {
		add_value(a, r->value, strlen(r->value));
		return 0;
	}
	for (const char *p = r->value;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		add_value(a, p, n);
		if (!*a->values[a->n_values - 1])
			return ocb_fail("empty value in '%s' (expected v1, v2, ...)", r->value);
		for (size_t i = 0; i + 1 < a->n_values; i++)
			if (strcmp(a->values[i], a->values[a->n_values - 1]) == 0)
				return ocb_fail("value '%s' listed twice", a->values[i]);
		if (!c)
			break;
		p = c + 1;
	}
	return 0;
}

int sc_resolve_axes(struct scenario_doc *d, const struct scenario_hooks *hooks)
{
	d->matrix = xcalloc(d->n_raw, sizeof(*d->matrix));
	d->quick = xcalloc(d->n_raw, sizeof(*d->quick));
	for (size_t i = 0; i < d->n_raw; i++) {
		const struct sc_raw_axis *r = &d->raw[i];
		int m = r->section == SC_SEC_MATRIX;
		struct sc_axis *list = m ? d->matrix : d->quick;
		size_t *n = m ? &d->n_matrix : &d->n_quick;

		for (size_t j = 0; j < *n; j++)
			if (list[j].section != SC_SEC_TIMELINE && strcmp(list[j].axis, r->key) == 0)
				return ocb_fail("%s:%u: [%s] %s: listed twice (first on line %u)",
						d->file, r->line, m ? "matrix" : "quick", r->key,
						list[j].line);
		(*n)++;
		if (resolve_axis(d, hooks, r, &list[*n - 1]) < 0)
			return ocb_err_prefix("%s:%u: [%s] ", d->file, r->line,
					      m ? "matrix" : "quick");
	}
	return 0;
}

size_t sc_quick_overrides(const struct scenario_doc *d, struct sc_override *ov)
{
	for (size_t i = 0; i < d->n_quick; i++) {
		ov[i].axis = &d->quick[i];
		ov[i].value = d->quick[i].values[0];
		ov[i].origin = "quick";
	}
	return d->n_quick;
}

/* ------------------------------------------------------------ expanding */

/* Combinations of the matrix, SIZE_MAX when that overflows. */
static size_t count_combos(const struct scenario_doc *d)
{
	size_t n = 1;

	for (size_t i = 0; i < d->n_matrix; i++) {
		size_t v = d->matrix[i].n_values;

		if (v && n > SIZE_MAX / v)
			return SIZE_MAX;
		n *= v;
	}
	return n;
}

size_t scenario_count_runs(const struct scenario *s)
{
	size_t c;

	if (!s->doc)
		return 1;
	c = count_combos(s->doc);
	if (c > SIZE_MAX / (s->repeat ? s->repeat : 1))
		return SIZE_MAX;
	return c * (s->repeat ? s->repeat : 1);
}

void scenario_free_runs(struct scenario **runs, size_t n)
{
	for (size_t i = 0; runs && i < n; i++)
		scenario_free(runs[i]);
	free(runs);
}

/* Build combination c (mixed radix, the last axis fastest). */
static struct scenario *build_combo(const struct scenario *s, size_t c)
{
	const struct scenario_doc *d = s->doc;
	size_t n = 0, rem = c;
	struct sc_override *ov = xcalloc(d->n_quick + d->n_matrix, sizeof(*ov));
	size_t *idx = xcalloc(d->n_matrix, sizeof(*idx));
	struct scenario *r;

	for (size_t i = d->n_matrix; i-- > 0;) {
		idx[i] = rem % d->matrix[i].n_values;
		rem /= d->matrix[i].n_values;
	}
	if (s->quick)
		n = sc_quick_overrides(d, ov);
	for (size_t i = 0; i < d->n_matrix; i++, n++) {
		ov[n].axis = &d->matrix[i];
		ov[n].value = d->matrix[i].values[idx[i]];
		ov[n].origin = "matrix";
	}
	r = sc_build(d, &s->hooks, ov, n, s->quick);
	if (r) {
		r->axes = xcalloc(d->n_matrix, sizeof(*r->axes));
		r->n_axes = d->n_matrix;
		for (size_t i = 0; i < d->n_matrix; i++) {
			r->axes[i].axis = xstrdup(d->matrix[i].axis);
			r->axes[i].value = xstrdup(d->matrix[i].values[idx[i]]);
		}
	} else {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < d->n_matrix; i++)
			strbuf_addf(&sb, "%s%s=%s", i ? ", " : "", d->matrix[i].axis,
				    d->matrix[i].values[idx[i]]);
		ocb_err_prefix("matrix combination %zu (%s): ", c + 1, sb.buf);
		strbuf_release(&sb);
	}
	free(idx);
	free(ov);
	return r;
}

int scenario_expand(const struct scenario *s, size_t max_runs, int allow_many,
		    struct scenario ***runs_out, size_t *n_out)
{
	struct scenario **runs;
	size_t combos, total, k = 0;

	*runs_out = NULL;
	*n_out = 0;
	if (!s->doc)
		return ocb_fail("%s: cannot expand: not a scenario loaded from a file "
				"(an expanded run?)", s->file);
	if (!max_runs)
		max_runs = SCENARIO_DEFAULT_MAX_RUNS;
	combos = count_combos(s->doc);
	total = scenario_count_runs(s);
	if (total > max_runs && !allow_many) {
		if (total == SIZE_MAX)
			return ocb_fail("%s: the matrix expands to too many runs; reduce it",
					s->file);
		return ocb_fail("%s: %zu runs (%zu matrix combination%s x %u repeat%s), more than "
				"%zu; pass --yes to run them all", s->file, total, combos,
				combos == 1 ? "" : "s", s->repeat, s->repeat == 1 ? "" : "s",
				max_runs);
	}
	if (total == SIZE_MAX || total > SIZE_MAX / sizeof(*runs))
		return ocb_fail("%s: the matrix expands to too many runs", s->file);
	runs = xcalloc(total, sizeof(*runs));
	/* repeat outermost: combinations interleave, host drift spreads evenly */
	for (unsigned r = 1; r <= s->repeat; r++) {
		for (size_t c = 0; c < combos; c++, k++) {
			runs[k] = build_combo(s, c);
			if (!runs[k]) {
				scenario_free_runs(runs, k);
				return -1;
			}
			runs[k]->run_index = k + 1;
			runs[k]->n_runs = total;
			runs[k]->combo_index = c + 1;
			runs[k]->repeat_index = r;
		}
	}
	*runs_out = runs;
	*n_out = total;
	return 0;
}
