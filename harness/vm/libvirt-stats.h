/* libvirt-stats.h — virDomainMemoryStats in the names of QEMU's
 * virtio-balloon guest-stats, so the balloon checks and the sampler read
 * the same keys from either backend. */
#ifndef OCB_VM_LIBVIRT_STATS_H
#define OCB_VM_LIBVIRT_STATS_H

#include <jansson.h>
#include <libvirt/libvirt.h>

/* The stats as QEMU's guest-stats object: "stat-total-memory" etc. in
 * bytes, plus "actual", "rss" and "last-update". */
json_t *lv_memory_stats_json(const virDomainMemoryStatStruct *st, int n);

#endif
