/* workload.c — see workload.h. */
#include "reports/workload.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const result_pct_names[RESULT_NPCT] = { "p50", "p90", "p99", "p99.9", "max" };

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* ns per bucket_unit; 0 for a unit that is no time (left out) */
static double ns_per(const char *unit)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = { { "ps", 1e-3 }, { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 } };

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(unit, units[i].unit))
			return units[i].ns;
	return 0;
}

static void load_buckets(struct rs_hist *h, json_t *o)
{
	double scale = ns_per(jstr(o, "bucket_unit"));
	json_t *b;
	size_t i, alloc = 0;

	if (scale <= 0)
		return;
	json_array_foreach(json_object_get(o, "buckets"), i, b) {
		json_t *lo = json_array_get(b, 0), *hi = json_array_get(b, 1), *n = json_array_get(b, 2);

		if (!json_is_number(lo) || !json_is_number(hi) || !json_is_number(n) ||
		    json_number_value(n) <= 0)
			continue;
		ALLOC_GROW(h->b, h->nb + 1, alloc);
		h->b[h->nb].lo_ns = json_number_value(lo) * scale;
		h->b[h->nb].hi_ns = json_number_value(hi) * scale;
		h->b[h->nb++].count = json_number_value(n);
	}
}

/* Only latencies: the unit of the percentiles is ns. */
static void load_hists(struct rs_workload *w, json_t *hists)
{
	const char *name;
	json_t *o;
	size_t alloc = 0;

	json_object_foreach(hists, name, o) {
		json_t *pct = json_object_get(o, "percentiles");
		struct rs_hist *h;

		if (strcmp(jstr(o, "unit"), "ns"))
			continue;
		ALLOC_GROW(w->hist, w->nhist + 1, alloc);
		h = &w->hist[w->nhist++];
		memset(h, 0, sizeof(*h));
		h->name = xstrdup(name);
		h->regime = xstrdup(jstr(o, "regime"));
		h->count = json_number_value(json_object_get(o, "count"));
		for (int k = 0; k < RESULT_NPCT; k++) {
			json_t *v = json_object_get(pct, result_pct_names[k]);

			/* a histogram without samples has percentiles of 0: absent */
			h->pct[k] = json_is_number(v) && h->count > 0 ? json_number_value(v) : NAN;
		}
		load_buckets(h, o);
	}
}

static int column_of(json_t *columns, json_t *units, const char *name, const char *unit)
{
	size_t i;
	json_t *c;

	json_array_foreach(columns, i, c)
		if (!strcmp(json_string_value(c) ?: "", name) &&
		    !strcmp(json_string_value(json_array_get(units, i)) ?: "", unit))
			return (int)i;
	return -1;
}

static void add_latseries(struct rs_workload *w, size_t *alloc, const char *series,
			  const char *column, json_t *rows, int tcol, int vcol)
{
	struct strbuf name = STRBUF_INIT;
	struct rs_latseries *l;
	size_t i, palloc = 0;
	json_t *row;

	ALLOC_GROW(w->lat, w->nlat + 1, *alloc);
	l = &w->lat[w->nlat++];
	memset(l, 0, sizeof(*l));
	strbuf_addf(&name, "%s.%s", series, column);
	l->name = strbuf_detach(&name);
	json_array_foreach(rows, i, row) {
		json_t *t = json_array_get(row, (size_t)tcol), *v = json_array_get(row, (size_t)vcol);

		/* null: no sample in that interval (the first row has none) */
		if (!json_is_number(t) || !json_is_number(v))
			continue;
		ALLOC_GROW(l->pts, l->n + 1, palloc);
		l->pts[l->n].t_s = json_number_value(t);
		l->pts[l->n++].v = json_number_value(v);
	}
}

/* Series over time ("t_s" in s) with columns in ns. */
static void load_series(struct rs_workload *w, json_t *all)
{
	const char *name;
	json_t *o;
	size_t alloc = 0;

	json_object_foreach(all, name, o) {
		json_t *cols = json_object_get(o, "columns"), *units = json_object_get(o, "units"), *c;
		int tcol = column_of(cols, units, "t_s", "s");
		size_t i;

		if (tcol < 0)
			continue;
		json_array_foreach(cols, i, c)
			if (!strcmp(json_string_value(json_array_get(units, i)) ?: "", "ns") &&
			    json_string_value(c))
				add_latseries(w, &alloc, name, json_string_value(c),
					      json_object_get(o, "rows"), tcol, (int)i);
	}
}

void workload_load(struct rs_workload *w, const char *path)
{
	json_t *doc = json_load_file(path, 0, NULL);

	if (!json_is_object(doc) || strncmp(jstr(doc, "schema"), "ocbench.workload/", 17))
		goto out;
	w->program = xstrdup(jstr(doc, "program"));
	w->status = xstrdup(jstr(doc, "status"));
	load_hists(w, json_object_get(doc, "histograms"));
	load_series(w, json_object_get(doc, "series"));
out:
	json_decref(doc);
}

void workload_release(struct rs_workload *w)
{
	for (size_t i = 0; i < w->nhist; i++) {
		free(w->hist[i].name);
		free(w->hist[i].regime);
		free(w->hist[i].b);
	}
	free(w->hist);
	for (size_t i = 0; i < w->nlat; i++) {
		free(w->lat[i].name);
		free(w->lat[i].pts);
	}
	free(w->lat);
	free(w->program);
	free(w->status);
	memset(w, 0, sizeof(*w));
}

const struct rs_hist *workload_hist(const struct rs_workload *w, const char *name)
{
	for (size_t i = 0; i < w->nhist; i++)
		if (!strcmp(w->hist[i].name, name))
			return &w->hist[i];
	return NULL;
}

int workload_ok(const struct rs_workload *w)
{
	return w->program && w->status && !strcmp(w->status, "ok");
}

const char *guest_group(const char *guest, char *buf, size_t size)
{
	size_t n = strlen(guest), k = n;

	while (k > 0 && isdigit((unsigned char)guest[k - 1]))
		k--;
	if (k < n && k > 1 && guest[k - 1] == '-')
		n = k - 1;
	snprintf(buf, size, "%.*s", (int)n, guest);
	return buf;
}
