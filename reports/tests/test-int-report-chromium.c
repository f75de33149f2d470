/* Integration test: reports opened in headless Chromium from file:// URLs.
 *
 * The report of a real run of a shipped scenario in quick mode
 * (scenarios/balloon-under-pressure.ini, run natively: its pressure
 * workload runs on this host, no guest boots, no host knob changes), and
 * of the crowded synthetic set (10 matrix cells, 6 guests).  For each, the
 * page's own script reports on <body> what the browser laid out, and the
 * test asserts: the first section after the title is Results; every image
 * loads; no element is wider than the window, with every <details> closed
 * and opened (#open-all), at 1280 and at 900 pixels; the latency figures
 * are there when the runs had workloads.  A screenshot of the first screen
 * is kept as $OCB_BUILD/report-screenshot.png.  Reports of the shipped
 * scenarios that `make check` ran (test-int-scenarios leaves them in
 * $OCB_BUILD/test-results) are checked the same way when they are there,
 * each with its screenshot ($OCB_BUILD/report-screenshot-SCENARIO.png).
 * Skips with the reason when Chromium or gnuplot is not installed
 * (ci/install-deps installs both). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/tests/int-util.h"
#include "util/error.h"
#include "report-fixture.h"

#define CHROMIUM_TIMEOUT_NS (120ull * 1000000000ull)

static struct strbuf browser = STRBUF_INIT;

static const char *build_dir(void)
{
	const char *b = getenv("OCB_BUILD");

	return b && *b ? b : "build";
}

static int setup(void **state)
{
	static const char *const names[] = { "chromium", "chromium-browser", "google-chrome", NULL };

	if (tmpdir_setup(state) < 0)
		return -1;
	for (int i = 0; names[i]; i++) {
		strbuf_reset(&browser);
		if (find_program(names[i], &browser) == 0)
			return 0;
	}
	strbuf_reset(&browser);
	return 0;
}

static int teardown(void **state)
{
	strbuf_release(&browser);
	return tmpdir_teardown(state);
}

static void need_tools(void)
{
	if (!browser.len) {
		printf("SKIP: chromium not installed (ci/install-deps installs it)\n");
		skip();
	}
	report_need_gnuplot();
}

/* Run the browser on url at a window size with one mode argument. */
static int browse(const char *size, const char *mode, const char *url, struct strbuf *out)
{
	struct strbuf ud = STRBUF_INIT, ws = STRBUF_INIT;
	int rc;

	strbuf_addf(&ud, "--user-data-dir=%s/chromium-profile", tmpdir);
	strbuf_addf(&ws, "--window-size=%s", size);
	{
		const char *argv[] = { browser.buf, "--headless", "--no-sandbox", "--disable-gpu",
				       "--disable-background-networking", "--disable-component-update",
				       "--disable-sync", "--no-first-run", "--hide-scrollbars", ud.buf,
				       ws.buf, "--virtual-time-budget=10000", mode, url, NULL };

		strbuf_reset(out);
		rc = run_capture(argv, out, CHROMIUM_TIMEOUT_NS);
	}
	if (rc != 0)
		printf("chromium %s failed (%d): %s\n%s\n", mode, rc, ocb_errmsg(), strbuf_str(out));
	strbuf_release(&ud);
	strbuf_release(&ws);
	return rc;
}

