/* like.c — see like.h. */
#include "reports/like.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

static json_t *host_text(const struct rs_run *r, const char *dotted)
{
	char *s = run_host_field(r, dotted);
	json_t *v = json_string(s);

	free(s);
	return v ? v : json_string("");
}

static json_t *get_cpu_vendor(const struct rs_run *r) { return host_text(r, "cpu.vendor"); }
static json_t *get_cpu_model(const struct rs_run *r) { return host_text(r, "cpu.model_name"); }
static json_t *get_kernel(const struct rs_run *r) { return host_text(r, "kernel"); }
static json_t *get_qemu_version(const struct rs_run *r) { return host_text(r, "qemu_version"); }

static json_t *text_or_empty(json_t *v)
{
	return json_string(json_is_string(v) ? json_string_value(v) : "");
}

static json_t *get_accel(const struct rs_run *r)
{
	return text_or_empty(json_object_get(json_object_get(r->json, "accel"), "name"));
}

static json_t *get_backend(const struct rs_run *r)
{
	return text_or_empty(json_object_get(r->json, "backend"));
}

static json_t *get_quick(const struct rs_run *r)
{
	return json_boolean(json_is_true(json_object_get(r->json, "quick")));
}

/* run.json before "guest_image": the paths are all there is */
static json_t *image_from_paths(const struct rs_run *r)
{
	static const char *const keys[][2] = { { "kernel", "kernel_path" }, { "initrd", "initrd_path" },
					       { "append", "cmdline" }, { "disk", "disk_path" } };
	json_t *out = json_object(), *g;
	size_t i;

	json_array_foreach(json_object_get(r->json, "guests"), i, g) {
		const char *name = json_string_value(json_object_get(g, "name"));
		json_t *o = json_object();

		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (json_is_string(json_object_get(g, keys[k][0])))
				json_object_set(o, keys[k][1], json_object_get(g, keys[k][0]));
		json_object_set_new(out, name ? name : "?", o);
	}
	return out;
}

static json_t *get_guest_image(const struct rs_run *r)
{
	json_t *v = json_object_get(r->json, "guest_image");

	return json_is_object(v) ? json_deep_copy(v) : image_from_paths(r);
}

/* {"ksm": {"value": "1", "previous": "0"}} -> {"ksm": "1"} */
static json_t *get_knobs(const struct rs_run *r)
{
	json_t *out = json_object(), *v;
	const char *key;

	json_object_foreach(json_object_get(r->json, "knobs"), key, v) {
		json_t *val = json_is_object(v) ? json_object_get(v, "value") : v;

		json_object_set(out, key, val ? val : json_null());
	}
	return out;
}

const struct like_field like_fields[LIKE_NFIELDS] = {
	{ "cpu.vendor", 1, get_cpu_vendor },
	{ "cpu.model_name", 1, get_cpu_model },
	{ "kernel", 1, get_kernel },
	{ "qemu_version", 1, get_qemu_version },
	{ "accel", 0, get_accel },
	{ "backend", 0, get_backend },
	{ "quick", 0, get_quick },
	{ "guest_image", 0, get_guest_image },
	{ "knobs", 0, get_knobs },
};

void like_field_list(struct strbuf *out)
{
	for (size_t i = 0; i < LIKE_NFIELDS; i++)
		strbuf_addf(out, "%s%s", i == 0 ? "" : i + 1 == LIKE_NFIELDS ? " or " : ", ",
			    like_fields[i].name);
}

static const struct like_field *find_field(const char *name, size_t len)
{
	for (size_t i = 0; i < LIKE_NFIELDS; i++)
		if (strlen(like_fields[i].name) == len && !strncmp(like_fields[i].name, name, len))
			return &like_fields[i];
	return NULL;
}

int like_check_names(const char *list)
{
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (!find_field(p, n)) {
			struct strbuf known = STRBUF_INIT;

			like_field_list(&known);
			ocb_fail("unknown field '%.*s': expected a comma-separated list of %s", (int)n, p,
				 known.buf);
			strbuf_release(&known);
			return -1;
		}
		p += n + (comma ? 1 : 0);
	}
	return 0;
}

