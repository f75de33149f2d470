/* native.h — the "native" backend: no VM, the workloads run on the host
 * (`ocbench run --native`), the bare-metal baseline. */
#ifndef OCB_VM_NATIVE_H
#define OCB_VM_NATIVE_H

#include "vm/vm.h"

extern const struct vm_backend_ops vm_native_ops;

#endif
