/* policies.c — see policies.h. */
#include "policy/policies.h"
#include "policy/fpr.h"
#include "policy/ksmtuned.h"
#include "policy/mom.h"
#include "policy/psi.h"
#include "policy/pve.h"
#include "policy/static.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/suggest.h"

#include <stdio.h>
#include <string.h>

static const struct policy_ops *const list[] = {
	&policy_static, &policy_mom, &policy_pve, &policy_psi, &policy_fpr_only, &policy_ksmtuned,
};

#define N_POLICIES (sizeof(list) / sizeof(list[0]))

const char *const policy_names[] = { "static", "mom", "pve", "psi", "fpr-only", "ksmtuned", NULL };

size_t policy_count(void)
{
	return N_POLICIES;
}

const struct policy_ops *policy_at(size_t i)
{
	return i < N_POLICIES ? list[i] : NULL;
}

const struct policy_ops *policy_find(const char *name)
{
	for (size_t i = 0; i < N_POLICIES; i++)
		if (!strcmp(list[i]->name, name))
			return list[i];
	return NULL;
}

static int fail_unknown(const char *what, const char *word, const char *const *names)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = ocb_suggest(word, names);

	for (size_t i = 0; names[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", names[i]);
	if (s)
		ocb_fail("unknown %s '%s' (did you mean '%s'? expected %s)", what, word, s, sb.buf);
	else
		ocb_fail("unknown %s '%s' (expected %s)", what, word, sb.buf);
	strbuf_release(&sb);
	return -1;
}

int policy_check_name(const char *name, unsigned flags)
{
	const struct policy_ops *ops = policy_find(name);

	if (!ops)
		return fail_unknown("policy", name, policy_names);
	if (flags && !(ops->flags & flags))
		return ocb_fail("policy %s does not drive %s", name,
				flags & POLICY_F_KSM ? "KSM (expected ksmtuned)" : "the balloon");
	return 0;
}

int policy_check_param(const char *key, const char *value)
{
	const char *dot = strchr(key, '.');
	const struct policy_ops *ops;
	struct policy p;
	char name[POLICY_NAME_MAX];
	int rc;

	if (!dot)
		return ocb_fail("unknown key '%s' (expected name, interval, ksm, floor or "
				"POLICY.KEY, e.g. mom.pressure_threshold)", key);
	snprintf(name, sizeof(name), "%.*s", (int)(dot - key), key);
	if (!(ops = policy_find(name)))
		return fail_unknown("policy", name, policy_names);
	if (policy_init(&p, ops) < 0)
		return -1;
	rc = policy_set(&p, dot + 1, value);
	policy_fini(&p);
	return rc;
}
