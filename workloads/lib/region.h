/* region.h — one anonymous memory region with the backing a test asks for.
 *
 * The knobs under test are properties of the mapping: THP by madvise
 * (MADV_HUGEPAGE / MADV_NOHUGEPAGE), hugetlbfs pages by MAP_HUGETLB
 * (2M or 1G), KSM by MADV_MERGEABLE.  A region also knows its "unit",
 * the page size one fault populates (4K, or 2M for THP and hugetlb 2M,
 * 1G for hugetlb 1G), so fault latency is reported per real page.
 */
#ifndef OCB_WL_REGION_H
#define OCB_WL_REGION_H

#include <stddef.h>
#include <stdint.h>

enum { REGION_THP_DEFAULT = 0, REGION_THP_ON, REGION_THP_OFF };

struct region_opts {
	int thp;		/* REGION_THP_* */
	uint64_t hugetlb;	/* 0, 2 MiB or 1 GiB */
	int mergeable;
};

struct region {
	char *base;		/* aligned to unit */
	size_t len;		/* as asked, rounded up to the unit for hugetlb */
	size_t unit;		/* bytes populated by one fault */
	char *map_base;		/* what munmap needs */
	size_t map_len;
};

/* Map len bytes (not touched).  0, or -1 with ocb_errmsg() naming the
 * size, the backing and what to do (e.g. reserve hugepages). */
int region_map(struct region *r, uint64_t len, const struct region_opts *o);
void region_unmap(struct region *r);
/* The common start of a program that measures one region: stop cleanly
 * on SIGTERM/SIGINT, let the OOM killer pick this process before the
 * guest agent, refuse a SIZE that cannot fit, map it.  On failure prints
 * "PROG: why" on stderr and returns -1 (the program exits 2). */
int region_start(const char *prog, uint64_t size, const struct region_opts *o, struct region *r);
/* "4K", "THP 2M (madvise)", "hugetlb 2M", ... for summaries and JSON. */
const char *region_backing(const struct region_opts *o);

/* Table setters (see wlopt.h): "on|off", "2M|1G". */
int region_opt_thp(void *field, const char *arg);
int region_opt_hugetlb(void *field, const char *arg);

#endif
