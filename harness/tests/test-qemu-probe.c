/* Unit tests: vm/qemu-probe.c against scripted emulators (a device with
 * and without a property, a device the emulator does not have, one that
 * fails) and, when installed, the real qemu-system-x86_64. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fsutil.h"
#include "util/runcmd.h"
#include "util/strbuf.h"
#include "vm/qemu-probe.h"

static char dir[] = "/tmp/ocb-qemu-probe-XXXXXX";

/* An emulator that prints text for `-device help`/`-device D,help` and
 * exits with rc.  Quoted heredoc: the script takes nothing from input. */
static const char *fake(const char *name, const char *text, int rc)
{
	static char paths[4][256];	/* a test holds up to four at once */
	static unsigned next;
	char *path = paths[next++ % 4];
	struct strbuf sh = STRBUF_INIT;

	snprintf(path, sizeof(paths[0]), "%s/%s", dir, name);
	strbuf_addf(&sh, "#!/bin/sh\ncat <<'END'\n%s\nEND\nexit %d\n", text, rc);
	assert_int_equal(write_file_atomic(path, sh.buf, sh.len, 0755), 0);
	strbuf_release(&sh);
	return path;
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return remove_tree(dir);
}

static void test_property(void **state)
{
	const char *q = fake("qemu-new", "virtio-balloon-pci options:\n  deflate-on-oom=<bool>  - on/off\n"
				"  free-page-reporting=<bool> - on/off (default: false)", 0);
	const char *old = fake("qemu-old", "virtio-balloon-pci options:\n  deflate-on-oom=<bool>  - on/off", 0);
	char why[512] = "";

	(void)state;
	assert_int_equal(qemu_probe_device(q, "virtio-balloon-pci", "free-page-reporting", why, sizeof(why)), 1);
	assert_int_equal(qemu_probe_device(old, "virtio-balloon-pci", "free-page-reporting", why, sizeof(why)), 0);
	assert_non_null(strstr(why, "needs virtio-balloon-pci's free-page-reporting property"));
	assert_non_null(strstr(why, old));
	/* a property's name inside another line's help is not the property */
	q = fake("qemu-mention", "virtio-balloon-pci options:\n  x=<bool> - like free-page-reporting=on", 0);
	assert_int_equal(qemu_probe_device(q, "virtio-balloon-pci", "free-page-reporting", why, sizeof(why)), 0);
}

static void test_device(void **state)
{
	const char *q = fake("qemu-vmem", "name \"virtio-mem\", bus virtio-bus\nname \"virtio-mem-pci\", bus PCI", 0);
	const char *none = fake("qemu-novmem", "name \"virtio-balloon-pci\", bus PCI", 0);
	const char *gone = fake("qemu-gone", "qemu: -device nosuch,help: Device 'nosuch' not found", 1);
	char why[512] = "";

	(void)state;
	assert_int_equal(qemu_probe_device(q, "virtio-mem-pci", NULL, why, sizeof(why)), 1);
	assert_int_equal(qemu_probe_device(none, "virtio-mem-pci", NULL, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "needs the virtio-mem-pci device"));
	/* asked for a property of a device it does not have */
	assert_int_equal(qemu_probe_device(gone, "nosuch", "p", why, sizeof(why)), 0);
	assert_non_null(strstr(why, "needs the nosuch device"));
}

static void test_cannot_ask(void **state)
{
	const char *broken = fake("qemu-broken", "qemu: cannot open /dev/kvm", 1);
	char why[512] = "";

	(void)state;
	assert_int_equal(qemu_probe_device(broken, "virtio-mem-pci", NULL, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "cannot ask"));
	assert_non_null(strstr(why, "cannot open /dev/kvm"));
	assert_int_equal(qemu_probe_device("/nonexistent/qemu", "virtio-mem-pci", NULL, why, sizeof(why)), -1);
}

/* The emulator make check boots has what the reclaim suite needs. */
static void test_real_qemu(void **state)
{
	struct strbuf path = STRBUF_INIT;
	char why[512] = "";

	(void)state;
	if (find_program("qemu-system-x86_64", &path) < 0) {
		print_message("SKIP: qemu-system-x86_64 not installed (ci/install-deps installs it)\n");
		strbuf_release(&path);
		skip();
	}
	assert_int_equal(qemu_probe_device(path.buf, "virtio-balloon-pci", "deflate-on-oom", why, sizeof(why)), 1);
	assert_int_equal(qemu_probe_device(path.buf, "virtio-mem-pci", NULL, why, sizeof(why)), 1);
	assert_int_equal(qemu_probe_device(path.buf, "virtio-balloon-pci", "no-such-property", why, sizeof(why)), 0);
	strbuf_release(&path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_device),
		cmocka_unit_test(test_cannot_ask),
		cmocka_unit_test(test_real_qemu),
	};

	return cmocka_run_group_tests_name("qemu-probe", tests, setup, teardown);
}
