/* vmem.h — VMEM-001 and VMEM-002 (the reclaim suite): a virtio-mem plug
 * converges the device's size to its requested-size and the guest's
 * MemTotal follows; an unplug under load gives back what the guest can
 * free (all of it, or up to what its load holds), and says how much and
 * how fast.  vmem.c says how. */
#ifndef OCB_CONFORM_VMEM_H
#define OCB_CONFORM_VMEM_H

#include "conform/conform.h"

/* The checks' run functions (their rows are in reclaim.c's table). */
void conform_vmem_001(struct conform_ctx *c, struct conform_result *r);
void conform_vmem_002(struct conform_ctx *c, struct conform_result *r);

#endif
