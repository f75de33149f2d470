/* fpr.h — the fpr-only policy (fpr.c says whose rules and from where). */
#ifndef OCB_POLICY_FPR_H
#define OCB_POLICY_FPR_H

#include "policy/policy.h"

extern const struct policy_ops policy_fpr_only;

#endif
