/* headline.c — see headline.h. */
#include "reports/headline.h"
#include "reports/workload.h"
#include "util/xalloc.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNS_FAILED "runs_failed"
#define WORKLOADS_FAILED "workloads_failed"

/* One value a run offers: a metric or a latency percentile. */
struct item {
	const char *name;	/* as the run names it */
	const char *folded;	/* its group's name ("busy-*.x"), or name */
	const char *unit;
	double v;		/* NAN: the run could not measure it */
	enum better better;
	int latency;
	const char *reason;	/* why not, for a NAN */
};

typedef void (*item_fn)(void *ctx, const struct item *it);

static int run_has_guest(const struct rs_run *r, const char *name)
{
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(r->json, "guests"), i, g)
		if (!strcmp(json_string_value(json_object_get(g, "name")) ?: "", name))
			return 1;
	for (i = 0; i < r->nguests; i++)
		if (!strcmp(r->guests[i].name, name))
			return 1;
	return 0;
}

/* "busy-1.x" -> "busy-*.x" when busy-1 is a guest of the run. */
static void fold(const struct rs_run *r, const char *name, struct strbuf *out)
{
	const char *dot = strchr(name, '.');
	char guest[128], group[128];

	strbuf_reset(out);
	if (dot && (size_t)(dot - name) < sizeof(guest)) {
		snprintf(guest, sizeof(guest), "%.*s", (int)(dot - name), name);
		guest_group(guest, group, sizeof(group));
		if (strcmp(group, guest) && run_has_guest(r, guest)) {
			strbuf_addf(out, "%s-*%s", group, dot);
			return;
		}
	}
	strbuf_adds(out, name);
}

static void latency_items(const struct rs_run *r, item_fn fn, void *ctx)
{
	struct strbuf name = STRBUF_INIT, folded = STRBUF_INIT;

	for (size_t g = 0; g < r->nguests; g++) {
		const struct rs_workload *w = &r->guests[g].w;

		for (size_t h = 0; w->program && h < w->nhist; h++) {
			for (int k = 0; k < RESULT_NPCT; k++) {
				struct item it = { NULL, NULL, "ns", w->hist[h].pct[k], BETTER_LOWER, 1, NULL };

				if (isnan(it.v))
					continue;
				strbuf_reset(&name);
				strbuf_addf(&name, "%s.%s.latency.%s.%s", r->guests[g].name, w->program,
					    w->hist[h].name, result_pct_names[k]);
				fold(r, name.buf, &folded);
				it.name = name.buf;
				it.folded = folded.buf;
				fn(ctx, &it);
			}
		}
	}
	strbuf_release(&name);
	strbuf_release(&folded);
}

static void run_items(const struct rs_run *r, item_fn fn, void *ctx)
{
	struct strbuf folded = STRBUF_INIT;

	for (size_t i = 0; i < r->nmetrics; i++) {
		const struct rs_metric *m = &r->metrics[i];
		struct item it = { m->name, NULL, m->unit, m->value, m->better, 0, NULL };

		fold(r, m->name, &folded);
		it.folded = folded.buf;
		fn(ctx, &it);
	}
	for (size_t i = 0; i < r->nunmeasured; i++) {
		const struct rs_unmeasured *u = &r->unmeasured[i];
		struct item it = { u->name, NULL, u->unit, NAN, u->better, 0, u->reason };

		fold(r, u->name, &folded);
		it.folded = folded.buf;
		fn(ctx, &it);
	}
	strbuf_release(&folded);
	latency_items(r, fn, ctx);
}

/* ---- the rows a pattern selects ---- */

struct match_ctx {
	struct headline *h;
	const char *pattern;
	size_t first;		/* rows of this pattern start here */
};

static struct hl_row *find_row(const struct headline *h, const char *key)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->rows[i].key, key))
			return &h->rows[i];
	return NULL;
}

static struct hl_row *add_row(struct headline *h, const char *key, enum hl_kind kind)
{
	struct hl_row *row;

