/* resultset.c — see resultset.h. */
#include "reports/resultset.h"
#include "results/gate.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const host_field_names[HOST_NFIELDS] = { "cpu.vendor", "cpu.model_name", "kernel",
						     "qemu_version" };

enum better better_parse(const char *s)
{
	if (s && !strcmp(s, "lower"))
		return BETTER_LOWER;
	if (s && !strcmp(s, "higher"))
		return BETTER_HIGHER;
	return BETTER_UNKNOWN;
}

const char *better_name(enum better b)
{
	switch (b) {
	case BETTER_LOWER: return "lower";
	case BETTER_HIGHER: return "higher";
	default: return "-";
	}
}

const char *cell_label(const char *cell)
{
	return cell && *cell ? cell : "(no matrix)";
}

int run_is_complete(const struct rs_run *r)
{
	return !strcmp(r->status, "complete");
}

const struct rs_metric *run_metric(const struct rs_run *r, const char *name)
{
	for (size_t i = 0; i < r->nmetrics; i++)
		if (!strcmp(r->metrics[i].name, name))
			return &r->metrics[i];
	return NULL;
}

const char *run_unmeasured(const struct rs_run *r, const char *name)
{
	for (size_t i = 0; i < r->nunmeasured; i++)
		if (!strcmp(r->unmeasured[i].name, name))
			return r->unmeasured[i].reason;
	return NULL;
}

const struct rs_series *run_series(const struct rs_run *r, const char *source, const char *name)
{
	for (size_t i = 0; i < r->nseries; i++)
		if ((!source || !strcmp(r->series[i].source, source)) &&
		    !strcmp(r->series[i].name, name))
			return &r->series[i];
	return NULL;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* A JSON scalar as text: strings as they are, anything else encoded. */
static void json_scalar_text(json_t *v, struct strbuf *out)
{
	char *enc;

	if (!v)
		return;
	if (json_is_string(v)) {
		strbuf_adds(out, json_string_value(v));
		return;
	}
	enc = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	if (enc) {
		strbuf_adds(out, enc);
		free(enc);
	}
}

char *run_host_field(const struct rs_run *r, const char *dotted)
{
	json_t *v = json_object_get(r->json, "host");
	struct strbuf sb = STRBUF_INIT;
	const char *p = dotted;

	while (v && *p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		char key[128];

		snprintf(key, sizeof(key), "%.*s", (int)len, p);
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
		p += len + (dot ? 1 : 0);
	}
	json_scalar_text(v, &sb);
	if (!sb.buf)
		strbuf_adds(&sb, "");
	return strbuf_detach(&sb);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Matrix values in key order, so the same cell reads the same everywhere. */
static char *matrix_cell(json_t *matrix)
{
	struct strbuf sb = STRBUF_INIT;
	const char **keys;
	const char *key;
	size_t n = 0;
	json_t *v;

	if (!json_is_object(matrix) || !json_object_size(matrix))
		return xstrdup("");
	keys = xcalloc(json_object_size(matrix), sizeof(*keys));
	json_object_foreach(matrix, key, v)
		keys[n++] = key;
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(&sb, ' ');
		strbuf_addf(&sb, "%s=", keys[i]);
		json_scalar_text(json_object_get(matrix, keys[i]), &sb);
	}
	free(keys);
	return strbuf_detach(&sb);
}

static void add_unmeasured(struct rs_run *r, size_t *alloc, const char *name, json_t *m)
{
	struct rs_unmeasured *u;

	ALLOC_GROW(r->unmeasured, r->nunmeasured + 1, *alloc);
	u = &r->unmeasured[r->nunmeasured++];
	u->name = name;
	u->unit = jstr(m, "unit");
	u->reason = jstr(m, "reason");
	u->better = better_parse(jstr(m, "better"));
}

static int load_metrics(struct rs_run *r, const char *file)
{
	json_t *metrics = json_object_get(r->json, "metrics"), *m;
	const char *name;
	size_t alloc = 0, ualloc = 0;

	if (!metrics)
		return 0;
	if (!json_is_object(metrics))
		return ocb_fail("%s: \"metrics\" is not an object: expected {NAME: {value, unit, better}}", file);
	json_object_foreach(metrics, name, m) {
		json_t *val = json_is_object(m) ? json_object_get(m, "value") : m;
		struct rs_metric *mt;

		if (!json_is_number(val)) {
			/* null: the run could not measure it (and says why) */
			if (json_is_object(m))
				add_unmeasured(r, &ualloc, name, m);
			continue;
		}
		ALLOC_GROW(r->metrics, r->nmetrics + 1, alloc);
		mt = &r->metrics[r->nmetrics++];
		mt->name = xstrdup(name);
		mt->unit = xstrdup(json_is_object(m) ? jstr(m, "unit") : "");
		mt->value = json_number_value(val);
		mt->better = json_is_object(m) ? better_parse(jstr(m, "better")) : BETTER_UNKNOWN;
		/* run.json written before "gate" existed: the writer's table */
		mt->gate = json_is_boolean(json_object_get(m, "gate"))
				   ? json_is_true(json_object_get(m, "gate"))
				   : results_metric_gated(name);
	}
	return 0;
}

/* Split one CSV line in place (no quoting in our files). */
static size_t csv_split(char *line, char **fields, size_t max)
{
	size_t n = 0;

	while (n < max) {
		char *comma = strchr(line, ',');

		fields[n++] = line;
		if (!comma)
			break;
		*comma = '\0';
		line = comma + 1;
	}
	return n;
}

static int parse_num(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return end != s && !errno && (*end == '\0' || *end == '\r');
}

/* Iterate the lines of a file already in sb; returns the next line or NULL. */
static char *next_line(char **cursor)
{
	char *line = *cursor, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*cursor = nl + 1;
	} else {
		*cursor = line + strlen(line);
	}
	return line;
}

