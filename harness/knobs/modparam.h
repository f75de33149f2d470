/* modparam.h — a knob that is a KVM module parameter (ept, vpid, npt),
 * changed by reloading kvm_intel/kvm_amd inside a knob session. */
#ifndef OCB_MODPARAM_H
#define OCB_MODPARAM_H

#include "knobs/knobs-internal.h"

/* Change a kvm_intel/kvm_amd parameter (journaled kind "modparam", then
 * the module reloaded, then read back); only with allow_module_reload. */
int knob_apply_modparam(struct knob_set *ks, const char *key, const char *rel,
			const char *want, const char *raw, const char *prev);

#endif
