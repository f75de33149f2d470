/* ksm.h — the ksm conformance suite, KSM-001..005: KSM merges what guests
 * share, unmerges, honours mem-merge=off and copy-on-write, and UKSM's
 * knobs (ksm.c says how each check measures); KSM-006/007 on a remote
 * host's counters (ksm-node.h); KSM-008, the KSM advisor (ksm-advisor.h). */
#ifndef OCB_CONFORM_KSM_H
#define OCB_CONFORM_KSM_H

#include "conform/conform.h"

extern const struct conform_suite conform_suite_ksm;

#endif
