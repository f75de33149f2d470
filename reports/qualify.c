/* qualify.c — see qualify.h. */
#include "reports/qualify.h"
#include "reports/doc.h"
#include "results/results.h"
#include "results/sha256.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* One column: a conform --json document and the host it ran on. */
struct column {
	const char *path;
	json_t *doc;
	struct strbuf name;	/* "hostname · CPU · kernel · #1a2b3c4d" */
};

/* The fields that say which machine this is (not its settings): the
 * fingerprint's identity, hashed into the column's short id. */
static const char *const identity[] = { "hostname", "cpu.vendor", "cpu.model_name", "kernel",
					"qemu_version", "memory_kib", NULL };

static json_t *dotted(json_t *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.')) && o) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return o ? json_object_get(o, path) : NULL;
}

static void scalar_text(json_t *v, struct strbuf *sb)
{
	char *s;

	if (json_is_string(v)) {
		strbuf_adds(sb, json_string_value(v));
		return;
	}
	s = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	strbuf_adds(sb, s ? s : "—");
	free(s);
}

static void column_name(struct column *c)
{
	json_t *host = json_object_get(c->doc, "host");
	struct strbuf id = STRBUF_INIT;
	char hex[SHA256_HEX_LEN + 1];
	struct sha256 h;

	for (size_t i = 0; identity[i]; i++) {
		scalar_text(dotted(host, identity[i]), &id);
		strbuf_addch(&id, '\n');
	}
	sha256_init(&h);
	sha256_update(&h, id.buf, id.len);
	sha256_final_hex(&h, hex);
	if (!host) {
		strbuf_addf(&c->name, "%s (no host fingerprint)", c->path);
	} else {
		scalar_text(dotted(host, "hostname"), &c->name);
		strbuf_adds(&c->name, " · ");
		scalar_text(dotted(host, "cpu.model_name"), &c->name);
		strbuf_adds(&c->name, " · ");
		scalar_text(dotted(host, "kernel"), &c->name);
		strbuf_addf(&c->name, " · #%.8s", hex);
	}
	strbuf_release(&id);
}

int qualify_is_conform_json(const char *path)
{
	json_t *j;
	int yes;

	if (!strstr(path, ".json") || !path_exists(path))
		return 0;
	j = json_load_file(path, 0, NULL);
	yes = j && !strcmp(json_string_value(json_object_get(j, "schema")) ?: "", RESULTS_SCHEMA_CONFORM);
	json_decref(j);
	return yes;
}

static int load(struct column *c, const char *path)
{
	json_error_t err;

	c->path = path;
	c->name = (struct strbuf)STRBUF_INIT;
	c->doc = json_load_file(path, 0, &err);
	if (!c->doc)
		return ocb_fail("%s:%d: %s", path, err.line, err.text);
	if (strcmp(json_string_value(json_object_get(c->doc, "schema")) ?: "", RESULTS_SCHEMA_CONFORM))
		return ocb_fail("%s: not an ocbench conform --json document (schema %s expected)", path,
				RESULTS_SCHEMA_CONFORM);
	column_name(c);
	return 0;
}

/* The result object of check id in a document, or NULL. */
static json_t *result_of(json_t *doc, const char *id)
{
	size_t i;
	json_t *r;

	json_array_foreach(json_object_get(doc, "checks"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "id")) ?: "", id))
			return r;
	return NULL;
}

/* Every check id any document has, in the order first seen. */
static json_t *all_ids(const struct column *c, size_t n)
{
	json_t *ids = json_array();

	for (size_t k = 0; k < n; k++) {
		size_t i;
		json_t *r;

		json_array_foreach(json_object_get(c[k].doc, "checks"), i, r) {
			const char *id = json_string_value(json_object_get(r, "id"));
			int seen = 0;
			size_t j;
			json_t *v;

			json_array_foreach(ids, j, v)
				seen |= id && !strcmp(json_string_value(v), id);
			if (id && !seen)
				json_array_append_new(ids, json_string(id));
		}
	}
	return ids;
}

static unsigned verdict_flag(const char *result)
{
	if (!strcmp(result, "pass"))
		return DT_PASS;
	if (!strcmp(result, "fail"))
		return DT_FAIL;
	if (!strcmp(result, "skip"))
		return DT_SKIP;
	return DT_ERROR;
}

