/* region.c — see region.h. */
#include "region.h"
#include "util/error.h"
#include "meminfo.h"
#include "stop.h"
#include "util/units.h"

#include <errno.h>
#include <stdio.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

#define THP_SIZE (2 * MiB)

int region_opt_thp(void *field, const char *arg)
{
	if (!strcmp(arg, "on"))
		*(int *)field = REGION_THP_ON;
	else if (!strcmp(arg, "off"))
		*(int *)field = REGION_THP_OFF;
	else
		return ocb_fail("invalid THP setting '%s': expected on or off", arg);
	return 0;
}

int region_opt_hugetlb(void *field, const char *arg)
{
	uint64_t sz;

	if (parse_size(arg, 1, &sz) < 0 || (sz != 2 * MiB && sz != GiB))
		return ocb_fail("invalid hugetlb page size '%s': expected 2M or 1G", arg);
	*(uint64_t *)field = sz;
	return 0;
}

const char *region_backing(const struct region_opts *o)
{
	if (o->hugetlb == GiB)
		return "hugetlb 1G";
	if (o->hugetlb)
		return "hugetlb 2M";
	if (o->thp == REGION_THP_ON)
		return "THP (MADV_HUGEPAGE)";
	if (o->thp == REGION_THP_OFF)
		return "4K (MADV_NOHUGEPAGE)";
	return "4K or THP (system default)";
}

static int map_hugetlb(struct region *r, uint64_t len, uint64_t page)
{
	int shift = page == GiB ? 30 : 21;
	uint64_t rounded = (len + page - 1) / page * page;
	void *p = mmap(NULL, rounded, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (shift << MAP_HUGE_SHIFT), -1, 0);

	if (p == MAP_FAILED)
		return ocb_fail_errno("mmap of %" PRIu64 " MiB with MAP_HUGETLB (%s pages) failed "
				      "(expected %" PRIu64 " free %s hugepages: see "
				      "/sys/kernel/mm/hugepages/hugepages-%skB/free_hugepages)",
				      rounded >> 20, page == GiB ? "1G" : "2M", rounded / page,
				      page == GiB ? "1G" : "2M", page == GiB ? "1048576" : "2048");
	r->base = r->map_base = p;
	r->len = r->map_len = rounded;
	r->unit = page;
	return 0;
}

/* Over-map by 2 MiB and start at a 2 MiB boundary, so THP can back the
 * whole region and the unit boundaries are the huge page boundaries. */
static int map_anon(struct region *r, uint64_t len, const struct region_opts *o)
{
	size_t extra = o->thp == REGION_THP_ON ? THP_SIZE : 0;
	void *p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uintptr_t a;

	if (p == MAP_FAILED)
		return ocb_fail_errno("mmap of %" PRIu64 " MiB of anonymous memory failed", len >> 20);
	a = extra ? ((uintptr_t)p + extra - 1) & ~(uintptr_t)(extra - 1) : (uintptr_t)p;
	r->map_base = p;
	r->map_len = len + extra;
	r->base = (char *)a;
	r->len = len;
	r->unit = 4096;
	if (o->thp != REGION_THP_DEFAULT) {
		int advice = o->thp == REGION_THP_ON ? MADV_HUGEPAGE : MADV_NOHUGEPAGE;

		if (madvise(r->base, r->len, advice) < 0) {
			ocb_fail_errno("madvise(%s) on %" PRIu64 " MiB failed (expected a kernel with THP)",
				       o->thp == REGION_THP_ON ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE", len >> 20);
			region_unmap(r);
			return -1;
		}
		if (o->thp == REGION_THP_ON)
			r->unit = THP_SIZE;
	}
	return 0;
}

int region_map(struct region *r, uint64_t len, const struct region_opts *o)
{
	memset(r, 0, sizeof(*r));
	if (o->hugetlb) {
		if (map_hugetlb(r, len, o->hugetlb) < 0)
			return -1;
	} else if (map_anon(r, len, o) < 0) {
		return -1;
	}
	if (o->mergeable && madvise(r->base, r->len, MADV_MERGEABLE) < 0) {
		ocb_fail_errno("madvise(MADV_MERGEABLE) on %" PRIu64 " MiB failed (expected a kernel with KSM)",
			       (uint64_t)r->len >> 20);
		region_unmap(r);
		return -1;
	}
	return 0;
}

void region_unmap(struct region *r)
{
	if (r->map_base)
		munmap(r->map_base, r->map_len);
	memset(r, 0, sizeof(*r));
}

int region_start(const char *prog, uint64_t size, const struct region_opts *o, struct region *r)
{
	stop_install();
	meminfo_prefer_oom_kill();
	if (meminfo_check_fits(size) < 0 || region_map(r, size, o) < 0) {
		fprintf(stderr, "%s: %s\n", prog, ocb_errmsg());
		return -1;
	}
	return 0;
}
