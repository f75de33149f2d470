/* Unit tests: the libvirt backend without a daemon — the domain XML of
 * every guest option (string assertions), image probing, URI locality,
 * memory-stats naming, the name-clash rule and node memory parameters
 * against libvirt's built-in test:///default driver. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/fsutil.h"
#include "guest/guest-image.h"
#include "host/libvirt-node.h"
#include "util/libvirt-conn.h"
#include "vm/libvirt-xml.h"
#include "util/units.h"
#include "vm/libvirt-stats.h"
#include "vm/libvirt.h"
#include "vm/backends.h"

#define TEST_URI "test:///default"

static void base_config(struct vm_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "guest-1");
	c->memory_bytes = 2048 * MiB;
	c->vcpus = 1;
	c->balloon = 1;
	c->stats_period_s = 2;
	c->backing = BACKING_ANONYMOUS;
	c->mem_merge = 1;
	snprintf(c->kernel, sizeof(c->kernel), "/g/vmlinux");
	snprintf(c->initrd, sizeof(c->initrd), "/g/initramfs.cpio");
	snprintf(c->append, sizeof(c->append), "console=ttyS0 quiet");
	snprintf(c->outdir, sizeof(c->outdir), "/r/guests/guest-1");
	c->accel.kind = ACCEL_TCG;
}

static const struct lv_xml_opts local_pvh = { 1, 1, "raw", NULL };

static char *xml_of(const struct vm_config *c, const struct lv_xml_opts *o)
{
	struct strbuf sb = STRBUF_INIT;

	lv_domain_xml(c, "ocbench-1-abcd-guest-1", o, &sb);
	return strbuf_detach(&sb);
}

#define HAS(x, s) do { if (!strstr((x), (s))) fail_msg("missing %s in\n%s", (s), (x)); } while (0)
#define LACKS(x, s) do { if (strstr((x), (s))) fail_msg("unexpected %s in\n%s", (s), (x)); } while (0)

static void test_xml_default_guest(void **state)
{
	struct vm_config c;
	char *x;

	(void)state;
	base_config(&c);
	x = xml_of(&c, &local_pvh);
	HAS(x, "<domain type='qemu'>");
	HAS(x, "<name>ocbench-1-abcd-guest-1</name>");
	HAS(x, "<memory unit='KiB'>2097152</memory>");
	HAS(x, "<currentMemory unit='KiB'>2097152</currentMemory>");
	HAS(x, "<vcpu>1</vcpu>");
	HAS(x, "<type arch='x86_64' machine='q35'>hvm</type>");
	HAS(x, "<loader type='rom'>/usr/share/qemu/qboot.rom</loader>");
	HAS(x, "<kernel>/g/vmlinux</kernel>");
	HAS(x, "<initrd>/g/initramfs.cpio</initrd>");
	HAS(x, "<cmdline>console=ttyS0 quiet</cmdline>");
	HAS(x, "<on_reboot>destroy</on_reboot>");
	HAS(x, "<serial type='file'>\n      <source path='/r/guests/guest-1/console.log'/>");
	HAS(x, "<target type='virtio' name='org.qemu.guest_agent.0'/>");
	HAS(x, "<memballoon model='virtio'>\n"
	       "      <address type='pci' domain='0x0000' bus='0x00' slot='" GUEST_PCI_SLOT_BALLOON "' function='0x0'/>\n"
	       "      <stats period='2'/>\n    </memballoon>");
	/* the same root-bus slots as the qemu backend: no pcie-root-port */
	HAS(x, "<controller type='virtio-serial' index='0'>\n"
	       "      <address type='pci' domain='0x0000' bus='0x00' slot='" GUEST_PCI_SLOT_SERIAL "' function='0x0'/>");
	HAS(x, "<controller type='usb' model='none'/>");
	LACKS(x, "<memoryBacking>");
	LACKS(x, "<cpu ");
	LACKS(x, "<disk");
	LACKS(x, "<emulator>");
	assert_non_null(strstr(x, "</domain>\n"));
	free(x);
}

