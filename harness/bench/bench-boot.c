/* bench-boot — `make bench`: how fast a guest is ready, side by side.
 *
 * Boots the default guest (vmlinux through PVH + qboot, tuned command
 * line) and, interleaved with it, a plain boot of the same initramfs
 * (the compressed bzImage through SeaBIOS, "console=ttyS0 quiet"): both
 * to the moment the guest agent answers, same machine, same minute.
 * Prints the medians and their ratio, then the wall time of the whole
 * quickstart scenario (boot, free -m, balloon 2048 -> 512 -> 2048 MiB,
 * quit) run through the real ocbench binary.  Figures, not assertions:
 * timing targets do not belong in make check.
 *
 * Targets under TCG on the development machines: boot to agent-ready
 * <= 1.2 s; quickstart <= 3 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accel.h"
#include "clock.h"
#include "error.h"
#include "fsutil.h"
#include "guest-image.h"
#include "runcmd.h"
#include "units.h"
#include "vm.h"

#define ROUNDS 5

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One boot to agent-ready; returns seconds or -1. */
static double boot_once(const struct guest_image *gi, int plain, const char *dir)
{
	struct vm_config cfg;
	struct strbuf qemu = STRBUF_INIT;
	struct vm *vm;
	double s = -1;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.name, sizeof(cfg.name), "%s", plain ? "plain" : "tuned");
	cfg.memory_bytes = 2048 * MiB;
	cfg.vcpus = 1;
	cfg.balloon = 1;
	cfg.mem_merge = 1;
	if (plain) {
		snprintf(cfg.kernel, sizeof(cfg.kernel), "%s/vmlinuz", gi->dir);
		snprintf(cfg.append, sizeof(cfg.append), "console=ttyS0 quiet");
	} else {
		snprintf(cfg.kernel, sizeof(cfg.kernel), "%s", gi->kernel);
		snprintf(cfg.append, sizeof(cfg.append), "%s", gi->append);
	}
	snprintf(cfg.initrd, sizeof(cfg.initrd), "%s", gi->initrd);
	if (find_program("qemu-system-x86_64", &qemu) < 0)
		goto out;
	snprintf(cfg.qemu_binary, sizeof(cfg.qemu_binary), "%s", qemu.buf);
	accel_choose("/", ACCEL_AUTO, &cfg.accel);
	snprintf(cfg.rundir, sizeof(cfg.rundir), "%s", dir);
	snprintf(cfg.outdir, sizeof(cfg.outdir), "%s", dir);
	cfg.boot_timeout_ns = 60 * 1000000000ull;
	cfg.cmd_timeout_ns = 10 * 1000000000ull;
	vm = vm_new(&vm_qemu_ops, &cfg);
	if (vm && vm->ops->start(vm) == 0)
		s = ns_to_s(vm->boot_ns);
	else
		fprintf(stderr, "bench-boot: %s\n", ocb_errmsg());
	if (vm)
		vm->ops->stop(vm);
	vm_free(vm);
out:
	strbuf_release(&qemu);
	return s;
}

static double quickstart_once(const char *ocbench, const char *out)
{
	const char *argv[] = { ocbench, "run", "scenarios/quickstart.ini", "-o", out, NULL };
	struct strbuf log = STRBUF_INIT;
	uint64_t t0 = mono_ns();
	int rc = run_capture(argv, &log, 120 * 1000000000ull);
	double s = ns_to_s(mono_ns() - t0);

	if (rc != 0) {
		fprintf(stderr, "bench-boot: quickstart failed (%d): %s\n", rc, log.buf ? log.buf : ocb_errmsg());
		s = -1;
	}
	strbuf_release(&log);
	return s;
}

int main(void)
{
	char dir[] = "/tmp/ocbench-bench-XXXXXX";
	const char *ocbench = getenv("OCBENCH") ? getenv("OCBENCH") : "build/ocbench";
	double tuned[ROUNDS], plain[ROUNDS], quick[3], mt, mp;
	struct guest_image gi;
	char out[64];

	if (guest_image_default(&gi) < 0) {
		fprintf(stderr, "bench-boot: %s\n", ocb_errmsg());
		return 1;
	}
	if (!mkdtemp(dir)) {
		perror("bench-boot: mkdtemp");
		return 1;
	}
	/* one boot to warm the page cache and the host's free memory, then
	 * interleave so drift hits both sides alike */
	boot_once(&gi, 0, dir);
	for (int i = 0; i < ROUNDS; i++) {
		tuned[i] = boot_once(&gi, 0, dir);
		plain[i] = boot_once(&gi, 1, dir);
		if (tuned[i] < 0 || plain[i] < 0)
			return 1;
	}
	mt = median(tuned, ROUNDS);	/* sorts: [0] is min, [ROUNDS-1] max */
	mp = median(plain, ROUNDS);
	printf("boot to guest-agent ready (median of %d, TCG unless KVM is usable):\n", ROUNDS);
	printf("  ocbench guest (vmlinux/PVH, qboot, tuned cmdline)  %6.3f s   [min %.3f, max %.3f]\n",
	       mt, tuned[0], tuned[ROUNDS - 1]);
	printf("  plain -kernel bzImage (SeaBIOS, same initramfs)    %6.3f s   [min %.3f, max %.3f]\n",
	       mp, plain[0], plain[ROUNDS - 1]);
	printf("  ratio plain / ocbench                               %6.2fx   (target: ocbench <= 1.2 s)\n",
	       mp / mt);
	for (int i = 0; i < 3; i++) {
		snprintf(out, sizeof(out), "%s/quick", dir);
		quick[i] = quickstart_once(ocbench, out);
		if (quick[i] < 0)
			return 1;
	}
	printf("quickstart wall time (ocbench run scenarios/quickstart.ini, median of 3): %.3f s (target <= 3 s)\n",
	       median(quick, 3));
	remove_tree(dir);
	return 0;
}
