/* libvirt-stats.h — what a guest's memory devices report through
 * libvirt: virDomainMemoryStats in the names of QEMU's virtio-balloon
 * guest-stats, so the balloon checks and the sampler read the same keys
 * from either backend; and the virtio-mem device's size and request from
 * QMP's query-memory-devices (through virDomainQemuMonitorCommand: the
 * live XML's <current> is what QEMU's throttled MEMORY_DEVICE_SIZE_CHANGE
 * events last said, and was seen stale, 128 MiB of 256 plugged). */
#ifndef OCB_VM_LIBVIRT_STATS_H
#define OCB_VM_LIBVIRT_STATS_H

#include <jansson.h>
#include <libvirt/libvirt.h>
#include <stdint.h>

/* The stats as QEMU's guest-stats object: "stat-total-memory" etc. in
 * bytes, plus "actual", "rss" and "last-update". */
json_t *lv_memory_stats_json(const virDomainMemoryStatStruct *st, int n);
/* From query-memory-devices' reply ({"return": [...]}), the virtio-mem
 * device whose id is alias: its size and requested-size in bytes.  0, or
 * -1 with the message (not JSON, an error reply, no such device). */
int lv_vmem_from_query(const char *reply, const char *alias, uint64_t *size, uint64_t *requested);

#endif
