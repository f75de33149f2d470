/* aggregate.c — see aggregate.h.  Sort-then-group rather than a hash: one
 * qsort over every (run, metric) pair keeps a thousand runs well under the
 * compare time budget and the order deterministic. */
#include "reports/aggregate.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct tuple {
	const struct rs_run *run;
	const struct rs_metric *m;
};

static int cmp_key(const char *sa, const char *ca, const char *na,
		   const char *sb, const char *cb, const char *nb)
{
	int c = strcmp(sa, sb);

	if (!c)
		c = strcmp(ca, cb);
	if (!c)
		c = strcmp(na, nb);
	return c;
}

static int cmp_tuple(const void *x, const void *y)
{
	const struct tuple *a = x, *b = y;
	int c = cmp_key(a->run->scenario, a->run->cell, a->m->name,
			b->run->scenario, b->run->cell, b->m->name);

	/* stable order of repeats: by repeat index, then by directory */
	if (!c)
		c = a->run->repeat - b->run->repeat;
	if (!c)
		c = strcmp(a->run->dir, b->run->dir);
	return c;
}

static int same_cell(const struct agg_entry *x, const struct agg_entry *y)
{
	return !strcmp(x->scenario, y->scenario) && !strcmp(x->cell, y->cell);
}

/* Once per cell (entries come sorted by cell): runs x cells, not x metrics. */
static size_t cell_runs(const struct result_set *rs, const struct agg_entry *e)
{
	size_t n = 0;

	for (size_t r = 0; r < rs->n; r++)
		n += run_is_complete(&rs->runs[r]) && !strcmp(rs->runs[r].scenario, e->scenario) &&
		     !strcmp(rs->runs[r].cell, e->cell);
	return n;
}

void agg_build(const struct result_set *rs, struct agg *a)
{
	struct tuple *t;
	size_t nt = 0, total = 0, i = 0;

	memset(a, 0, sizeof(*a));
	for (size_t r = 0; r < rs->n; r++) {
		if (run_is_complete(&rs->runs[r]))
			total += rs->runs[r].nmetrics;
	}
	t = xmallocarray(total, sizeof(*t));
	a->e = xmallocarray(total, sizeof(*a->e));
	for (size_t r = 0; r < rs->n; r++) {
		const struct rs_run *run = &rs->runs[r];

		if (!run_is_complete(run)) {
			a->runs_skipped++;
			continue;
		}
		a->runs_used++;
		for (size_t m = 0; m < run->nmetrics; m++) {
			t[nt].run = run;
			t[nt++].m = &run->metrics[m];
		}
	}
	qsort(t, nt, sizeof(*t), cmp_tuple);
	while (i < nt) {
		size_t j = i;
		struct agg_entry *e = &a->e[a->n++];

		while (j < nt && !cmp_key(t[i].run->scenario, t[i].run->cell, t[i].m->name,
					  t[j].run->scenario, t[j].run->cell, t[j].m->name))
			j++;
		e->scenario = t[i].run->scenario;
		e->cell = t[i].run->cell;
		e->name = t[i].m->name;
		e->unit = t[i].m->unit;
		e->better = t[i].m->better;
		e->gate = 0;
		e->vals = xmallocarray(j - i, sizeof(double));
		for (size_t k = i; k < j; k++) {
			e->vals[k - i] = t[k].m->value;
			e->gate |= t[k].m->gate;
		}
		stats_summarize(e->vals, j - i, &e->s);
		e->runs = a->n > 1 && same_cell(e, e - 1) ? e[-1].runs : cell_runs(rs, e);
		i = j;
	}
	free(t);
}

const struct agg_entry *agg_find(const struct agg *a, const char *scenario, const char *cell,
				 const char *name)
{
	size_t lo = 0, hi = a->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct agg_entry *e = &a->e[mid];
		int c = cmp_key(e->scenario, e->cell, e->name, scenario, cell, name);

		if (!c)
			return e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void agg_release(struct agg *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->e[i].vals);
	free(a->e);
	memset(a, 0, sizeof(*a));
}