static void matrix(struct doc *d, const struct column *c, size_t n, json_t *ids)
{
	struct doc_table t = DOC_TABLE_INIT;
	size_t i;
	json_t *idv;

	dt_cell(&t, 0, "check");
	dt_cell(&t, 0, "title");
	for (size_t k = 0; k < n; k++)
		dt_cell(&t, 0, c[k].name.buf);
	dt_row(&t);
	json_array_foreach(ids, i, idv) {
		const char *id = json_string_value(idv), *title = NULL;

		for (size_t k = 0; k < n && !title; k++)
			title = json_string_value(json_object_get(result_of(c[k].doc, id), "title"));
		dt_cell(&t, DT_KEY, id);
		dt_cell(&t, 0, title ? title : "");
		for (size_t k = 0; k < n; k++) {
			json_t *r = result_of(c[k].doc, id);
			const char *res = json_string_value(json_object_get(r, "result"));
			const char *why = json_string_value(json_object_get(r, "reason"));
			struct strbuf cell = STRBUF_INIT;

			if (!res) {
				dt_cell(&t, DT_MISSING, "not run");
				continue;
			}
			for (const char *p = res; *p; p++)
				strbuf_addch(&cell, (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
			if (why && *why)
				strbuf_addf(&cell, ": %.120s", why);
			dt_cell(&t, verdict_flag(res), cell.buf);
			strbuf_release(&cell);
		}
		dt_row(&t);
	}
	dt_emit(d, &t, "matrix");
}

/* The settings and facts a fingerprint holds, flattened to "a.b" ->
 * text; counters that move by themselves are left out. */
static int volatile_field(const char *key)
{
	static const char *const moving[] = { "numa", "full_scans", "pages_collapsed", "used_kib",
					      "cross_check", "schema", NULL };

	for (size_t i = 0; moving[i]; i++)
		if (!strcmp(key, moving[i]))
			return 1;
	return 0;
}

static void flatten(json_t *o, const char *prefix, json_t *out)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;

		if (volatile_field(k))
			continue;
		strbuf_addf(&path, "%s%s%s", prefix, *prefix ? "." : "", k);
		if (json_is_object(v)) {
			flatten(v, path.buf, out);
		} else {
			scalar_text(v, &text);
			json_object_set_new(out, path.buf, json_string(text.buf));
		}
		strbuf_release(&path);
		strbuf_release(&text);
	}
}

/* The fields whose values are not the same in every column. */
static size_t differing(struct doc *d, const struct column *c, size_t n)
{
	json_t **flat = calloc(n, sizeof(*flat)), *keys = json_object();
	struct doc_table t = DOC_TABLE_INIT;
	const char *k;
	json_t *v;
	size_t rows = 0;

	for (size_t i = 0; i < n; i++) {
		flat[i] = json_object();
		flatten(json_object_get(c[i].doc, "host"), "", flat[i]);
		json_object_set_new(flat[i], "accel", json_string(json_string_value(
			json_object_get(json_object_get(c[i].doc, "accel"), "name")) ?: "—"));
		json_object_set_new(flat[i], "backend", json_string(json_string_value(
			json_object_get(c[i].doc, "backend")) ?: "—"));
		json_object_update(keys, flat[i]);
	}
	dt_cell(&t, 0, "setting");
	for (size_t i = 0; i < n; i++)
		dt_cell(&t, 0, c[i].name.buf);
	dt_row(&t);
	json_object_foreach(keys, k, v) {
		int same = 1;

		for (size_t i = 1; i < n; i++)
			same &= json_equal(json_object_get(flat[0], k), json_object_get(flat[i], k));
		if (same)
			continue;
		dt_cell(&t, DT_KEY, k);
		for (size_t i = 0; i < n; i++) {
			const char *s = json_string_value(json_object_get(flat[i], k));

			dt_cell(&t, s ? 0 : DT_MISSING, s ? s : "—");
		}
		dt_row(&t);
		rows++;
	}
	if (rows)
		dt_emit(d, &t, "fields");
	else
		doc_para(d, "note", "Every host setting in the fingerprints is the same in every column.");
	for (size_t i = 0; i < n; i++)
		json_decref(flat[i]);
	free(flat);
	json_decref(keys);
	if (rows)
		return rows;
	strbuf_release(&t.html);
	strbuf_release(&t.md);
	return 0;
}

