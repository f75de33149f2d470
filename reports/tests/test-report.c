/* Unit tests: `ocbench report` writes index.html, report.md and non-empty
 * SVG/PNG figures for a synthetic sweep (needs gnuplot; skips without). */
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

static void test_report_files(void **state)
{
	static const char *const figs[] = { "timeline-1", "timeline-2", "latency-percentiles",
					    "latency-cdf", "ksm-merged" };
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT, html = STRBUF_INIT, md = STRBUF_INIT,
		      p = STRBUF_INIT;

	(void)state;
	report_need_gnuplot();
	strbuf_addf(&in, "%s/sweep", tmpdir);
	strbuf_addf(&out, "%s/out", tmpdir);
	report_fixture(in.buf);
	assert_int_equal(report_run(in.buf, out.buf), 0);

	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s.svg", figs[i]);
		if (file_size(out.buf, p.buf) <= 1000)
			fail_msg("%s/%s missing or empty", out.buf, p.buf);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s.png", figs[i]);
		if (file_size(out.buf, p.buf) <= 1000)
			fail_msg("%s/%s missing or empty", out.buf, p.buf);
		strbuf_reset(&p);
		strbuf_addf(&p, "gnuplot/%s.gp", figs[i]);
		assert_true(file_size(out.buf, p.buf) > 0);
	}
	assert_true(file_size(out.buf, "timeline-3.svg") < 0);	/* one per cell */

	strbuf_reset(&p);
	strbuf_addf(&p, "%s/index.html", out.buf);
	assert_int_equal(read_file(p.buf, &html), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/report.md", out.buf);
	assert_int_equal(read_file(p.buf, &md), 0);
	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "<img src=\"%s.svg\"", figs[i]);
		assert_non_null(strstr(html.buf, p.buf));
		strbuf_reset(&p);
		strbuf_addf(&p, "(%s.png)", figs[i]);
		assert_non_null(strstr(md.buf, p.buf));
	}
	/* host fingerprint, matrix, aggregated metrics with units, no network */
	assert_non_null(strstr(html.buf, "AMD EPYC"));
	assert_non_null(strstr(html.buf, "host.ksm"));
	assert_non_null(strstr(html.buf, "Cell: host.ksm=on"));
	assert_non_null(strstr(html.buf, "guest-1.balloon_inflate_s"));
	assert_non_null(strstr(md.buf, "| ksm\\_settle\\_s | s | lower | yes | 4.5 | 0.707 | 2 |"));
	/* informational metrics say so; n says when a mean is over fewer runs */
	assert_non_null(strstr(md.buf, "| sampler\\_cpu\\_pct | % | lower | no (informational) |"));
	assert_non_null(strstr(md.buf, "| 80 | - | 1 of 2 (missing in 1) |"));
	assert_non_null(strstr(html.buf, "QEMU exited with status 1"));	/* the failed run */
	assert_null(strstr(html.buf, "http://"));
	assert_null(strstr(html.buf, "https://"));
	/* the timeline marks the actions */
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/gnuplot/timeline-1.gp", out.buf);
	strbuf_reset(&md);
	assert_int_equal(read_file(p.buf, &md), 0);
	assert_non_null(strstr(md.buf, "'balloon guest-1 512M'"));
	assert_non_null(strstr(md.buf, "set xlabel 'time since run start (s)'"));

	strbuf_release(&in);
	strbuf_release(&out);
	strbuf_release(&html);
	strbuf_release(&md);
	strbuf_release(&p);
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
		cmocka_unit_test(test_report_usage),
	};

	return cmocka_run_group_tests_name("report", tests, tmpdir_setup, tmpdir_teardown);
}
