/* Unit tests: the newer reclaim mechanisms as guest options — the
 * scenario keys balloon.free_page_reporting / free_page_hint /
 * deflate_on_oom and virtio_mem (+ block_size, requested), their
 * validation, the `resize` action's checks, and what each becomes in the
 * qemu backend's argv (QEMU's property names, golden strings) and the
 * libvirt backend's domain XML. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/guest-image.h"
#include "scenario/scenario.h"
#include "util/error.h"
#include "util/units.h"
#include "vm/libvirt-xml.h"
#include "vm/qemu-argv.h"

static struct scenario *load_ok(const char *text)
{
	struct scenario *s;

	ocb_err_clear();
	s = scenario_load_string(text, "r.ini", NULL, 0);
	if (!s)
		fail_msg("unexpected error: %s", ocb_errmsg());
	return s;
}

static void load_fails(const char *text, const char *want)
{
	struct scenario *s;

	ocb_err_clear();
	s = scenario_load_string(text, "r.ini", NULL, 0);
	if (s) {
		scenario_free(s);
		fail_msg("loaded, expected '%s' for:\n%s", want, text);
	}
	if (!strstr(ocb_errmsg(), want))
		fail_msg("message: %s\nwanted: %s", ocb_errmsg(), want);
}

static void test_keys_default_off(void **state)
{
	struct scenario *s = load_ok("[guest a]\n");
	const struct scenario_guest_spec *g = &s->specs[0];

	(void)state;
	assert_int_equal(g->free_page_reporting, 0);
	assert_int_equal(g->free_page_hint, 0);
	assert_int_equal(g->deflate_on_oom, 0);
	assert_int_equal(g->vmem_bytes, 0);
	assert_int_equal(g->vmem_block_bytes, 2 * MiB);
	assert_int_equal(g->vmem_requested, 0);
	scenario_free(s);
}

static void test_keys_set(void **state)
{
	struct scenario *s = load_ok("[guest a]\nballoon.free_page_reporting = on\n"
				     "balloon.free_page_hint = on\nballoon.deflate_on_oom = on\n"
				     "virtio_mem = 1G\nvirtio_mem.block_size = 4M\n"
				     "virtio_mem.requested = 256\n"
				     "[timeline]\n1s = resize a-1 512M\n2s = resize a-* 0\n");
	const struct scenario_guest_spec *g = &s->specs[0];

	(void)state;
	assert_int_equal(g->free_page_reporting, 1);
	assert_int_equal(g->free_page_hint, 1);
	assert_int_equal(g->deflate_on_oom, 1);
	assert_int_equal(g->vmem_bytes, GiB);
	assert_int_equal(g->vmem_block_bytes, 4 * MiB);
	assert_int_equal(g->vmem_requested, 256 * MiB);
	assert_int_equal(s->n_timeline, 2);
	assert_string_equal(s->timeline[0].action->verb, "resize");
	assert_int_equal(s->timeline[0].size_bytes, 512 * MiB);
	assert_int_equal(s->timeline[1].size_bytes, 0);
	scenario_free(s);
}

static void test_keys_invalid(void **state)
{
	(void)state;
	load_fails("[guest a]\nballoon.free_page_reporting = yes\n",
		   "r.ini:2: [guest a] balloon.free_page_reporting: invalid value 'yes'");
	load_fails("[guest a]\nballoon = none\nballoon.deflate_on_oom = on\n",
		   "r.ini:3: [guest a] balloon.deflate_on_oom: needs balloon = virtio");
	load_fails("[guest a]\nballoon.free_page_hint = on\nballoon = none\n",
		   "r.ini:2: [guest a] balloon.free_page_hint: needs balloon = virtio");
	load_fails("[guest a]\nvirtio_mem = 1G\nvirtio_mem.block_size = 3M\n",
		   "r.ini:3: [guest a] virtio_mem.block_size: 3 MiB is not a power of two");
	load_fails("[guest a]\nvirtio_mem = 1G\nvirtio_mem.block_size = 1M\n",
		   "virtio_mem.block_size: 1 MiB is not a power of two of at least 2 MiB");
	load_fails("[guest a]\nvirtio_mem = 1025M\nvirtio_mem.block_size = 2M\n",
		   "r.ini:2: [guest a] virtio_mem: 1025 MiB is not a whole number of "
		   "virtio_mem.block_size 2 MiB");
	load_fails("[guest a]\nvirtio_mem = 1G\nvirtio_mem.requested = 2G\n",
		   "r.ini:3: [guest a] virtio_mem.requested: 2 GiB is not a whole number of "
		   "blocks of 2 MiB up to virtio_mem 1 GiB");
	load_fails("[guest a]\nvirtio_mem.requested = 2M\n",
		   "virtio_mem.requested: needs virtio_mem = SIZE");
	load_fails("[guest a]\nvirtio_mem = 1G\nbacking = hugetlb-2M\n",
		   "r.ini:2: [guest a] virtio_mem: needs backing = anonymous");
}

static void test_resize_checks(void **state)
{
	(void)state;
	load_fails("[guest a]\n[guest b]\nvirtio_mem = 1G\n[timeline]\n1s = resize * 512M\n",
		   "guest a-1 has no virtio-mem device");
	load_fails("[guest b]\nvirtio_mem = 1G\n[timeline]\n1s = resize b-1 2G\n",
		   "guest b-1: 2048 MiB is not a whole number of 2 MiB blocks up to its virtio_mem "
		   "1024 MiB");
	load_fails("[guest b]\nvirtio_mem = 1G\nvirtio_mem.block_size = 4M\n[timeline]\n"
		   "1s = resize b-1 6M\n", "not a whole number of 4 MiB blocks");
	load_fails("[guest b]\nvirtio_mem = 1G\n[timeline]\n1s = resize b-1\n",
		   "expected 'resize GLOB SIZE'");
}

/* ---- the devices in both backends */