static void test_xml_kvm_vcpus(void **state)
{
	struct vm_config c;
	char *x;

	(void)state;
	base_config(&c);
	c.accel.kind = ACCEL_KVM;
	c.vcpus = 4;
	c.memory_bytes = 512 * MiB;
	x = xml_of(&c, &local_pvh);
	HAS(x, "<domain type='kvm'>");
	HAS(x, "<cpu mode='host-passthrough'/>");
	HAS(x, "<vcpu>4</vcpu>");
	HAS(x, "<memory unit='KiB'>524288</memory>");
	free(x);
}

static void test_xml_backing(void **state)
{
	struct vm_config c;
	char *x;

	(void)state;
	base_config(&c);
	c.backing = BACKING_HUGETLB_2M;
	x = xml_of(&c, &local_pvh);
	HAS(x, "<memoryBacking>\n    <hugepages><page size='2048' unit='KiB'/></hugepages>\n  </memoryBacking>");
	LACKS(x, "<nosharepages/>");
	free(x);

	c.backing = BACKING_HUGETLB_1G;
	c.mem_merge = 0;
	x = xml_of(&c, &local_pvh);
	HAS(x, "<page size='1048576' unit='KiB'/>");
	HAS(x, "<nosharepages/>");
	free(x);

	c.backing = BACKING_FILE;
	c.mem_merge = 1;
	x = xml_of(&c, &local_pvh);
	HAS(x, "<source type='file'/>");
	HAS(x, "<access mode='private'/>");
	LACKS(x, "<hugepages>");
	free(x);

	c.backing = BACKING_ANONYMOUS;
	c.mem_merge = 0;
	x = xml_of(&c, &local_pvh);
	HAS(x, "<memoryBacking>\n    <nosharepages/>\n  </memoryBacking>");
	free(x);
}

static void test_xml_no_balloon(void **state)
{
	struct vm_config c;
	char *x;

	(void)state;
	base_config(&c);
	c.balloon = 0;
	x = xml_of(&c, &local_pvh);
	HAS(x, "<memballoon model='none'/>");
	LACKS(x, "<stats");
	free(x);

	c.balloon = 1;
	c.stats_period_s = 0;
	x = xml_of(&c, &local_pvh);
	HAS(x, "<memballoon model='virtio'>\n"
	       "      <address type='pci' domain='0x0000' bus='0x00' slot='" GUEST_PCI_SLOT_BALLOON "' function='0x0'/>\n"
	       "    </memballoon>");
	LACKS(x, "<stats");
	free(x);
}

static void test_xml_bzimage_and_disk(void **state)
{
	struct vm_config c;
	struct lv_xml_opts remote_qcow2 = { 0, 0, "qcow2", "an ocbench guest" };
	char *x;

	(void)state;
	base_config(&c);
	/* a bzImage: default firmware */
	x = xml_of(&c, &(struct lv_xml_opts){ 0, 1, "raw", NULL });
	LACKS(x, "<loader");
	HAS(x, "<kernel>/g/vmlinux</kernel>");
	free(x);

	/* a disk image on a remote host */
	c.kernel[0] = c.initrd[0] = c.append[0] = '\0';
	snprintf(c.disk, sizeof(c.disk), "/images/vendor.qcow2");
	x = xml_of(&c, &remote_qcow2);
	HAS(x, "<description>an ocbench guest</description>");
	HAS(x, "<boot dev='hd'/>");
	HAS(x, "<driver name='qemu' type='qcow2'/>");
	HAS(x, "<source file='/images/vendor.qcow2'/>");
	HAS(x, "<target dev='vda' bus='virtio'/>");
	HAS(x, "<transient/>\n"
	       "      <address type='pci' domain='0x0000' bus='0x00' slot='" GUEST_PCI_SLOT_DISK "' function='0x0'/>");
	HAS(x, "<serial type='pty'>");
	LACKS(x, "<kernel>");
	LACKS(x, "<loader");
	LACKS(x, "console.log");
	free(x);
}

static void test_xml_escaping(void **state)
{
	struct vm_config c;
	struct strbuf sb = STRBUF_INIT;
	char *x;

	(void)state;
	base_config(&c);
	snprintf(c.append, sizeof(c.append), "a=<1> b=\"x\" c='y' & d");
	snprintf(c.outdir, sizeof(c.outdir), "/r/it's&here");
	x = xml_of(&c, &local_pvh);
	HAS(x, "<cmdline>a=&lt;1&gt; b=&quot;x&quot; c=&apos;y&apos; &amp; d</cmdline>");
	HAS(x, "<source path='/r/it&apos;s&amp;here/console.log'/>");
	free(x);
	lv_xml_escape(&sb, "plain");
	assert_string_equal(sb.buf, "plain");
	strbuf_release(&sb);
}

