/* ksm.h — Kernel Samepage Merging (/sys/kernel/mm/ksm): presence,
 * settings and the counters the sampler records (UKSM's too, when the
 * kernel has it: uksm.h).  Setting KSM goes through knobs.h. */
#ifndef OCB_KSM_H
#define OCB_KSM_H

#include <jansson.h>

#define KSM_DIR "/sys/kernel/mm/ksm"

int ksm_present(const char *root);
/* Settings as JSON ({"run":0,"pages_to_scan":100,...}), NULL when absent. */
json_t *ksm_settings(const char *root);
/* Counters: KSM's under their sysfs names, UKSM's prefixed "uksm_";
 * missing counters are left out (older kernels).  Never NULL. */
json_t *ksm_counters(const char *root);

#endif
