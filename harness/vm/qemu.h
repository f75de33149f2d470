/* qemu.h — the qemu backend: qemu-system-x86_64 spawned from an argv, QMP
 * and the guest agent over unix sockets (qemu.c says how QEMU is kept
 * from outliving ocbench). */
#ifndef OCB_VM_QEMU_H
#define OCB_VM_QEMU_H

#include "vm/vm.h"

extern const struct vm_backend_ops vm_qemu_ops;

#endif