	ALLOC_GROW(h->rows, h->n + 1, h->alloc);
	row = &h->rows[h->n++];
	memset(row, 0, sizeof(*row));
	row->key = xstrdup(key);
	row->kind = kind;
	row->val = xcalloc(h->ncells, sizeof(*row->val));
	row->best = -1;
	return row;
}

static void label_row(struct hl_row *row, const char *program, const char *hist, const char *pct)
{
	struct strbuf sb = STRBUF_INIT;
	const char *dot = strchr(row->key, '.');

	if (row->latency)
		strbuf_addf(&sb, "%.*s: %s %s latency %s", (int)(dot - row->key), row->key, program,
			    hist, pct);
	else if (!strcmp(row->key, RUNS_FAILED))
		strbuf_adds(&sb, "runs failed or incomplete");
	else if (!strcmp(row->key, WORKLOADS_FAILED))
		strbuf_adds(&sb, "workloads not ok (failed, killed or no result)");
	else if (dot && row->folded)
		strbuf_addf(&sb, "%.*s: %s", (int)(dot - row->key), row->key, dot + 1);
	else
		strbuf_adds(&sb, row->key);
	row->label = strbuf_detach(&sb);
}

/* The length of a latency key without its ".PCT" (PCT may hold a dot:
 * "p99.9"), or 0 when it ends in no percentile name. */
static size_t latency_stem(const char *key)
{
	size_t n = strlen(key), best = 0;

	for (int k = 0; k < RESULT_NPCT; k++) {
		size_t p = strlen(result_pct_names[k]);

		if (n > p + 1 && key[n - p - 1] == '.' && !strcmp(key + n - p, result_pct_names[k]) &&
		    (!best || n - p - 1 < best))
			best = n - p - 1;
	}
	return best;
}

/* "G.PROGRAM.latency.HIST.PCT": the parts for the label */
static void label_latency(struct hl_row *row)
{
	char prog[128] = "", hist[128] = "", pct[16] = "";
	const char *p = strchr(row->key, '.'), *l = strstr(row->key, ".latency.");
	size_t stem = latency_stem(row->key);

	if (p && l && stem > (size_t)(l + 9 - row->key)) {
		snprintf(prog, sizeof(prog), "%.*s", (int)(l - p - 1), p + 1);
		snprintf(hist, sizeof(hist), "%.*s", (int)(row->key + stem - l - 9), l + 9);
		snprintf(pct, sizeof(pct), "%s", row->key + stem + 1);
	}
	label_row(row, prog, hist, pct);
}

static void match_item(void *ctx, const struct item *it)
{
	struct match_ctx *m = ctx;
	const char *key = NULL;
	struct hl_row *row;

	if (!fnmatch(m->pattern, it->folded, 0))
		key = it->folded;
	else if (!fnmatch(m->pattern, it->name, 0))
		key = it->name;
	if (!key || find_row(m->h, key))
		return;
	row = add_row(m->h, key, HL_METRIC);
	row->unit = xstrdup(it->unit);
	row->better = it->better;
	row->folded = key == it->folded && strcmp(it->folded, it->name);
	row->latency = it->latency;
	if (row->latency)
		label_latency(row);
	else
		label_row(row, NULL, NULL, NULL);
}

static int cmp_row_key(const void *a, const void *b)
{
	return strcmp(((const struct hl_row *)a)->key, ((const struct hl_row *)b)->key);
}

static void add_count_row(struct headline *h, const char *key)
{
	struct hl_row *row;

	if (find_row(h, key))
		return;
	row = add_row(h, key, HL_COUNT);
	row->unit = xstrdup(!strcmp(key, RUNS_FAILED) ? "runs" : "workloads");
	row->better = BETTER_LOWER;
	label_row(row, NULL, NULL, NULL);
}

/* The rows of one pattern, sorted by name among themselves. */
static void match_pattern(const struct result_set *rs, struct headline *h, const char *pattern)
{
	struct match_ctx m = { h, pattern, h->n };

	for (size_t r = 0; r < rs->n; r++)
		if (run_is_complete(&rs->runs[r]))
			run_items(&rs->runs[r], match_item, &m);
	if (!fnmatch(pattern, RUNS_FAILED, 0))
		add_count_row(h, RUNS_FAILED);
	if (!fnmatch(pattern, WORKLOADS_FAILED, 0))
		add_count_row(h, WORKLOADS_FAILED);
	qsort(h->rows + m.first, h->n - m.first, sizeof(*h->rows), cmp_row_key);
	if (h->n == m.first) {
		if (h->unmatched.len)
			strbuf_adds(&h->unmatched, ", ");
		strbuf_adds(&h->unmatched, pattern);
	}
}

