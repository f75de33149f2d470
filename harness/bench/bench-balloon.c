/* bench-balloon — `make bench`: does ocbench's balloon timing carry the
 * harness's own delay?
 *
 * One guest (the default image, 2048 MiB, virtio-balloon with guest-stats
 * polling), two ways of timing the same inflate 2048 -> 512 MiB and
 * deflate 512 -> 2048 MiB on it, interleaved and in alternating order so
 * that drift of this machine hits both alike:
 *   - bare: send `balloon`, poll query-balloon every 5 ms until the target
 *     (what a person measures with a QMP loop and nothing else running);
 *   - ocbench: the runner's own request and wait (run/balloon.c through
 *     run/loop.c) with the sampler at 10 Hz and its guest-agent jobs, as
 *     in a run.
 * Prints the medians and ocbench/bare; the target is a bias <= 3 %.
 * Figures, not assertions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-stats.h"
#include "guest/guest-image.h"
#include "host/accel.h"
#include "run/balloon.h"
#include "run/loop.h"
#include "sampler/sampler.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "util/units.h"
#include "vm/qemu.h"
#include "vm/vm.h"

#define ROUNDS 10
#define BARE_POLL_NS (5 * 1000000ull)
#define SMALL (512 * MiB)
#define LARGE (2048 * MiB)

/* The bare QMP loop; seconds or -1. */
static double bare(struct vm *vm, uint64_t target)
{
	uint64_t t0 = mono_ns(), actual = 0, tol = MiB * 10;

	if (vm->ops->balloon_set(vm, target) < 0)
		return -1;
	for (;;) {
		if (vm->ops->balloon_get(vm, &actual) < 0)
			return -1;
		if ((actual > target ? actual - target : target - actual) <= tol)
			return ns_to_s(mono_ns() - t0);
		if (mono_ns() - t0 > 60 * 1000000000ull)
			return -1;
		sleep_ns(BARE_POLL_NS, NULL);
	}
}

/* The runner's request + wait, the sampler ticking; seconds or -1. */
static double harness(struct run_ctx *c, uint64_t target)
{
	struct guest_state *g = &c->gs[0];

	if (run_balloon_request(c, g, target) < 0 || run_balloon_wait(c, g, 60 * 1000000000ull, 0) < 0)
		return -1;
	return ns_to_s(g->reached_ns - g->t_request);
}

static struct vm *boot(const char *dir)
{
	struct guest_image gi;
	struct strbuf qemu = STRBUF_INIT;
	struct vm_setup setup = { .image = &gi, .rundir = dir, .results_dir = dir,
				  .boot_timeout_ns = 60 * 1000000000ull,
				  .cmd_timeout_ns = 10 * 1000000000ull };
	struct vm_config cfg;
	struct vm *vm;

	if (guest_image_default(&gi) < 0 || find_program("qemu-system-x86_64", &qemu) < 0)
		return NULL;
	accel_choose("/", ACCEL_AUTO, &setup.accel);
	setup.qemu_binary = qemu.buf;
	vm_config_init(&cfg, "guest-1", &setup);
	strbuf_release(&qemu);
	cfg.memory_bytes = LARGE;
	cfg.vcpus = 1;
	cfg.balloon = 1;
	cfg.stats_period_s = 1;
	cfg.mem_merge = 1;
	if (mkdir_p(cfg.outdir, 0755) < 0)
		return NULL;
	vm = vm_new(&vm_qemu_ops, &cfg);
	if (vm && vm->ops->start(vm) < 0) {
		vm_free(vm);
		return NULL;
	}
	return vm;
}

int main(void)
{
	char dir[] = "/tmp/ocb-bench-balloon-XXXXXX";
	struct scenario_guest_spec spec = { .memory_bytes = LARGE, .vcpus = 1 };
	struct scenario_guest sg = { .name = "guest-1", .index = 1, .spec = &spec };
	double t[2][2][ROUNDS];	/* [bare|ocbench][inflate|deflate][round] */
	struct guest_state g;
	struct run_ctx c;
	struct vm *vm;
	int rc = 1;

	if (!mkdtemp(dir))
		return 1;
	vm = boot(dir);
	if (!vm) {
		fprintf(stderr, "bench-balloon: %s\n", ocb_errmsg());
		goto out;
	}
	memset(&c, 0, sizeof(c));
	memset(&g, 0, sizeof(g));
	g.vm = vm;
	g.g = &sg;
	g.tolerance = 10 * MiB;
	g.reached_pct_min = 100;
	c.gs = &g;
	c.n = 1;
	c.vms = &g.vm;
	if (results_open(&c.res, dir, NULL) < 0 ||
	    !(c.sampler = sampler_new(&c.res, c.vms, 1, "/", 10, NULL)))
		goto out;
	printf("guest booted in %.2f s (%s); %d rounds, order alternating\n", ns_to_s(vm->boot_ns),
	       accel_name(vm->cfg.accel.kind), ROUNDS);
	for (int r = 0; r < ROUNDS; r++) {
		for (int k = 0; k < 2; k++) {
			int side = (r + k) % 2;	/* 0 bare, 1 ocbench */

			/* a second of the run's loop between, as between actions */
			run_idle(&c, 1000000000ull);
			t[side][0][r] = side ? harness(&c, SMALL) : bare(vm, SMALL);
			run_idle(&c, 1000000000ull);
			t[side][1][r] = side ? harness(&c, LARGE) : bare(vm, LARGE);
			if (t[side][0][r] < 0 || t[side][1][r] < 0) {
				fprintf(stderr, "bench-balloon: round %d: %s\n", r + 1, ocb_errmsg());
				goto out;
			}
		}
	}
	for (int r = 0; r < ROUNDS; r++)
		printf("round %d: inflate bare %.3f ocbench %.3f   deflate bare %.3f ocbench %.3f\n", r + 1,
		       t[0][0][r], t[1][0][r], t[0][1][r], t[1][1][r]);
	/* the minimum is the least disturbed repeat of each: the delay the
	 * harness adds shows there first; the median says what a run sees */
	for (int d = 0; d < 2; d++) {
		double bmin = bench_min(t[0][d], ROUNDS), omin = bench_min(t[1][d], ROUNDS);
		double b = bench_median(t[0][d], ROUNDS), o = bench_median(t[1][d], ROUNDS);

		printf("%s %s: bare QMP loop %.3f s (min %.3f)   ocbench %.3f s (min %.3f)   "
		       "ocbench/bare %.3f, min/min %.3f (target <= 1.03)\n",
		       d ? "deflate" : "inflate", d ? " 512 -> 2048 MiB" : "2048 ->  512 MiB", b, bmin, o, omin,
		       o / b, omin / bmin);
	}
	rc = 0;
out:
	if (c.sampler)
		sampler_free(c.sampler);
	results_close(&c.res, rc ? "failed" : "complete", rc ? "bench failed" : NULL);
	if (vm) {
		vm->ops->stop(vm);
		vm_free(vm);
	}
	remove_tree(dir);
	return rc;
}
