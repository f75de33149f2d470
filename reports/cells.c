/* cells.c — see cells.h. */
#include "reports/cells.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t find(const struct cells *cs, const char *scenario, const char *cell)
{
	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->c[i].scenario, scenario) && !strcmp(cs->c[i].cell, cell))
			return i;
	return cs->n;
}

static void label(struct cells *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct strbuf sb = STRBUF_INIT;

		if (cs->multi_scenario)
			strbuf_addf(&sb, "%s: ", cs->c[i].scenario);
		strbuf_adds(&sb, cell_label(cs->c[i].cell));
		cs->c[i].label = strbuf_detach(&sb);
	}
}

void cells_build(const struct result_set *rs, struct cells *cs)
{
	memset(cs, 0, sizeof(*cs));
	for (size_t r = 0; r < rs->n; r++) {
		const struct rs_run *run = &rs->runs[r];
		size_t i = find(cs, run->scenario, run->cell);
		struct cell_col *c;

		if (i == cs->n) {
			ALLOC_GROW(cs->c, cs->n + 1, cs->alloc);
			c = &cs->c[cs->n++];
			memset(c, 0, sizeof(*c));
			c->scenario = run->scenario;
			c->cell = run->cell;
			c->first = r;
		}
		c = &cs->c[i];
		c->recorded++;
		if (run_is_complete(run) && !c->complete++)
			c->first = r;
		c->failed += !strcmp(run->status, "failed");
		c->incomplete += !run_is_complete(run) && strcmp(run->status, "failed");
		cs->multi_scenario |= strcmp(run->scenario, rs->runs[0].scenario) != 0;
	}
	label(cs);
}

void cells_letter(size_t c, char buf[4])
{
	if (c < 26)
		snprintf(buf, 4, "%c", (char)('A' + c));
	else
		snprintf(buf, 4, "%c%c", (char)('A' + (c / 26 - 1) % 26), (char)('A' + c % 26));
}

void cells_heading(const struct cells *cs, size_t c, struct strbuf *out)
{
	char letter[4];

	cells_letter(c, letter);
	if (cs->n > 1)
		strbuf_addf(out, "%s: ", letter);
	strbuf_adds(out, cs->c[c].label);
}

size_t cells_of(const struct cells *cs, const struct rs_run *r)
{
	return find(cs, r->scenario, r->cell);
}

void cells_release(struct cells *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free(cs->c[i].label);
	free(cs->c);
	memset(cs, 0, sizeof(*cs));
}
