/* qemu-argv.h — the qemu backend's command line of one guest (the
 * counterpart of libvirt-xml.h's domain XML).
 *
 * A pure function of the guest's vm_config and its two socket paths, so
 * unit tests check every guest option (balloon features, virtio-mem,
 * backing) against the argv without starting QEMU.
 */
#ifndef OCB_QEMU_ARGV_H
#define OCB_QEMU_ARGV_H

#include "util/runcmd.h"
#include "vm/vm.h"

/* The QOM names of the virtio-mem device and its memory backend (qom-set
 * requested-size goes to /machine/peripheral/QEMU_VMEM_ID). */
#define QEMU_VMEM_ID "vmem0"
#define QEMU_VMEM_MEMDEV "vmem-ram0"

/* The whole argv, c->qemu_binary first, appended to a. */
void qemu_build_argv(const struct vm_config *c, const char *qmp_path, const char *qga_path,
		     struct strvec *a);

#endif
