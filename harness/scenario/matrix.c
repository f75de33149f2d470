/* matrix.c — a loaded scenario into its runs: [matrix] combinations ×
 * repeat.  Each run is built from the file's records with the run's
 * values substituted (sc_build), so it is validated exactly like the file
 * and owns all of its data.
 */
#include "scenario/scenario.h"
#include "scenario/scenario-internal.h"
#include "util/error.h"
#include "util/strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	struct sc_override *ov = sc_xcalloc(d->n_quick + d->n_matrix, sizeof(*ov));
	size_t *idx = sc_xcalloc(d->n_matrix, sizeof(*idx));
	struct scenario *r;

	for (size_t i = d->n_matrix; i-- > 0;) {
		idx[i] = rem % d->matrix[i].n_values;
		rem /= d->matrix[i].n_values;
	}
	if (s->quick) {
		for (size_t i = 0; i < d->n_quick; i++, n++) {
			ov[n].axis = &d->quick[i];
			ov[n].value = d->quick[i].values[0];
			ov[n].origin = "quick";
		}
	}
	for (size_t i = 0; i < d->n_matrix; i++, n++) {
		ov[n].axis = &d->matrix[i];
		ov[n].value = d->matrix[i].values[idx[i]];
		ov[n].origin = "matrix";
	}
	r = sc_build(d, &s->hooks, ov, n, s->quick);
	if (r) {
		r->axes = sc_xcalloc(d->n_matrix, sizeof(*r->axes));
		r->n_axes = d->n_matrix;
		for (size_t i = 0; i < d->n_matrix; i++) {
			r->axes[i].axis = sc_xstrdup(d->matrix[i].axis);
			r->axes[i].value = sc_xstrdup(d->matrix[i].values[idx[i]]);
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
	runs = sc_xcalloc(total, sizeof(*runs));
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
