/* thp.h — Transparent Huge Pages (/sys/kernel/mm/transparent_hugepage):
 * current settings for the host report.  Setting goes through knobs.h. */
#ifndef OCB_THP_H
#define OCB_THP_H

#include <jansson.h>

#define THP_DIR "/sys/kernel/mm/transparent_hugepage"

int thp_present(const char *root);
/* {"enabled":"madvise","defrag":"madvise",...,"khugepaged":{...}}, NULL
 * when the kernel has no THP. */
json_t *thp_settings(const char *root);

#endif
