/* static.h — the static policy (static.c says whose rules and from where). */
#ifndef OCB_POLICY_STATIC_H
#define OCB_POLICY_STATIC_H

#include "policy/policy.h"

extern const struct policy_ops policy_static;

#endif
