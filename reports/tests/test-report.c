/* Unit tests of `ocbench report` (needs gnuplot; skips without):
 *   - a synthetic sweep: every file and figure written, the sections in
 *     order (Results first, Harness overhead last) in HTML and Markdown,
 *     the headline table (cells as columns, the best marked, missing
 *     values shown as missing), latency from workload.json in the
 *     workloads' own schema, the host in one table and a collapsed list;
 *   - the scenario's [report] headline, read from the file run.json names;
 *   - a crowded set (10 cells, 6 guests, 4 actions at one moment): every
 *     panel of every gnuplot script holds at most 8 series, each in its
 *     own colour; labels of the action strip in rows of their own;
 *   - real workload programs (pressure, memlat) run natively: their
 *     histograms and latency series reach the report;
 *   - usage errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/report.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "report-fixture.h"

#define NBSP "\xc2\xa0"

static long file_size(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;
	long n;

	strbuf_addf(&p, "%s/%s", dir, name);
	n = stat(p.buf, &st) == 0 ? (long)st.st_size : -1;
	strbuf_release(&p);
	return n;
}

static void slurp(const char *dir, const char *name, struct strbuf *sb)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_reset(sb);
	strbuf_addf(&p, "%s/%s", dir, name);
	if (read_file(p.buf, sb) < 0)
		fail_msg("cannot read %s", p.buf);
	strbuf_release(&p);
}

static void has(const struct strbuf *sb, const char *what, const char *text)
{
	if (!strstr(sb->buf, text))
		fail_msg("%s: expected '%s'", what, text);
}

/* The sections come in this order, Results right after the title. */
static void check_order(const struct strbuf *html, const struct strbuf *md)
{
	static const char *const id[] = { "results", "latency", "timelines", "metrics", "runs",
					  "host", "overhead" };
	static const char *const title[] = { "Results", "Latency", "Timelines", "Metrics", "Runs",
					     "Host", "Harness overhead" };
	const char *h = strstr(html->buf, "</h1>\n"), *m = strstr(md->buf, "\n\n## ");

	assert_non_null(h);
	assert_non_null(m);
	assert_int_equal(strncmp(h, "</h1>\n<section id=\"results\">\n<h2>Results</h2>", 45), 0);
	assert_int_equal(strncmp(m, "\n\n## Results\n", 13), 0);
	for (size_t i = 0; i < sizeof(id) / sizeof(id[0]); i++) {
		char want[96];
		const char *at;

		snprintf(want, sizeof(want), "<section id=\"%s\">", id[i]);
		at = strstr(h, want);
		if (!at)
			fail_msg("index.html: section %s missing or out of order", id[i]);
		h = at;
		snprintf(want, sizeof(want), "\n## %s\n", title[i]);
		at = strstr(m, want);
		if (!at)
			fail_msg("report.md: section %s missing or out of order", title[i]);
		m = at;
	}
}

static void check_figures(const char *out, const struct strbuf *html, const struct strbuf *md)
{
	static const char *const figs[] = { "results-bars", "latency-percentiles", "latency-cdf",
					    "timeline-1", "timeline-2", "ksm-merged" };
	struct strbuf p = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		static const char *const ext[] = { "svg", "png" };

		for (int e = 0; e < 2; e++) {
			strbuf_reset(&p);
			strbuf_addf(&p, "%s.%s", figs[i], ext[e]);
			if (file_size(out, p.buf) <= 1000)
				fail_msg("%s/%s missing or empty", out, p.buf);
		}
		strbuf_reset(&p);
		strbuf_addf(&p, "gnuplot/%s.gp", figs[i]);
		assert_true(file_size(out, p.buf) > 0);
		strbuf_reset(&p);
		strbuf_addf(&p, "<img src=\"%s.svg\"", figs[i]);
		has(html, "index.html", p.buf);
		strbuf_reset(&p);
		strbuf_addf(&p, "(%s.png)", figs[i]);
		has(md, "report.md", p.buf);
	}
	assert_true(file_size(out, "timeline-3.svg") < 0);	/* one per cell */
	strbuf_release(&p);
}

