/* Integration test: the HTML report opened in headless Chromium from a
 * file:// URL.  Every <img> must load (the report's inline script records
 * how many did on <body>), every figure element must be present, and a
 * screenshot is saved as $OCB_BUILD/report-screenshot.png.  Skips with the
 * reason when Chromium or gnuplot is not installed (ci/install-deps
 * installs both). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "report-fixture.h"

#define CHROMIUM_TIMEOUT_NS (120ull * 1000000000ull)


static int find_browser(struct strbuf *path)
{
	static const char *const names[] = { "chromium", "chromium-browser", "google-chrome", NULL };

	for (int i = 0; names[i]; i++) {
		strbuf_reset(path);
		if (find_program(names[i], path) == 0)
			return 0;
	}
	return -1;
}

/* Run the browser on url with one extra mode argument; output in out. */
static int browse(const char *browser, const char *mode, const char *url, struct strbuf *out)
{
	struct strbuf ud = STRBUF_INIT;
	int rc;

	strbuf_addf(&ud, "--user-data-dir=%s/chromium-profile", tmpdir);
	{
		const char *argv[] = { browser, "--headless", "--no-sandbox", "--disable-gpu",
				       "--disable-background-networking", "--disable-component-update",
				       "--disable-sync", "--no-first-run", ud.buf,
				       "--window-size=1200,2000", "--virtual-time-budget=10000",
				       mode, url, NULL };

		rc = run_capture(argv, out, CHROMIUM_TIMEOUT_NS);
	}
	if (rc != 0)
		printf("chromium %s failed (%d): %s\n%s\n", mode, rc, ocb_errmsg(), strbuf_str(out));
	strbuf_release(&ud);
	return rc;
}

static void test_report_in_chromium(void **state)
{
	static const char *const figs[] = { "timeline-1", "timeline-2", "latency-percentiles",
					    "latency-cdf", "ksm-merged" };
	struct strbuf browser = STRBUF_INIT, in = STRBUF_INIT, out = STRBUF_INIT,
		      url = STRBUF_INIT, dom = STRBUF_INIT, p = STRBUF_INIT, shot = STRBUF_INIT;
	const char *build = getenv("OCB_BUILD");
	struct stat st;

	(void)state;
	if (find_browser(&browser) < 0) {
		printf("SKIP: chromium not installed (ci/install-deps installs it)\n");
		skip();
	}
	report_need_gnuplot();
	strbuf_addf(&in, "%s/sweep", tmpdir);
	strbuf_addf(&out, "%s/report", tmpdir);
	report_fixture(in.buf);
	assert_int_equal(report_run(in.buf, out.buf), 0);
	strbuf_addf(&url, "file://%s/index.html", out.buf);

	assert_int_equal(browse(browser.buf, "--dump-dom", url.buf, &dom), 0);
	strbuf_addf(&p, "data-images-total=\"%zu\"", sizeof(figs) / sizeof(figs[0]));
	if (!strstr(dom.buf, p.buf) || !strstr(dom.buf, "data-report-ready=\"ok\""))
		fail_msg("not every image loaded:\n%.4000s", dom.buf);
	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "id=\"fig-%s\"", figs[i]);
		if (!strstr(dom.buf, p.buf))
			fail_msg("figure %s missing from the rendered page", figs[i]);
	}

	strbuf_addf(&shot, "--screenshot=%s/report-screenshot.png", build ? build : "build");
	mkdir_p(build ? build : "build", 0755);
	assert_int_equal(browse(browser.buf, shot.buf, url.buf, &p), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/report-screenshot.png", build ? build : "build");
	assert_int_equal(stat(p.buf, &st), 0);
	assert_true(st.st_size > 10000);
	printf("screenshot: %s (%lld bytes)\n", p.buf, (long long)st.st_size);

	/* the check can fail: with one image gone the page says "broken" */
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/ksm-merged.svg", out.buf);
	assert_int_equal(unlink(p.buf), 0);
	strbuf_reset(&dom);
	assert_int_equal(browse(browser.buf, "--dump-dom", url.buf, &dom), 0);
	assert_non_null(strstr(dom.buf, "data-report-ready=\"broken\""));

	strbuf_release(&browser);
	strbuf_release(&in);
	strbuf_release(&out);
	strbuf_release(&url);
	strbuf_release(&dom);
	strbuf_release(&p);
	strbuf_release(&shot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_in_chromium),
	};

	return cmocka_run_group_tests_name("report-chromium", tests, tmpdir_setup, tmpdir_teardown);
}
