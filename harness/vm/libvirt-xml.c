/* libvirt-xml.c — see libvirt-xml.h. */
#include "vm/libvirt-xml.h"
#include "util/libvirt-conn.h"
#include "util/fsutil.h"
#include "guest/guest-image.h"
#include "util/units.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

void lv_xml_opts_probe(const struct vm_config *c, struct lv_xml_opts *o)
{
	memset(o, 0, sizeof(*o));
	/* The image paths are read here but used by the daemon: for a remote
	 * URI they must name the same files on that host (README-libvirt). */
	o->pvh = c->kernel[0] && !c->vmem_bytes && guest_kernel_boots_pvh(c->kernel);
	o->disk_format = guest_disk_format(c->disk);
	/* The console file is opened by libvirtd, on its host: a results
	 * directory exists only here. */
	o->console_file = lv_uri_is_local(c->uri);
}

void lv_xml_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_adds(out, "&amp;"); break;
		case '<': strbuf_adds(out, "&lt;"); break;
		case '>': strbuf_adds(out, "&gt;"); break;
		case '\'': strbuf_adds(out, "&apos;"); break;
		case '"': strbuf_adds(out, "&quot;"); break;
		default: strbuf_addch(out, *s);
		}
	}
}

/* <tag>escaped text</tag> on its own indented line. */
static void element(struct strbuf *out, const char *indent, const char *tag, const char *text)
{
	strbuf_addf(out, "%s<%s>", indent, tag);
	lv_xml_escape(out, text);
	strbuf_addf(out, "</%s>\n", tag);
}

static void memory_backing(const struct vm_config *c, struct strbuf *out)
{
	if (c->backing == BACKING_ANONYMOUS && c->mem_merge)
		return;
	strbuf_adds(out, "  <memoryBacking>\n");
	/* The hugetlbfs mount is libvirt's choice (qemu.conf hugetlbfs_mount),
	 * not per guest: cfg.mem_path has no libvirt equivalent. */
	if (c->backing == BACKING_HUGETLB_2M)
		strbuf_adds(out, "    <hugepages><page size='2048' unit='KiB'/></hugepages>\n");
	else if (c->backing == BACKING_HUGETLB_1G)
		strbuf_adds(out, "    <hugepages><page size='1048576' unit='KiB'/></hugepages>\n");
	/* mem_merge = off: QEMU's -machine mem-merge=off, no KSM on this RAM. */
	if (!c->mem_merge)
		strbuf_adds(out, "    <nosharepages/>\n");
	if (c->backing == BACKING_FILE)
		strbuf_adds(out, "    <source type='file'/>\n    <access mode='private'/>\n");
	strbuf_adds(out, "  </memoryBacking>\n");
}

static void os_section(const struct vm_config *c, const struct lv_xml_opts *o, struct strbuf *out)
{
	strbuf_adds(out, "  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n");
	/* qboot boots an ELF vmlinux through PVH in a few ms (measured here); a
	 * <loader type='rom'> is passed to QEMU as -bios.  A bzImage or a disk
	 * keeps libvirt's default firmware (SeaBIOS), like the qemu backend. */
	if (c->kernel[0] && o->pvh)
		strbuf_adds(out, "    <loader type='rom'>" LV_QBOOT_ROM "</loader>\n");
	if (c->kernel[0]) {
		element(out, "    ", "kernel", c->kernel);
		if (c->initrd[0])
			element(out, "    ", "initrd", c->initrd);
		if (c->append[0] && c->vmem_bytes) {
			char acpi[sizeof(c->append)];

			guest_append_acpi_on(c->append, acpi, sizeof(acpi));
			element(out, "    ", "cmdline", acpi);
		} else if (c->append[0]) {
			element(out, "    ", "cmdline", c->append);
		}
	} else {
		strbuf_adds(out, "    <boot dev='hd'/>\n");
	}
	strbuf_adds(out, "  </os>\n");
}

/* The virtio devices sit on the root bus at the slots both backends use
 * (guest-image.h says why), not behind the pcie-root-ports libvirt would
 * add: qboot does not set up PCI bridges, so a device behind a root port
 * is never found by a guest booted with acpi=off. */
#define ROOT_BUS_SLOT(slot) \
	"      <address type='pci' domain='0x0000' bus='0x00' slot='" slot "' function='0x0'/>\n"

static void disk(const struct vm_config *c, const struct lv_xml_opts *o, struct strbuf *out)
{
	if (!c->disk[0])
		return;
	strbuf_addf(out, "    <disk type='file' device='disk'>\n"
			 "      <driver name='qemu' type='%s'/>\n      <source file='",
		    o->disk_format ? o->disk_format : "raw");
	lv_xml_escape(out, c->disk);
	/* <transient/>: writes go to a throw-away overlay, like the qemu
	 * backend's snapshot=on: a vendor's image is never modified. */
	strbuf_adds(out, "'/>\n      <target dev='vda' bus='virtio'/>\n      <transient/>\n" ROOT_BUS_SLOT(GUEST_PCI_SLOT_DISK)
			 "    </disk>\n");
}