/* The percentiles of one histogram side by side, where its first is. */
static void group_latency(struct headline *h)
{
	struct hl_row *out = xcalloc(h->n ? h->n : 1, sizeof(*out));
	char *placed = xcalloc(h->n ? h->n : 1, 1);
	size_t k = 0;

	for (size_t i = 0; i < h->n; i++) {
		size_t stem;

		if (placed[i])
			continue;
		out[k++] = h->rows[i];
		placed[i] = 1;
		if (!h->rows[i].latency)
			continue;
		stem = latency_stem(h->rows[i].key);
		for (size_t j = i + 1; j < h->n && stem; j++)
			if (!placed[j] && h->rows[j].latency && latency_stem(h->rows[j].key) == stem &&
			    !strncmp(h->rows[j].key, h->rows[i].key, stem)) {
				out[k++] = h->rows[j];
				placed[j] = 1;
			}
	}
	memcpy(h->rows, out, h->n * sizeof(*out));
	free(out);
	free(placed);
}

/* ---- the values of every row ---- */

struct fill_ctx {
	struct headline *h;
	size_t cell;
};

static void push(struct hl_val *v, double x)
{
	ALLOC_GROW(v->v, v->nv + 1, v->alloc);
	v->v[v->nv++] = x;
}

static void fill_item(void *ctx, const struct item *it)
{
	struct fill_ctx *f = ctx;

	for (size_t i = 0; i < f->h->n; i++) {
		struct hl_row *row = &f->h->rows[i];

		if (row->kind != HL_METRIC || strcmp(row->key, row->folded ? it->folded : it->name))
			continue;
		if (!isnan(it->v))
			push(&row->val[f->cell], it->v);
		else if (!row->val[f->cell].reason && it->reason && *it->reason)
			row->val[f->cell].reason = it->reason;
	}
}

/* How many values a complete run owes a row: one per guest of the group. */
static size_t owed(const struct rs_run *r, const struct hl_row *row)
{
	char group[128], want[128];
	const char *dot = strchr(row->key, '.');
	size_t n = 0;
	json_t *g;
	size_t i;

	if (!row->folded || !dot || (size_t)(dot - row->key) < 2)
		return 1;
	snprintf(want, sizeof(want), "%.*s", (int)(dot - row->key - 2), row->key);
	if (row->latency) {
		for (i = 0; i < r->nguests; i++)
			n += r->guests[i].wanted &&
			     !strcmp(guest_group(r->guests[i].name, group, sizeof(group)), want);
		return n;
	}
	json_array_foreach(json_object_get(r->json, "guests"), i, g)
		n += !strcmp(guest_group(json_string_value(json_object_get(g, "name")) ?: "", group,
					 sizeof(group)), want);
	return n ? n : 1;
}

static void fill_counts(struct headline *h, const struct result_set *rs, const struct cells *cs)
{
	struct hl_row *runs = find_row(h, RUNS_FAILED), *wl = find_row(h, WORKLOADS_FAILED);
	int any_workload = 0;

	for (size_t c = 0; runs && c < cs->n; c++) {
		push(&runs->val[c], (double)(cs->c[c].failed + cs->c[c].incomplete));
		runs->val[c].want = cs->c[c].recorded;
	}
	for (size_t r = 0; wl && r < rs->n; r++) {
		const struct rs_run *run = &rs->runs[r];
		struct hl_val *v = &wl->val[cells_of(cs, run)];

		if (!run_is_complete(run))
			continue;
		if (!v->nv)
			push(v, 0);
		for (size_t g = 0; g < run->nguests; g++) {
			if (!run->guests[g].wanted)
				continue;
			any_workload = 1;
			v->want++;
			v->v[0] += !workload_ok(&run->guests[g].w);
		}
	}
	if (wl && !any_workload)
		wl->drop = 1;	/* no workload ran: nothing to count */
}

