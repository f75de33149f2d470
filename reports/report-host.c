/* report-host.c — see report-host.h. */
#include "reports/report-host.h"
#include "reports/fmt.h"

#include <stdlib.h>
#include <string.h>

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

static void scalar(json_t *v, struct strbuf *sb)
{
	char *s;

	if (json_is_string(v)) {
		strbuf_adds(sb, json_string_value(v));
		return;
	}
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	strbuf_adds(sb, s ? s : "");
	free(s);
}

/* "key=value, key=value" over an object's scalars, nested ones dotted. */
static void scalars(json_t *o, const char *prefix, struct strbuf *sb)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		struct strbuf p = STRBUF_INIT;

		strbuf_addf(&p, "%s%s%s", prefix, *prefix ? "." : "", key);
		if (json_is_object(v)) {
			scalars(v, p.buf, sb);
		} else if (!json_is_array(v)) {
			strbuf_addf(sb, "%s%s=", sb->len ? ", " : "", p.buf);
			scalar(v, sb);
		}
		strbuf_release(&p);
	}
}

static void row(struct doc_table *t, const char *key, struct strbuf *value)
{
	if (!value->len)
		return;
	dt_cell(t, DT_KEY, key);
	dt_cell(t, 0, value->buf);
	dt_row(t);
	strbuf_reset(value);
}

static void cpu_memory(struct doc_table *t, json_t *host, struct strbuf *v)
{
	json_t *cpu = json_object_get(host, "cpu");

	strbuf_adds(v, jstr(cpu, "model_name"));
	strbuf_rtrim(v);
	strbuf_addf(v, " (%s, family %lld model %lld), %lld cores, %lld threads", jstr(cpu, "vendor"),
		    (long long)json_integer_value(json_object_get(cpu, "family")),
		    (long long)json_integer_value(json_object_get(cpu, "model")),
		    (long long)json_integer_value(json_object_get(cpu, "cores")),
		    (long long)json_integer_value(json_object_get(cpu, "threads")));
	row(t, "CPU", v);
	if (json_is_number(json_object_get(host, "memory_kib")))
		fmt_kib(v, json_number_value(json_object_get(host, "memory_kib")));
	if (json_array_size(json_object_get(host, "numa")))
		strbuf_addf(v, ", %zu NUMA node(s)", json_array_size(json_object_get(host, "numa")));
	row(t, "memory", v);
	strbuf_adds(v, jstr(host, "kernel"));
	row(t, "kernel", v);
	strbuf_adds(v, *jstr(host, "qemu") ? jstr(host, "qemu") : jstr(host, "qemu_version"));
	if (*jstr(host, "qemu_path"))
		strbuf_addf(v, " (%s)", jstr(host, "qemu_path"));
	row(t, "QEMU", v);
	strbuf_adds(v, jstr(host, "libvirt"));
	row(t, "libvirt", v);
}

static void accel(struct doc_table *t, const struct rs_run *r, struct strbuf *v)
{
	json_t *a = json_object_get(r->json, "accel"), *kvm = json_object_get(json_object_get(r->json, "host"), "kvm");

	strbuf_adds(v, *jstr(a, "name") ? jstr(a, "name") : "?");
	if (*jstr(a, "reason"))
		strbuf_addf(v, " (%s)", jstr(a, "reason"));
	if (json_is_boolean(json_object_get(kvm, "kvm_usable")))
		strbuf_addf(v, "; KVM usable: %s", json_is_true(json_object_get(kvm, "kvm_usable")) ? "yes" : "no");
	if (*jstr(kvm, "kvm_reason"))
		strbuf_addf(v, " (%s)", jstr(kvm, "kvm_reason"));
	row(t, "accelerator", v);
}

static void memory_settings(struct doc_table *t, json_t *host, struct strbuf *v)
{
	json_t *h;
	size_t i;

	scalars(json_object_get(host, "ksm"), "", v);
	row(t, "KSM", v);
	scalars(json_object_get(host, "thp"), "", v);
	row(t, "THP", v);
	json_array_foreach(json_object_get(host, "hugetlb"), i, h)
		strbuf_addf(v, "%s%s: %lld pages (%lld free)", i ? "; " : "", jstr(h, "size"),
			    (long long)json_integer_value(json_object_get(h, "nr_hugepages")),
			    (long long)json_integer_value(json_object_get(h, "free_hugepages")));
	row(t, "hugetlb", v);
	scalars(json_object_get(host, "swap"), "", v);
	row(t, "swap and overcommit", v);
}

