/* balloon.h — the balloon conformance suite, BAL-001..006: virtio-balloon
 * inflates, deflates, clamps, fails clearly without a device, reports
 * guest stats that agree with the guest, keeps a guest under pressure
 * responsive (balloon.c says how each check measures). */
#ifndef OCB_CONFORM_BALLOON_H
#define OCB_CONFORM_BALLOON_H

#include "conform/conform.h"

extern const struct conform_suite conform_suite_balloon;

#endif
