/* bench-scale — `make bench`: the harness with many guests started at once.
 *
 * Runs scenarios/scale-32x256m.ini (32 guests of 256 MiB launched
 * together, boot_wave = 32) in its --quick form (8 guests) by default, or
 * whole with OCB_BENCH_SCALE_FULL=1, and prints from the run itself:
 *   - time to all-ready: when the timeline started (every agent answered),
 *     on the run's clock, and the slowest guest's boot_s;
 *   - the sampler's kept ticks at 10 Hz (sampler_ticks_kept_pct; target
 *     >= 95 %), each 10 Hz source's (a per-guest source's with its worst
 *     guest), its missed ticks, and the guests without samples (target 0);
 *   - the harness's own CPU (harness_cpu_pct of the run, and seconds) and
 *     its peak RSS (VmHWM of the ocbench process, read while it runs).
 * Figures, not assertions: under TCG on a small host the boots compete
 * for the CPUs and the harness competes with them.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>

#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/meminfo.h"
#include "util/runcmd.h"

#define SCENARIO "scenarios/scale-32x256m.ini"

static double hwm_mib(pid_t pid)
{
	char path[64];
	long long kib;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	return meminfo_file_field(path, "VmHWM", &kib) < 0 ? -1 : (double)kib / 1024.0;
}

static double metric(json_t *run, const char *name)
{
	json_t *v = json_object_get(json_object_get(json_object_get(run, "metrics"), name), "value");

	return json_is_number(v) ? json_number_value(v) : -1;
}

/* The run directory: OUT/scale-32x256m-STAMP/run-001. */
static int find_run(const char *out, char *run, size_t len)
{
	DIR *d = opendir(out);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "scale-32x256m", 13)) {
			snprintf(run, len, "%s/%s/run-001", out, e->d_name);
			found = 1;
		}
	if (d)
		closedir(d);
	return found;
}

/* t_ms of the timeline_start event: every guest was ready then. */
static double all_ready_s(const char *run)
{
	char path[4200];
	struct strbuf ev = STRBUF_INIT;
	const char *p;
	double t = -1;

	snprintf(path, sizeof(path), "%s/events.jsonl", run);
	if (read_file(path, &ev) == 0 && (p = strstr(ev.buf, "\"type\":\"timeline_start\""))) {
		while (p > ev.buf && p[-1] != '\n')
			p--;
		if (sscanf(p, "{\"t_ms\":%lf", &t) == 1)
			t /= 1000.0;
	}
	strbuf_release(&ev);
	return t;
}

/* Each 10 Hz source's kept share from the sampler_ticks event, and for
 * a per-guest source its worst guest's. */
static void sources_line(const char *run)
{
	char path[4200];
	struct strbuf ev = STRBUF_INIT;
	const char *p, *name, *g;
	json_t *doc = NULL, *src, *per;

	snprintf(path, sizeof(path), "%s/events.jsonl", run);
	if (read_file(path, &ev) == 0 && (p = strstr(ev.buf, "\"type\":\"sampler_ticks\""))) {
		while (p > ev.buf && p[-1] != '\n')
			p--;
		doc = json_loadb(p, strcspn(p, "\n"), 0, NULL);
	}
	printf("  kept per source        ");
	json_object_foreach(json_object_get(doc, "sources"), name, src) {
		double worst = 101;

		if (json_number_value(json_object_get(src, "rate_hz")) < 10)
			continue;
		printf(" %s %.1f", name, json_number_value(json_object_get(src, "kept_pct")));
		json_object_foreach(json_object_get(src, "guests"), g, per) {
			double k = (double)json_integer_value(json_object_get(per, "kept")),
			       m = (double)json_integer_value(json_object_get(per, "missed"));

			if (k + m > 0 && 100 * k / (k + m) < worst)
				worst = 100 * k / (k + m);
		}
		if (worst <= 100)
			printf(" (worst guest %.1f)", worst);
	}
	printf("\n");
	json_decref(doc);
	strbuf_release(&ev);
}

static void report(const char *run, int guests, double hwm)
{
	char path[4200];
	json_t *doc, *m;
	const char *k;
	double slowest = 0, dur;

	snprintf(path, sizeof(path), "%s/run.json", run);
	doc = json_load_file(path, 0, NULL);
	if (!doc)
		return;
	json_object_foreach(json_object_get(doc, "metrics"), k, m) {
		double v = json_number_value(json_object_get(m, "value"));

		if (strstr(k, ".boot_s") && v > slowest)
			slowest = v;
	}
	dur = json_number_value(json_object_get(doc, "duration_s"));
	printf("scale: %d guests x 256 MiB launched at once, run %s (%.1f s)\n", guests,
	       json_string_value(json_object_get(doc, "status")), dur);
	printf("  time to all-ready        %7.1f s   (slowest guest boot %.1f s)\n", all_ready_s(run),
	       slowest);
	printf("  sampler ticks kept       %7.1f %%   (10 Hz sources, worst; target >= 95 %%)\n",
	       metric(doc, "sampler_ticks_kept_pct"));
	sources_line(run);
	printf("  sampler ticks missed     %7.0f\n", metric(doc, "sampler_ticks_missed"));
	printf("  guests without samples   %7.0f     (target 0)\n", metric(doc, "sampler_guests_unsampled"));
	printf("  harness CPU              %7.1f %%   (%.1f s of CPU; sampler %.1f %%)\n",
	       metric(doc, "harness_cpu_pct"), metric(doc, "harness_cpu_pct") * dur / 100.0,
	       metric(doc, "sampler_cpu_pct"));
	printf("  harness peak RSS         %7.1f MiB\n", hwm);
	json_decref(doc);
}

int main(void)
{
	const char *ocbench = getenv("OCBENCH") ? getenv("OCBENCH") : "build/ocbench";
	int full = getenv("OCB_BENCH_SCALE_FULL") && !strcmp(getenv("OCB_BENCH_SCALE_FULL"), "1");
	char tmp[] = "/tmp/ocbench-bench-scale-XXXXXX", out[256], state[256], run[4096];
	struct child c = CHILD_INIT;
	double hwm = -1;
	int st = 0, rc;

	if (!mkdtemp(tmp))
		return 1;
	snprintf(out, sizeof(out), "%s/out", tmp);
	/* its own knob journal: the scenario sets no knob, and a journal
	 * another run left in the default one must not stop the bench */
	snprintf(state, sizeof(state), "%s/state", tmp);
	strvec_push(&c.args, ocbench);
	strvec_push(&c.args, "run");
	strvec_push(&c.args, SCENARIO);
	if (!full)
		strvec_push(&c.args, "--quick");
	strvec_push(&c.args, "-o");
	strvec_push(&c.args, out);
	strvec_push(&c.args, "--state-dir");
	strvec_push(&c.args, state);
	c.stdout_path = "/dev/null";
	c.die_with_parent = 1;
	if (child_start(&c) < 0) {
		fprintf(stderr, "bench-scale: %s\n", ocb_errmsg());
		return 1;
	}
	while ((rc = child_poll(&c, &st)) == 0) {
		double h = hwm_mib(c.pid);

		hwm = h > hwm ? h : hwm;
		sleep_ns(200000000ull, NULL);
	}
	child_release(&c);
	if (rc < 0 || !find_run(out, run, sizeof(run))) {
		fprintf(stderr, "bench-scale: the run left no results\n");
		remove_tree(tmp);
		return 1;
	}
	report(run, full ? 32 : 8, hwm);
	remove_tree(tmp);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