static void columns(struct doc *d, const struct column *c, size_t n)
{
	struct doc_table t = DOC_TABLE_INIT;

	dt_cell(&t, 0, "column");
	dt_cell(&t, 0, "file");
	dt_cell(&t, DT_NUM, "pass");
	dt_cell(&t, DT_NUM, "fail");
	dt_cell(&t, DT_NUM, "skip");
	dt_cell(&t, DT_NUM, "error");
	dt_row(&t);
	for (size_t i = 0; i < n; i++) {
		json_t *counts = json_object_get(c[i].doc, "counts");
		static const char *const names[] = { "pass", "fail", "skip", "error" };

		dt_cell(&t, DT_KEY, c[i].name.buf);
		dt_cell(&t, 0, c[i].path);
		for (size_t k = 0; k < 4; k++) {
			char num[32];

			snprintf(num, sizeof(num), "%lld",
				 (long long)json_integer_value(json_object_get(counts, names[k])));
			dt_cell(&t, DT_NUM, num);
		}
		dt_row(&t);
	}
	dt_emit(d, &t, "host");
}

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"generator\" content=\"ocbench report\">\n"
	"<title>ocbench qualification matrix</title>\n<style>\n"
	"body{font-family:system-ui,sans-serif;margin:1.2em auto;max-width:1400px;padding:0 1em}\n"
	"table{border-collapse:collapse;margin:.4em 0 1em}th,td{border:1px solid #ccc;"
	"padding:.2em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}\n"
	"th{background:#f3f3f3}td.num{text-align:right}td.missing{color:#888;font-style:italic}\n"
	"td.v-pass{background:#d8efdd}td.v-fail{background:#f6c9bd;font-weight:bold}\n"
	"td.v-skip{background:#eeeeee;color:#555}td.v-error{background:#fbe3b5}\n"
	"</style>\n</head>\n<body>\n";

static int write_doc(const char *outdir, const struct doc *d)
{
	struct strbuf path = STRBUF_INIT, html = STRBUF_INIT;
	int rc = mkdir_p(outdir, 0755);

	strbuf_adds(&html, html_head);
	strbuf_add(&html, d->html.buf, d->html.len);
	strbuf_adds(&html, "</body>\n</html>\n");
	strbuf_addf(&path, "%s/qualification.html", outdir);
	if (rc == 0)
		rc = write_file_atomic(path.buf, html.buf, html.len, 0644);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/qualification.md", outdir);
	if (rc == 0)
		rc = write_file_atomic(path.buf, d->md.buf, d->md.len, 0644);
	strbuf_release(&path);
	strbuf_release(&html);
	return rc;
}

int qualify_write(const char *const *paths, size_t n, const char *outdir, struct qualify_info *info)
{
	struct column *c = calloc(n, sizeof(*c));
	struct doc d = DOC_INIT;
	json_t *ids = NULL;
	size_t loaded = 0;
	int rc = -1;

	if (!c)
		return ocb_fail("out of memory");
	for (; loaded < n; loaded++)
		if (load(&c[loaded], paths[loaded]) < 0) {
			loaded++;
			goto out;
		}
	ids = all_ids(c, n);
	doc_title(&d, "Qualification matrix");
	doc_section(&d, "matrix", "Checks");
	doc_para(&d, "context", "One column per conform --json document, named by the host it ran "
		 "on (hostname · CPU · kernel · a hash of the host's identity); one row per check.");
	matrix(&d, c, n, ids);
	doc_section(&d, "settings", "Host settings that differ");
	info->differing = differing(&d, c, n);
	doc_section(&d, "columns", "Columns");
	columns(&d, c, n);
	doc_end(&d);
	info->hosts = n;
	info->checks = json_array_size(ids);
	rc = write_doc(outdir, &d);
out:
	for (size_t i = 0; i < loaded; i++) {
		json_decref(c[i].doc);
		strbuf_release(&c[i].name);
	}
	free(c);
	json_decref(ids);
	doc_release(&d);
	return rc;
}