static void fill(struct headline *h, const struct result_set *rs, const struct cells *cs)
{
	for (size_t r = 0; r < rs->n; r++) {
		const struct rs_run *run = &rs->runs[r];
		struct fill_ctx f = { h, cells_of(cs, run) };

		if (!run_is_complete(run))
			continue;
		run_items(run, fill_item, &f);
		for (size_t i = 0; i < h->n; i++)
			if (h->rows[i].kind == HL_METRIC)
				h->rows[i].val[f.cell].want += owed(run, &h->rows[i]);
	}
	fill_counts(h, rs, cs);
}

static void row_free(struct hl_row *row, size_t ncells)
{
	for (size_t c = 0; c < ncells; c++)
		free(row->val[c].v);
	free(row->val);
	free(row->key);
	free(row->label);
	free(row->unit);
}

/* Drop the rows marked (the workloads row of a set without workloads). */
static void drop_empty(struct headline *h)
{
	size_t k = 0;

	for (size_t i = 0; i < h->n; i++) {
		if (h->rows[i].drop) {
			row_free(&h->rows[i], h->ncells);
			continue;
		}
		h->rows[k++] = h->rows[i];
	}
	h->n = k;
}

/* mean a better than mean b in the row's direction */
static int better(const struct hl_row *row, double a, double b)
{
	return row->better == BETTER_LOWER ? a < b : a > b;
}

static void summarize(struct hl_row *row, size_t ncells)
{
	long best = -1, second = -1;

	for (size_t c = 0; c < ncells; c++) {
		struct hl_val *v = &row->val[c];

		stats_summarize(v->v, v->nv, &v->s);
		if (row->kind != HL_METRIC || !v->nv || row->better == BETTER_UNKNOWN)
			continue;
		if (best < 0 || better(row, v->s.mean, row->val[best].s.mean)) {
			second = best;
			best = (long)c;
		} else if (second < 0 || better(row, v->s.mean, row->val[second].s.mean)) {
			second = (long)c;
		}
	}
	/* a best among two or more, ahead of the next by more than a rounding */
	row->best = second >= 0 && fabs(row->val[best].s.mean - row->val[second].s.mean) >
					   HEADLINE_BEST_MARGIN * fabs(row->val[best].s.mean)
			    ? best : -1;
}

void headline_build(const struct result_set *rs, const struct cells *cs, const char *spec,
		    struct headline *h)
{
	char *copy, *save = NULL;

	memset(h, 0, sizeof(*h));
	h->ncells = cs->n;
	h->from_scenario = spec && *spec;
	copy = xstrdup(h->from_scenario ? spec : HEADLINE_DEFAULT);
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t n;

		while (*tok == ' ' || *tok == '\t')
			tok++;
		n = strlen(tok);
		while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
			tok[--n] = '\0';
		if (n)
			match_pattern(rs, h, tok);
	}
	free(copy);
	group_latency(h);
	fill(h, rs, cs);
	drop_empty(h);
	for (size_t i = 0; i < h->n; i++)
		summarize(&h->rows[i], h->ncells);
}

void headline_release(struct headline *h)
{
	for (size_t i = 0; i < h->n; i++)
		row_free(&h->rows[i], h->ncells);
	free(h->rows);
	strbuf_release(&h->unmatched);
	memset(h, 0, sizeof(*h));
}

const char *headline_unit(const struct headline *h, const struct hl_row *row, double *divisor)
{
	static const struct {
		double div;
		const char *unit;
	} ns[] = { { 1e9, "s" }, { 1e6, "ms" }, { 1e3, "µs" } };
	double top = 0;

	*divisor = 1;
	if (strcmp(row->unit, "ns"))
		return row->unit;
	for (size_t c = 0; c < h->ncells; c++)
		if (row->val[c].nv && fabs(row->val[c].s.mean) > top)
			top = fabs(row->val[c].s.mean);
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		if (top >= ns[i].div) {
			*divisor = ns[i].div;
			return ns[i].unit;
		}
	return row->unit;
}