static void test_report_files(void **state)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT, html = STRBUF_INIT, md = STRBUF_INIT,
		      gp = STRBUF_INIT;

	(void)state;
	report_need_gnuplot();
	strbuf_addf(&in, "%s/sweep", tmpdir);
	strbuf_addf(&out, "%s/out", tmpdir);
	report_fixture(in.buf);
	assert_int_equal(report_run(in.buf, out.buf), 0);
	slurp(out.buf, "index.html", &html);
	slurp(out.buf, "report.md", &md);
	check_order(&html, &md);
	check_figures(out.buf, &html, &md);

	/* the answer: cells as columns, the best marked, nothing averaged away */
	has(&md, "report.md", "| metric | unit | A: host.ksm=on | B: host.ksm=off |");
	has(&md, "report.md", "| guest-\\*: balloon\\_inflate\\_s | s | **★ 0.505" NBSP "±" NBSP
			      "0.0071 (n=2)** | 0.605" NBSP "±" NBSP "0.0071 (n=2) |");
	has(&md, "report.md", "| guest-\\*: balloon\\_reached\\_pct | % | 80 (n=1 of 2) | "
			      "missing (n=0 of 2) |");
	has(&md, "report.md", "| guest-\\*: pressure access latency p50 | ns | **★ 180" NBSP "±" NBSP
			      "0.71 (n=2)** | 220" NBSP "±" NBSP "0.71 (n=2) |");
	has(&md, "report.md", "| runs failed or incomplete | runs | 1 of 3 | 0 of 2 |");
	/* a value the run could not measure: missing, with the run's reason */
	has(&md, "report.md", "| ksm\\_settle\\_s | s | 4.5" NBSP "±" NBSP "0.71 (n=2) | missing (n=0 of 2): "
			      "KSM is off: nothing to settle |");
	has(&md, "report.md", "| ksm\\_settle\\_s | s | lower | 4.5" NBSP "±" NBSP "0.71 (n=2) | missing: KSM "
			      "is off: nothing to settle |");
	has(&md, "report.md", "| workloads not ok (failed, killed or no result) | workloads | 0 of 2 | 0 of 2 |");
	has(&html, "index.html", "<td class=\"num best\">★ 0.505");
	has(&html, "index.html", "<td class=\"num missing\">missing (n=0 of 2)</td>");
	/* a histogram without samples is no latency */
	assert_null(strstr(md.buf, "alloc\\_again"));
	/* latency per cell from workload.json's histograms */
	has(&md, "report.md", "| guest-\\* pressure access (ns) | host.ksm=on | 180" NBSP "±" NBSP "0.71 |");
	/* every gated metric in one table; the harness's own cost apart, last */
	has(&md, "report.md", "| guest-1.balloon\\_reached\\_pct | % | higher | 80 (n=1 of 2) | missing |");
	assert_true(strstr(md.buf, "sampler\\_cpu\\_pct") > strstr(md.buf, "## Harness overhead"));
	has(&md, "report.md", "| sampler\\_cpu\\_pct | % | measures ocbench itself");
	/* the host: one table, every field collapsed */
	has(&html, "index.html", "<th scope=\"row\">CPU</th><td>AMD EPYC (AuthenticAMD, family 25 model 1)");
	has(&html, "index.html", "<details><summary>Every host field of the first run (");
	has(&html, "index.html", "QEMU exited with status 1");	/* the failed run */
	has(&html, "index.html", "quickstart: One guest, balloon");	/* the scenario's question */
	assert_null(strstr(html.buf, "http://"));
	assert_null(strstr(html.buf, "https://"));

	/* the timeline: actions in the strip (free -m samplings are points),
	 * latency over time on the run's clock */
	slurp(out.buf, "gnuplot/timeline-1.gp", &gp);
	has(&gp, "timeline-1.gp", "'balloon guest-1 512M'");
	assert_null(strstr(gp.buf, "'free guest-1'"));
	has(&gp, "timeline-1.gp", "set xlabel 'time since the run started (s)'");
	has(&gp, "timeline-1.gp", "title 'guest-1 pressure ns_per_access'");
	has(&gp, "timeline-1.gp", "\n1.51 215\n");	/* 1.01 s + 0.5 s: 200 + 15 */
	assert_true(check_scripts(out.buf) <= PLOT_MAX_SERIES);

	strbuf_release(&in);
	strbuf_release(&out);
	strbuf_release(&html);
	strbuf_release(&md);
	strbuf_release(&gp);
}