static struct rs_series *series_get(struct rs_run *r, size_t *alloc, const char *src,
				 const char *name, size_t *hint)
{
	struct rs_series *s;

	if (*hint < r->nseries && !strcmp(r->series[*hint].name, name) &&
	    !strcmp(r->series[*hint].source, src))
		return &r->series[*hint];
	for (size_t i = 0; i < r->nseries; i++)
		if (!strcmp(r->series[i].name, name) && !strcmp(r->series[i].source, src)) {
			*hint = i;
			return &r->series[i];
		}
	ALLOC_GROW(r->series, r->nseries + 1, *alloc);
	*hint = r->nseries;
	s = &r->series[r->nseries++];
	memset(s, 0, sizeof(*s));
	s->source = xstrdup(src);
	s->name = xstrdup(name);
	return s;
}

/* A file of the run that may be absent (older runs, failed runs): 1 read
 * into sb, 0 absent, -1 unreadable. */
static int read_run_file(const struct rs_run *r, const char *name, struct strbuf *sb)
{
	struct strbuf path = STRBUF_INIT;
	int rc = 0;

	strbuf_addf(&path, "%s/%s", r->dir, name);
	if (path_exists(path.buf))
		rc = read_file(path.buf, sb) < 0 ? -1 : 1;
	strbuf_release(&path);
	return rc;
}

static int load_samples(struct rs_run *r)
{
	struct strbuf sb = STRBUF_INIT;
	size_t alloc = 0, hint = 0, lineno = 0;
	char *cur, *line;
	int rc = 0;

	rc = read_run_file(r, "samples.csv", &sb);
	if (rc <= 0)
		goto out;
	rc = 0;
	cur = sb.buf;
	while ((line = next_line(&cur))) {
		char *f[4];
		double t, v;
		struct rs_series *s;

		lineno++;
		if (lineno == 1 || !*line)
			continue;	/* header */
		if (csv_split(line, f, 4) != 4 || !parse_num(f[0], &t) || !parse_num(f[3], &v))
			continue;	/* a torn or foreign line must not sink the report */
		s = series_get(r, &alloc, f[1], f[2], &hint);
		ALLOC_GROW(s->pts, s->n + 1, s->alloc);
		s->pts[s->n].t_s = t / 1000.0;
		s->pts[s->n++].v = v;
	}
out:
	strbuf_release(&sb);
	return rc;
}

