/* guest-image.c — see guest-image.h. */
#include "guest/guest-image.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef OCB_LIBEXECDIR
#define OCB_LIBEXECDIR "/usr/local/libexec/ocbench"
#endif
#ifndef OCB_DATADIR
#define OCB_DATADIR "/usr/local/share/ocbench"
#endif

/* The host's TSC rate in kHz, from /proc/cpuinfo.  Under TCG the guest's
 * TSC is the host's; telling the kernel skips its PIT calibration, which
 * under TCG is slow and occasionally wrong.  0 when unknown. */
static unsigned long host_tsc_khz(void)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	unsigned long khz = 0;

	if (read_file("/proc/cpuinfo", &sb) == 0 && (p = strstr(sb.buf, "cpu MHz")) &&
	    (p = strchr(p, ':')))
		khz = (unsigned long)(strtod(p + 1, NULL) * 1000.0);
	strbuf_release(&sb);
	return khz;
}

int guest_kernel_boots_pvh(const char *kernel)
{
	return file_has_magic(kernel, "\177ELF", 4);
}

const char *guest_disk_format(const char *disk)
{
	return file_has_magic(disk, "QFI\xfb", 4) ? "qcow2" : "raw";
}

int guest_image_default_append(const char *dir, char *buf, size_t len, int pvh)
{
	struct strbuf file = STRBUF_INIT, sb = STRBUF_INIT, path = STRBUF_INIT;
	unsigned long khz = host_tsc_khz();
	char *line, *next;

	/* The firmware- and host-independent part: guest-images/cmdline, as
	 * build-guest copied it beside the kernel (comments skipped). */
	strbuf_addf(&path, "%s/" GUEST_CMDLINE_FILE, dir);
	if (read_file(path.buf, &file) < 0) {
		char why[OCB_ERR_MAX];

		snprintf(why, sizeof(why), "%s", ocb_errmsg());
		ocb_fail("default guest %s: no kernel command line (%s); rebuild the guest with "
			 "'make guest'", dir, why);
		strbuf_release(&path);
		strbuf_release(&file);
		return -1;
	}
	strbuf_release(&path);
	for (line = file.buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line += strspn(line, " \t");
		if (!*line || *line == '#')
			continue;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_adds(&sb, line);
	}
	strbuf_release(&file);
	strbuf_rtrim(&sb);
	/* acpi=off: the ACPI interpreter, PnP and the ACPI PCI scan are ~10 %
	 * of the code a TCG boot translates and ~0.3 s of it (bench-boot).
	 * Only with qboot: its MP table lists every vCPU, while SeaBIOS's
	 * lists one on q35, so a bzImage guest keeps ACPI to see all vCPUs.
	 * The guest needs nothing else from ACPI: virtio is found on PCI,
	 * the harness stops it with QMP quit, and guests have one NUMA node. */
	if (pvh)
		strbuf_adds(&sb, " acpi=off");
	if (khz)
		strbuf_addf(&sb, " tsc_early_khz=%lu", khz);
	snprintf(buf, len, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	return 0;
}

void guest_append_acpi_on(const char *append, char *out, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = append;

	while (*p) {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n && !(n == 8 && !strncmp(p, "acpi=off", 8)))
			strbuf_addf(&sb, "%s%.*s", sb.len ? " " : "", (int)n, p);
		p += n;
	}
	snprintf(out, len, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
}

static int pick(const char *dir, const char *const *names, char *out, size_t len)
{
	for (size_t i = 0; names[i]; i++) {
		snprintf(out, len, "%s/%s", dir, names[i]);
		if (path_exists(out))
			return 0;
	}
	out[0] = '\0';
	return -1;
}

void guest_path_absolute(char *path, size_t len)
{
	char *abs;

	if (!path[0] || path[0] == '/')
		return;
	abs = realpath(path, NULL);
	if (!abs)
		return;	/* not here: the error comes from whoever opens it */
	snprintf(path, len, "%s", abs);
	free(abs);
}

static int from_dir(const char *dir, struct guest_image *gi)
{
	static const char *const kernels[] = { "vmlinux", "vmlinuz", "bzImage", "kernel", NULL };
	static const char *const initrds[] = { "initramfs.cpio", "initramfs.cpio.gz", "initrd.img",
					       "initrd", "initramfs", NULL };

	/* absolute first: the kernel and initramfs paths are made from it */
	snprintf(gi->dir, sizeof(gi->dir), "%s", dir);
	guest_path_absolute(gi->dir, sizeof(gi->dir));
	if (pick(gi->dir, kernels, gi->kernel, sizeof(gi->kernel)) < 0)
		return ocb_fail("guest image %s: no kernel (expected vmlinux, vmlinuz or bzImage)", dir);
	pick(gi->dir, initrds, gi->initrd, sizeof(gi->initrd));
	return 0;
}

int guest_image_from_path(const char *path, struct guest_image *gi)
{
	struct stat st;

	memset(gi, 0, sizeof(*gi));
	if (stat(path, &st) < 0)
		return ocb_fail_errno("guest image %s", path);
	if (S_ISDIR(st.st_mode)) {
		if (from_dir(path, gi) < 0)
			return -1;
		snprintf(gi->append, sizeof(gi->append), "console=ttyS0");
		return 0;
	}
	snprintf(gi->disk, sizeof(gi->disk), "%s", path);
	guest_path_absolute(gi->disk, sizeof(gi->disk));
	return 0;
}

int guest_image_default(struct guest_image *gi)
{
	char exe[4096], cand[3][4200];
	const char *env = getenv("OCBENCH_GUEST_DIR");
	ssize_t n;
	int nc = 0;

	memset(gi, 0, sizeof(*gi));
	if (env && *env) {
		snprintf(cand[nc++], sizeof(cand[0]), "%s", env);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n > 0) {
			exe[n] = '\0';
			/* build/ocbench -> build/guest; build/sanitize/ocbench -> build/guest */
			snprintf(cand[nc++], sizeof(cand[0]), "%s/guest", dirname(exe));
			snprintf(cand[nc++], sizeof(cand[0]), "%s/../guest", exe);
		}
		snprintf(cand[nc++], sizeof(cand[0]), "%s/guest", OCB_DATADIR);
	}
	for (int i = 0; i < nc; i++) {
		struct strbuf probe = STRBUF_INIT;
		int found;

		strbuf_addf(&probe, "%s/initramfs.cpio", cand[i]);
		found = path_exists(probe.buf);
		strbuf_release(&probe);
		if (!found)
			continue;
		if (from_dir(cand[i], gi) < 0)
			return -1;
		gi->is_default = 1;
		return guest_image_default_append(gi->dir, gi->append, sizeof(gi->append),
						  guest_kernel_boots_pvh(gi->kernel));
	}
	return ocb_fail("no default guest image (looked in %s%s%s); build it with 'make guest' "
			"(or 'make'), or pass your own with --image DIR|DISK",
			cand[0], nc > 1 ? ", " : "", nc > 1 ? cand[nc - 1] : "");
}

