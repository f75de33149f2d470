/* swap.h — swap space and the VM overcommit policy (/proc/meminfo,
 * /proc/sys/vm).  swappiness and overcommit_* are set through knobs.h. */
#ifndef OCB_SWAP_H
#define OCB_SWAP_H

#include <jansson.h>

/* {"total_kib":N,"used_kib":N,"swappiness":60,"overcommit_memory":0,
 *  "overcommit_ratio":50}; fields that cannot be read are left out. */
json_t *swap_info(const char *root);

#endif