static int load_events(struct rs_run *r)
{
	struct strbuf sb = STRBUF_INIT;
	size_t alloc = 0;
	char *cur, *line;
	int rc = 0;

	rc = read_run_file(r, "events.jsonl", &sb);
	if (rc <= 0)
		goto out;
	rc = 0;
	cur = sb.buf;
	while ((line = next_line(&cur))) {
		json_t *ev = json_loads(line, 0, NULL);
		struct rs_event *e;
		const char *label;

		if (!json_is_object(ev)) {
			json_decref(ev);
			continue;
		}
		label = jstr(ev, "action");
		if (!*label)
			label = jstr(ev, "event");
		if (!*label)
			label = jstr(ev, "message");
		ALLOC_GROW(r->events, r->nevents + 1, alloc);
		e = &r->events[r->nevents++];
		e->t_s = json_number_value(json_object_get(ev, "t_ms")) / 1000.0;
		e->type = xstrdup(jstr(ev, "type"));
		e->label = xstrdup(label);
		e->guest = xstrdup(jstr(ev, "guest"));
		json_decref(ev);
	}
out:
	strbuf_release(&sb);
	return rc;
}

static void load_free_csv(struct rs_guest *g, const char *path)
{
	static const char *const cols[] = { "t_ms", "total", "used", "free", "shared",
					    "buff_cache", "available" };
	struct strbuf sb = STRBUF_INIT;
	int map[16];
	size_t ncols = 0, alloc = 0, lineno = 0;
	char *cur, *line;

	if (read_file(path, &sb) < 0)
		goto out;
	cur = sb.buf;
	while ((line = next_line(&cur))) {
		char *f[16];
		size_t n = csv_split(line, f, 16);
		double row[7] = { NAN, NAN, NAN, NAN, NAN, NAN, NAN };
		struct rs_free_row *fr;

		if (++lineno == 1) {
			for (size_t i = 0; i < n; i++) {
				map[i] = -1;
				for (size_t c = 0; c < 7; c++)
					if (!strncmp(f[i], cols[c], strlen(cols[c])) &&
					    (f[i][strlen(cols[c])] == '\0' || f[i][strlen(cols[c])] == '\r'))
						map[i] = (int)c;
			}
			ncols = n;
			continue;
		}
		for (size_t i = 0; i < n && i < ncols; i++) {
			double v;

			if (map[i] >= 0 && parse_num(f[i], &v))
				row[map[i]] = v;
		}
		if (isnan(row[0]))
			continue;
		ALLOC_GROW(g->free, g->nfree + 1, alloc);
		fr = &g->free[g->nfree++];
		fr->t_s = row[0] / 1000.0;
		fr->total = row[1];
		fr->used = row[2];
		fr->free = row[3];
		fr->shared = row[4];
		fr->buff_cache = row[5];
		fr->available = row[6];
	}
out:
	ocb_err_clear();
	strbuf_release(&sb);
}

static int cmp_dirent_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* run.json's guests[] gives this guest a workload to run */
static int guest_wants_workload(const struct rs_run *r, const char *name)
{
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(r->json, "guests"), i, g)
		if (!strcmp(jstr(g, "name"), name))
			return *jstr(g, "workload") != '\0';
	return 0;
}

/* When the guest's workload started, on the run's clock (its series
 * count from there); the first start when it was started again. */
static double workload_start(const struct rs_run *r, const char *name)
{
	for (size_t i = 0; i < r->nevents; i++)
		if (!strcmp(r->events[i].type, "workload_start") && !strcmp(r->events[i].guest, name))
			return r->events[i].t_s;
	return NAN;
}

static void load_guests(struct rs_run *r)
{
	struct strbuf dir = STRBUF_INIT, p = STRBUF_INIT;
	struct dirent **ents = NULL;
	size_t alloc = 0;
	int n;

	strbuf_addf(&dir, "%s/guests", r->dir);
	n = scandir(dir.buf, &ents, NULL, cmp_dirent_name);
	for (int i = 0; i < n; i++) {
		struct rs_guest *g;

		if (ents[i]->d_name[0] == '.')
			goto next;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir.buf, ents[i]->d_name);
		if (!is_dir(p.buf))
			goto next;
		ALLOC_GROW(r->guests, r->nguests + 1, alloc);
		g = &r->guests[r->nguests++];
		memset(g, 0, sizeof(*g));
		g->name = xstrdup(ents[i]->d_name);
		g->wanted = guest_wants_workload(r, g->name);
		g->start_s = workload_start(r, g->name);
		strbuf_addf(&p, "/workload.json");
		if (path_exists(p.buf))
			workload_load(&g->w, p.buf);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s/free.csv", dir.buf, ents[i]->d_name);
		if (path_exists(p.buf))
			load_free_csv(g, p.buf);
next:
		free(ents[i]);
	}
	free(ents);
	strbuf_release(&dir);
	strbuf_release(&p);
}

