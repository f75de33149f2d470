/* report-results.c — see report-results.h. */
#include "reports/report-results.h"
#include "reports/fmt.h"
#include "reports/headline.h"
#include "reports/plot-bars.h"

#include <string.h>

/* "host.ksm = on, off; guest.g.backing = anonymous, hugetlb-2M" */
static void matrix_axes(const struct result_set *rs, struct strbuf *out)
{
	json_t *keys = json_object(), *v, *seen;
	const char *key, *val;

	for (size_t i = 0; i < rs->n; i++)
		json_object_foreach(json_object_get(rs->runs[i].json, "matrix"), key, v) {
			char *s = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

			if (!json_object_get(keys, key))
				json_object_set_new(keys, key, json_array());
			seen = json_object_get(keys, key);
			val = s ? s : json_string_value(v);
			for (size_t k = 0; k <= json_array_size(seen); k++)
				if (k == json_array_size(seen)) {
					json_array_append_new(seen, json_string(val ? val : ""));
					break;
				} else if (!strcmp(json_string_value(json_array_get(seen, k)), val ? val : "")) {
					break;
				}
			free(s);
		}
	json_object_foreach(keys, key, seen) {
		strbuf_addf(out, "%s%s = ", out->len ? "; " : "", key);
		for (size_t k = 0; k < json_array_size(seen); k++)
			strbuf_addf(out, "%s%s", k ? ", " : "", json_string_value(json_array_get(seen, k)));
	}
	json_decref(keys);
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

/* Where it ran: accelerator and why, backend, quick, the host in brief. */
static void where(const struct rs_run *r, struct strbuf *sb)
{
	json_t *accel = json_object_get(r->json, "accel"), *host = json_object_get(r->json, "host");
	json_t *cpu = json_object_get(host, "cpu");

	strbuf_addf(sb, "Accelerator %s", *jstr(accel, "name") ? jstr(accel, "name") : "?");
	if (*jstr(accel, "reason"))
		strbuf_addf(sb, " (%s)", jstr(accel, "reason"));
	strbuf_addf(sb, ", backend %s%s. Host: %s", *jstr(r->json, "backend") ? jstr(r->json, "backend") : "?",
		    json_is_true(json_object_get(r->json, "quick")) ? ", quick mode" : "",
		    *jstr(cpu, "model_name") ? jstr(cpu, "model_name") : "CPU ?");
	strbuf_rtrim(sb);
	if (json_is_integer(json_object_get(cpu, "cores")))
		strbuf_addf(sb, ", %lld cores", (long long)json_integer_value(json_object_get(cpu, "cores")));
	if (json_is_number(json_object_get(host, "memory_kib"))) {
		strbuf_adds(sb, ", ");
		fmt_kib(sb, json_number_value(json_object_get(host, "memory_kib")));
	}
	if (*jstr(host, "kernel"))
		strbuf_addf(sb, ", kernel %s", jstr(host, "kernel"));
	if (*jstr(host, "qemu_version"))
		strbuf_addf(sb, ", QEMU %s", jstr(host, "qemu_version"));
	strbuf_adds(sb, ".");
}

static void context(struct report_ctx *c)
{
	const struct result_set *rs = c->rs;
	struct strbuf sb = STRBUF_INIT, axes = STRBUF_INIT;
	size_t complete = 0, failed = 0;

	if (c->opts && c->opts->description && *c->opts->description) {
		strbuf_addf(&sb, "%s: %s", rs->n ? rs->runs[0].scenario : "", c->opts->description);
		doc_para(c->d, "question", sb.buf);
		strbuf_reset(&sb);
	}
	for (size_t i = 0; i < rs->n; i++) {
		complete += run_is_complete(&rs->runs[i]);
		failed += !strcmp(rs->runs[i].status, "failed");
	}
	matrix_axes(rs, &axes);
	strbuf_addf(&sb, "%zu run(s) in %zu matrix cell(s)%s%s%s: %zu complete, %zu failed, "
		    "%zu incomplete. ", rs->n, c->cs->n, axes.len ? " (" : "", axes.buf ? axes.buf : "",
		    axes.len ? ")" : "", complete, failed, rs->n - complete - failed);
	if (rs->n)
		where(&rs->runs[c->cs->n ? c->cs->c[0].first : 0], &sb);
	doc_para(c->d, "context", sb.buf);
	strbuf_release(&sb);
	strbuf_release(&axes);
}

static void header(struct doc_table *t, const struct cells *cs, size_t from, size_t to)
{
	dt_cell(t, 0, "metric");
	dt_cell(t, 0, "unit");
	for (size_t i = from; i < to; i++) {
		struct strbuf h = STRBUF_INIT;

		cells_heading(cs, i, &h);
		dt_cell(t, DT_NUM, h.buf);
		strbuf_release(&h);
	}
	dt_row(t);
}

/* One value: "698 ± 120 (n=3)", "missing (n=0 of 2)", "0 of 2". */
static unsigned value(const struct hl_row *row, const struct hl_val *v, const struct cell_col *cc,
		      double div, struct strbuf *sb)
{
	if (row->kind == HL_COUNT) {
		if (!v->want) {
			strbuf_adds(sb, "no run");
			return DT_NUM | DT_MISSING;
		}
		strbuf_addf(sb, "%.0f of %zu", v->nv ? v->v[0] : 0, v->want);
		return DT_NUM;
	}
	if (!v->nv) {
		if (!cc->complete)
			strbuf_adds(sb, "missing (no complete run)");
		else if (v->reason)
			strbuf_addf(sb, "missing (n=0 of %zu): %s", v->want, v->reason);
		else
			strbuf_addf(sb, "missing (n=0 of %zu)", v->want);
		return DT_NUM | DT_MISSING;
	}
	fmt_mean_sd(sb, v->s.mean, v->s.sd, v->s.n, div);
	strbuf_addf(sb, " (n=%zu", v->nv);
	if (v->want > v->nv)
		strbuf_addf(sb, " of %zu", v->want);
	strbuf_adds(sb, ")");
	return DT_NUM | (v->want > v->nv ? DT_MISSING : 0);
}

/* The cells from..to of every row. */
static void table(struct report_ctx *c, const struct headline *h, size_t from, size_t to)
{
	struct doc_table t = DOC_TABLE_INIT;
	struct strbuf sb = STRBUF_INIT;

	if (from || to < h->ncells) {
		char a[4], b[4];

		cells_letter(from, a);
		cells_letter(to - 1, b);
		strbuf_addf(&sb, "Cells %s to %s of %zu:", a, b, h->ncells);
		doc_para(c->d, "note", sb.buf);
	}
	header(&t, c->cs, from, to);
	for (size_t i = 0; i < h->n; i++) {
		const struct hl_row *row = &h->rows[i];
		double div;
		const char *unit = headline_unit(h, row, &div);

		dt_cell(&t, DT_KEY, row->label);
		dt_cell(&t, 0, unit);
		for (size_t k = from; k < to; k++) {
			unsigned flags;

			strbuf_reset(&sb);
			flags = value(row, &row->val[k], &c->cs->c[k], div, &sb);
			dt_cell(&t, flags | ((long)k == row->best ? DT_BEST : 0), sb.buf);
		}
		dt_row(&t);
	}
	dt_emit(c->d, &t, "results");
	strbuf_release(&sb);
}

static void notes(struct report_ctx *c, const struct headline *h)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "Mean ± sd over the guests of a group (NAME-*) in every complete run of the "
			 "cell; n counts them, against the values expected when some are missing. "
			 "★ marks the best mean of a row in the metric's better direction when it "
			 "leads the next by more than 1 % (means within each other's sd are no "
			 "significant difference: ocbench compare tests that). ");
	if (h->from_scenario)
		strbuf_adds(&sb, "Metrics: the scenario's [report] headline.");
	else
		strbuf_adds(&sb, "Metrics: the default headline (the scenario has no [report] headline).");
	if (h->from_scenario && h->unmatched.len)
		strbuf_addf(&sb, " Not recorded by these runs (some metrics are written only when "
			    "it happens, e.g. balloon_reached_pct of a balloon that stopped short): %s.",
			    h->unmatched.buf);
	doc_para(c->d, "note", sb.buf);
	strbuf_release(&sb);
}