static int allowed(const struct like_opts *o, const struct like_field *f)
{
	size_t len = strlen(f->name);

	if (o->allow_host && f->host)
		return 1;
	for (const char *p = o->allow_fields; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n == len && !strncmp(p, f->name, n))
			return 1;
		p += n + (comma ? 1 : 0);
	}
	return 0;
}

/* A value in a message: strings quoted, the rest as compact JSON, long
 * ones cut (a whole guest_image would drown the line). */
static void describe(json_t *v, struct strbuf *out)
{
	char *enc;

	if (!v) {
		strbuf_adds(out, "nothing");
		return;
	}
	enc = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
	if (enc && strlen(enc) > 100)
		strbuf_addf(out, "%.97s...", enc);
	else
		strbuf_adds(out, enc ? enc : "?");
	free(enc);
}

/* The first place (in key order) where a and b differ: path and leaves. */
static void first_difference(json_t *a, json_t *b, struct strbuf *path, json_t **la, json_t **lb)
{
	const char *key, *first = NULL;
	json_t *v;

	*la = a;
	*lb = b;
	if (!json_is_object(a) || !json_is_object(b))
		return;
	json_object_foreach(a, key, v)
		if (!json_equal(v, json_object_get(b, key)) && (!first || strcmp(key, first) < 0))
			first = key;
	json_object_foreach(b, key, v)
		if (!json_object_get(a, key) && (!first || strcmp(key, first) < 0))
			first = key;
	if (!first)
		return;
	strbuf_addf(path, ".%s", first);
	first_difference(json_object_get(a, first), json_object_get(b, first), path, la, lb);
}

static const char *const side_name[2] = { "baseline", "candidate" };

/* The first complete baseline run of r's cell (the candidate's first for a
 * cell only the candidate has); *ref_side says which side it is from. */
static const struct rs_run *cell_reference(const struct result_set *const sets[2],
					   const struct rs_run *r, int *ref_side)
{
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sets[s]->n; i++) {
			const struct rs_run *x = &sets[s]->runs[i];

			if (run_is_complete(x) && !strcmp(x->scenario, r->scenario) && !strcmp(x->cell, r->cell)) {
				*ref_side = s;
				return x;
			}
		}
	return r;	/* *ref_side stays r's */
}

static void report(const struct like_field *f, int side, const struct rs_run *r, int ref_side,
		   const struct rs_run *ref, json_t *got, json_t *want, int ok, struct strbuf *out)
{
	struct strbuf path = STRBUF_INIT;
	json_t *lg, *lw;

	strbuf_adds(&path, f->name);
	first_difference(got, want, &path, &lg, &lw);
	strbuf_addf(out, "%s differs: %s %s has ", path.buf, side_name[side], r->dir);
	describe(lg, out);
	strbuf_addf(out, ", %s %s has ", side_name[ref_side], ref->dir);
	describe(lw, out);
	if (ok)
		strbuf_addf(out, " (allowed by --allow-host-change)\n");
	else
		strbuf_addf(out, " (pass --allow-host-change=%s to compare anyway)\n", f->name);
	strbuf_release(&path);
}

/* The first run of either side whose field differs from its cell's
 * reference: 1 when one was reported. */
static int compare_field(const struct result_set *const sets[2], const struct like_field *f,
			 int ok, struct strbuf *out)
{
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sets[s]->n; i++) {
			const struct rs_run *r = &sets[s]->runs[i], *ref;
			json_t *got, *want;
			int differs, ref_side = s;

			if (!run_is_complete(r))
				continue;
			ref = cell_reference(sets, r, &ref_side);
			got = f->get(r);
			want = f->get(ref);
			differs = !json_equal(got, want);
			if (differs)
				report(f, s, r, ref_side, ref, got, want, ok, out);
			json_decref(got);
			json_decref(want);
			if (differs)
				return 1;
		}
	return 0;
}

size_t like_compare(const struct result_set *base, const struct result_set *cand,
		    const struct like_opts *o, struct strbuf *refused, struct strbuf *allowed_out)
{
	const struct result_set *const sets[2] = { base, cand };
	size_t n = 0;

	for (size_t f = 0; f < LIKE_NFIELDS; f++) {
		int ok = allowed(o, &like_fields[f]);

		if (compare_field(sets, &like_fields[f], ok, ok ? allowed_out : refused) && !ok)
			n++;
	}
	return n;
}