static void run_release(struct rs_run *r)
{
	free(r->dir);
	free(r->cell);
	json_decref(r->json);
	for (size_t i = 0; i < r->nmetrics; i++) {
		free(r->metrics[i].name);
		free(r->metrics[i].unit);
	}
	free(r->metrics);
	free(r->unmeasured);
	for (size_t i = 0; i < r->nseries; i++) {
		free(r->series[i].source);
		free(r->series[i].name);
		free(r->series[i].pts);
	}
	free(r->series);
	for (size_t i = 0; i < r->nevents; i++) {
		free(r->events[i].type);
		free(r->events[i].label);
		free(r->events[i].guest);
	}
	free(r->events);
	for (size_t i = 0; i < r->nguests; i++) {
		free(r->guests[i].name);
		workload_release(&r->guests[i].w);
		free(r->guests[i].free);
	}
	free(r->guests);
	memset(r, 0, sizeof(*r));
}

static int load_run(struct result_set *rs, const char *dir, unsigned flags)
{
	struct strbuf file = STRBUF_INIT;
	struct rs_run r;
	json_error_t jerr;
	const char *schema;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	strbuf_addf(&file, "%s/run.json", dir);
	r.json = json_load_file(file.buf, 0, &jerr);
	if (!r.json) {
		ocb_fail("%s:%d: cannot parse run.json: %s", file.buf, jerr.line, jerr.text);
		goto out;
	}
	if (!json_is_object(r.json)) {
		ocb_fail("%s: expected a JSON object", file.buf);
		goto out;
	}
	schema = jstr(r.json, "schema");
	if (strncmp(schema, "ocbench.run/", 12)) {
		ocb_fail("%s: schema is '%s', expected \"ocbench.run/1\"", file.buf, schema);
		goto out;
	}
	r.dir = xstrdup(dir);
	r.scenario = jstr(r.json, "scenario");
	r.run_id = jstr(r.json, "run_id");
	r.status = jstr(r.json, "status");
	if (!*r.status)
		r.status = "incomplete";
	r.reason = jstr(r.json, "reason");
	r.repeat = (int)json_integer_value(json_object_get(r.json, "repeat"));
	r.runs_requested = (int)json_integer_value(json_object_get(r.json, "runs_requested"));
	r.cell = matrix_cell(json_object_get(r.json, "matrix"));
	if (load_metrics(&r, file.buf) < 0)
		goto out;
	if (flags & RESULTSET_SERIES) {
		if (load_samples(&r) < 0 || load_events(&r) < 0)
			goto out;
		load_guests(&r);
	}
	ALLOC_GROW(rs->runs, rs->n + 1, rs->alloc);
	rs->runs[rs->n++] = r;
	memset(&r, 0, sizeof(r));
	rc = 0;
out:
	run_release(&r);
	strbuf_release(&file);
	return rc;
}

static int load_path(struct result_set *rs, const char *path, unsigned flags, int depth);

/* An index names its runs inside its own directory ("run-001", as `ocbench
 * run` writes): a copied or hostile index.json must not send the reader
 * elsewhere on the host. */
static int index_dir_ok(const char *d)
{
	if (d[0] == '/')
		return 0;
	for (const char *p = d; *p; p = strchr(p, '/') ? strchr(p, '/') + 1 : p + strlen(p))
		if (!strncmp(p, "..", 2) && (p[2] == '/' || p[2] == '\0'))
			return 0;
	return 1;
}

