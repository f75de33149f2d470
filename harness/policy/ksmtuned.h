/* ksmtuned.h — the ksmtuned policy (ksmtuned.c says whose rules and from where). */
#ifndef OCB_POLICY_KSMTUNED_H
#define OCB_POLICY_KSMTUNED_H

#include "policy/policy.h"

extern const struct policy_ops policy_ksmtuned;

#endif