static void write_bytes(const char *path, const void *data, size_t n)
{
	assert_int_equal(write_file_atomic(path, data, n, 0644), 0);
}

static void test_probe(void **state)
{
	char dir[] = "/tmp/ocb-test-libvirt-XXXXXX", elf[128], bz[128], qcow[128];
	struct vm_config c;
	struct lv_xml_opts o;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(elf, sizeof(elf), "%s/vmlinux", dir);
	snprintf(bz, sizeof(bz), "%s/bzImage", dir);
	snprintf(qcow, sizeof(qcow), "%s/disk.qcow2", dir);
	write_bytes(elf, "\177ELF\2\1\1", 7);
	write_bytes(bz, "MZ\0\0\0\0\0", 7);
	write_bytes(qcow, "QFI\xfb\0\0\0\3", 8);
	base_config(&c);
	snprintf(c.kernel, sizeof(c.kernel), "%s", elf);
	lv_xml_opts_probe(&c, &o);
	assert_true(o.pvh);
	assert_true(o.console_file);	/* empty URI: the local default */
	assert_string_equal(o.disk_format, "raw");
	snprintf(c.kernel, sizeof(c.kernel), "%s", bz);
	snprintf(c.uri, sizeof(c.uri), "qemu+ssh://host/system");
	lv_xml_opts_probe(&c, &o);
	assert_false(o.pvh);
	assert_false(o.console_file);
	c.kernel[0] = '\0';
	snprintf(c.disk, sizeof(c.disk), "%s", qcow);
	lv_xml_opts_probe(&c, &o);
	assert_string_equal(o.disk_format, "qcow2");
	assert_int_equal(remove_tree(dir), 0);
}

static void test_uri_locality(void **state)
{
	(void)state;
	assert_true(lv_uri_is_local("qemu:///system"));
	assert_true(lv_uri_is_local("qemu:///session"));
	assert_true(lv_uri_is_local("qemu+unix:///system?socket=/x"));
	assert_true(lv_uri_is_local(""));
	assert_true(lv_uri_is_local(NULL));
	assert_false(lv_uri_is_local("qemu+ssh://root@host/system"));
	assert_false(lv_uri_is_local("qemu+tcp://10.0.0.2/system"));
}

static void test_memory_stats_names(void **state)
{
	virDomainMemoryStatStruct st[] = {
		{ VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, 524288 },
		{ VIR_DOMAIN_MEMORY_STAT_AVAILABLE, 1000 },
		{ VIR_DOMAIN_MEMORY_STAT_UNUSED, 10 },
		{ VIR_DOMAIN_MEMORY_STAT_USABLE, 20 },
		{ VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 7 },
		{ VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, 1700000000 },
	};
	json_t *o = lv_memory_stats_json(st, 6);

	(void)state;
	assert_int_equal(json_integer_value(json_object_get(o, "actual")), 512 * MiB);
	assert_int_equal(json_integer_value(json_object_get(o, "stat-total-memory")), 1000 * KiB);
	assert_int_equal(json_integer_value(json_object_get(o, "stat-free-memory")), 10 * KiB);
	assert_int_equal(json_integer_value(json_object_get(o, "stat-available-memory")), 20 * KiB);
	assert_int_equal(json_integer_value(json_object_get(o, "stat-major-faults")), 7);
	assert_int_equal(json_integer_value(json_object_get(o, "last-update")), 1700000000);
	assert_null(json_object_get(o, "stat-swap-in"));	/* not reported: absent */
	json_decref(o);
}

static void test_backend_registered(void **state)
{
	(void)state;
	assert_ptr_equal(vm_backend_find("libvirt"), &vm_libvirt_ops);
	assert_null(vm_backend_find("libvirtd"));
	assert_non_null(strstr(ocb_errmsg(), "libvirt"));
	assert_int_equal(strncmp(lv_run_prefix(), "ocbench-", 8), 0);
	assert_string_equal(lv_run_prefix(), lv_run_prefix());
}

