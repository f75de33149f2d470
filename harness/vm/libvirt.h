/* libvirt.h — the libvirt backend (vm_libvirt_ops; libvirt.c explains
 * it), and the pieces of it that tests reach directly. */
#ifndef OCB_VM_LIBVIRT_H
#define OCB_VM_LIBVIRT_H

#include <jansson.h>
#include <libvirt/libvirt.h>

#include "vm/vm.h"

extern const struct vm_backend_ops vm_libvirt_ops;

/* "ocbench-<pid>-<4 hex>-": every domain of this process starts with it. */
const char *lv_run_prefix(void);
/* 0 when no domain called name exists at conn; else -1 with a message
 * naming guest, the domain and uri (and the domain is left alone). */
int lv_check_name_free(virConnectPtr conn, const char *uri, const char *name, const char *guest);

#endif
