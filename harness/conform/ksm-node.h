/* ksm-node.h — KSM-006 and KSM-007: KSM on the host the guests run on,
 * judged by that host's own counters (pages_sharing, full_scans), which
 * libvirt reports for a remote host (virNodeGetMemoryParameters through
 * the context's probe, fixture.h).  What the per-guest checks KSM-001..004
 * attribute to each QEMU (/proc/PID/ksm_merging_pages) libvirt does not
 * report: they skip on a remote host with that reason, these run there.
 *
 *   KSM-006  ksm-a and ksm-b run ksmfill with a seed of their own (64 MiB,
 *            3/4 identical): the host's pages_sharing rises by the
 *            identical pages within max(5 %, 3 sd of its baseline).  KSM's
 *            scan rate is set over libvirt (journaled there); whether KSM
 *            runs libvirt can neither read nor set: if ksmd does not scan,
 *            the FAIL says so.
 *   KSM-007  the guests stopped, pages_sharing falls by what they merged
 *            (within 5 %) before the KSM timeout: merged pages of exited
 *            guests are released.
 *
 * Counters are host-wide: another guest merging there at the same time
 * can only add to a gain (no false FAIL of KSM-006), and a fall larger
 * than the guests' merge is not held against KSM-007.
 */
#ifndef OCB_CONFORM_KSM_NODE_H
#define OCB_CONFORM_KSM_NODE_H

#include "conform/conform.h"

struct conform_ctx;

void ksm_node_merge(struct conform_ctx *c, struct conform_result *r);	/* KSM-006 */
void ksm_node_release(struct conform_ctx *c, struct conform_result *r);	/* KSM-007 */

#endif