static void console(const struct vm_config *c, const struct lv_xml_opts *o, struct strbuf *out)
{
	/* libvirtd opens the file itself and hands QEMU the descriptor, so it
	 * works whatever user qemu.conf runs QEMU as. */
	if (o->console_file) {
		strbuf_adds(out, "    <serial type='file'>\n      <source path='");
		lv_xml_escape(out, c->outdir);
		strbuf_adds(out, "/console.log'/>\n      <target port='0'/>\n    </serial>\n");
	} else {
		strbuf_adds(out, "    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n");
	}
}

static void balloon(const struct vm_config *c, struct strbuf *out)
{
	if (!c->balloon) {
		strbuf_adds(out, "    <memballoon model='none'/>\n");
		return;
	}
	/* autodeflate is QEMU's deflate-on-oom; free-page-hint has no XML
	 * (lv_prepare refuses it) */
	strbuf_addf(out, "    <memballoon model='virtio'%s%s>\n" ROOT_BUS_SLOT(GUEST_PCI_SLOT_BALLOON),
		    c->deflate_on_oom ? " autodeflate='on'" : "",
		    c->free_page_reporting ? " freePageReporting='on'" : "");
	if (c->stats_period_s)
		strbuf_addf(out, "      <stats period='%u'/>\n", c->stats_period_s);
	strbuf_adds(out, "    </memballoon>\n");
}

/* libvirt places a virtio-mem device on a guest NUMA node: one cell
 * holding the boot memory and every vCPU. */
static void cpu_section(const struct vm_config *c, struct strbuf *out)
{
	int kvm = c->accel.kind == ACCEL_KVM;
	unsigned n = c->vcpus ? c->vcpus : 1;

	if (!c->vmem_bytes) {
		if (kvm)
			strbuf_adds(out, "  <cpu mode='host-passthrough'/>\n");
		return;
	}
	strbuf_addf(out, "  <cpu%s>\n    <numa>\n      <cell id='0' cpus='0-%u' memory='%llu' "
			 "unit='KiB'/>\n    </numa>\n  </cpu>\n", kvm ? " mode='host-passthrough'" : "",
		    n - 1, (unsigned long long)(c->memory_bytes / KiB));
}

void lv_vmem_xml(const struct vm_config *c, uint64_t requested, struct strbuf *out)
{
	strbuf_addf(out, "    <memory model='virtio-mem'>\n      <target>\n"
			 "        <size unit='KiB'>%llu</size>\n        <node>0</node>\n"
			 "        <block unit='KiB'>%llu</block>\n"
			 "        <requested unit='KiB'>%llu</requested>\n      </target>\n"
			 "      <alias name='" LV_VMEM_ALIAS "'/>\n" ROOT_BUS_SLOT(GUEST_PCI_SLOT_VMEM)
			 "    </memory>\n",
		    (unsigned long long)(c->vmem_bytes / KiB),
		    (unsigned long long)(c->vmem_block_bytes / KiB),
		    (unsigned long long)(requested / KiB));
}

static void vmem_device(const struct vm_config *c, struct strbuf *out)
{
	if (c->vmem_bytes)
		lv_vmem_xml(c, c->vmem_requested, out);
}

void lv_domain_xml(const struct vm_config *c, const char *name, const struct lv_xml_opts *o,
		   struct strbuf *out)
{
	unsigned long long kib = (unsigned long long)(c->memory_bytes / KiB);
	int kvm = c->accel.kind == ACCEL_KVM;

	strbuf_addf(out, "<domain type='%s'>\n", kvm ? "kvm" : "qemu");
	element(out, "  ", "name", name);
	if (o->description)
		element(out, "  ", "description", o->description);
	/* with virtio-mem, <memory> counts the device too, and <maxMemory>
	 * gives it its slot */
	if (c->vmem_bytes)
		strbuf_addf(out, "  <maxMemory slots='1' unit='KiB'>%llu</maxMemory>\n",
			    kib + (unsigned long long)(c->vmem_bytes / KiB));
	strbuf_addf(out, "  <memory unit='KiB'>%llu</memory>\n",
		    kib + (unsigned long long)(c->vmem_bytes / KiB));
	strbuf_addf(out, "  <currentMemory unit='KiB'>%llu</currentMemory>\n", kib);
	memory_backing(c, out);
	strbuf_addf(out, "  <vcpu>%u</vcpu>\n", c->vcpus ? c->vcpus : 1);
	os_section(c, o, out);
	strbuf_adds(out, "  <features><acpi/></features>\n");
	cpu_section(c, out);
	strbuf_adds(out, "  <clock offset='utc'/>\n");
	/* -no-reboot: a guest that panics or reboots is gone, not looping. */
	strbuf_adds(out, "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>destroy</on_reboot>\n"
			 "  <on_crash>destroy</on_crash>\n");
	strbuf_adds(out, "  <devices>\n");
	/* libvirt picks the emulator of the daemon's host (no <emulator>):
	 * --qemu names a binary here, which a remote host may not have. */
	strbuf_adds(out, "    <controller type='usb' model='none'/>\n");
	disk(c, o, out);
	console(c, o, out);
	strbuf_adds(out, "    <controller type='virtio-serial' index='0'>\n" ROOT_BUS_SLOT(GUEST_PCI_SLOT_SERIAL)
			 "    </controller>\n");
	strbuf_adds(out, "    <channel type='unix'>\n"
			 "      <target type='virtio' name='org.qemu.guest_agent.0'/>\n    </channel>\n");
	balloon(c, out);
	vmem_device(c, out);
	strbuf_adds(out, "  </devices>\n</domain>\n");
}
