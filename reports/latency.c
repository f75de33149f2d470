/* latency.c — see latency.h. */
#include "reports/latency.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct lat_row *row_of(struct latency *l, const char *group, const char *program,
			      const struct rs_hist *h)
{
	struct lat_row *row;

	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->rows[i].group, group) && !strcmp(l->rows[i].program, program) &&
		    !strcmp(l->rows[i].hist, h->name))
			return &l->rows[i];
	ALLOC_GROW(l->rows, l->n + 1, l->alloc);
	row = &l->rows[l->n++];
	row->group = xstrdup(group);
	row->program = xstrdup(program);
	row->hist = xstrdup(h->name);
	row->regime = xstrdup(h->regime);
	row->cell = xcalloc(l->ncells, sizeof(*row->cell));
	return row;
}

/* Percentile values per cell while collecting: [cell][pct] arrays. */
struct acc {
	double *v[RESULT_NPCT];
	size_t n, alloc;
};

static void add_hist(struct lat_cell *c, struct acc *a, const struct rs_hist *h)
{
	if (a->n >= a->alloc) {
		a->alloc = a->alloc ? 2 * a->alloc : 8;
		for (int k = 0; k < RESULT_NPCT; k++)
			a->v[k] = xreallocarray(a->v[k], a->alloc, sizeof(double));
	}
	for (int k = 0; k < RESULT_NPCT; k++)
		a->v[k][a->n] = h->pct[k];
	a->n++;
	c->n++;
	c->samples += h->count;
	c->b = xreallocarray(c->b, c->nb + h->nb, sizeof(*c->b));
	if (h->nb)
		memcpy(c->b + c->nb, h->b, h->nb * sizeof(*c->b));
	c->nb += h->nb;
}

static int cmp_bucket(const void *x, const void *y)
{
	const struct rs_hist_bucket *a = x, *b = y;

	if (a->hi_ns != b->hi_ns)
		return a->hi_ns < b->hi_ns ? -1 : 1;
	return a->lo_ns < b->lo_ns ? -1 : a->lo_ns > b->lo_ns;
}

/* Sort and add up equal ranges (every run uses the same bucket layout). */
static void merge(struct lat_cell *c)
{
	size_t k = 0;

	qsort(c->b, c->nb, sizeof(*c->b), cmp_bucket);
	for (size_t i = 0; i < c->nb; i++) {
		if (k && c->b[k - 1].lo_ns == c->b[i].lo_ns && c->b[k - 1].hi_ns == c->b[i].hi_ns)
			c->b[k - 1].count += c->b[i].count;
		else
			c->b[k++] = c->b[i];
	}
	c->nb = k;
}

static void summarize(struct lat_cell *c, struct acc *a)
{
	for (int k = 0; k < RESULT_NPCT; k++) {
		double *v = xmallocarray(a->n, sizeof(double));
		size_t n = 0;

		for (size_t i = 0; i < a->n; i++)
			if (!isnan(a->v[k][i]))
				v[n++] = a->v[k][i];
		stats_summarize(v, n, &c->pct[k]);
		free(v);
		free(a->v[k]);
	}
	merge(c);
}

/* Every guest x complete run of a cell that ran the row's program. */
static void want(struct latency *l, const struct result_set *rs, const struct cells *cs)
{
	char group[128];

	for (size_t r = 0; r < rs->n; r++) {
		const struct rs_run *run = &rs->runs[r];

		if (!run_is_complete(run))
			continue;
		for (size_t g = 0; g < run->nguests; g++)
			for (size_t i = 0; i < l->n; i++)
				l->rows[i].cell[cells_of(cs, run)].want +=
					run->guests[g].w.program &&
					!strcmp(run->guests[g].w.program, l->rows[i].program) &&
					!strcmp(guest_group(run->guests[g].name, group, sizeof(group)),
						l->rows[i].group);
	}
}

static void collect(struct latency *l, const struct result_set *rs, const struct cells *cs,
		    struct acc **acc, size_t *nacc)
{
	char group[128];

	for (size_t r = 0; r < rs->n; r++) {
		const struct rs_run *run = &rs->runs[r];
		size_t c = cells_of(cs, run);

		if (!run_is_complete(run))
			continue;
		for (size_t g = 0; g < run->nguests; g++) {
			const struct rs_workload *w = &run->guests[g].w;

			guest_group(run->guests[g].name, group, sizeof(group));
			for (size_t h = 0; w->program && h < w->nhist; h++) {
				struct lat_row *row;
				size_t i;

				if (w->hist[h].count <= 0)
					continue;
				row = row_of(l, group, w->program, &w->hist[h]);
				i = (size_t)(row - l->rows);
				if (i >= *nacc) {
					*acc = xreallocarray(*acc, i + 1, l->ncells * sizeof(**acc));
					memset(*acc + *nacc * l->ncells, 0,
					       (i + 1 - *nacc) * l->ncells * sizeof(**acc));
					*nacc = i + 1;
				}
				add_hist(&row->cell[c], &(*acc)[i * l->ncells + c], &w->hist[h]);
			}
		}
	}
}

void latency_build(const struct result_set *rs, const struct cells *cs, struct latency *l)
{
	struct acc *acc = NULL;
	size_t nacc = 0;

	memset(l, 0, sizeof(*l));
	l->ncells = cs->n;
	collect(l, rs, cs, &acc, &nacc);
	for (size_t i = 0; i < l->n; i++)
		for (size_t c = 0; c < l->ncells; c++)
			summarize(&l->rows[i].cell[c], &acc[i * l->ncells + c]);
	want(l, rs, cs);
	free(acc);
}

void latency_release(struct latency *l)
{
	for (size_t i = 0; i < l->n; i++) {
		for (size_t c = 0; c < l->ncells; c++)
			free(l->rows[i].cell[c].b);
		free(l->rows[i].cell);
		free(l->rows[i].group);
		free(l->rows[i].program);
		free(l->rows[i].hist);
		free(l->rows[i].regime);
	}
	free(l->rows);
	memset(l, 0, sizeof(*l));
}

void latency_label(const struct lat_row *row, struct strbuf *out)
{
	strbuf_addf(out, "%s-* %s %s", row->group, row->program, row->hist);
}