/* The scenario's own [report] headline, from the file run.json names. */
static void test_headline_from_scenario(void **state)
{
	struct strbuf dir = STRBUF_INIT, sc = STRBUF_INIT, out = STRBUF_INIT, md = STRBUF_INIT;
	struct synth_opts o = SYNTH_OPTS_INIT;
	json_t *m = json_object();
	const char *a, *b, *c;

	(void)state;
	report_need_gnuplot();
	strbuf_addf(&sc, "%s/mine.ini", tmpdir);
	synth_file(tmpdir, "mine.ini",
		   "[scenario]\nname = mine\ndescription = does the settle time hold?\n"
		   "[guest guest]\nmemory = 1G\n[timeline]\n0s = free *\n"
		   "[report]\nheadline = ksm_settle_s, *.latency.*.p99, runs_failed, *.p99.9, no_such_metric\n");
	synth_metric(m, "ksm_settle_s", 4.5, "s", "lower");
	synth_metric(m, "guest-1.balloon_inflate_s", 0.5, "s", "lower");
	synth_metric(m, "timeline_late_max_ms", 2500, "ms", "lower");	/* 2.5 s late */
	o.scenario = "mine";
	o.series = 1;
	o.scenario_file = sc.buf;
	strbuf_addf(&dir, "%s/mine-run", tmpdir);
	synth_run_opts(dir.buf, &o, m);
	strbuf_addf(&out, "%s/mine-report", tmpdir);
	assert_int_equal(report_run(dir.buf, out.buf), 0);
	slurp(out.buf, "report.md", &md);
	has(&md, "report.md", "mine: does the settle time hold?");
	a = strstr(md.buf, "| ksm\\_settle\\_s | s | 4.5 (n=1) |");
	b = strstr(md.buf, "| guest-\\*: pressure access latency p99 | ns | 940 (n=1) |");
	c = strstr(md.buf, "| runs failed or incomplete | runs | 0 of 1 |");
	assert_true(a && b && c && a < b && b < c);
	/* a percentile with a dot in its name, beside its histogram's p99 */
	has(&md, "report.md", "| guest-\\*: pressure access latency p99 | ns | 940 (n=1) |\n"
			      "| guest-\\*: pressure access latency p99.9 | µs | 4.04 (n=1) |\n"
			      "| runs failed");
	/* only what the scenario named */
	assert_null(strstr(md.buf, "| guest-\\*: balloon\\_inflate\\_s |"));
	has(&md, "report.md", "the scenario's \\[report\\] headline");
	has(&md, "report.md", "no\\_such\\_metric.");
	/* a run whose timeline ran late says so before anything is compared */
	has(&md, "report.md", "Warning: in 1 run(s) an action of the timeline started more than 1 s");
	has(&md, "report.md", ") 2.5 s).");
	strbuf_release(&dir);
	strbuf_release(&sc);
	strbuf_release(&out);
	strbuf_release(&md);
}


static void test_figures_crowded(void **state)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT, gp = STRBUF_INIT, md = STRBUF_INIT;

	(void)state;
	report_need_gnuplot();
	strbuf_addf(&in, "%s/crowd", tmpdir);
	strbuf_addf(&out, "%s/crowd-report", tmpdir);
	crowd_fixture(in.buf);
	assert_int_equal(report_run(in.buf, out.buf), 0);
	/* 8 series at most in any panel, and the cells beyond say so */
	assert_int_equal(check_scripts(out.buf), PLOT_MAX_SERIES);
	slurp(out.buf, "gnuplot/results-bars.gp", &gp);
	has(&gp, "results-bars.gp", "(first 8 cells)");
	/* a group of 3 guests x 4 quantities: one series per quantity */
	slurp(out.buf, "gnuplot/timeline-1.gp", &gp);
	has(&gp, "timeline-1.gp", "title 'balloon actual (every idle-*)'");
	has(&gp, "timeline-1.gp", "set title 'guests busy-* (3): memory'");
	/* the host against its cap, the busy guests' latency over time */
	has(&gp, "timeline-1.gp", "title 'cap (host_memory_limit) 2048 MiB'");
	has(&gp, "timeline-1.gp", "title 'cgroup memory usage'");
	has(&gp, "timeline-1.gp", "title 'busy-3 pressure ns_per_access'");
	/* four actions at one moment: three labels (free is a point), three rows */
	has(&gp, "timeline-1.gp", "'balloon idle-* 128M' at 3, 6 left");
	has(&gp, "timeline-1.gp", "'wait balloon idle-* timeout 30s' at 3.001, 5 left");
	has(&gp, "timeline-1.gp", "'workload busy-* start' at 3.002, 4 left");
	assert_null(strstr(gp.buf, "'free *' at"));
	has(&gp, "timeline-1.gp", "'busy-2: workload exited with 1' at 19");
	has(&gp, "timeline-1.gp", "tc rgb '#cc0000'");
	/* one timeline per cell, the tenth included */
	assert_true(file_size(out.buf, "timeline-10.svg") > 1000);
	slurp(out.buf, "report.md", &md);
	has(&md, "report.md", "| J: guest.busy.memory=1088M |");
	strbuf_release(&in);
	strbuf_release(&out);
	strbuf_release(&gp);
	strbuf_release(&md);
}