static int load_index(struct result_set *rs, const char *dir, unsigned flags, int depth)
{
	struct strbuf file = STRBUF_INIT, sub = STRBUF_INIT;
	json_error_t jerr;
	json_t *idx, *runs, *e;
	size_t i;
	int rc = -1;

	strbuf_addf(&file, "%s/index.json", dir);
	idx = json_load_file(file.buf, 0, &jerr);
	if (!idx) {
		ocb_fail("%s:%d: cannot parse index.json: %s", file.buf, jerr.line, jerr.text);
		goto out;
	}
	runs = json_object_get(idx, "runs");
	if (!json_is_array(runs)) {
		ocb_fail("%s: expected \"runs\": [{\"dir\": ...}, ...]", file.buf);
		goto out;
	}
	json_array_foreach(runs, i, e) {
		const char *d = jstr(e, "dir");

		if (!*d) {
			ocb_fail("%s: runs[%zu] has no \"dir\"", file.buf, i);
			goto out;
		}
		if (!index_dir_ok(d)) {
			ocb_fail("%s: runs[%zu]: \"dir\" is '%.200s', expected a directory inside the "
				 "index's own (\"run-001\": no '/' at the start, no '..')", file.buf, i, d);
			goto out;
		}
		strbuf_reset(&sub);
		strbuf_addf(&sub, "%s/%s", dir, d);
		if (load_path(rs, sub.buf, flags, depth + 1) < 0) {
			ocb_err_prefix("%s: runs[%zu]: ", file.buf, i);
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(idx);
	strbuf_release(&file);
	strbuf_release(&sub);
	return rc;
}

static int load_subdirs(struct result_set *rs, const char *dir, unsigned flags, int depth)
{
	struct strbuf sub = STRBUF_INIT, probe = STRBUF_INIT;
	struct dirent **ents = NULL;
	int n, found = 0, rc = 0;

	n = scandir(dir, &ents, NULL, cmp_dirent_name);
	if (n < 0)
		return ocb_fail_errno("cannot read results directory %s", dir);
	for (int i = 0; i < n; i++) {
		if (rc == 0 && ents[i]->d_name[0] != '.') {
			strbuf_reset(&sub);
			strbuf_addf(&sub, "%s/%s", dir, ents[i]->d_name);
			strbuf_reset(&probe);
			strbuf_addf(&probe, "%s/run.json", sub.buf);
			if (!path_exists(probe.buf)) {
				strbuf_reset(&probe);
				strbuf_addf(&probe, "%s/index.json", sub.buf);
			}
			if (path_exists(probe.buf)) {
				found++;
				rc = load_path(rs, sub.buf, flags, depth + 1);
			}
		}
		free(ents[i]);
	}
	free(ents);
	if (rc == 0 && !found)
		rc = ocb_fail("%s: not a results directory: expected run.json, index.json "
			      "or subdirectories that have one", dir);
	strbuf_release(&sub);
	strbuf_release(&probe);
	return rc;
}

static int load_path(struct result_set *rs, const char *path, unsigned flags, int depth)
{
	struct strbuf probe = STRBUF_INIT;
	int rc;

	if (depth > 8)
		return ocb_fail("%s: results nested more than 8 levels deep (a loop of index.json?)", path);
	if (!is_dir(path))
		return ocb_fail("%s: not a directory: expected a run or index directory", path);
	strbuf_addf(&probe, "%s/run.json", path);
	if (path_exists(probe.buf)) {
		rc = load_run(rs, path, flags);
	} else {
		strbuf_reset(&probe);
		strbuf_addf(&probe, "%s/index.json", path);
		if (path_exists(probe.buf))
			rc = load_index(rs, path, flags, depth);
		else
			rc = load_subdirs(rs, path, flags, depth);
	}
	strbuf_release(&probe);
	return rc;
}

int resultset_load(struct result_set *rs, const char *path, unsigned flags)
{
	size_t len = strlen(path);
	char *clean = xstrdup(path);

	while (len > 1 && clean[len - 1] == '/')
		clean[--len] = '\0';
	if (!rs->path)
		rs->path = xstrdup(clean);
	if (load_path(rs, clean, flags, 0) < 0) {
		free(clean);
		return -1;
	}
	free(clean);
	return 0;
}

void resultset_release(struct result_set *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		run_release(&rs->runs[i]);
	free(rs->runs);
	free(rs->path);
	memset(rs, 0, sizeof(*rs));
}
