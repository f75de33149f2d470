/* swap.h — swap space and the VM overcommit policy (/proc/meminfo,
 * /proc/sys/vm).  swappiness and overcommit_* are set through knobs.h. */
#ifndef OCB_SWAP_H
#define OCB_SWAP_H

#include <jansson.h>

/* {"total_kib":N,"used_kib":N,"swappiness":60,"overcommit_memory":0,
 *  "overcommit_ratio":50}; fields that cannot be read are left out. */
json_t *swap_info(const char *root);
/* A "Name:  N kB" field of ROOT/proc/meminfo (or a node's meminfo).
 * -1 with a message when missing. */
int meminfo_field_kib(const char *path, const char *name, unsigned long long *kib);

#endif
