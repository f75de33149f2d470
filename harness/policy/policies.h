/* policies.h — the policies by name: one list, from which the scenario
 * keys, `ocbench policy list`, the README's table and the errors ("unknown
 * policy, expected ...") all come. */
#ifndef OCB_POLICY_POLICIES_H
#define OCB_POLICY_POLICIES_H

#include <stddef.h>

#include "policy/policy.h"

/* NULL-terminated names, in list order. */
extern const char *const policy_names[];

const struct policy_ops *policy_find(const char *name);
size_t policy_count(void);
const struct policy_ops *policy_at(size_t i);
/* -1 with "unknown policy 'X' (did you mean ...; expected ...)" unless
 * name is one; with flags, a policy that drives none of them is refused
 * too ("ksm = mom": mom does not drive KSM). */
int policy_check_name(const char *name, unsigned flags);
/* A `[policy] POLICY.PARAM = VALUE` key: -1 with the list of the policy's
 * keys (or the policies) and a suggestion when it is not one. */
int policy_check_param(const char *key, const char *value);

#endif
