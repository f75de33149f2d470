/* libvirt-xml.h — the domain XML of one guest (the libvirt backend's
 * counterpart of the qemu backend's argv).
 *
 * A pure function of the guest's vm_config and a few facts about its
 * image, so unit tests check every guest option without a daemon.  The
 * machine matches the qemu backend's (q35, qboot + PVH for an ELF
 * vmlinux, no default devices, no reboot), so both backends measure the
 * same guest.
 */
#ifndef OCB_LIBVIRT_XML_H
#define OCB_LIBVIRT_XML_H

#include <stdint.h>

#include "util/strbuf.h"
#include "vm/vm.h"

#define LV_QBOOT_ROM "/usr/share/qemu/qboot.rom"
/* The virtio-mem device's alias (a user alias: libvirt keeps it) */
#define LV_VMEM_ALIAS "ua-vmem0"

struct lv_xml_opts {
	int pvh;			/* the kernel is an ELF vmlinux: qboot firmware */
	int console_file;		/* serial to OUTDIR/console.log (a local URI) */
	const char *disk_format;	/* "raw" or "qcow2" (cfg.disk set) */
	const char *description;	/* <description>, may be NULL */
};

/* Fill opts from the image files (ELF magic, qcow2 magic) and the URI. */
void lv_xml_opts_probe(const struct vm_config *c, struct lv_xml_opts *o);
/* The <domain> document for c, named name, into out (appended). */
void lv_domain_xml(const struct vm_config *c, const char *name, const struct lv_xml_opts *o,
		   struct strbuf *out);
/* The virtio-mem device's <memory> element with requested bytes plugged:
 * what the domain XML holds, and what virDomainUpdateDeviceFlags takes to
 * change the request (libvirt finds the device by its alias and address
 * and refuses a change to anything but <requested>). */
void lv_vmem_xml(const struct vm_config *c, uint64_t requested, struct strbuf *out);
/* s with & < > ' " escaped, appended to out. */
void lv_xml_escape(struct strbuf *out, const char *s);

#endif
