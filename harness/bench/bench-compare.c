/* bench-compare — `ocbench compare` on 1,000 result directories (target:
 * <= 1 s).  Two index directories of 500 runs each (50 matrix cells x 10
 * repeats, 12 metrics a run) are written to a temporary directory, then
 * loaded, compared and formatted as the command does.  Prints figures, no
 * assertions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/error.h"
#include "reports/compare.h"
#include "util/fsutil.h"
#include "reports/resultset.h"
#include "reports/tests/synth.h"

#define CELLS 50
#define REPEATS 10
#define METRICS 12

static void make_side(const char *dir, double shift)
{
	char **names = calloc(CELLS * REPEATS, sizeof(*names));
	json_t *idx = json_pack("{s:s,s:s,s:[]}", "schema", "ocbench.index/1", "scenario", "bench",
				"runs");
	char *text;

	for (int c = 0; c < CELLS; c++)
		for (int r = 0; r < REPEATS; r++) {
			struct strbuf d = STRBUF_INIT, mx = STRBUF_INIT;
			json_t *m = json_object();

			for (int k = 0; k < METRICS; k++) {
				char name[64];

				snprintf(name, sizeof(name), "guest-%d.metric_%d", k % 6 + 1, k);
				synth_metric(m, name, (100 + k) * (1 + shift + 0.02 * synth_z[r]), "ns",
					     "lower");
			}
			strbuf_addf(&mx, "{\"host.ksm\":\"%s\",\"cell\":%d}", c % 2 ? "on" : "off", c);
			strbuf_addf(&d, "%s/c%02d-r%d", dir, c, r);
			synth_run(d.buf, "bench", mx.buf, r, "complete", "7.2.22", m, 0);
			json_array_append_new(json_object_get(idx, "runs"),
					      json_pack("{s:s}", "dir", d.buf + strlen(dir) + 1));
			strbuf_release(&d);
			strbuf_release(&mx);
		}
	text = json_dumps(idx, JSON_INDENT(2));
	synth_file(dir, "index.json", text);
	free(text);
	json_decref(idx);
	free(names);
}

int main(void)
{
	char tmp[] = "/tmp/ocb-bench-compare-XXXXXX";
	struct strbuf b = STRBUF_INIT, c = STRBUF_INIT, out = STRBUF_INIT;
	struct result_set bs = RESULTSET_INIT, cs = RESULTSET_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct compare_result res;
	uint64_t t0, t1, t2, t3;

	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 2;
	}
	strbuf_addf(&b, "%s/base", tmp);
	strbuf_addf(&c, "%s/cand", tmp);
	make_side(b.buf, 0);
	make_side(c.buf, 0.01);

	t0 = mono_ns();
	if (resultset_load(&bs, b.buf, 0) < 0 || resultset_load(&cs, c.buf, 0) < 0) {
		fprintf(stderr, "bench-compare: %s\n", ocb_errmsg());
		return 2;
	}
	t1 = mono_ns();
	compare_sets(&bs, &cs, &o, &res);
	t2 = mono_ns();
	compare_format_text(&res, &out);
	t3 = mono_ns();

	printf("compare: %zu result directories, %zu metric lines, %zu regression(s)\n",
	       bs.n + cs.n, res.n, res.regressions);
	printf("compare: load %.3f s, statistics %.3f s, format %.3f s, total %.3f s (target <= 1 s)\n",
	       ns_to_s(t1 - t0), ns_to_s(t2 - t1), ns_to_s(t3 - t2), ns_to_s(t3 - t0));
	printf("compare: %.1f%% of the 1 s budget\n", ns_to_s(t3 - t0) * 100.0);

	compare_release(&res);
	resultset_release(&bs);
	resultset_release(&cs);
	strbuf_release(&out);
	strbuf_release(&b);
	strbuf_release(&c);
	remove_tree(tmp);
	return 0;
}