const char *guest_data_dir(void)
{
	return OCB_DATADIR;
}

const char *guest_libexec_dir(void)
{
	return OCB_LIBEXECDIR;
}

int host_workload_dir(char *out, size_t len)
{
	const char *env = getenv("OCBENCH_WORKLOAD_DIR");
	char exe[4096], probe[4200];
	ssize_t n;

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		/* build/ocbench -> build/workloads; build/sanitize/ocbench -> build/workloads */
		snprintf(probe, sizeof(probe), "%s/workloads/memtouch", dirname(exe));
		if (path_exists(probe)) {
			snprintf(out, len, "%s/workloads", exe);
			return 0;
		}
		snprintf(probe, sizeof(probe), "%s/../workloads/memtouch", exe);
		if (path_exists(probe)) {
			snprintf(out, len, "%s/../workloads", exe);
			return 0;
		}
	}
	snprintf(probe, sizeof(probe), "%s/memtouch", OCB_LIBEXECDIR);
	if (path_exists(probe)) {
		snprintf(out, len, "%s", OCB_LIBEXECDIR);
		return 0;
	}
	return ocb_fail("workload programs not found (looked beside the ocbench binary and in %s); "
			"build them with 'make' or set OCBENCH_WORKLOAD_DIR", OCB_LIBEXECDIR);
}
