/* reclaim.h — the reclaim conformance suite: the newer ways a host takes
 * guest memory back.  FPR-001: free page reporting returns a freed hog's
 * memory to the host (QEMU RSS back within 10 % of its baseline within
 * 30 s, tp-qemu's rule), a guest without it keeps it (the control);
 * BAL-007: an inflate reclaims at least 85 % of the requested amount
 * (Firecracker's rule), seen on the host (QEMU RSS) and in the guest
 * (MemTotal); DOO-001 (doo.h), VMEM-001/002 (vmem.h) and SWAP-001
 * (swap.h) are in its table too.  reclaim.c says how each measures. */
#ifndef OCB_CONFORM_RECLAIM_H
#define OCB_CONFORM_RECLAIM_H

#include "conform/conform.h"

extern const struct conform_suite conform_suite_reclaim;

#endif
