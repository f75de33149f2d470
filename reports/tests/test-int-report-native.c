/* Integration test: report and compare over runs of the real workload
 * programs, run natively (`ocbench run --native`: on this host, no guest
 * boots, no host knob changes; reports/tests/scenarios/report-native.ini
 * has no [host] and no host_memory_limit).  Two sets of 2 cells x 2
 * repeats:
 *   - the report answers first (Results after the title, the scenario's
 *     [report] headline as its rows, one column per cell), has the
 *     workloads' latency (table, percentiles, CDF) from their own
 *     workload.json, pressure's latency over time in the timeline, and no
 *     panel with more than 8 series;
 *   - compare in every format, the HTML one with its verdict first.  The
 *     verdicts must not hang on this host's noise (2 + 2 repeats of
 *     memlat can land either side of a limit), so each is forced by the
 *     evidence itself: the second set has 1 repeat, which cannot be
 *     judged (inconclusive, exit 3; 0 with --allow-inconclusive), and a
 *     set compared with itself changes nothing (OK, exit 0).
 * Needs gnuplot (skips without). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness/tests/int-util.h"
#include "report-fixture.h"

#define SCENARIO "reports/tests/scenarios/report-native.ini"
#define KSM_SAVED_ROW "| ksm\\_saved\\_"	/* ksm_saved_..., as report.md escapes it */

static char sets[2][1024];

/* `ocbench run --native SCENARIO`: the index directory it wrote. */
static void native_set(const char *name, const char *repeat, char *root, size_t len, char *index,
		       size_t ilen)
{
	const char *args[] = { "run", "--native", SCENARIO, "--repeat", repeat, NULL };
	struct strbuf log = STRBUF_INIT;
	DIR *d;
	struct dirent *e;

	assert_int_equal(int_run_fresh(name, args, root, len, &log), 0);
	d = opendir(root);
	assert_non_null(d);
	index[0] = '\0';
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "report-native-", 14))
			snprintf(index, ilen, "%s/%s", root, e->d_name);
	closedir(d);
	assert_true(index[0] != '\0');
	strbuf_release(&log);
}

static int setup(void **state)
{
	char root[1024];

	(void)state;
	if (tmpdir_setup(state) < 0)
		return -1;
	native_set("report-native-a", "2", root, sizeof(root), sets[0], sizeof(sets[0]));
	native_set("report-native-b", "1", root, sizeof(root), sets[1], sizeof(sets[1]));
	return 0;
}

static void has(const struct strbuf *sb, const char *what, const char *text)
{
	if (!strstr(sb->buf, text))
		fail_msg("%s: expected '%s'", what, text);
}

/* The MiB the host's KSM showed saved during the first set's runs (the
 * largest ksm_saved_mib).  KSM is host-wide: a native run reads counters
 * no run of it moves, and with KSM stopped (run = 0) pages merged for
 * guests that have exited since stay counted until ksmd runs again, so
 * after other tests the runs can show savings that are not theirs. */
static double host_ksm_saved_mib(void)
{
	char dir[1200];
	double most = 0;

	for (int i = 1;; i++) {
		json_t *doc;

		snprintf(dir, sizeof(dir), "%s/run-%03d", sets[0], i);
		if (!path_exists(dir))
			break;
		doc = int_load_json(dir, "run.json");
		if (int_metric(doc, "ksm_saved_mib") > most)
			most = int_metric(doc, "ksm_saved_mib");
		json_decref(doc);
	}
	return most;
}

