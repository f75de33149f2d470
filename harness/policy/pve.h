/* pve.h — the pve policy (pve.c says whose rules and from where). */
#ifndef OCB_POLICY_PVE_H
#define OCB_POLICY_PVE_H

#include "policy/policy.h"

extern const struct policy_ops policy_pve;

#endif
