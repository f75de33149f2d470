/* memlat — memory latency by dependent random pointer chase.
 *
 * One random cycle through every cache line of the working set (see
 * chase.h), followed in batches of BATCH loads; each batch's mean time per
 * load goes into the histogram (in picoseconds, so L1-fast sets keep their
 * precision).  Timing a batch rather than a load keeps the timer's ~20 ns
 * out of the figure.  With --sweep the same runs for working sets from
 * 16 KiB doubling up to SIZE, showing the cache and TLB steps.
 */
#include "chase.h"
#include "util/error.h"
#include "histogram.h"
#include "meminfo.h"
#include "region.h"
#include "stop.h"
#include "timer.h"
#include "util/units.h"
#include "wljson.h"
#include "wlopt.h"

#include <stdio.h>

#define BATCH 4096
#define SWEEP_MIN (16 * KiB)
#define DEFAULT_NS 2000000000u		/* per size without --sweep */
#define DEFAULT_SWEEP_NS 200000000u	/* per size with --sweep */

static struct region_opts ropts;
static int sweep;

static const struct wlopt memlat_opts[] = {
	{ "thp", "on|off", "madvise the working set MADV_HUGEPAGE (on) or MADV_NOHUGEPAGE (off)",
	  region_opt_thp, &ropts.thp },
	{ "hugetlb", "2M|1G", "back the working set with hugetlbfs pages (MAP_HUGETLB)",
	  region_opt_hugetlb, &ropts.hugetlb },
	{ "sweep", NULL, "measure working sets of 16 KiB, 32 KiB, ... up to SIZE",
	  wlopt_set_flag, &sweep },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct wl_program prog = {
	.name = "memlat",
	.summary = "Dependent random pointer chase over a working set of SIZE: ns per access.",
	.notes = "--duration and --iterations (batches of 4096 loads) apply to each working-set size.\n"
		 "The working set is touched (chain built) before timing: figures are resident memory.",
	.default_size = 64 * MiB,
	.default_run = "--duration 2s (200ms per size with --sweep)",
	.opts = memlat_opts,
};

/* Chase over the first len bytes until the duration or batch count is
 * reached; one histogram value (ps per load) per batch. */
static void measure(char *base, size_t len, const struct wl_common *c, struct rng *r, struct hist *h)
{
	void *pos = chase_build(base, len, r);
	uint64_t limit_ns = c->duration_ns ? c->duration_ns : sweep ? DEFAULT_SWEEP_NS : DEFAULT_NS;
	uint64_t start, batches = 0;

	chase_run(&pos, len / CHASE_LINE);	/* one lap to warm caches and TLB */
	start = timer_ns();
	while (!wl_stop) {
		uint64_t t0 = timer_ns(), t1;

		chase_run(&pos, BATCH);
		t1 = timer_ns();
		hist_record(h, (t1 - t0) * 1000 / BATCH);
		batches++;
		if (c->iterations ? batches >= c->iterations : t1 - start >= limit_ns)
			break;
	}
}

static double ns_p50(const struct hist *h)
{
	return (double)hist_percentile(h, 50) / 1000.0;
}

static int run_single(json_t *root, const struct wl_common *c, struct region *reg, struct rng *r)
{
	static struct hist h;

	hist_init(&h);
	measure(reg->base, reg->len, c, r, &h);
	wljson_hist(root, "access", &h, "ps", 1000, "ns", "resident",
		    "mean time per dependent load, one value per batch of 4096 loads");
	wljson_metric(root, "ns_per_access", ns_p50(&h), "ns", "lower");
	printf("memlat: %zu MiB, %s: %.2f ns per access (p50 of %llu batches; p99 %.2f ns)\n",
	       reg->len >> 20, region_backing(&ropts), ns_p50(&h), (unsigned long long)h.count,
	       (double)hist_percentile(&h, 99) / 1000.0);
	return 0;
}

static int run_sweep(json_t *root, const struct wl_common *c, struct region *reg, struct rng *r)
{
	static const char *const cols[] = { "size_bytes", "ns_per_access_p50", "ns_per_access_mean", NULL };
	static const char *const units[] = { "bytes", "ns", "ns", NULL };
	static struct hist h, all;
	json_t *rows = wljson_series(root, "sweep", cols, units);
	size_t len = SWEEP_MIN;

	hist_init(&all);
	printf("memlat sweep, %s:\n", region_backing(&ropts));
	while (!wl_stop) {
		double row[3];

		if (len > reg->len)
			len = reg->len;
		hist_init(&h);
		measure(reg->base, len, c, r, &h);
		hist_merge(&all, &h);
		row[0] = (double)len;
		row[1] = ns_p50(&h);
		row[2] = hist_mean(&h) / 1000.0;
		wljson_series_row(rows, 3, row);
		printf("  %10zu KiB  %8.2f ns\n", len >> 10, row[1]);
		if (len == reg->len)
			break;
		len *= 2;
	}
	wljson_hist(root, "access", &h, "ps", 1000, "ns", "resident",
		    "largest working set: mean time per dependent load, one value per batch of 4096 loads");
	wljson_hist(root, "access_all_sizes", &all, "ps", 1000, "ns", "resident",
		    "every size of the sweep merged");
	wljson_metric(root, "ns_per_access", ns_p50(&h), "ns", "lower");
	return 0;
}

int main(int argc, char **argv)
{
	struct wl_common c;
	struct region reg;
	struct rng r;
	json_t *root;
	int rc;

	if ((rc = wl_parse(&prog, argc, argv, &c)) != WLOPT_OK)
		return rc == WLOPT_HELP ? 0 : 2;
	if (c.size < SWEEP_MIN) {
		fprintf(stderr, "memlat: --size %llu bytes is too small: expected at least 16K\n",
			(unsigned long long)c.size);
		return 2;
	}
	if (region_start(prog.name, c.size, &ropts, &reg) < 0)
		return 2;
	r.s = c.seed;
	root = wljson_new(prog.name, &c, timer_overhead_ns());
	json_object_set_new(wljson_options(root), "backing", json_string(region_backing(&ropts)));
	json_object_set_new(wljson_options(root), "sweep", json_boolean(sweep));
	json_object_set_new(wljson_options(root), "batch_loads", json_integer(BATCH));
	if (sweep)
		run_sweep(root, &c, &reg, &r);
	else
		run_single(root, &c, &reg, &r);
	json_object_set_new(root, "anon_huge_bytes",
			    json_integer(meminfo_field("/proc/self/smaps_rollup", "AnonHugePages")));
	region_unmap(&reg);
	if (wljson_finish(root, "ok", c.json_path) < 0) {
		fprintf(stderr, "memlat: %s\n", ocb_errmsg());
		return 2;
	}
	return 0;
}
