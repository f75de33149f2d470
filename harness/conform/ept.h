/* ept.h — the ept conformance suite, EPT-001..003: EPT/VPID (NPT) present
 * and enabled, and what turning EPT off costs (ept.c says how each check
 * measures). */
#ifndef OCB_CONFORM_EPT_H
#define OCB_CONFORM_EPT_H

#include "conform/conform.h"

extern const struct conform_suite conform_suite_ept;

#endif
