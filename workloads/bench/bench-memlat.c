/* bench-memlat.c — random pointer chase at a 1 GiB working set with THP
 * on and off: hugepages should cut latency (fewer TLB misses, shorter
 * walks); this prints how much.  OCB_BENCH_MEMLAT_SIZE overrides 1G. */
#include "chase.h"
#include "util/error.h"
#include "meminfo.h"
#include "region.h"
#include "timer.h"
#include "util/units.h"

#include <stdio.h>
#include <stdlib.h>

#define LOADS 20000000u

/* ns per load, or -1 with a message. */
static double chase_ns(uint64_t size, int thp, int64_t *huge)
{
	struct region_opts o = { .thp = thp };
	struct region reg;
	struct rng r = { 1 };
	void *pos;
	uint64_t t0;
	double ns;

	if (region_map(&reg, size, &o) < 0) {
		fprintf(stderr, "bench-memlat: %s\n", ocb_errmsg());
		return -1;
	}
	pos = chase_build(reg.base, reg.len, &r);
	*huge = meminfo_field("/proc/self/smaps_rollup", "AnonHugePages");
	chase_run(&pos, LOADS / 4);	/* warm caches and TLB */
	t0 = timer_ns();
	chase_run(&pos, LOADS);
	ns = (double)(timer_ns() - t0) / LOADS;
	region_unmap(&reg);
	return ns;
}

int main(void)
{
	const char *env = getenv("OCB_BENCH_MEMLAT_SIZE");
	uint64_t size = GiB;
	int64_t huge_on, huge_off;
	double on, off;

	if (env && parse_size(env, 1, &size) < 0) {
		fprintf(stderr, "bench-memlat: OCB_BENCH_MEMLAT_SIZE: %s\n", ocb_errmsg());
		return 2;
	}
	on = chase_ns(size, REGION_THP_ON, &huge_on);
	off = chase_ns(size, REGION_THP_OFF, &huge_off);
	if (on < 0 || off < 0)
		return 1;
	printf("memlat %llu MiB, THP on:  %.1f ns per access (AnonHugePages %lld MiB)\n",
	       (unsigned long long)(size >> 20), on, (long long)(huge_on >> 20));
	printf("memlat %llu MiB, THP off: %.1f ns per access (AnonHugePages %lld MiB)\n",
	       (unsigned long long)(size >> 20), off, (long long)(huge_off >> 20));
	printf("THP on / off latency ratio: %.3f (%s)\n", on / off,
	       on < off ? "hugepages cut latency" : "hugepages did not help here");
	return 0;
}
