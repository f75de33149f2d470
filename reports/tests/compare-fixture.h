/* compare-fixture.h — result sets for the compare tests (static: included
 * by test-compare.c and test-gate.c).
 *
 * A side is an index directory of runs as one `ocbench run --repeat N`
 * writes it: DIR/index.json and DIR/rK/run.json, every run.json saying
 * runs_requested = N.  Two metrics are under the test's control
 * (guest-1.latency_p99_ns, lower is better; guest-1.throughput_mib_s,
 * higher is better); the rest are what a quickstart run writes besides,
 * with small noise: boot time, QEMU RSS, and the informational sampler and
 * harness figures.  Failed runs carry only what a run that never booted
 * records (the harness's own figures).
 */
#ifndef OCB_TEST_COMPARE_FIXTURE_H
#define OCB_TEST_COMPARE_FIXTURE_H

#include "reports/compare.h"
#include "reports/compare-html.h"
#include "synth.h"

struct side {
	const char *scenario;
	const char *qemu;
	int n;				/* runs recorded */
	double lat_mean, lat_cv;	/* latency_ns: lower is better */
	double thr_mean, thr_cv;	/* throughput_mib_s: higher is better */
	const char *status_first;	/* status of repeat 0 (NULL: complete) */
	int drop_throughput;		/* in no run */
	/* failures and gaps */
	int failed;			/* the last `failed` runs failed */
	int requested;			/* runs_requested (0: n; -1: not written) */
	int thr_missing;		/* throughput absent from this many complete runs */
	/* like for like */
	const char *accel, *backend, *initrd, *knobs;
	int quick;
	/* informational */
	double sampler_cpu;		/* sampler_cpu_pct mean (0: 3 %) */
};

static const struct side base5 = { "quickstart", "7.2.22", 5, 1000, 0.02, 500, 0.02, NULL, 0,
				   0, 0, 0, NULL, NULL, NULL, NULL, 0, 0 };

static inline void side_metrics(json_t *m, const struct side *s, int i, double z, int complete)
{
	double cpu = s->sampler_cpu ? s->sampler_cpu : 3;

	synth_metric(m, "sampler_cpu_pct", cpu * (1 + 0.02 * z), "%", "lower");
	synth_metric(m, "sampler_busy_pct", 2.5, "%", "lower");
	synth_metric(m, "sampler_rows", 1200 + i, "rows", "higher");
	synth_metric(m, "harness_cpu_pct", 4.0 * (1 + 0.02 * z), "%", "lower");
	if (!complete)
		return;
	synth_metric(m, "guest-1.latency_p99_ns", s->lat_mean * (1 + s->lat_cv * z), "ns", "lower");
	if (!s->drop_throughput && i >= s->thr_missing)
		synth_metric(m, "guest-1.throughput_mib_s",
			     s->thr_mean * (1 + s->thr_cv * synth_z[(i + 2) % s->n]), "MiB/s", "higher");
	synth_metric(m, "guest-1.boot_s", 2.4 * (1 + 0.01 * z), "s", "lower");
	synth_metric(m, "qemu_rss_peak_mib", 2100 * (1 + 0.001 * z), "MiB", "lower");
}

/* A set of repeats as an index directory: DIR/index.json + DIR/r0.. */
static inline void make_set(const char *dir, const struct side *s, int zshift)
{
	char *names[16];
	struct strbuf run = STRBUF_INIT;

	for (int i = 0; i < s->n; i++) {
		struct synth_opts o = SYNTH_OPTS_INIT;
		json_t *m = json_object();
		int complete;

		o.scenario = s->scenario;
		o.repeat = i;
		o.runs_requested = s->requested < 0 ? 0 : s->requested ? s->requested : s->n;
		o.status = i == 0 && s->status_first ? s->status_first
			   : i >= s->n - s->failed ? "failed" : "complete";
		o.qemu_version = s->qemu;
		o.accel = s->accel;
		o.backend = s->backend;
		o.initrd_sha256 = s->initrd;
		o.knobs = s->knobs;
		o.quick = s->quick;
		complete = !strcmp(o.status, "complete");
		side_metrics(m, s, i, synth_z[(i + zshift) % s->n], complete);
		strbuf_reset(&run);
		strbuf_addf(&run, "%s/r%d", dir, i);
		synth_run_opts(run.buf, &o, m);
		names[i] = strdup(run.buf + strlen(dir) + 1);
	}
	synth_index(dir, s->scenario, names, (size_t)s->n);
	for (int i = 0; i < s->n; i++)
		free(names[i]);
	strbuf_release(&run);
}

static inline void show(const struct compare_result *res, const char *tag)
{
	struct strbuf text = STRBUF_INIT;

	compare_format_text(res, &text);
	printf("---- %s (exit %d)\n%s", tag, compare_exit_code(res), text.buf);
	strbuf_release(&text);
}

/* Compare b and c as DIR/TAG-base and DIR/TAG-cand; keeps res and both
 * sets for inspection (release them). */
static inline int compare_keep(const struct side *b, const struct side *c, const struct compare_opts *o,
			struct compare_result *res, struct result_set *bs, struct result_set *cs,
			const char *tag)
{
	struct strbuf bd = STRBUF_INIT, cd = STRBUF_INIT, md = STRBUF_INIT, html = STRBUF_INIT, w = STRBUF_INIT;
	const char *v;
	json_t *j;

	strbuf_addf(&bd, "%s/%s-base", tmpdir, tag);
	strbuf_addf(&cd, "%s/%s-cand", tmpdir, tag);
	make_set(bd.buf, b, 0);
	make_set(cd.buf, c, 1);
	assert_int_equal(resultset_load(bs, bd.buf, 0), 0);
	assert_int_equal(resultset_load(cs, cd.buf, 0), 0);
	assert_int_equal(compare_sets(bs, cs, o, res), 0);
	show(res, tag);
	/* every emitter works on every result, and all say the same exit */
	compare_format_md(res, &md);
	assert_non_null(strstr(md.buf, "verdict: "));
	j = compare_to_json(res);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "exit")), compare_exit_code(res));
	json_decref(j);
	/* the HTML page: the verdict first, before any runs or metrics */
	compare_format_html(res, &html);
	strbuf_addf(&w, "<h2>Verdict: %s (exit %d)</h2>", compare_verdict_word(res), compare_exit_code(res));
	v = strstr(html.buf, "<section id=\"verdict\"");
	assert_non_null(v);
	assert_non_null(strstr(v, w.buf));
	assert_null(memmem(html.buf, (size_t)(v - html.buf), "<table", 6));
	strbuf_release(&bd);
	strbuf_release(&cd);
	strbuf_release(&md);
	strbuf_release(&html);
	strbuf_release(&w);
	return compare_exit_code(res);
}

static inline void release3(struct compare_result *res, struct result_set *bs, struct result_set *cs)
{
	compare_release(res);
	resultset_release(bs);
	resultset_release(cs);
}

/* compare_keep, released at once: the exit code only */
static inline int compare_dirs(const struct side *b, const struct side *c, const struct compare_opts *o,
			const char *tag)
{
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct compare_result res;
	int code = compare_keep(b, c, o, &res, &bs, &cs, tag);

	release3(&res, &bs, &cs);
	return code;
}

static inline const struct compare_row *find_row(const struct compare_result *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->rows[i].name, name))
			return &r->rows[i];
	fail_msg("no row %s in the comparison", name);
	return NULL;
}

#endif
