/* backends.h — every VM backend by name ("qemu", "libvirt", "native").
 *
 * The registry sits above the backends (it includes each one's header)
 * and vm.h below them, so a backend never depends on the list it is in. */
#ifndef OCB_VM_BACKENDS_H
#define OCB_VM_BACKENDS_H

#include "vm/vm.h"

/* Look a backend up by name; NULL with a message naming the known ones. */
const struct vm_backend_ops *vm_backend_find(const char *name);
/* The name of backend i (0, 1, ...), NULL past the last. */
const char *vm_backend_name(size_t i);
/* 1 when a backend of that name exists (else 0 with the message). */
int vm_backend_known(const char *name);

#endif
