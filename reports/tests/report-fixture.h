/* report-fixture.h — result sets and checks for the report tests (static
 * inline, included by test-report.c, test-int-report-native.c and
 * test-int-report-chromium.c):
 *   - report_fixture: a sweep with series (KSM on/off x 2 repeats, plus a
 *     failed run), one guest with a synthetic pressure workload.json;
 *   - crowd_fixture: the flagship's shape made crowded, to hold the
 *     figures to their limits: CROWD_CELLS matrix cells, each run six
 *     guests (idle-1..3 ballooned, busy-1..3 with latency over time) under
 *     a cgroup cap;
 *   - real_workload: a workload program of build/workloads run natively
 *     (no guest), its own workload.json;
 *   - check_scripts: every panel of every gnuplot script has at most
 *     PLOT_MAX_SERIES titled series, each in its own colour.
 */
#ifndef OCB_TEST_REPORT_FIXTURE_H
#define OCB_TEST_REPORT_FIXTURE_H

#include <dirent.h>

#include "cli/report.h"
#include "reports/plot.h"
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
	char *names[5];

	for (int c = 0; c < 2; c++)
		for (int r = 0; r < 2; r++) {
			struct strbuf d = STRBUF_INIT;
			json_t *m = json_object();

			synth_metric(m, "guest-1.balloon_inflate_s", 0.5 + 0.01 * r + 0.1 * c, "s", "lower");
			/* KSM off: nothing settles, and run.json says so */
			if (c == 0)
				synth_metric(m, "ksm_settle_s", 4.0 + r, "s", "lower");
			else
				json_object_set_new(m, "ksm_settle_s",
						    json_pack("{s:n,s:s,s:s,s:b,s:s}", "value", "unit", "s",
							      "better", "lower", "gate", 1, "reason",
							      "KSM is off: nothing to settle"));
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

		strbuf_addf(&d, "%s/ksm-on-r2", dir);
		synth_run(d.buf, "quickstart", cells[0], 2, "failed", "7.2.22", json_object(), 0);
		names[4] = strdup("ksm-on-r2");
		strbuf_release(&d);
	}
	synth_index(dir, "quickstart", names, 5);
	for (int i = 0; i < 5; i++)
		free(names[i]);
}

/* ---- the crowded set ---- */

#define CROWD_CELLS 10

static inline void crowd_samples(const char *dir, int cell)
{
	static const char *const g[6] = { "idle-1", "idle-2", "idle-3", "busy-1", "busy-2", "busy-3" };
	struct strbuf s = STRBUF_INIT;

	strbuf_adds(&s, "t_ms,source,series,value\n");
	for (int t = 0; t <= 20000; t += 500) {
		for (int i = 0; i < 6; i++) {
			strbuf_addf(&s, "%d,balloon,%s.actual_mib,%d\n", t, g[i],
				    i < 3 && t > 3000 ? 128 : 512);
			strbuf_addf(&s, "%d,qemu,%s.rss_mib,%d\n", t, g[i], 200 + i * 10 + t / 200);
		}
		strbuf_addf(&s, "%d,cgroup,memory_current_mib,%d\n", t, 1000 + t / 20 + cell);
		strbuf_addf(&s, "%d,ksm,pages_sharing,%d\n", t, t * 2);
		strbuf_addf(&s, "%d,host,SwapTotal_mib,0\n%d,host,SwapFree_mib,0\n", t, t);
	}
	synth_file(dir, "samples.csv", s.buf);
	strbuf_reset(&s);
	/* four actions at one moment: their labels must not overlap */
	strbuf_adds(&s, "{\"t_ms\":3000,\"type\":\"action\",\"action\":\"balloon idle-* 128M\"}\n"
			"{\"t_ms\":3001,\"type\":\"action\",\"action\":\"wait balloon idle-* timeout 30s\"}\n"
			"{\"t_ms\":3002,\"type\":\"action\",\"action\":\"workload busy-* start\"}\n"
			"{\"t_ms\":3003,\"type\":\"action\",\"action\":\"free *\"}\n"
			"{\"t_ms\":19000,\"type\":\"error\",\"message\":\"busy-2: workload exited with 1\"}\n");
	for (int i = 3; i < 6; i++)
		strbuf_addf(&s, "{\"t_ms\":3010,\"type\":\"workload_start\",\"guest\":\"%s\"}\n", g[i]);
	synth_file(dir, "events.jsonl", s.buf);
	for (int i = 0; i < 6; i++) {
		struct strbuf gd = STRBUF_INIT;

		strbuf_addf(&gd, "%s/guests/%s", dir, g[i]);
		if (mkdir_p(gd.buf, 0755) < 0)
			abort();
		synth_file(gd.buf, "free.csv", "t_ms,total,used,free,shared,buff_cache,available\n"
					       "1000,454,18,415,13,22,414\n15000,454,300,100,13,22,120\n");
		if (i >= 3)
			synth_workload(gd.buf, cell * 10 + i);
		strbuf_release(&gd);
	}
	strbuf_release(&s);
}

