/* bench-sampler — `make bench`: what the harness costs while guests run.
 *
 * 1. Eight guests run memlat under ocbench with the sampler at 10 Hz (the
 *    default): the sampler's own CPU (target <= 1 % of one core) and the
 *    whole harness process's CPU.
 * 2. One guest runs memlat with the sampler at 10 Hz and at 1 Hz,
 *    alternating, three times each: the median result at 10 Hz over the
 *    one at 1 Hz is the harness's perturbation of what it measures
 *    (target within 5 %).  One guest, so the guests' own scheduling
 *    noise on 2 cores does not drown the effect.
 * Figures, not assertions.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "bench-stats.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/runcmd.h"

#define GUESTS 8
#define ROUNDS 3

static const char scenario_fmt[] =
	"[scenario]\n"
	"name = bench-sampler-%d-%d\n"
	"sample_rate = %d\n"
	"boot_timeout = 180s\n"
	"[guest g]\n"
	"count = %d\n"
	"memory = 256M\n"
	"workload = memlat --size 16M --duration %ds\n"
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

static int one_run(const char *ocbench, const char *tmp, int rate, int guests, int secs, struct result *r)
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
	snprintf(text, sizeof(text), scenario_fmt, rate, guests, rate, guests, secs);
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
	return n == guests ? 0 : -1;
}

int main(void)
{
	const char *ocbench = getenv("OCBENCH") ? getenv("OCBENCH") : "build/ocbench";
	char tmp[] = "/tmp/ocbench-bench-sampler-XXXXXX";
	double hi[ROUNDS], lo[ROUNDS];
	struct result cost, r;

	if (!mkdtemp(tmp)) {
		perror("bench-sampler: mkdtemp");
		return 1;
	}
	if (one_run(ocbench, tmp, 10, GUESTS, 8, &cost) < 0)
		goto fail;
	for (int i = 0; i < ROUNDS; i++) {
		if (one_run(ocbench, tmp, 10, 1, 4, &r) < 0)
			goto fail;
		hi[i] = r.memlat_ns;
		if (one_run(ocbench, tmp, 1, 1, 4, &r) < 0)
			goto fail;
		lo[i] = r.memlat_ns;
	}
	qsort(hi, ROUNDS, sizeof(double), bench_cmp_double);
	qsort(lo, ROUNDS, sizeof(double), bench_cmp_double);
	printf("sampler and harness cost, %d guests x 256 MiB running memlat (TCG unless KVM is usable):\n",
	       GUESTS);
	printf("  sampler CPU at 10 Hz       %6.2f %% of one core   (target <= 1 %%)\n", cost.sampler_cpu);
	printf("  harness process CPU        %6.2f %% of one core   (all of ocbench: agent, QMP, sampler)\n",
	       cost.harness_cpu);
	printf("perturbation, 1 guest running memlat, sampler at 10 Hz vs 1 Hz, alternating, median of %d:\n",
	       ROUNDS);
	printf("  memlat at 10 Hz            %8.1f ns/access  [%.1f .. %.1f]\n", hi[ROUNDS / 2], hi[0],
	       hi[ROUNDS - 1]);
	printf("  memlat at  1 Hz            %8.1f ns/access  [%.1f .. %.1f]\n", lo[ROUNDS / 2], lo[0],
	       lo[ROUNDS - 1]);
	printf("  ratio 10 Hz / 1 Hz         %8.3f   (target within 5 %% of 1)\n",
	       lo[ROUNDS / 2] > 0 ? hi[ROUNDS / 2] / lo[ROUNDS / 2] : 0);
	remove_tree(tmp);
	return 0;
fail:
	remove_tree(tmp);
	return 1;
}