/* The test driver always has a running domain called "test". */
static void test_name_clash_touches_nothing(void **state)
{
	virConnectPtr conn = lv_open(TEST_URI);
	virDomainPtr d;

	(void)state;
	assert_non_null(conn);
	assert_int_equal(lv_check_name_free(conn, TEST_URI, "test", "guest-1"), -1);
	assert_non_null(strstr(ocb_errmsg(), "guest-1: a domain named test already exists at test:///default"));
	assert_non_null(strstr(ocb_errmsg(), "nothing was destroyed"));
	d = virDomainLookupByName(conn, "test");
	assert_non_null(d);
	assert_int_equal(virDomainIsActive(d), 1);
	virDomainFree(d);
	assert_int_equal(lv_check_name_free(conn, TEST_URI, "ocbench-1-abcd-guest-1", "guest-1"), 0);
	assert_int_equal(virConnectClose(conn), 0);
}

static void test_unreachable_uri(void **state)
{
	const char *uri = "qemu+unix:///system?socket=/nonexistent/ocbench-libvirt-sock";

	(void)state;
	assert_null(lv_open(uri));
	assert_non_null(strstr(ocb_errmsg(), "cannot connect to libvirt at qemu+unix:///system?socket="));
	assert_non_null(strstr(ocb_errmsg(), "virtlogd -d && libvirtd -d"));
	assert_null(lv_open("qemu+ssh://ocbench-no-such-host.invalid/system?no_tty=1&no_verify=1&command=/bin/false"));
	assert_non_null(strstr(ocb_errmsg(), "check that the host is reachable"));
}

static void test_ksm_params(void **state)
{
	virTypedParameter p[4];
	struct lv_ksm k;
	json_t *o;

	(void)state;
	memset(p, 0, sizeof(p));
	snprintf(p[0].field, sizeof(p[0].field), "%s", VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN);
	p[0].type = VIR_TYPED_PARAM_UINT;
	p[0].value.ui = 1000;
	snprintf(p[1].field, sizeof(p[1].field), "%s", VIR_NODE_MEMORY_SHARED_PAGES_SHARING);
	p[1].type = VIR_TYPED_PARAM_ULLONG;
	p[1].value.ul = 111600;
	snprintf(p[2].field, sizeof(p[2].field), "%s", VIR_NODE_MEMORY_SHARED_FULL_SCANS);
	p[2].type = VIR_TYPED_PARAM_ULLONG;
	p[2].value.ul = 19;
	snprintf(p[3].field, sizeof(p[3].field), "%s", "shm_something_new");
	p[3].type = VIR_TYPED_PARAM_ULLONG;
	p[3].value.ul = 5;
	lvnode_ksm_from_params(p, 4, &k);
	assert_int_equal(k.pages_to_scan, 1000);
	assert_int_equal(k.pages_sharing, 111600);
	assert_int_equal(k.full_scans, 19);
	assert_int_equal(k.sleep_millisecs, -1);
	o = lvnode_ksm_json(&k);
	assert_int_equal(json_integer_value(json_object_get(o, "pages_sharing")), 111600);
	assert_int_equal(json_integer_value(json_object_get(o, "full_scans")), 19);
	assert_null(json_object_get(o, "sleep_millisecs"));
	json_decref(o);
	assert_string_equal(lvnode_ksm_param("ksm.pages_to_scan"), "shm_pages_to_scan");
	assert_string_equal(lvnode_ksm_param("ksm.merge_across_nodes"), "shm_merge_across_nodes");
	assert_null(lvnode_ksm_param("thp"));
}

/* test:///default has no node memory parameters and no page allocation:
 * both are a skip (1) naming the URI, never an error. */