/* The value of <body data-NAME="..."> in a dumped DOM ("" when absent). */
static void body_attr(const struct strbuf *dom, const char *name, char *out, size_t len)
{
	char key[64];
	const char *p, *end;

	snprintf(key, sizeof(key), "data-%s=\"", name);
	out[0] = '\0';
	p = strstr(dom->buf, key);
	if (!p)
		return;
	p += strlen(key);
	end = strchr(p, '"');
	snprintf(out, len, "%.*s", end ? (int)(end - p) : 0, p);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* Open outdir/index.html at one window size (every <details> open when
 * open_all) and check what the page saw. */
static void check_layout(const char *outdir, const char *size, int open_all, int want_latency)
{
	struct strbuf url = STRBUF_INIT, dom = STRBUF_INIT, html = STRBUF_INIT, p = STRBUF_INIT;
	char v[512], total[32];

	strbuf_addf(&p, "%s/index.html", outdir);
	assert_int_equal(read_file(p.buf, &html), 0);
	strbuf_addf(&url, "file://%s/index.html%s", outdir, open_all ? "#open-all" : "");
	assert_int_equal(browse(size, "--dump-dom", url.buf, &dom), 0);
	body_attr(&dom, "report-ready", v, sizeof(v));
	if (strcmp(v, "ok"))
		fail_msg("%s at %s: not every image loaded (report-ready '%s'):\n%.3000s", outdir, size, v,
			 dom.buf);
	body_attr(&dom, "images-total", total, sizeof(total));
	assert_int_equal(atoi(total), (int)count(html.buf, "<img "));
	body_attr(&dom, "first-section", v, sizeof(v));
	if (strcmp(v, "results"))
		fail_msg("%s: the first section after the title is '%s', expected results", outdir, v);
	body_attr(&dom, "overflow", v, sizeof(v));
	if (strcmp(v, "0")) {
		char first[512];

		body_attr(&dom, "overflow-first", first, sizeof(first));
		fail_msg("%s at %s%s: %s element(s) wider than the window: %s", outdir, size,
			 open_all ? " (details open)" : "", v, first);
	}
	body_attr(&dom, "latency-figures", v, sizeof(v));
	if (want_latency && atoi(v) < 2)
		fail_msg("%s: the runs had workloads, but %s latency figure(s)", outdir, v);
	strbuf_release(&url);
	strbuf_release(&dom);
	strbuf_release(&html);
	strbuf_release(&p);
}

static void screenshot(const char *outdir, const char *name)
{
	struct strbuf url = STRBUF_INIT, shot = STRBUF_INIT, out = STRBUF_INIT;
	struct stat st;

	mkdir_p(build_dir(), 0755);
	strbuf_addf(&url, "file://%s/index.html", outdir);
	strbuf_addf(&shot, "--screenshot=%s/%s.png", build_dir(), name);
	assert_int_equal(browse("1280,900", shot.buf, url.buf, &out), 0);
	strbuf_reset(&shot);
	strbuf_addf(&shot, "%s/%s.png", build_dir(), name);
	assert_int_equal(stat(shot.buf, &st), 0);
	assert_true(st.st_size > 10000);
	printf("screenshot of the first screen: %s (%lld bytes)\n", shot.buf, (long long)st.st_size);
	strbuf_release(&url);
	strbuf_release(&shot);
	strbuf_release(&out);
}

static void check_report(const char *outdir, int want_latency)
{
	check_layout(outdir, "1280,900", 0, want_latency);
	check_layout(outdir, "1280,900", 1, want_latency);
	check_layout(outdir, "900,900", 1, want_latency);
}

/* The strictest of the three only (narrow, every <details> open: what
 * overflows closed or wide overflows here too), for the reports of
 * make check's runs: each browser start is seconds of make check. */
static void check_report_narrow(const char *outdir, int want_latency)
{
	check_layout(outdir, "900,900", 1, want_latency);
}

/* A shipped scenario, quick, run for real with --native. */
static void test_shipped_scenario(void **state)
{
	const char *args[] = { "run", "--native", "--quick", "scenarios/balloon-under-pressure.ini", NULL };
	struct strbuf out = STRBUF_INIT, dom = STRBUF_INIT, p = STRBUF_INIT, url = STRBUF_INIT;
	char root[1024];

	(void)state;
	need_tools();
	assert_int_equal(int_run_fresh("report-chromium", args, root, sizeof(root), NULL), 0);
	strbuf_addf(&out, "%s/report", tmpdir);
	assert_int_equal(report_run(root, out.buf), 0);
	check_report(out.buf, 1);
	screenshot(out.buf, "report-screenshot");

	/* the check can fail: with one image gone the page says "broken" */
	strbuf_addf(&p, "%s/latency-cdf.svg", out.buf);
	assert_int_equal(unlink(p.buf), 0);
	strbuf_addf(&url, "file://%s/index.html", out.buf);
	assert_int_equal(browse("1280,900", "--dump-dom", url.buf, &dom), 0);
	assert_non_null(strstr(dom.buf, "data-report-ready=\"broken\""));
	strbuf_release(&out);
	strbuf_release(&dom);
	strbuf_release(&p);
	strbuf_release(&url);
}

/* Ten cells with long labels, six guests: still nothing wider than the page. */
static void test_crowded(void **state)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;

	(void)state;
	need_tools();
	strbuf_addf(&in, "%s/crowd", tmpdir);
	strbuf_addf(&out, "%s/crowd-report", tmpdir);
	crowd_fixture(in.buf);
	assert_int_equal(report_run(in.buf, out.buf), 0);
	check_report(out.buf, 1);
	strbuf_release(&in);
	strbuf_release(&out);
}

