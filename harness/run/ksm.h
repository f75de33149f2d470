/* ksm.h — `wait ksm-settled` on every host the run's guests run on, and
 * the KSM merge metrics of the first settle.
 *
 * The hosts: this one (its sysfs) when a guest runs here, then each
 * remote libvirt host (its node memory parameters over libvirt,
 * host/libvirt-node.h), waited on one after the other.  The first host's
 * metrics have the plain names (ksm_settle_s, ksm_merged_mib, ...), the
 * others' carry "@HOST" (ksm_settle_s@host2).  The merge times come from
 * that host's sampled pages_sharing (the ksm or ksm@HOST source). */
#ifndef OCB_RUN_KSM_H
#define OCB_RUN_KSM_H

#include "run/run-internal.h"
#include "scenario/scenario.h"

/* `wait ksm-settled [timeout DUR]`. */
int run_wait_ksm_settled(struct run_ctx *c, const struct timeline_entry *e);

#endif