/* run.json's guests and cap as the runner writes them for six guests */
static inline void crowd_run_json(const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	json_t *run, *guests = json_array();
	char *text;

	strbuf_addf(&p, "%s/run.json", dir);
	run = json_load_file(p.buf, 0, NULL);
	for (int i = 0; i < 6; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%s-%d", i < 3 ? "idle" : "busy", i % 3 + 1);
		json_array_append_new(guests, json_pack("{s:s,s:i,s:s}", "name", name, "memory_mib", 512,
							"workload", i < 3 ? "" : "pressure --interval 250ms"));
	}
	json_object_set_new(run, "guests", guests);
	json_object_set_new(run, "host_memory_limit", json_pack("{s:f,s:i}", "limit_mib", 2048.0,
								"oom_events", 0));
	text = json_dumps(run, JSON_INDENT(2) | JSON_SORT_KEYS);
	synth_file(dir, "run.json", text);
	free(text);
	json_decref(run);
	strbuf_release(&p);
}

static inline void crowd_fixture(const char *dir)
{
	char *names[CROWD_CELLS];

	for (int c = 0; c < CROWD_CELLS; c++) {
		struct synth_opts o = SYNTH_OPTS_INIT;
		struct strbuf d = STRBUF_INIT, mx = STRBUF_INIT;
		json_t *m = json_object();

		strbuf_addf(&mx, "{\"guest.busy.memory\":\"%dM\"}", 512 + 64 * c);
		for (int i = 1; i <= 3; i++) {
			char name[64];

			snprintf(name, sizeof(name), "idle-%d.balloon_inflate_s", i);
			synth_metric(m, name, 0.5 + 0.05 * c + 0.01 * i, "s", "lower");
		}
		synth_metric(m, "cgroup_oom_events", 0, "events", "lower");
		o.scenario = "crowd";
		o.matrix = mx.buf;
		o.runs_requested = CROWD_CELLS;
		strbuf_addf(&d, "%s/run-%03d", dir, c + 1);
		synth_run_opts(d.buf, &o, m);
		crowd_run_json(d.buf);
		crowd_samples(d.buf, c);
		names[c] = strdup(d.buf + strlen(dir) + 1);
		strbuf_release(&d);
		strbuf_release(&mx);
	}
	synth_index(dir, "crowd", names, CROWD_CELLS);
	for (int c = 0; c < CROWD_CELLS; c++)
		free(names[c]);
}

/* ---- a workload program run natively ---- */

/* Run build/workloads/PROGRAM ARGS --json DIR/workload.json: 0, or skip
 * when the programs are not built. */
static inline void real_workload(const char *dir, const char *const *args)
{
	const char *b = getenv("OCB_BUILD");
	struct strbuf prog = STRBUF_INIT, json = STRBUF_INIT, out = STRBUF_INIT;
	struct strvec argv = STRVEC_INIT;
	int rc;

	strbuf_addf(&prog, "%s/workloads/%s", b && *b ? b : "build", args[0]);
	if (!path_exists(prog.buf)) {
		printf("SKIP: %s not built (make workloads)\n", prog.buf);
		skip();
	}
	if (mkdir_p(dir, 0755) < 0)
		abort();
	strbuf_addf(&json, "%s/workload.json", dir);
	strvec_push(&argv, prog.buf);
	for (size_t i = 1; args[i]; i++)
		strvec_push(&argv, args[i]);
	strvec_push(&argv, "--json");
	strvec_push(&argv, json.buf);
	rc = run_capture((const char *const *)argv.v, &out, 60 * 1000000000ull);
	if (rc != 0)
		fail_msg("%s exited with %d (expected 0): %s", prog.buf, rc, out.buf ? out.buf : "");
	strvec_clear(&argv);
	strbuf_release(&prog);
	strbuf_release(&json);
	strbuf_release(&out);
}

