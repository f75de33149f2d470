/* bench-sampler — `make bench`: what the harness costs while guests run.
 *
 * Eight guests run memlat for a fixed time under ocbench, once with the
 * sampler at 10 Hz (the default) and once at 1 Hz, interleaved in one
 * bench run.  Printed:
 *   - the sampler's own CPU at 10 Hz with 8 guests (target <= 1 % of one
 *     core), and the whole harness process's CPU;
 *   - the guests' memlat result at 10 Hz against 1 Hz (the harness's
 *     perturbation of what it measures; target <= 5 %).
 * Figures, not assertions.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "error.h"
#include "fsutil.h"
#include "runcmd.h"

#define GUESTS 8

static const char scenario_fmt[] =
	"[scenario]\n"
	"name = bench-sampler-%d\n"
	"sample_rate = %d\n"
	"boot_timeout = 180s\n"
	"[guest g]\n"
	"count = %d\n"
	"memory = 256M\n"
	"workload = memlat --size 16M --duration 8s\n"
	"[timeline]\n"
	"0s = workload * start, wait workload * timeout 300s\n";

struct result {
	double sampler_cpu, harness_cpu, memlat_ns;
};

/* OUT/SCENARIO-TIMESTAMP/run-001/run.json */
static json_t *load_run(const char *out)
{
	DIR *d = opendir(out);
	struct dirent *e;
	json_t *doc = NULL;

	while (d && !doc && (e = readdir(d))) {
		struct strbuf path = STRBUF_INIT;
		json_error_t err;

		if (e->d_name[0] == '.')
			continue;
		strbuf_addf(&path, "%s/%s/run-001/run.json", out, e->d_name);
		doc = json_load_file(path.buf, 0, &err);
		strbuf_release(&path);
	}
	if (d)
		closedir(d);
	return doc;
}

static int one_run(const char *ocbench, const char *tmp, int rate, struct result *r)
{
	char ini[512], out[512], text[1024];
	const char *argv[] = { ocbench, "run", ini, "-o", out, NULL };
	struct strbuf log = STRBUF_INIT;
	json_t *doc, *m, *v;
	const char *k;
	double sum = 0;
	int n = 0, rc;

	snprintf(ini, sizeof(ini), "%s/rate%d.ini", tmp, rate);
	snprintf(out, sizeof(out), "%s/out%d", tmp, rate);
	snprintf(text, sizeof(text), scenario_fmt, rate, rate, GUESTS);
	if (write_file_atomic(ini, text, strlen(text), 0644) < 0)
		return -1;
	remove_tree(out);
	rc = run_capture(argv, &log, 600 * 1000000000ull);
	if (rc != 0) {
		fprintf(stderr, "bench-sampler: run at %d Hz failed (%d):\n%s\n", rate, rc, strbuf_str(&log));
		strbuf_release(&log);
		return -1;
	}
	strbuf_release(&log);
	doc = load_run(out);
	if (!doc)
		return -1;
	m = json_object_get(doc, "metrics");
	r->sampler_cpu = json_number_value(json_object_get(json_object_get(m, "sampler_cpu_pct"), "value"));
	r->harness_cpu = json_number_value(json_object_get(json_object_get(m, "harness_cpu_pct"), "value"));
	json_object_foreach(m, k, v) {
		if (strstr(k, ".memlat.ns_per_access")) {
			sum += json_number_value(json_object_get(v, "value"));
			n++;
		}
	}
	r->memlat_ns = n ? sum / n : 0;
	json_decref(doc);
	return n == GUESTS ? 0 : -1;
}

int main(void)
{
	const char *ocbench = getenv("OCBENCH") ? getenv("OCBENCH") : "build/ocbench";
	char tmp[] = "/tmp/ocbench-bench-sampler-XXXXXX";
	struct result hi, lo;

	if (!mkdtemp(tmp)) {
		perror("bench-sampler: mkdtemp");
		return 1;
	}
	if (one_run(ocbench, tmp, 10, &hi) < 0 || one_run(ocbench, tmp, 1, &lo) < 0) {
		remove_tree(tmp);
		return 1;
	}
	printf("sampler and harness cost, %d guests x 256 MiB running memlat (TCG unless KVM is usable):\n",
	       GUESTS);
	printf("  sampler CPU at 10 Hz       %6.2f %% of one core   (target <= 1 %%)\n", hi.sampler_cpu);
	printf("  sampler CPU at  1 Hz       %6.2f %% of one core\n", lo.sampler_cpu);
	printf("  harness process CPU 10 Hz  %6.2f %% of one core   (all of ocbench: agent, QMP, sampler)\n",
	       hi.harness_cpu);
	printf("  guests' memlat at 10 Hz    %8.1f ns/access\n", hi.memlat_ns);
	printf("  guests' memlat at  1 Hz    %8.1f ns/access\n", lo.memlat_ns);
	printf("  ratio 10 Hz / 1 Hz         %8.3f   (harness perturbation; target within 5 %%)\n",
	       lo.memlat_ns > 0 ? hi.memlat_ns / lo.memlat_ns : 0);
	remove_tree(tmp);
	return 0;
}