/* The shipped scenarios' real runs left by `make check`, when there. */
static void test_runs_of_make_check(void **state)
{
	static const char *const scen[] = { "balloon-overcommit-6x2g", "ksm-identical-guests",
					    "thp-hugetlb", "quickstart" };
	struct strbuf pat = STRBUF_INIT, out = STRBUF_INIT, name = STRBUF_INIT;
	size_t found = 0;

	(void)state;
	need_tools();
	for (size_t i = 0; i < sizeof(scen) / sizeof(scen[0]); i++) {
		glob_t g;

		strbuf_reset(&pat);
		strbuf_addf(&pat, "%s/test-results/*/%s-*/index.json", build_dir(), scen[i]);
		if (glob(pat.buf, 0, NULL, &g) != 0)
			continue;
		/* the newest by time written: the names sort by the test's pid
		 * first, so a build tree with older runs would mislead a sort */
		size_t newest = 0;
		struct stat st;
		time_t t_newest = 0;

		for (size_t k = 0; k < g.gl_pathc; k++)
			if (stat(g.gl_pathv[k], &st) == 0 && st.st_mtime >= t_newest) {
				t_newest = st.st_mtime;
				newest = k;
			}
		strbuf_reset(&pat);
		strbuf_add(&pat, g.gl_pathv[newest], strlen(g.gl_pathv[newest]) - strlen("/index.json"));
		globfree(&g);
		strbuf_reset(&out);
		strbuf_addf(&out, "%s/%s-report", tmpdir, scen[i]);
		assert_int_equal(report_run(pat.buf, out.buf), 0);
		check_report_narrow(out.buf, strcmp(scen[i], "quickstart") && strcmp(scen[i], "ksm-identical-guests"));
		{
			/* the KSM trade-off where the scenario puts KSM in play (its
			 * absence without KSM is test-int-report-native's: here
			 * ksmd may have run for another test's guests meanwhile) */
			struct strbuf html = STRBUF_INIT, p = STRBUF_INIT;

			strbuf_addf(&p, "%s/index.html", out.buf);
			assert_int_equal(read_file(p.buf, &html), 0);
			if (!strcmp(scen[i], "ksm-identical-guests") && !strstr(html.buf, "KSM cost vs benefit"))
				fail_msg("%s: the KSM cost vs benefit section is missing", p.buf);
			strbuf_release(&html);
			strbuf_release(&p);
		}
		strbuf_reset(&name);
		strbuf_addf(&name, "report-screenshot-%s", scen[i]);
		screenshot(out.buf, name.buf);
		found++;
	}
	if (!found) {
		printf("SKIP: no run of a shipped scenario in %s/test-results (make check leaves them)\n",
		       build_dir());
		skip();
	}
	strbuf_release(&pat);
	strbuf_release(&out);
	strbuf_release(&name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_scenario),
		cmocka_unit_test(test_crowded),
		cmocka_unit_test(test_runs_of_make_check),
	};

	return cmocka_run_group_tests_name("report-chromium", tests, setup, teardown);
}
