/* report-fixture.h — a small sweep with series (KSM on/off x 2 repeats) for
 * the report tests; static inline, included by test-report.c and
 * test-int-report-chromium.c. */
#ifndef OCB_TEST_REPORT_FIXTURE_H
#define OCB_TEST_REPORT_FIXTURE_H

#include "cli/report.h"
#include "util/runcmd.h"
#include "synth.h"

/* Skip (saying why) without gnuplot: the report cannot be drawn. */
static inline void report_need_gnuplot(void)
{
	struct strbuf p = STRBUF_INIT;
	int ok = find_program("gnuplot", &p) == 0;

	strbuf_release(&p);
	if (!ok) {
		printf("SKIP: gnuplot not installed (ci/install-deps installs gnuplot-nox)\n");
		skip();
	}
}

/* `ocbench report IN -o OUT` through the command itself; its exit code. */
static inline int report_run(const char *in, const char *out)
{
	char *argv[] = { (char *)"report", (char *)in, (char *)"-o", (char *)out, NULL };

	return cmd_report(4, argv, NULL);
}

static inline void report_fixture(const char *dir)
{
	static const char *const cells[2] = { "{\"host.ksm\":\"on\"}", "{\"host.ksm\":\"off\"}" };
	char *names[4];
	json_t *idx, *runs;
	char *text;

	for (int c = 0; c < 2; c++)
		for (int r = 0; r < 2; r++) {
			struct strbuf d = STRBUF_INIT;
			json_t *m = json_object();

			synth_metric(m, "guest-1.balloon_inflate_s", 0.5 + 0.01 * r + 0.1 * c, "s", "lower");
			synth_metric(m, "ksm_settle_s", 4.0 + r, "s", "lower");
			synth_metric(m, "sampler_cpu_pct", 2.0 + r, "%", "lower");
			/* written only when the balloon stopped short: in 1 of 2 runs */
			if (c == 0 && r == 1)
				synth_metric(m, "guest-1.balloon_reached_pct", 80, "%", "higher");
			strbuf_addf(&d, "%s/ksm-%s-r%d", dir, c ? "off" : "on", r);
			synth_run(d.buf, "quickstart", cells[c], r, "complete", "7.2.22", m, 1);
			names[c * 2 + r] = strdup(d.buf + strlen(dir) + 1);
			strbuf_release(&d);
		}
	/* a failed run appears in the runs table but in no aggregate */
	{
		struct strbuf d = STRBUF_INIT;
		json_t *m = json_object();

		strbuf_addf(&d, "%s/ksm-on-r2", dir);
		synth_run(d.buf, "quickstart", cells[0], 2, "failed", "7.2.22", m, 0);
		strbuf_release(&d);
	}
	idx = json_pack("{s:s,s:s,s:[]}", "schema", "ocbench.index/1", "scenario", "quickstart", "runs");
	runs = json_object_get(idx, "runs");
	for (int i = 0; i < 4; i++) {
		json_array_append_new(runs, json_pack("{s:s,s:i}", "dir", names[i], "repeat", i % 2));
		free(names[i]);
	}
	json_array_append_new(runs, json_pack("{s:s,s:i}", "dir", "ksm-on-r2", "repeat", 2));
	text = json_dumps(idx, JSON_INDENT(2));
	synth_file(dir, "index.json", text);
	free(text);
	json_decref(idx);
}

#endif