static void test_node_against_test_driver(void **state)
{
	virConnectPtr conn = lv_open(TEST_URI);
	unsigned long long freep = 0, total = 99;
	struct lv_ksm k;

	(void)state;
	assert_non_null(conn);
	assert_int_equal(lvnode_ksm_get(conn, TEST_URI, &k), 1);
	assert_non_null(strstr(ocb_errmsg(), "at test:///default"));
	assert_non_null(strstr(ocb_errmsg(), "does not offer it"));
	assert_int_equal(lvnode_ksm_set(conn, TEST_URI, "ksm.pages_to_scan", 100), 1);
	assert_non_null(strstr(ocb_errmsg(), "setting ksm.pages_to_scan = 100 (shm_pages_to_scan)"));
	assert_int_equal(lvnode_ksm_set(conn, TEST_URI, "thp", 1), -1);
	assert_non_null(strstr(ocb_errmsg(), "thp cannot be set through libvirt"));
	assert_int_equal(lvnode_ksm_set(conn, TEST_URI, "ksm.sleep_millisecs", 1ull << 33), -1);

	assert_int_equal(lvnode_hugepages_get(conn, TEST_URI, 2048, 0, &freep, &total), 0);
	assert_true(freep > 0);	/* the test driver's figures are synthetic */
	assert_int_equal(total, 0);
	/* no such pool there: a skip, like a local kernel without it */
	assert_int_equal(lvnode_hugepages_get(conn, TEST_URI, 2048, 7, NULL, &total), 1);
	assert_non_null(strstr(ocb_errmsg(), "no 2048 KiB pages on NUMA cell 7 (no such hugepage pool"));
	/* cell -1: the host's pool, the sum of the cells */
	assert_int_equal(lvnode_hugepages_get(conn, TEST_URI, 2048, -1, NULL, &total), 0);
	assert_int_equal(total, 0);
	assert_int_equal(lvnode_hugepages_set(conn, TEST_URI, 2048, -1, 16), 1);
	assert_non_null(strstr(ocb_errmsg(), "2048 KiB hugepage pool of the host to 16"));
	assert_int_equal(lvnode_hugepages_set(conn, TEST_URI, 2048, 0, 16), 1);
	assert_non_null(strstr(ocb_errmsg(), "2048 KiB hugepage pool of cell 0 to 16"));
	assert_int_equal(virConnectClose(conn), 0);
}

static void test_caps_pages(void **state)
{
	const char *caps = "<capabilities><host><topology><cells num='2'>"
			   "<cell id='0'><pages unit='KiB' size='4'>5</pages>"
			   "<pages unit='KiB' size='2048'>128</pages></cell>"
			   "<cell id='1'><pages unit='KiB' size='2048'>64</pages>"
			   "<pages unit='KiB' size='1048576'>2</pages></cell>"
			   "</cells></topology></host></capabilities>";
	unsigned long long t = 0;

	(void)state;
	assert_int_equal(lvnode_caps_pages(caps, 2048, 0, &t), 0);
	assert_int_equal(t, 128);
	assert_int_equal(lvnode_caps_pages(caps, 2048, 1, &t), 0);
	assert_int_equal(t, 64);
	assert_int_equal(lvnode_caps_pages(caps, 1048576, 1, &t), 0);
	assert_int_equal(t, 2);
	/* cell 0 has no 1G pages: the 1G of cell 1 must not be taken */
	assert_int_equal(lvnode_caps_pages(caps, 1048576, 0, &t), -1);
	assert_int_equal(lvnode_caps_pages(caps, 2048, 2, &t), -1);
	/* cell -1: the whole host, summed over the cells that list the size */
	assert_int_equal(lvnode_caps_pages(caps, 2048, -1, &t), 0);
	assert_int_equal(t, 192);
	assert_int_equal(lvnode_caps_pages(caps, 1048576, -1, &t), 0);
	assert_int_equal(t, 2);
	assert_int_equal(lvnode_caps_pages(caps, 16384, -1, &t), -1);
}

/* resize on libvirt: virDomainUpdateDeviceFlags gets the device as the
 * domain XML has it (libvirt matches its alias and address and refuses
 * any change but <requested>), with the new request. */