static void base_config(struct vm_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "g-1");
	snprintf(c->qemu_binary, sizeof(c->qemu_binary), "qemu-system-x86_64");
	c->memory_bytes = 1024 * MiB;
	c->vcpus = 2;
	c->balloon = 1;
	c->mem_merge = 1;
	c->accel.kind = ACCEL_TCG;
	snprintf(c->append, sizeof(c->append), "console=ttyS0 acpi=off quiet");
	snprintf(c->outdir, sizeof(c->outdir), "/r/guests/g-1");
}

/* The argv joined with spaces. */
static char *argv_of(const struct vm_config *c)
{
	struct strvec a = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;

	qemu_build_argv(c, "/run/q.sock", "/run/g.sock", &a);
	for (size_t i = 0; i < a.n; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", a.v[i]);
	strvec_clear(&a);
	return strbuf_detach(&sb);
}

#define HAS(x, s) do { if (!strstr((x), (s))) fail_msg("missing %s in\n%s", (s), (x)); } while (0)
#define LACKS(x, s) do { if (strstr((x), (s))) fail_msg("unexpected %s in\n%s", (s), (x)); } while (0)

static void test_argv_balloon_features(void **state)
{
	struct vm_config c;
	char *a;

	(void)state;
	base_config(&c);
	a = argv_of(&c);
	assert_non_null(strstr(a, "-device virtio-balloon-pci,id=balloon0,addr=0x02"));
	assert_string_equal(strstr(a, "-device virtio-balloon-pci"),
			    "-device virtio-balloon-pci,id=balloon0,addr=0x02");
	LACKS(a, "free-page");
	LACKS(a, "iothread");
	free(a);

	c.free_page_reporting = 1;
	c.deflate_on_oom = 1;
	a = argv_of(&c);
	HAS(a, "-device virtio-balloon-pci,id=balloon0,addr=0x02,free-page-reporting=on,"
	       "deflate-on-oom=on");
	LACKS(a, "free-page-hint");
	free(a);

	c.free_page_reporting = c.deflate_on_oom = 0;
	c.free_page_hint = 1;
	a = argv_of(&c);
	HAS(a, "-object iothread,id=balloon-io0 ");
	HAS(a, "virtio-balloon-pci,id=balloon0,addr=0x02,free-page-hint=on,iothread=balloon-io0");
	free(a);

	c.balloon = 0;
	a = argv_of(&c);
	LACKS(a, "virtio-balloon-pci");
	LACKS(a, "iothread");
	free(a);
}

static void test_argv_virtio_mem(void **state)
{
	struct vm_config c;
	char *a;

	(void)state;
	base_config(&c);
	a = argv_of(&c);
	HAS(a, " -m 1024 ");
	LACKS(a, "virtio-mem");
	free(a);

	snprintf(c.kernel, sizeof(c.kernel), "/g/vmlinux");
	c.vmem_bytes = 2 * GiB;
	c.vmem_block_bytes = 4 * MiB;
	c.vmem_requested = 512 * MiB;
	c.mem_merge = 0;
	a = argv_of(&c);
	HAS(a, " -m 1024,slots=1,maxmem=3072M ");
	HAS(a, " -object memory-backend-ram,id=vmem-ram0,size=2048M,merge=off ");
	HAS(a, " -device virtio-mem-pci,id=vmem0,memdev=vmem-ram0,block-size=4M,"
	       "requested-size=512M,addr=" GUEST_PCI_SLOT_VMEM);
	/* SeaBIOS with ACPI: no qboot, no acpi=off */
	LACKS(a, "qboot");
	HAS(a, "-append console=ttyS0 quiet");
	free(a);
}

static void test_xml_reclaim(void **state)
{
	static const struct lv_xml_opts o = { 0, 1, "raw", NULL };
	struct vm_config c;
	struct strbuf x = STRBUF_INIT;

	(void)state;
	base_config(&c);
	lv_domain_xml(&c, "d", &o, &x);
	HAS(x.buf, "<memballoon model='virtio'>");
	LACKS(x.buf, "virtio-mem");
	LACKS(x.buf, "<numa>");
	strbuf_reset(&x);

	c.free_page_reporting = c.deflate_on_oom = 1;
	c.vmem_bytes = GiB;
	c.vmem_block_bytes = 2 * MiB;
	c.vmem_requested = 256 * MiB;
	snprintf(c.kernel, sizeof(c.kernel), "/g/vmlinux");
	lv_domain_xml(&c, "d", &o, &x);
	HAS(x.buf, "<memballoon model='virtio' autodeflate='on' freePageReporting='on'>");
	HAS(x.buf, "<maxMemory slots='1' unit='KiB'>2097152</maxMemory>");
	HAS(x.buf, "<cell id='0' cpus='0-1' memory='1048576' unit='KiB'/>");
	HAS(x.buf, "<memory model='virtio-mem'>\n      <target>\n"
		   "        <size unit='KiB'>1048576</size>\n        <node>0</node>\n"
		   "        <block unit='KiB'>2048</block>\n"
		   "        <requested unit='KiB'>262144</requested>\n      </target>\n"
		   "      <alias name='ua-vmem0'/>\n");
	HAS(x.buf, "<cmdline>console=ttyS0 quiet</cmdline>");
	strbuf_release(&x);
}

static void test_append_acpi_on(void **state)
{
	char out[128];

	(void)state;
	guest_append_acpi_on("a acpi=off b", out, sizeof(out));
	assert_string_equal(out, "a b");
	guest_append_acpi_on("acpi=off", out, sizeof(out));
	assert_string_equal(out, "");
	guest_append_acpi_on("acpi=offx noacpi=off", out, sizeof(out));
	assert_string_equal(out, "acpi=offx noacpi=off");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_default_off),
		cmocka_unit_test(test_keys_set),
		cmocka_unit_test(test_keys_invalid),
		cmocka_unit_test(test_resize_checks),
		cmocka_unit_test(test_argv_balloon_features),
		cmocka_unit_test(test_argv_virtio_mem),
		cmocka_unit_test(test_xml_reclaim),
		cmocka_unit_test(test_append_acpi_on),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
