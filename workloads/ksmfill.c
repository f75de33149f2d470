/* ksmfill — pages that KSM can merge, and what merging costs.
 *
 * Every 4K page of SIZE gets a kind chosen from (--seed, page number):
 *   identical  content from (seed, page): the same in every instance
 *              started with the same seed, so two guests share them;
 *   zero       all zeros (written, so the page exists);
 *   unique     content from (seed, page, a per-instance random nonce).
 * The pages are held for --duration while /proc/self/ksm_merging_pages is
 * sampled.  --cow then writes to every identical and zero page (storing
 * the byte already there, so the content stays the same) and records the
 * copy-on-write break latency, split by whether /proc/self/pagemap showed
 * the page shared (merged) just before.  Finally every page is checked
 * against its expected content: merging must never change data.  A
 * mismatch names the page and exits 1.
 */
#include "util/error.h"
#include "histogram.h"
#include "meminfo.h"
#include "region.h"
#include "rng.h"
#include "stop.h"
#include "timer.h"
#include "util/units.h"
#include "wljson.h"
#include "wlopt.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#define PAGE 4096u
#define WORDS (PAGE / 8)
#define PM_EXCLUSIVE (UINT64_C(1) << 56)
#define PM_PRESENT (UINT64_C(1) << 63)
#define MAX_NAMED 10	/* mismatching pages named on stderr */

enum kind { IDENTICAL, ZERO, UNIQUE };
static const char *const kind_name[] = { "identical", "zero", "unique" };

static struct {
	double identical, zero;
	int cow;
	uint64_t interval_ns;
	uint64_t corrupt_page;	/* page number + 1; 0: none */
	uint64_t nonce;
} o = { .identical = 0.5, .zero = 0.25, .interval_ns = 1000000000u };

static int set_corrupt(void *field, const char *arg)
{
	uint64_t n;

	if (parse_u64_range(arg, 0, UINT64_MAX - 1, &n) < 0)
		return -1;
	*(uint64_t *)field = n + 1;
	return 0;
}

static int set_interval(void *field, const char *arg)
{
	return parse_duration_ns(arg, 0, field);
}

