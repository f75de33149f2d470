/* Unit tests: where a guest comes from and how it is booted (guest-image.c):
 * which kernel of a directory is picked, which ones boot through PVH, and
 * the default command line — acpi=off only where qboot's MP table lists
 * every vCPU. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/fsutil.h"
#include "guest/guest-image.h"
#include "util/strbuf.h"

struct fixture {
	char dir[64];
};

static void put(const char *dir, const char *name, const char *bytes, size_t n)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(write_file_atomic(path, bytes, n, 0644), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/ocb-test-guest-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	remove_tree(f->dir);
	free(f);
	unsetenv("OCBENCH_GUEST_DIR");
	return 0;
}

/* An ELF header's first bytes, and a bzImage's (boot sector, "HdrS" later). */
static const char elf[] = "\177ELF\2\1\1";
static const char bzimage[] = "\xea\x05\x00\xc0\x07\x8c\xc8";

static void test_pvh_is_elf(void **state)
{
	struct fixture *f = *state;
	char path[4200];

	put(f->dir, "vmlinux", elf, sizeof(elf) - 1);
	put(f->dir, "vmlinuz", bzimage, sizeof(bzimage) - 1);
	put(f->dir, "short", "\177E", 2);
	snprintf(path, sizeof(path), "%s/vmlinux", f->dir);
	assert_true(guest_kernel_boots_pvh(path));
	snprintf(path, sizeof(path), "%s/vmlinuz", f->dir);
	assert_false(guest_kernel_boots_pvh(path));
	snprintf(path, sizeof(path), "%s/short", f->dir);
	assert_false(guest_kernel_boots_pvh(path));
	snprintf(path, sizeof(path), "%s/missing", f->dir);
	assert_false(guest_kernel_boots_pvh(path));
	assert_false(guest_kernel_boots_pvh(""));
}

/* The shipped guest-images/cmdline, as build-guest copies it. */
static void put_shipped_cmdline(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(read_file("guest-images/" GUEST_CMDLINE_FILE, &sb), 0);
	put(dir, GUEST_CMDLINE_FILE, sb.buf, sb.len);
	strbuf_release(&sb);
}

static void test_default_append(void **state)
{
	struct fixture *f = *state;
	char pvh[2048], bios[2048];

	put_shipped_cmdline(f->dir);
	assert_int_equal(guest_image_default_append(f->dir, pvh, sizeof(pvh), 1), 0);
	assert_int_equal(guest_image_default_append(f->dir, bios, sizeof(bios), 0), 0);
	/* both: quiet serial console, no balloon page zeroing, rodata off;
	 * the file's comments are not part of it */
	for (const char *line = pvh; line; line = line == pvh ? bios : NULL) {
		assert_non_null(strstr(line, "console=ttyS0 "));
		assert_non_null(strstr(line, " init_on_alloc=0 "));
		assert_non_null(strstr(line, " rodata=off"));
		assert_null(strchr(line, '#'));
		assert_null(strchr(line, '\n'));
	}
	/* ACPI off only through qboot: SeaBIOS's MP table lists one vCPU */
	assert_non_null(strstr(pvh, " acpi=off"));
	assert_null(strstr(bios, "acpi=off"));
	/* a short buffer is cut, never overrun */
	assert_int_equal(guest_image_default_append(f->dir, pvh, 16, 1), 0);
	assert_int_equal(strlen(pvh), 15);
}

/* Comment and blank lines are skipped, the rest joined with one space. */
static void test_cmdline_file_format(void **state)
{
	static const char text[] = "# why\nconsole=ttyS0 quiet\n\n  # indented comment\n"
				   "\tpanic=-1\nrodata=off";
	struct fixture *f = *state;
	char line[256];

	put(f->dir, GUEST_CMDLINE_FILE, text, sizeof(text) - 1);
	assert_int_equal(guest_image_default_append(f->dir, line, sizeof(line), 0), 0);
	assert_true(!strncmp(line, "console=ttyS0 quiet panic=-1 rodata=off", 39));
	assert_true(line[39] == '\0' || !strncmp(line + 39, " tsc_early_khz=", 15));
}

static void test_cmdline_missing(void **state)
{
	struct fixture *f = *state;
	char line[256];

	assert_int_equal(guest_image_default_append(f->dir, line, sizeof(line), 1), -1);
	assert_non_null(strstr(ocb_errmsg(), f->dir));
	assert_non_null(strstr(ocb_errmsg(), "/cmdline"));
	assert_non_null(strstr(ocb_errmsg(), "make guest"));
}

static void test_default_image_dir(void **state)
{
	struct fixture *f = *state;
	struct guest_image gi;

	put(f->dir, "vmlinux", elf, sizeof(elf) - 1);
	put(f->dir, "vmlinuz", bzimage, sizeof(bzimage) - 1);
	put(f->dir, "initramfs.cpio", "070701", 6);
	put_shipped_cmdline(f->dir);
	setenv("OCBENCH_GUEST_DIR", f->dir, 1);
	assert_int_equal(guest_image_default(&gi), 0);
	assert_true(gi.is_default);
	assert_non_null(strstr(gi.kernel, "/vmlinux"));
	assert_non_null(strstr(gi.initrd, "/initramfs.cpio"));
	assert_non_null(strstr(gi.append, " acpi=off"));

	/* without the vmlinux the bzImage is booted, with ACPI */
	{
		char path[4200];

		snprintf(path, sizeof(path), "%s/vmlinux", f->dir);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(guest_image_default(&gi), 0);
	assert_non_null(strstr(gi.kernel, "/vmlinuz"));
	assert_null(strstr(gi.append, "acpi=off"));
}

static void test_default_image_missing(void **state)
{
	struct fixture *f = *state;
	struct guest_image gi;

	setenv("OCBENCH_GUEST_DIR", f->dir, 1);
	assert_int_equal(guest_image_default(&gi), -1);
	assert_non_null(strstr(ocb_errmsg(), f->dir));
	assert_non_null(strstr(ocb_errmsg(), "make guest"));
}

static void test_user_image(void **state)
{
	struct fixture *f = *state;
	struct guest_image gi;
	char disk[4200];

	/* a directory: its own kernel, a plain console command line */
	put(f->dir, "bzImage", bzimage, sizeof(bzimage) - 1);
	put(f->dir, "initrd.img", "x", 1);
	assert_int_equal(guest_image_from_path(f->dir, &gi), 0);
	assert_false(gi.is_default);
	assert_non_null(strstr(gi.kernel, "/bzImage"));
	assert_non_null(strstr(gi.initrd, "/initrd.img"));
	assert_string_equal(gi.append, "console=ttyS0");

	/* a file: a disk image */
	snprintf(disk, sizeof(disk), "%s/bzImage", f->dir);
	assert_int_equal(guest_image_from_path(disk, &gi), 0);
	assert_string_equal(gi.disk, disk);
	assert_string_equal(gi.kernel, "");

	/* neither */
	snprintf(disk, sizeof(disk), "%s/nothing-here", f->dir);
	assert_int_equal(guest_image_from_path(disk, &gi), -1);
	assert_non_null(strstr(ocb_errmsg(), "nothing-here"));
}

static void test_dir_without_kernel(void **state)
{
	struct fixture *f = *state;
	struct guest_image gi;

	put(f->dir, "initramfs.cpio", "070701", 6);
	assert_int_equal(guest_image_from_path(f->dir, &gi), -1);
	assert_non_null(strstr(ocb_errmsg(), "no kernel"));
	assert_non_null(strstr(ocb_errmsg(), f->dir));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pvh_is_elf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_append, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmdline_file_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmdline_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_image_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_image_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_without_kernel, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
