/* tally.c — see tally.h. */
#include "reports/tally.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The group of a run: the directory its run directory sits in. */
static size_t group_of(struct tally *t, size_t *alloc, const struct rs_run *r)
{
	const char *slash = strrchr(r->dir, '/');
	size_t len = slash ? (size_t)(slash - r->dir) : 0;
	struct tally_group *g;

	for (size_t i = 0; i < t->ngroups; i++)
		if (strlen(t->groups[i].dir) == len && !strncmp(t->groups[i].dir, r->dir, len))
			return i;
	ALLOC_GROW(t->groups, t->ngroups + 1, *alloc);
	g = &t->groups[t->ngroups];
	memset(g, 0, sizeof(*g));
	g->dir = xstrndup(slash ? r->dir : ".", slash ? len : 1);
	return t->ngroups++;
}

static size_t cell_of(struct tally *t, size_t *alloc, const struct rs_run *r)
{
	struct tally_cell *c;

	for (size_t i = 0; i < t->ncells; i++)
		if (!strcmp(t->cells[i].scenario, r->scenario) && !strcmp(t->cells[i].cell, r->cell))
			return i;
	ALLOC_GROW(t->cells, t->ncells + 1, *alloc);
	c = &t->cells[t->ncells];
	memset(c, 0, sizeof(*c));
	c->scenario = r->scenario;
	c->cell = r->cell;
	return t->ncells++;
}

/* What each group asked of each of its cells: its runs_requested shared
 * evenly over the cells it recorded (a complete invocation records every
 * cell; one cut short is reported as a short group by compare). */
static void share_requests(struct tally *t, const struct result_set *rs, const size_t *gi,
			   const size_t *ci)
{
	size_t *seen = xmallocarray(t->ncells, sizeof(*seen));

	for (size_t g = 0; g < t->ngroups; g++) {
		size_t ncells = 0, share;

		memset(seen, 0, t->ncells * sizeof(*seen));
		for (size_t r = 0; r < rs->n; r++)
			if (gi[r] == g)
				ncells += seen[ci[r]]++ == 0;
		share = ncells ? (t->groups[g].requested + ncells - 1) / ncells : 0;
		for (size_t c = 0; c < t->ncells; c++) {
			if (!seen[c])
				continue;
			if (t->groups[g].requested) {
				t->cells[c].n.requested += share;
			} else {
				t->cells[c].n.requested += seen[c];
				t->cells[c].n.requested_unknown = 1;
			}
		}
	}
	free(seen);
}

static int cmp_cell(const void *x, const void *y)
{
	const struct tally_cell *a = x, *b = y;
	int c = strcmp(a->scenario, b->scenario);

	return c ? c : strcmp(a->cell, b->cell);
}

void tally_build(const struct result_set *rs, size_t expect_runs, struct tally *t)
{
	size_t *gi = xmallocarray(rs->n, sizeof(*gi)), *ci = xmallocarray(rs->n, sizeof(*ci));
	size_t group_alloc = 0, cell_alloc = 0;

	memset(t, 0, sizeof(*t));
	for (size_t r = 0; r < rs->n; r++) {
		const struct rs_run *run = &rs->runs[r];
		struct tally_counts *n;

		gi[r] = group_of(t, &group_alloc, run);
		t->groups[gi[r]].recorded++;
		if (run->runs_requested > 0 && (size_t)run->runs_requested > t->groups[gi[r]].requested)
			t->groups[gi[r]].requested = (size_t)run->runs_requested;
		ci[r] = cell_of(t, &cell_alloc, run);
		n = &t->cells[ci[r]].n;
		if (run_is_complete(run))
			n->complete++;
		else if (!strcmp(run->status, "failed"))
			n->failed++;
		else
			n->incomplete++;
	}
	share_requests(t, rs, gi, ci);
	for (size_t c = 0; c < t->ncells; c++) {
		struct tally_counts *n = &t->cells[c].n;

		if (n->requested < expect_runs)
			n->requested = expect_runs;
		if (n->requested < tally_recorded(n))
			n->requested = tally_recorded(n);	/* runs merged from elsewhere */
	}
	if (t->ncells)
		qsort(t->cells, t->ncells, sizeof(*t->cells), cmp_cell);
	free(gi);
	free(ci);
}

const struct tally_counts *tally_find(const struct tally *t, const char *scenario, const char *cell)
{
	struct tally_cell key = { scenario, cell, { 0, 0, 0, 0, 0 } };
	const struct tally_cell *c;

	if (!t->ncells)
		return NULL;
	c = bsearch(&key, t->cells, t->ncells, sizeof(*t->cells), cmp_cell);
	return c ? &c->n : NULL;
}

size_t tally_recorded(const struct tally_counts *n)
{
	return n->complete + n->failed + n->incomplete;
}

size_t tally_missing(const struct tally_counts *n)
{
	return n->requested > tally_recorded(n) ? n->requested - tally_recorded(n) : 0;
}

double tally_failure_rate(const struct tally_counts *n)
{
	size_t rec = tally_recorded(n);

	return rec ? (double)(n->failed + n->incomplete) / (double)rec : 0;
}

void tally_describe(const struct tally_counts *n, struct strbuf *out)
{
	strbuf_addf(out, "%zu/%zu complete", n->complete, n->requested);
	if (n->failed)
		strbuf_addf(out, ", %zu failed", n->failed);
	if (n->incomplete)
		strbuf_addf(out, ", %zu incomplete", n->incomplete);
	if (tally_missing(n))
		strbuf_addf(out, ", %zu missing", tally_missing(n));
}

void tally_release(struct tally *t)
{
	for (size_t i = 0; i < t->ngroups; i++)
		free(t->groups[i].dir);
	free(t->groups);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
