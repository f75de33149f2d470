/* bandwidth — sequential read, write and copy throughput in MiB/s.
 *
 * The region is populated first (untimed) so the figures are memory
 * bandwidth, not page-fault cost (memtouch measures that).  Each operation
 * runs passes over the whole region for --duration (or --iterations
 * passes); each pass's MiB/s goes into that operation's histogram and the
 * headline figure is the median pass.  Copy moves the first half of the
 * region to the second and counts the bytes copied (not read + written).
 */
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
#include <string.h>

#define DEFAULT_NS 1000000000u	/* per operation */

static struct region_opts ropts;

static const struct wlopt bandwidth_opts[] = {
	{ "thp", "on|off", "madvise the region MADV_HUGEPAGE (on) or MADV_NOHUGEPAGE (off)",
	  region_opt_thp, &ropts.thp },
	{ "hugetlb", "2M|1G", "back the region with hugetlbfs pages (MAP_HUGETLB)",
	  region_opt_hugetlb, &ropts.hugetlb },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct wl_program prog = {
	.name = "bandwidth",
	.summary = "Sequential read, write and copy throughput over SIZE, in MiB/s.",
	.notes = "--duration and --iterations (passes) apply to each operation.",
	.default_size = 256 * MiB,
	.default_run = "--duration 1s per operation",
	.opts = bandwidth_opts,
};

enum op { OP_READ, OP_WRITE, OP_COPY, OP_N };
static const char *const op_name[] = { "read", "write", "copy" };

static volatile uint64_t sink;	/* keeps the read loop from being optimised away */

/* One pass; returns the bytes it moved. */
static uint64_t pass(enum op op, char *base, size_t len, uint64_t round)
{
	uint64_t *w = (uint64_t *)base, n = len / 8, sum = 0;

	switch (op) {
	case OP_READ:
		for (uint64_t i = 0; i < n; i++)
			sum += w[i];
		sink = sum;
		return n * 8;
	case OP_WRITE:
		memset(base, (int)(round & 0xff), n * 8);
		return n * 8;
	default:
		memcpy(base + len / 2, base, len / 2);
		return len / 2;
	}
}

static void measure(enum op op, const struct wl_common *c, const struct region *r, struct hist *h)
{
	uint64_t start = timer_ns(), rounds = 0;

	while (!wl_stop) {
		uint64_t t0 = timer_ns(), bytes = pass(op, r->base, r->len, rounds), t1 = timer_ns();

		hist_record(h, (uint64_t)((double)bytes / MiB / ((double)(t1 != t0 ? t1 - t0 : 1) / 1e9)));
		rounds++;
		if (c->iterations ? rounds >= c->iterations : t1 - start >= (c->duration_ns ? c->duration_ns : DEFAULT_NS))
			break;
	}
}

int main(int argc, char **argv)
{
	static struct hist h[OP_N];
	struct wl_common c;
	struct region r;
	json_t *root;
	int rc;

	if ((rc = wl_parse(&prog, argc, argv, &c)) != WLOPT_OK)
		return rc == WLOPT_HELP ? 0 : 2;
	if (region_start(prog.name, c.size, &ropts, &r) < 0)
		return 2;
	root = wljson_new(prog.name, &c, timer_overhead_ns());
	json_object_set_new(wljson_options(root), "backing", json_string(region_backing(&ropts)));
	memset(r.base, 1, r.len);	/* populate: bandwidth, not faults */
	printf("bandwidth: %zu MiB, %s\n", r.len >> 20, region_backing(&ropts));
	for (int op = 0; op < OP_N && !wl_stop; op++) {
		char name[32];
		double p50;

		hist_init(&h[op]);
		measure((enum op)op, &c, &r, &h[op]);
		p50 = (double)hist_percentile(&h[op], 50);
		wljson_hist(root, op_name[op], &h[op], "MiB/s", 1, "MiB/s", "resident",
			    "throughput of one pass over the region (copy: bytes copied)");
		wljson_throughput(root, op_name[op], p50, "MiB/s");
		snprintf(name, sizeof(name), "%s_mibs", op_name[op]);
		wljson_metric(root, name, p50, "MiB/s", "higher");
		printf("  %-5s %9.0f MiB/s (median of %llu passes; best %llu)\n", op_name[op], p50,
		       (unsigned long long)h[op].count, (unsigned long long)h[op].max);
	}
	region_unmap(&r);
	if (wljson_finish(root, "ok", c.json_path) < 0) {
		fprintf(stderr, "bandwidth: %s\n", ocb_errmsg());
		return 2;
	}
	return 0;
}
