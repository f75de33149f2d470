/* vmem.h — VMEM-001 (the reclaim suite): a virtio-mem plug converges the
 * device's size to its requested-size and the guest's MemTotal follows.
 * vmem.c says how. */
#ifndef OCB_CONFORM_VMEM_H
#define OCB_CONFORM_VMEM_H

#include "conform/conform.h"

/* The check's run function (its row is in reclaim.c's table). */
void conform_vmem_001(struct conform_ctx *c, struct conform_result *r);

#endif