/* "ksm = 1, 0 (found 0); ..." over every run's applied knobs */
static void knobs(struct doc_table *t, const struct result_set *rs, struct strbuf *v)
{
	json_t *all = json_object(), *k, *vals;
	const char *key;

	for (size_t i = 0; i < rs->n; i++)
		json_object_foreach(json_object_get(rs->runs[i].json, "knobs"), key, k) {
			const char *val = jstr(k, "value");
			size_t j;
			json_t *x;

			if (!json_object_get(all, key))
				json_object_set_new(all, key, json_pack("{s:[],s:s}", "values", "previous",
									jstr(k, "previous")));
			vals = json_object_get(json_object_get(all, key), "values");
			json_array_foreach(vals, j, x)
				if (!strcmp(json_string_value(x), val))
					break;
			if (j == json_array_size(vals))
				json_array_append_new(vals, json_string(val));
		}
	json_object_foreach(all, key, k) {
		size_t j;
		json_t *x;

		strbuf_addf(v, "%s%s = ", v->len ? "; " : "", key);
		json_array_foreach(json_object_get(k, "values"), j, x)
			strbuf_addf(v, "%s%s", j ? ", " : "", json_string_value(x));
		strbuf_addf(v, " (found %s)", jstr(k, "previous"));
	}
	row(t, "knobs the runs set", v);
	json_decref(all);
}

static void differences(struct report_ctx *c)
{
	const struct result_set *rs = c->rs;

	for (int f = 0; f < HOST_NFIELDS; f++) {
		char *want = run_host_field(&rs->runs[0], host_field_names[f]);

		for (size_t i = 1; i < rs->n; i++) {
			char *got = run_host_field(&rs->runs[i], host_field_names[f]);
			int differs = strcmp(got, want) != 0;

			if (differs) {
				struct strbuf w = STRBUF_INIT;

				strbuf_addf(&w, "Warning: host %s differs between runs: '%s' (%s) vs '%s' (%s).",
					    host_field_names[f], want, rs->runs[0].dir, got, rs->runs[i].dir);
				doc_para(c->d, "warning", w.buf);
				strbuf_release(&w);
			}
			free(got);
			if (differs)
				break;
		}
		free(want);
	}
}

/* host object -> one row per field, dotted keys */
static void flatten(json_t *v, const char *prefix, struct doc_table *t, size_t *n)
{
	const char *key;
	json_t *sub;

	if (json_is_object(v)) {
		json_object_foreach(v, key, sub) {
			struct strbuf p = STRBUF_INIT;

			strbuf_addf(&p, "%s%s%s", prefix, *prefix ? "." : "", key);
			flatten(sub, p.buf, t, n);
			strbuf_release(&p);
		}
		return;
	}
	{
		struct strbuf s = STRBUF_INIT;

		scalar(v, &s);
		dt_cell(t, DT_KEY, prefix);
		dt_cell(t, 0, s.buf ? s.buf : "");
		dt_row(t);
		strbuf_release(&s);
		(*n)++;
	}
}

void report_host(struct report_ctx *c)
{
	struct doc_table t = DOC_TABLE_INIT, all = DOC_TABLE_INIT;
	struct strbuf v = STRBUF_INIT, sum = STRBUF_INIT;
	const struct rs_run *r;
	json_t *host;
	size_t n = 0;

	if (!c->rs->n)
		return;
	r = &c->rs->runs[0];
	host = json_object_get(r->json, "host");
	doc_section(c->d, "host", "Host");
	dt_cell(&t, 0, "");
	dt_cell(&t, 0, "host fingerprint (first run)");
	dt_row(&t);
	cpu_memory(&t, host, &v);
	accel(&t, r, &v);
	memory_settings(&t, host, &v);
	knobs(&t, c->rs, &v);
	dt_emit(c->d, &t, "host");
	differences(c);
	dt_cell(&all, 0, "field");
	dt_cell(&all, 0, "value");
	dt_row(&all);
	flatten(host, "", &all, &n);
	strbuf_addf(&sum, "Every host field of the first run (%zu)", n);
	doc_details(c->d, sum.buf);
	dt_emit(c->d, &all, "fields");
	doc_details_end(c->d);
	strbuf_release(&v);
	strbuf_release(&sum);
}
