/* mom.h — the mom policy (mom.c says whose rules and from where). */
#ifndef OCB_POLICY_MOM_H
#define OCB_POLICY_MOM_H

#include "policy/policy.h"

extern const struct policy_ops policy_mom;

#endif