/* A run whose guests' workload.json came from the real programs. */
static void real_run(const char *dir)
{
	static const char *const press[] = { "pressure", "--size", "8M", "--profile",
					     "ramp:200ms,hold:300ms,release:100ms", "--interval", "50ms",
					     NULL };
	static const char *const lat[] = { "memlat", "--size", "2M", "--duration", "100ms", NULL };
	struct synth_opts o = SYNTH_OPTS_INIT;
	struct strbuf g = STRBUF_INIT, p = STRBUF_INIT;
	json_t *run;
	char *text;

	o.scenario = "real";
	synth_run_opts(dir, &o, json_object());
	strbuf_addf(&g, "%s/guests/press-1", dir);
	real_workload(g.buf, press);
	strbuf_reset(&g);
	strbuf_addf(&g, "%s/guests/lat-1", dir);
	real_workload(g.buf, lat);
	synth_file(dir, "events.jsonl",
		   "{\"t_ms\":100,\"type\":\"action\",\"action\":\"workload * start\"}\n"
		   "{\"t_ms\":110,\"type\":\"workload_start\",\"guest\":\"press-1\"}\n"
		   "{\"t_ms\":120,\"type\":\"workload_start\",\"guest\":\"lat-1\"}\n");
	strbuf_addf(&p, "%s/run.json", dir);
	run = json_load_file(p.buf, 0, NULL);
	json_object_set_new(run, "guests", json_pack("[{s:s,s:s},{s:s,s:s}]", "name", "press-1", "workload",
						     "pressure", "name", "lat-1", "workload", "memlat"));
	text = json_dumps(run, JSON_INDENT(2));
	synth_file(dir, "run.json", text);
	free(text);
	json_decref(run);
	strbuf_release(&g);
	strbuf_release(&p);
}

static void test_real_workloads(void **state)
{
	struct strbuf dir = STRBUF_INIT, out = STRBUF_INIT, md = STRBUF_INIT, gp = STRBUF_INIT;

	(void)state;
	report_need_gnuplot();
	strbuf_addf(&dir, "%s/real", tmpdir);
	strbuf_addf(&out, "%s/real-report", tmpdir);
	real_run(dir.buf);
	assert_int_equal(report_run(dir.buf, out.buf), 0);
	slurp(out.buf, "report.md", &md);
	/* both programs' latency: the headline, the table, the CDF */
	has(&md, "report.md", "| press-\\*: pressure access latency p50 |");
	has(&md, "report.md", "| lat-\\*: memlat access latency p99 |");
	has(&md, "report.md", "| press-\\* pressure alloc\\_first (");
	has(&md, "report.md", "| lat-\\* memlat access (");
	has(&md, "report.md", "](latency-cdf.png)");
	has(&md, "report.md", "| workloads not ok (failed, killed or no result) | workloads | 0 of 2 |");
	/* pressure's --interval series on the run's clock */
	slurp(out.buf, "gnuplot/timeline-1.gp", &gp);
	has(&gp, "timeline-1.gp", "title 'press-1 pressure ns_per_access'");
	assert_true(check_scripts(out.buf) <= PLOT_MAX_SERIES);
	strbuf_release(&dir);
	strbuf_release(&out);
	strbuf_release(&md);
	strbuf_release(&gp);
}

static void test_report_usage(void **state)
{
	char *argv[4] = { "report", "/nonexistent/ocbench-results", NULL, NULL };
	char *two[4] = { "report", "a", "b", NULL };

	(void)state;
	assert_int_equal(cmd_report(2, argv, NULL), 2);
	assert_int_equal(cmd_report(1, argv, NULL), 2);
	assert_int_equal(cmd_report(3, two, NULL), 2);	/* several inputs need -o */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_files),
		cmocka_unit_test(test_headline_from_scenario),
		cmocka_unit_test(test_figures_crowded),
		cmocka_unit_test(test_real_workloads),
		cmocka_unit_test(test_report_usage),
	};

	/* OCB_KEEP=1 keeps the reports (the path is printed) to look at */
	return cmocka_run_group_tests_name("report", tests, tmpdir_setup,
					   getenv("OCB_KEEP") ? NULL : tmpdir_teardown);
}