static void test_report(void **state)
{
	struct strbuf out = STRBUF_INIT, p = STRBUF_INIT, html = STRBUF_INIT, md = STRBUF_INIT;
	const char *h, *ksm_at, *ksm_end;
	double host_ksm;

	(void)state;
	report_need_gnuplot();
	strbuf_addf(&out, "%s/report", tmpdir);
	assert_int_equal(report_run(sets[0], out.buf), 0);
	strbuf_addf(&p, "%s/index.html", out.buf);
	assert_int_equal(read_file(p.buf, &html), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/report.md", out.buf);
	assert_int_equal(read_file(p.buf, &md), 0);
	print_message("%s", md.buf);
	h = strstr(html.buf, "</h1>\n");
	assert_non_null(h);
	assert_int_equal(strncmp(h, "</h1>\n<section id=\"results\">", 28), 0);
	/* the scenario's headline, real numbers in both cells */
	has(&md, "report.md", "| metric | unit | A: guest.lat.workload=memlat --size 16M --duration 300ms "
			      "--thp on | B: guest.lat.workload=memlat --size 16M --duration 300ms --thp off |");
	has(&md, "report.md", "| lat-\\*: memlat access latency p50 | ");
	has(&md, "report.md", "| press-\\*: pressure access latency p99 | ");
	has(&md, "report.md", "| workloads not ok (failed, killed or no result) | workloads | 0 of 6 | 0 of 6 |");
	/* KSM's figures are the host's (host_ksm_saved_mib): when it showed
	 * savings, the report has a KSM cost section, whose per-CPU-second
	 * figure is missing with ksmd idle; without, no KSM trade-off */
	host_ksm = host_ksm_saved_mib();
	ksm_at = strstr(md.buf, "## KSM cost vs benefit");
	ksm_end = ksm_at ? strstr(ksm_at + 1, "\n## ") : NULL;
	if (host_ksm > 0) {
		print_message("the host's KSM showed %.1f MiB saved during the runs (not theirs)\n", host_ksm);
		assert_non_null(ksm_at);
	} else {
		assert_null(ksm_at);
	}
	/* no value of these runs is missing, but for KSM's cost metrics:
	 * host-wide, they are measured whenever ksmd ran during a run (any
	 * process on the host may give it work), missing with the reason
	 * when it did not, so a native run's set can hold both; and inside
	 * the KSM cost section when the host showed savings */
	for (const char *m = strstr(md.buf, "| missing"); m; m = strstr(m + 1, "| missing")) {
		const char *bol = m;
		int len;

		while (bol > md.buf && bol[-1] != '\n')
			bol--;
		len = (int)(strchrnul(m, '\n') - bol);	/* the whole row */
		print_message("missing: %.*s\n", len, bol);
		if (ksm_at && m > ksm_at && (!ksm_end || m < ksm_end))
			continue;
		if (strncmp(bol, KSM_SAVED_ROW, sizeof(KSM_SAVED_ROW) - 1) || strncmp(m, "| missing: ", 11))
			fail_msg("report.md: a value is missing: %.*s", len, bol);
	}
	/* the workloads' own histograms: table and figures */
	has(&md, "report.md", "| lat-\\* memlat access (");
	has(&md, "report.md", "| press-\\* pressure alloc\\_first (");
	has(&html, "index.html", "id=\"fig-latency-percentiles\"");
	has(&html, "index.html", "id=\"fig-latency-cdf\"");
	/* pressure --interval: latency over time on the run's clock */
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/gnuplot/timeline-1.gp", out.buf);
	strbuf_reset(&html);
	assert_int_equal(read_file(p.buf, &html), 0);
	has(&html, "timeline-1.gp", "title 'press-1 pressure ns_per_access'");
	has(&html, "timeline-1.gp", "title 'press-2 pressure ns_per_access'");
	assert_true(check_scripts(out.buf) <= PLOT_MAX_SERIES);
	strbuf_release(&out);
	strbuf_release(&p);
	strbuf_release(&html);
	strbuf_release(&md);
}

/* `ocbench compare A B --format FMT [EXTRA]`: its exit code and output. */
static int compare_sets(const char *cand, const char *fmt, const char *extra, struct strbuf *out)
{
	const char *args[] = { "compare", sets[0], cand, "--format", fmt, extra, NULL };
	struct strbuf log = STRBUF_INIT;
	int rc;

	strbuf_addf(&log, "%s/compare-%s%s.log", tmpdir, fmt, cand == sets[0] ? "-self" : "");
	strbuf_reset(out);
	rc = int_run(log.buf, out, args);
	strbuf_release(&log);
	return rc;
}

/* Baseline (2 repeats) against the 1-repeat candidate. */
static int compare(const char *fmt, const char *extra, struct strbuf *out)
{
	return compare_sets(sets[1], fmt, extra, out);
}

static void test_compare(void **state)
{
	struct strbuf out = STRBUF_INIT;
	const char *v, *m;

	(void)state;
	assert_int_equal(compare("text", NULL, &out), 3);
	has(&out, "compare text", "verdict: INCONCLUSIVE (exit 3)");
	has(&out, "compare text", "lat-1.memlat.ns_per_access");
	has(&out, "compare text", "too few repeats (2 baseline, 1 candidate; need >= 2 each)");
	/* the same runs on both sides: every gated metric unchanged */
	assert_int_equal(compare_sets(sets[0], "text", NULL, &out), 0);
	has(&out, "compare self", "verdict: OK (exit 0): no regression in ");
	assert_null(strstr(out.buf, "inconclusive:"));
	assert_int_equal(compare("md", NULL, &out), 3);
	has(&out, "compare md", "**verdict: INCONCLUSIVE (exit 3)");
	assert_int_equal(compare("json", NULL, &out), 3);
	has(&out, "compare json", "\"verdict\": \"inconclusive\"");
	assert_int_equal(compare("html", "--allow-inconclusive", &out), 0);
	v = strstr(out.buf, "<section id=\"verdict\" class=\"verdict v-inconclusive\">");
	m = strstr(out.buf, "<section id=\"metrics\">");
	assert_non_null(v);
	assert_non_null(m);
	assert_true(v < m);
	has(&out, "compare html", "<td>press-2.pressure.access_ns_p99</td>");
	has(&out, "compare html", "<div class=\"bar\"");
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_compare),
	};

	return cmocka_run_group_tests_name("integration: report and compare of native runs", tests,
					   setup, tmpdir_teardown);
}
