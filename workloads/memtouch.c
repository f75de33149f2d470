/* memtouch — first-touch page-fault latency, re-touch latency and MiB/s.
 *
 * Three passes over SIZE, each timed per page of the region's unit (4K,
 * or the 2M/1G huge page that one fault populates):
 *   cold      the first touch of memory this process never had; on a host
 *             whose memory was free-page-reported to an outer hypervisor
 *             (or a guest whose balloon just deflated) this includes
 *             repopulating the backing, ~50x dearer per 2 MiB;
 *   warm      unmap, map again at once and touch: the pages just freed
 *             come back from the allocator while their backing is still
 *             resident;
 *   resident  touch the warm pages again: no fault, the memory access only.
 * Warm and resident repeat for --iterations rounds or --duration.
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
#include <stdlib.h>

#define PAGE 4096u

static struct region_opts ropts;

static const struct wlopt memtouch_opts[] = {
	{ "thp", "on|off", "madvise the region MADV_HUGEPAGE (on) or MADV_NOHUGEPAGE (off)",
	  region_opt_thp, &ropts.thp },
	{ "hugetlb", "2M|1G", "back the region with hugetlbfs pages (MAP_HUGETLB)",
	  region_opt_hugetlb, &ropts.hugetlb },
	{ "mergeable", NULL, "madvise the region MADV_MERGEABLE (KSM may merge it)",
	  wlopt_set_flag, &ropts.mergeable },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct wl_program prog = {
	.name = "memtouch",
	.summary = "Touch every page of SIZE: first-touch fault latency (cold, then warm) per page,\n"
		   "re-touch latency of resident pages, and MiB/s.",
	.notes = "Latencies are per page of the region's unit (4K; 2M with --thp on or --hugetlb 2M;\n"
		 "1G with --hugetlb 1G) and include one timer read (reported as timer.overhead_ns).",
	.default_size = 64 * MiB,
	.default_run = "--iterations 1 (one warm and one resident round after the cold pass)",
	.opts = memtouch_opts,
};

struct pass {
	struct hist h;
	uint64_t bytes, ns;
};

/* Write one byte in every 4K page of each unit, timing each unit.  The
 * value changes per pass so the resident pass really stores. */
static void touch_pass(const struct region *r, struct pass *p, unsigned char val)
{
	uint64_t start = timer_ns();

	for (size_t off = 0; off < r->len && !wl_stop; off += r->unit) {
		size_t end = off + r->unit < r->len ? off + r->unit : r->len;
		uint64_t t0 = timer_ns();

		for (size_t o = off; o < end; o += PAGE)
			((volatile unsigned char *)r->base)[o] = val;
		hist_record(&p->h, timer_ns() - t0);
		p->bytes += end - off;
	}
	p->ns += timer_ns() - start;
}

static double mib_per_s(const struct pass *p)
{
	return p->ns ? (double)p->bytes / (double)MiB / ((double)p->ns / 1e9) : 0;
}

static int more_rounds(const struct wl_common *c, uint64_t round, uint64_t t_start)
{
	if (wl_stop)
		return 0;
	if (c->duration_ns)
		return timer_ns() - t_start < c->duration_ns;
	return round < (c->iterations ? c->iterations : 1);
}

static void report(json_t *root, const struct pass *ps, const struct region *r, int64_t huge)
{
	static const char *const name[] = { "first_touch_cold", "first_touch_warm", "retouch_resident" };
	static const char *const regime[] = { "cold", "warm", "resident" };
	static const char *const desc[] = {
		"first touch of memory new to this process, per unit page (fault + population); "
		"host-cold only if the memory had been free for seconds before the run",
		"first touch of memory freed and remapped just before, per unit page",
		"touch of already-faulted pages, per unit page (no fault)",
	};
	json_t *o = wljson_options(root);

	json_object_set_new(o, "backing", json_string(region_backing(&ropts)));
	json_object_set_new(o, "unit_bytes", json_integer((json_int_t)r->unit));
	json_object_set_new(o, "mergeable", json_boolean(ropts.mergeable));
	json_object_set_new(root, "anon_huge_bytes_after_warm", huge >= 0 ? json_integer(huge) : json_null());
	for (int i = 0; i < 3; i++) {
		char mname[64];

		wljson_hist(root, name[i], &ps[i].h, "ns", 1, "ns", regime[i], desc[i]);
		wljson_throughput(root, name[i], mib_per_s(&ps[i]), "MiB/s");
		snprintf(mname, sizeof(mname), "%s_p50", name[i]);
		wljson_metric(root, mname, (double)hist_percentile(&ps[i].h, 50), "ns", "lower");
		snprintf(mname, sizeof(mname), "%s_mibs", name[i]);
		wljson_metric(root, mname, mib_per_s(&ps[i]), "MiB/s", "higher");
	}
}

static void summary(const struct pass *ps, const struct region *r)
{
	static const char *const label[] = { "cold first touch", "warm first touch", "resident re-touch" };

	printf("memtouch: %zu MiB, %s, unit %zu KiB\n", r->len >> 20, region_backing(&ropts), r->unit >> 10);
	for (int i = 0; i < 3; i++)
		printf("  %-18s p50 %8.0f ns  p99 %8.0f ns  max %9.0f ns  %9.1f MiB/s  (%llu pages)\n",
		       label[i], (double)hist_percentile(&ps[i].h, 50), (double)hist_percentile(&ps[i].h, 99),
		       (double)ps[i].h.max, mib_per_s(&ps[i]), (unsigned long long)ps[i].h.count);
	printf("  histogram relative error <= %.2f %%\n", HIST_REL_ERROR * 100);
}

int main(int argc, char **argv)
{
	static struct pass ps[3];	/* cold, warm, resident: ~60 KB each */
	struct wl_common c;
	struct region r;
	uint64_t t_start, round = 0;
	int64_t huge;
	json_t *root;
	int rc;

	if ((rc = wl_parse(&prog, argc, argv, &c)) != WLOPT_OK)
		return rc == WLOPT_HELP ? 0 : 2;
	if (region_start(prog.name, c.size, &ropts, &r) < 0)
		return 2;
	for (int i = 0; i < 3; i++)
		hist_init(&ps[i].h);
	root = wljson_new(prog.name, &c, timer_overhead_ns());
	t_start = timer_ns();
	touch_pass(&r, &ps[0], 1);
	while (more_rounds(&c, round++, t_start)) {
		region_unmap(&r);
		if (region_map(&r, c.size, &ropts) < 0) {
			fprintf(stderr, "memtouch: remapping for the warm pass: %s\n", ocb_errmsg());
			json_decref(root);
			return 2;
		}
		touch_pass(&r, &ps[1], 2);
		touch_pass(&r, &ps[2], 3);
	}
	huge = meminfo_field("/proc/self/smaps_rollup", "AnonHugePages");
	report(root, ps, &r, huge);
	summary(ps, &r);
	region_unmap(&r);
	if (wljson_finish(root, "ok", c.json_path) < 0) {
		fprintf(stderr, "memtouch: %s\n", ocb_errmsg());
		return 2;
	}
	return 0;
}