static const struct wlopt ksmfill_opts[] = {
	{ "identical", "F", "fraction of pages identical across instances with the same seed (0.5)",
	  wlopt_set_fraction, &o.identical },
	{ "zero", "F", "fraction of zero pages (0.25); the rest are unique", wlopt_set_fraction, &o.zero },
	{ "cow", NULL, "after holding, write to identical and zero pages; record COW-break latency",
	  wlopt_set_flag, &o.cow },
	{ "interval", "DUR", "sample /proc/self/ksm_merging_pages this often while holding (1s)",
	  set_interval, &o.interval_ns },
	{ "corrupt-page", "N", "SELF-TEST: corrupt page N before verifying, to prove a mismatch exits 1",
	  set_corrupt, &o.corrupt_page },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct wl_program prog = {
	.name = "ksmfill",
	.summary = "Fill SIZE with identical (same seed = same content), zero and unique pages, hold\n"
		   "them for KSM, optionally break copy-on-write, then verify every page.",
	.notes = "--duration is the hold time; --iterations N holds for N sampling intervals.\n"
		 "The region is MADV_MERGEABLE (when the kernel has KSM) and MADV_NOHUGEPAGE.",
	.default_size = 64 * MiB,
	.default_run = "--duration 5s",
	.opts = ksmfill_opts,
};

static enum kind page_kind(uint64_t seed, uint64_t page)
{
	double u = (double)(rng_mix(seed ^ rng_mix(page + 0x6b736d)) >> 11) * (1.0 / 9007199254740992.0);

	return u < o.identical ? IDENTICAL : u < o.identical + o.zero ? ZERO : UNIQUE;
}

/* The generator of a page's content; zero pages need none. */
static struct rng page_rng(uint64_t seed, uint64_t page, enum kind k)
{
	struct rng r = { rng_mix(seed) ^ rng_mix(page * 2 + 1) };

	if (k == UNIQUE)
		r.s ^= rng_mix(o.nonce);
	return r;
}

static void fill(char *base, uint64_t pages, uint64_t seed)
{
	for (uint64_t p = 0; p < pages && !wl_stop; p++) {
		uint64_t *w = (uint64_t *)(base + p * PAGE);
		enum kind k = page_kind(seed, p);
		struct rng r = page_rng(seed, p, k);

		for (unsigned i = 0; i < WORDS; i++)
			w[i] = k == ZERO ? 0 : rng_next(&r);
	}
}

/* Byte offset of the first difference in page p, or -1 when it is as
 * expected. */
static long check_page(const char *base, uint64_t p, uint64_t seed, uint64_t *want, uint64_t *got)
{
	const uint64_t *w = (const uint64_t *)(base + p * PAGE);
	enum kind k = page_kind(seed, p);
	struct rng r = page_rng(seed, p, k);

	for (unsigned i = 0; i < WORDS; i++) {
		uint64_t e = k == ZERO ? 0 : rng_next(&r);

		if (w[i] != e) {
			*want = e;
			*got = w[i];
			return (long)i * 8;
		}
	}
	return -1;
}

static uint64_t verify(const char *base, uint64_t pages, uint64_t seed, json_t *root)
{
	uint64_t bad = 0, want, got;
	json_t *named = json_array();

	for (uint64_t p = 0; p < pages; p++) {
		long off = check_page(base, p, seed, &want, &got);

		if (off < 0)
			continue;
		if (bad++ < MAX_NAMED) {
			fprintf(stderr, "ksmfill: page %" PRIu64 " (%s, offset 0x%" PRIx64 ") content mismatch at "
				"byte %ld: expected word 0x%016" PRIx64 ", found 0x%016" PRIx64 "\n",
				p, kind_name[page_kind(seed, p)], p * PAGE, off, want, got);
			json_array_append_new(named, json_pack("{s:I,s:s,s:i}", "page", (json_int_t)p,
							       "kind", kind_name[page_kind(seed, p)],
							       "byte", (int)off));
		}
	}
	wljson_metric(root, "verify_mismatched_pages", (double)bad, "pages", "lower");
	json_object_set_new(root, "verify", json_pack("{s:I,s:I,s:o}", "pages", (json_int_t)pages,
						      "mismatched_pages", (json_int_t)bad,
						      "first_mismatches", named));
	return bad;
}

/* Hold the pages, sampling KSM progress; returns the highest count seen. */
static int64_t hold(const struct wl_common *c, json_t *root)
{
	static const char *const cols[] = { "t_s", "ksm_merging_pages", NULL };
	static const char *const units[] = { "s", "pages", NULL };
	json_t *rows = wljson_series(root, "ksm", cols, units);
	uint64_t start = timer_ns(), n = 0;
	int64_t best = -1;

	for (;;) {
		int64_t m = meminfo_ksm_merging_pages();
		double row[2] = { (double)(timer_ns() - start) / 1e9, (double)m };

		wljson_series_row(rows, 2, row);
		if (m > best)
			best = m;
		if (wl_stop || (c->iterations ? n++ >= c->iterations : timer_ns() - start >= c->duration_ns))
			break;
		timer_sleep_ns(o.interval_ns, &wl_stop);
	}
	return best;
}

static void cow(char *base, uint64_t pages, uint64_t seed, struct hist h[3])
{
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	for (uint64_t p = 0; p < pages && !wl_stop; p++) {
		volatile unsigned char *b = (volatile unsigned char *)(base + p * PAGE);
		uint64_t ent = 0, t0;
		unsigned char v;
		int which = 2;	/* unknown */

		if (page_kind(seed, p) == UNIQUE)
			continue;
		if (pm >= 0 && pread(pm, &ent, sizeof(ent), (off_t)((uintptr_t)b / PAGE * 8)) == sizeof(ent) &&
		    (ent & PM_PRESENT))
			which = (ent & PM_EXCLUSIVE) ? 1 : 0;
		t0 = timer_ns();
		v = b[0];
		b[0] = v;	/* a write fault on a merged page, same data */
		hist_record(&h[which], timer_ns() - t0);
	}
	if (pm >= 0)
		close(pm);
}

static void report_cow(json_t *root, struct hist h[3])
{
	wljson_hist(root, "cow_break_merged", &h[0], "ns", 1, "ns", "resident",
		    "write to an identical/zero page that pagemap showed shared (KSM-merged): COW break");
	wljson_hist(root, "cow_write_unmerged", &h[1], "ns", 1, "ns", "resident",
		    "write to an identical/zero page that was not merged (exclusive)");
	wljson_hist(root, "cow_write_unknown", &h[2], "ns", 1, "ns", "resident",
		    "write to an identical/zero page whose state pagemap did not tell");
	if (h[0].count)
		wljson_metric(root, "cow_break_p50", (double)hist_percentile(&h[0], 50), "ns", "lower");
	printf("  COW break of merged pages: %llu pages, p50 %.0f ns, p99 %.0f ns; unmerged writes: %llu\n",
	       (unsigned long long)h[0].count, (double)hist_percentile(&h[0], 50),
	       (double)hist_percentile(&h[0], 99), (unsigned long long)(h[1].count + h[2].count));
}

static int check_args(struct wl_common *c, uint64_t pages)
{
	if (o.identical + o.zero > 1.0)
		return ocb_fail("--identical %g plus --zero %g exceed 1: expected fractions that sum to at most 1",
				o.identical, o.zero);
	if (o.corrupt_page > pages)
		return ocb_fail("--corrupt-page %" PRIu64 " is beyond the last page: expected 0..%" PRIu64,
				o.corrupt_page - 1, pages - 1);
	if (!c->duration_ns && !c->iterations)
		c->duration_ns = 5000000000u;
	return 0;
}

static void report_fill(json_t *root, uint64_t pages, uint64_t seed, int merge_ok, uint64_t fill_ns)
{
	uint64_t n[3] = { 0, 0, 0 };
	json_t *opts = wljson_options(root);

	for (uint64_t p = 0; p < pages; p++)
		n[page_kind(seed, p)]++;
	json_object_set_new(opts, "identical", json_real(o.identical));
	json_object_set_new(opts, "zero", json_real(o.zero));
	json_object_set_new(opts, "cow", json_boolean(o.cow));
	json_object_set_new(opts, "mergeable", json_boolean(merge_ok));
	json_object_set_new(opts, "nonce", json_integer((json_int_t)(o.nonce >> 1)));
	json_object_set_new(root, "pages", json_pack("{s:I,s:I,s:I,s:I}", "total", (json_int_t)pages,
						     "identical", (json_int_t)n[IDENTICAL], "zero",
						     (json_int_t)n[ZERO], "unique", (json_int_t)n[UNIQUE]));
	wljson_throughput(root, "fill", fill_ns ? (double)(pages * PAGE) / MiB / (fill_ns / 1e9) : 0, "MiB/s");
	wljson_metric(root, "fill_mibs", fill_ns ? (double)(pages * PAGE) / MiB / (fill_ns / 1e9) : 0,
		      "MiB/s", "higher");
	printf("ksmfill: %" PRIu64 " pages: %" PRIu64 " identical, %" PRIu64 " zero, %" PRIu64 " unique\n",
	       pages, n[IDENTICAL], n[ZERO], n[UNIQUE]);
}

int main(int argc, char **argv)
{
	static struct hist h[3];
	struct region_opts ro = { .thp = REGION_THP_OFF };
	struct wl_common c;
	struct region reg;
	uint64_t pages, t0, bad;
	int64_t merged;
	int rc, merge_ok;
	json_t *root;

	if ((rc = wl_parse(&prog, argc, argv, &c)) != WLOPT_OK)
		return rc == WLOPT_HELP ? 0 : 2;
	pages = (c.size + PAGE - 1) / PAGE;
	if (check_args(&c, pages) < 0) {
		fprintf(stderr, "ksmfill: %s\n", ocb_errmsg());
		wl_usage(&prog, stderr);
		return 2;
	}
	stop_install();
	meminfo_prefer_oom_kill();
	if (meminfo_check_fits(pages * PAGE) < 0 || region_map(&reg, pages * PAGE, &ro) < 0) {
		fprintf(stderr, "ksmfill: %s\n", ocb_errmsg());
		return 2;
	}
	/* No KSM in the kernel is no reason to stop: the host may still merge
	 * this guest's pages.  Recorded as mergeable: false. */
	merge_ok = madvise(reg.base, reg.len, MADV_MERGEABLE) == 0;
	if (getrandom(&o.nonce, sizeof(o.nonce), 0) != sizeof(o.nonce))
		o.nonce = rng_mix((uint64_t)getpid() ^ timer_ns());
	for (int i = 0; i < 3; i++)
		hist_init(&h[i]);
	root = wljson_new(prog.name, &c, timer_overhead_ns());
	t0 = timer_ns();
	fill(reg.base, pages, c.seed);
	report_fill(root, pages, c.seed, merge_ok, timer_ns() - t0);
	merged = hold(&c, root);
	/* /proc/self/ksm_merging_pages is the kernel ksmfill runs on: in a
	 * guest that is the guest's own KSM, not the host's merging of the
	 * guest's RAM, so the name says whose it is */
	json_object_set_new(root, "own_kernel_ksm_merging_pages_max",
			    merged >= 0 ? json_integer(merged) : json_null());
	if (merged >= 0)
		wljson_metric(root, "own_kernel_ksm_merging_pages_max", (double)merged, "pages", "higher");
	printf("  KSM merging pages of ksmfill's own kernel (max while holding): %s%" PRId64 "\n",
	       merged < 0 ? "n/a " : "", merged);
	if (o.cow) {
		cow(reg.base, pages, c.seed, h);
		report_cow(root, h);
	}
	if (o.corrupt_page)
		reg.base[(o.corrupt_page - 1) * PAGE] ^= 0x5a;
	bad = wl_stop ? 0 : verify(reg.base, pages, c.seed, root);
	printf("  verify: %s (%" PRIu64 " of %" PRIu64 " pages differ)\n",
	       wl_stop ? "skipped (stopped)" : bad ? "FAILED" : "ok", bad, pages);
	region_unmap(&reg);
	if (wljson_finish(root, bad ? "verify-failed" : "ok", c.json_path) < 0) {
		fprintf(stderr, "ksmfill: %s\n", ocb_errmsg());
		return 2;
	}
	return bad ? 1 : 0;
}
