/* psi.h — the psi policy (psi.c says whose rules and from where). */
#ifndef OCB_POLICY_PSI_H
#define OCB_POLICY_PSI_H

#include "policy/policy.h"

extern const struct policy_ops policy_psi;

#endif
