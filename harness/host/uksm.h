/* uksm.h — UKSM, the out-of-tree "Ultra KSM" (/sys/kernel/mm/uksm).
 * Stock kernels do not carry it: every reader then reports it absent and
 * every UKSM knob is skipped with that reason. */
#ifndef OCB_UKSM_H
#define OCB_UKSM_H

#include <jansson.h>

#define UKSM_DIR "/sys/kernel/mm/uksm"

int uksm_present(const char *root);
/* Settings as JSON, NULL when absent. */
json_t *uksm_settings(const char *root);
/* UKSM's counters under their own names into obj. */
void uksm_counters_fill(json_t *obj, const char *root);

#endif
