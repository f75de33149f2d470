/* vm-libvirt.h — the libvirt backend's pieces that tests reach directly
 * (the backend itself is vm_libvirt_ops in vm.h). */
#ifndef OCB_VM_LIBVIRT_H
#define OCB_VM_LIBVIRT_H

#include <jansson.h>
#include <libvirt/libvirt.h>

#include "vm/vm.h"

/* "ocbench-<pid>-<4 hex>-": every domain of this process starts with it. */
const char *lv_run_prefix(void);
/* 0 when no domain called name exists at conn; else -1 with a message
 * naming guest, the domain and uri (and the domain is left alone). */
int lv_check_name_free(virConnectPtr conn, const char *uri, const char *name, const char *guest);
/* virDomainMemoryStats as QEMU's guest-stats object: "stat-total-memory"
 * etc. in bytes, plus "actual", "rss" and "last-update". */
json_t *lv_memory_stats_json(const virDomainMemoryStatStruct *st, int n);

#endif
