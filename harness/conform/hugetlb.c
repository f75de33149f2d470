/* hugetlb.c — HTLB-001/002: a guest backed by hugetlbfs consumes
 * exactly memory / page size pages of the pool and returns every one of
 * them when it shuts down (a leak check).
 *
 * The pool is grown through the journaled hugetlb.<size> knob (restored
 * when the suite ends) by what the guest needs plus a few spare pages, so
 * "exactly" is measured, not implied by an exhausted pool.  The guest
 * maps a private hugetlbfs mount of ours, never /dev/hugepages.
 */
#include "conform/hugetlb.h"
#include "conform/fixture.h"
#include "util/clock.h"
#include "util/error.h"
#include "host/hugetlb.h"
#include "host/sysfs.h"
#include "util/units.h"

#include <stdio.h>
#include <string.h>

struct pool {
	const char *size;		/* "2M" */
	const char *dir;		/* hugepages-2048kB */
	uint64_t page;
	uint64_t guest_mem;
	enum vm_backing backing;
	unsigned spare;			/* pages beyond the guest's, so "exactly" shows */
};

static const struct pool pool_2m = { "2M", "hugepages-2048kB", 2 * MiB, 512 * MiB, BACKING_HUGETLB_2M, 4 };
static const struct pool pool_1g = { "1G", "hugepages-1048576kB", GiB, GiB, BACKING_HUGETLB_1G, 1 };

static int pool_read(struct conform_ctx *c, const struct pool *p, const char *field, unsigned long long *v)
{
	char rel[256];

	snprintf(rel, sizeof(rel), HUGETLB_DIR "/%s/%s", p->dir, field);
	return sysfs_read_u64(c->opt.root, rel, v);
}

/* Free pages back to the level before the guest, waiting for QEMU's
 * exit to release them; the last reading into *v.  -1 when the pool
 * cannot be read. */
static int wait_free(struct conform_ctx *c, const struct pool *p, unsigned long long want, unsigned long long *v)
{
	uint64_t t0 = mono_ns();

	for (;;) {
		if (pool_read(c, p, "free_hugepages", v) < 0)
			return -1;
		if (*v == want || mono_ns() - t0 >= 3000000000ull || conform_sleep(c, 50 * 1000000ull) < 0)
			return 0;
	}
}

/* Grow the pool by what the guest needs plus the spare pages.  0 done;
 * -1 with r's verdict: SKIP only when the kernel could not find that many
 * free huge pages (the pool reads back fewer than asked: memory too small
 * or too fragmented, a fact of this host); a knob, journal or sysfs error
 * is ocbench failing to carry the check out (ERROR). */
static int fill_pool(struct conform_ctx *c, struct conform_result *r, const struct pool *p, unsigned long long nr0,
		     unsigned long long want)
{
	char why[512], value[32];
	unsigned long long now;
	int k;

	snprintf(value, sizeof(value), "%llu", want);
	k = conform_knob(c, p->size[1] == 'M' ? "hugetlb.2M" : "hugetlb.1G", value, why, sizeof(why));
	if (k == 0)
		return 0;
	if (k == 1) {
		conform_skip(r, "the %s pool: %s", p->size, why);	/* no such pool on this kernel */
		return -1;
	}
	snprintf(why, sizeof(why), "%s", ocb_errmsg());
	if (pool_read(c, p, "nr_hugepages", &now) == 0 && now < want && strstr(why, "requested "))
		conform_skip(r, "the %s pool cannot be filled to %llu pages: it holds %llu (%llu before): %s", p->size,
			     want, now, nr0, why);
	else
		conform_error(r, "growing the %s pool to %llu pages: %s", p->size, want, why);
	return -1;
}

static void htlb_check(struct conform_ctx *c, struct conform_result *r, const struct pool *p)
{
	unsigned long long nr0, free0, free1, rsv1, free2, nr2, need = p->guest_mem / p->page;
	struct conform_guest_spec spec = { .memory_bytes = p->guest_mem, .backing = p->backing, .mem_merge = 0 };
	char mnt[512], name[32];
	struct vm *vm;

	if (pool_read(c, p, "nr_hugepages", &nr0) < 0 || pool_read(c, p, "free_hugepages", &free0) < 0) {
		conform_error(r, "%s pool: %s", p->size, ocb_errmsg());
		return;
	}
	if (fill_pool(c, r, p, nr0, nr0 + need + p->spare) < 0)
		return;
	if (conform_hugetlbfs(c, p->size, mnt, sizeof(mnt)) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	if (pool_read(c, p, "free_hugepages", &free0) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	snprintf(name, sizeof(name), "htlb-%s", p->size);
	spec.name = name;
	spec.mem_path = mnt;
	vm = conform_guest(c, &spec);
	if (!vm) {
		conform_error(r, "cannot boot %s on %s pages: %s", name, p->size, ocb_errmsg());
		return;
	}
	if (pool_read(c, p, "free_hugepages", &free1) < 0 || pool_read(c, p, "resv_hugepages", &rsv1) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		conform_guest_stop(c, name);
		return;
	}
	conform_guest_stop(c, name);
	if (wait_free(c, p, free0, &free2) < 0 || pool_read(c, p, "nr_hugepages", &nr2) < 0) {
		conform_error(r, "after %s stopped: %s", name, ocb_errmsg());
		return;
	}
	json_object_set_new(r->evidence, "pool", json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "size", p->size,
							   "nr_before", (json_int_t)nr0, "nr_set", (json_int_t)(nr0 + need + p->spare),
							   "free_before_boot", (json_int_t)free0, "free_running",
							   (json_int_t)free1, "resv_running", (json_int_t)rsv1,
							   "free_after_shutdown", (json_int_t)free2, "nr_after",
							   (json_int_t)nr2));
	json_object_set_new(r->evidence, "expected_pages", json_integer((json_int_t)need));
	json_object_set_new(r->evidence, "consumed_pages", json_integer((json_int_t)(free0 - free1)));
	json_object_set_new(r->evidence, "tolerance", json_pack("{s:i, s:s}", "pages", 0, "rule",
								 "exact: memory / page size, all back after shutdown"));
	conform_summary(r, "%.0f MiB guest used %llu x %s pages (expected %llu); %llu of them back after shutdown",
			bytes_to_mib(p->guest_mem), free0 - free1, p->size, need, free2 - free1);
	if (free0 - free1 != need)
		conform_failf(r, "%s consumed %llu %s pages, expected exactly %llu (memory / page size)", name,
			      free0 - free1, p->size, need);
	else if (free2 != free0)
		conform_failf(r, "%s pool leak: %llu free pages after shutdown, %llu before the guest", p->size, free2,
			      free0);
	else
		conform_pass(r, "%s", "");
}

static void htlb_001(struct conform_ctx *c, struct conform_result *r)
{
	htlb_check(c, r, &pool_2m);
}

static void htlb_002(struct conform_ctx *c, struct conform_result *r)
{
	htlb_check(c, r, &pool_1g);
}

static const struct conform_check checks[] = {
	{ "HTLB-001", "hugetlb", "hugetlbfs 2M backing consumes exactly memory/2 MiB pages and frees them all",
	  NEED_ROOT | NEED_HUGETLB_2M, htlb_001 },
	{ "HTLB-002", "hugetlb", "hugetlbfs 1G backing consumes exactly memory/1 GiB pages and frees them all",
	  NEED_ROOT | NEED_HUGETLB_1G, htlb_002 },
};

const struct conform_suite conform_suite_hugetlb = { "hugetlb", checks, sizeof(checks) / sizeof(checks[0]) };