static void test_vmem_update_xml(void **state)
{
	struct strbuf boot = STRBUF_INIT, upd = STRBUF_INIT, same = STRBUF_INIT;
	struct vm_config c;
	char *x;

	(void)state;
	base_config(&c);
	c.vmem_bytes = GiB;
	c.vmem_block_bytes = 2 * MiB;
	c.vmem_requested = 256 * MiB;
	x = xml_of(&c, &local_pvh);
	lv_vmem_xml(&c, c.vmem_requested, &boot);
	HAS(x, boot.buf);
	lv_vmem_xml(&c, 768 * MiB, &upd);
	HAS(upd.buf, "<requested unit='KiB'>786432</requested>");
	HAS(upd.buf, "<size unit='KiB'>1048576</size>");
	HAS(upd.buf, "<block unit='KiB'>2048</block>");
	HAS(upd.buf, "<alias name='" LV_VMEM_ALIAS "'/>");
	HAS(upd.buf, "slot='" GUEST_PCI_SLOT_VMEM "'");
	LACKS(x, "<requested unit='KiB'>786432</requested>");
	/* the update differs from the boot element in <requested> only */
	strbuf_adds(&same, upd.buf);
	assert_non_null(strstr(same.buf, "786432"));
	memcpy(strstr(same.buf, "786432"), "262144", 6);
	assert_string_equal(same.buf, boot.buf);
	strbuf_release(&boot);
	strbuf_release(&upd);
	strbuf_release(&same);
	free(x);
}

/* What QEMU 7.2 answers to query-memory-devices (through libvirt's
 * monitor passthrough): the device is found by libvirt's alias. */
static void test_vmem_query(void **state)
{
	const char *reply = "{\"return\": [{\"type\": \"dimm\", \"data\": {\"id\": \"ua-vmem0\", \"size\": 1}},"
			    " {\"type\": \"virtio-mem\", \"data\": {\"memaddr\": 4294967296, \"node\": 0,"
			    " \"requested-size\": 805306368, \"size\": 268435456, \"max-size\": 1073741824,"
			    " \"block-size\": 2097152, \"memdev\": \"/objects/memua-vmem0\", \"id\": \"ua-vmem0\"}}],"
			    " \"id\": \"libvirt-42\"}";
	uint64_t size = 1, req = 1;

	(void)state;
	assert_int_equal(lv_vmem_from_query(reply, LV_VMEM_ALIAS, &size, &req), 0);
	assert_int_equal(size, 256 * MiB);
	assert_int_equal(req, 768 * MiB);
	assert_int_equal(lv_vmem_from_query(reply, "ua-vmem1", &size, &req), -1);
	assert_non_null(strstr(ocb_errmsg(), "lists no virtio-mem device 'ua-vmem1'"));
	assert_int_equal(lv_vmem_from_query("{\"return\": []}", LV_VMEM_ALIAS, &size, &req), -1);
	assert_int_equal(lv_vmem_from_query("{\"error\": {\"class\": \"GenericError\", \"desc\": \"nope\"}}",
					    LV_VMEM_ALIAS, &size, &req), -1);
	assert_non_null(strstr(ocb_errmsg(), "query-memory-devices: nope"));
	assert_int_equal(lv_vmem_from_query("{\"return\": [", LV_VMEM_ALIAS, &size, &req), -1);
	assert_non_null(strstr(ocb_errmsg(), "not JSON"));
}

/* Both local backends with a guest image resize virtio-mem, and say so. */
static void test_vmem_capability(void **state)
{
	(void)state;
	assert_true(vm_backend_can(&vm_libvirt_ops, VM_CAP_VMEM));
	assert_non_null(vm_libvirt_ops.vmem_resize);
	assert_non_null(vm_libvirt_ops.vmem_get);
	assert_true(vm_backend_can(vm_backend_find("qemu"), VM_CAP_VMEM));
	assert_false(vm_backend_can(vm_backend_find("native"), VM_CAP_VMEM));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_default_guest),
		cmocka_unit_test(test_xml_kvm_vcpus),
		cmocka_unit_test(test_xml_backing),
		cmocka_unit_test(test_xml_no_balloon),
		cmocka_unit_test(test_xml_bzimage_and_disk),
		cmocka_unit_test(test_xml_escaping),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_uri_locality),
		cmocka_unit_test(test_memory_stats_names),
		cmocka_unit_test(test_backend_registered),
		cmocka_unit_test(test_name_clash_touches_nothing),
		cmocka_unit_test(test_unreachable_uri),
		cmocka_unit_test(test_ksm_params),
		cmocka_unit_test(test_node_against_test_driver),
		cmocka_unit_test(test_caps_pages),
		cmocka_unit_test(test_vmem_update_xml),
		cmocka_unit_test(test_vmem_query),
		cmocka_unit_test(test_vmem_capability),
	};

	/* as ocbench does (interrupt.c): a failed ssh transport closes its pipe */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("libvirt backend: XML, node parameters", tests, NULL, NULL);
}
