/* kvmparam.h — the EPT/VPID/NPT parameters of kvm_intel / kvm_amd.
 *
 * They are module parameters, read-only in /sys/module/<mod>/parameters:
 * changing one means unloading and reloading the module.  ocbench does it
 * only when asked (--allow-module-reload), only when no VM holds the module,
 * and journaled like any other change.  The reload keeps the other managed
 * parameters at their current values.  modprobe is $OCBENCH_MODPROBE when
 * set (tests use a fake that edits a fake tree); under a root other than
 * "/" a real modprobe is never run.
 */
#ifndef OCB_KVMPARAM_H
#define OCB_KVMPARAM_H

#include <jansson.h>
#include <stddef.h>

#include "util/strbuf.h"

/* "ept"/"vpid" -> kvm_intel, "npt" -> kvm_amd; NULL for anything else. */
const char *kvmparam_module(const char *param);
/* /sys/module/<module>/parameters/<param> into rel. -1 when unknown. */
int kvmparam_path(const char *param, struct strbuf *rel);
/* 1 with the reason when the parameter cannot be used on this host (KVM
 * not usable, module not loaded, CPU lacks the feature), else 0. */
int kvmparam_unusable(const char *root, const char *param, char *why, size_t len);
/* Users of the module (running VMs); -1 when unknown. */
long kvmparam_module_users(const char *root, const char *module);
/* Reload param's module with param=value ("Y"/"N"), keeping the other
 * managed parameters as they are.  Refuses while a VM runs. */
int kvmparam_reload(const char *root, const char *param, const char *value);
/* {"kvm_usable":bool,"kvm_reason":"...","module":"kvm_intel"|null,
 *  "ept":"Y",...} for the host report. */
json_t *kvmparam_info(const char *root);

#endif