/* ---- the gnuplot scripts ---- */

/* The next item of a plot command: up to a comma outside quotes and
 * parentheses. */
static inline const char *gp_item_end(const char *p)
{
	int depth = 0;
	char q = 0;

	for (; *p; p++) {
		if (q) {
			if (*p == q && p[1] == q && q == '\'')
				p++;	/* '' inside '...' */
			else if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"') {
			q = *p;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		} else if (*p == ',' && depth == 0) {
			break;
		}
	}
	return p;
}

/* One plot command (continuation lines joined): its titled items, each
 * colour distinct among them.  Returns the number of series. */
static inline int gp_check_plot(const char *cmd, const char *script)
{
	char colours[64][16];
	int n = 0;

	for (const char *p = cmd + 4; *p;) {
		const char *end = gp_item_end(p), *lc;
		struct strbuf item = STRBUF_INIT;

		strbuf_add(&item, p, (size_t)(end - p));
		lc = strstr(item.buf, "lc rgb '");
		if (!strstr(item.buf, "notitle")) {
			if (!strstr(item.buf, " title '"))
				fail_msg("%s: a plot item with neither title nor notitle: %s", script, item.buf);
			if (!lc)
				fail_msg("%s: a series without its palette colour: %s", script, item.buf);
			if (n < 64)
				snprintf(colours[n], sizeof(colours[n]), "%.7s", lc + 8);
			for (int k = 0; k < n && k < 64; k++)
				if (!strcmp(colours[k], colours[n]))
					fail_msg("%s: colour %s twice in one panel: %s", script, colours[n], cmd);
			n++;
		}
		strbuf_release(&item);
		p = *end ? end + 1 : end;
	}
	if (n > PLOT_MAX_SERIES)
		fail_msg("%s: %d series in one panel (at most %d): %s", script, n, PLOT_MAX_SERIES, cmd);
	return n;
}

/* Every panel of DIR/gnuplot/NAME.gp; the most series of one panel. */
static inline int gp_check_script(const char *path)
{
	struct strbuf text = STRBUF_INIT, cmd = STRBUF_INIT;
	int most = 0, panels = 0;
	char *cur, *line;

	if (read_file(path, &text) < 0)
		fail_msg("cannot read %s", path);
	cur = text.buf;
	while ((line = strsep(&cur, "\n"))) {
		size_t n = strlen(line);
		int more = n && line[n - 1] == '\\';

		strbuf_add(&cmd, line, more ? n - 1 : n);
		if (more)
			continue;
		if (!strncmp(cmd.buf ? cmd.buf : "", "plot ", 5)) {
			int s = gp_check_plot(cmd.buf, path);

			most = s > most ? s : most;
			panels++;
		}
		strbuf_reset(&cmd);
	}
	if (!panels)
		fail_msg("%s: no plot command", path);
	strbuf_release(&text);
	strbuf_release(&cmd);
	return most;
}

/* Every script of a report; the most series of any panel. */
static inline int check_scripts(const char *outdir)
{
	struct strbuf d = STRBUF_INIT, p = STRBUF_INIT;
	struct dirent *e;
	DIR *dir;
	int most = 0, n = 0;

	strbuf_addf(&d, "%s/gnuplot", outdir);
	dir = opendir(d.buf);
	assert_non_null(dir);
	while ((e = readdir(dir))) {
		int s;

		if (!strstr(e->d_name, ".gp"))
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", d.buf, e->d_name);
		s = gp_check_script(p.buf);
		most = s > most ? s : most;
		n++;
	}
	closedir(dir);
	assert_true(n > 0);
	strbuf_release(&d);
	strbuf_release(&p);
	return most;
}

#endif