/* Runs whose timeline ran late (an action > 1 s after its time, because
 * an earlier one overran): their actions were not where the scenario put
 * them, which a reader of the figures must know before comparing cells. */
static void late_warning(struct report_ctx *c)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	for (size_t i = 0; i < c->rs->n; i++) {
		const struct rs_run *r = &c->rs->runs[i];
		const struct rs_metric *m = run_metric(r, "timeline_late_max_ms");

		if (!m || m->value <= 1000.0)
			continue;
		strbuf_addf(&sb, "%s%s (%s%s%s) %.1f s", n++ ? ", " : "", r->run_id ? r->run_id : r->dir,
			    r->cell[0] ? r->cell : "", r->cell[0] ? ", " : "", r->status, m->value / 1000.0);
	}
	if (n) {
		struct strbuf msg = STRBUF_INIT;

		strbuf_addf(&msg, "Warning: in %zu run(s) an action of the timeline started more than 1 s "
			    "after its time, because an action before it ran past it (the latest, per run: "
			    "%s). Compare their timings with care.", n, sb.buf);
		doc_para(c->d, "warning", msg.buf);
		strbuf_release(&msg);
	}
	strbuf_release(&sb);
}

int report_results(struct report_ctx *c)
{
	struct headline h;
	int r;

	doc_section(c->d, "results", "Results");
	context(c);
	late_warning(c);
	headline_build(c->rs, c->cs, c->opts ? c->opts->headline : NULL, &h);
	if (!h.n)
		doc_para(c->d, NULL, "No headline metric: no complete run recorded one.");
	for (size_t k = 0; h.n && k < h.ncells; k += REPORT_CELLS_PER_TABLE)
		table(c, &h, k, k + REPORT_CELLS_PER_TABLE < h.ncells ? k + REPORT_CELLS_PER_TABLE
								     : h.ncells);
	notes(c, &h);
	r = plot_headline(c->outdir, "results-bars", &h, c->cs);
	if (r > 0)
		doc_figure(c->d, "results-bars", "The first headline metrics: mean ± sd per matrix cell");
	headline_release(&h);
	return r < 0 ? -1 : 0;
}
