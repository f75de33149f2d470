/* ksm.h — Kernel Samepage Merging (/sys/kernel/mm/ksm) and UKSM
 * (/sys/kernel/mm/uksm, out-of-tree kernels only): presence, settings and
 * the counters the sampler records.  Setting KSM goes through knobs.h. */
#ifndef OCB_KSM_H
#define OCB_KSM_H

#include <jansson.h>

#define KSM_DIR "/sys/kernel/mm/ksm"
#define UKSM_DIR "/sys/kernel/mm/uksm"

int ksm_present(const char *root);
int uksm_present(const char *root);
/* Settings as JSON ({"run":0,"pages_to_scan":100,...}), NULL when absent. */
json_t *ksm_settings(const char *root);
json_t *uksm_settings(const char *root);
/* Counters: KSM's under their sysfs names, UKSM's prefixed "uksm_";
 * missing counters are left out (older kernels).  Never NULL. */
json_t *ksm_counters(const char *root);
/* UKSM's counters under their own names into obj (uksm.c). */
void uksm_counters_fill(json_t *obj, const char *root);

#endif
