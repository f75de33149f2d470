/* swap.h — SWAP-001 (the reclaim suite): the `swap = SIZE` knob's
 * temporary swap file is active while its session lasts and gone after
 * it, also after the session's process is SIGKILLed and `ocbench
 * restore` (knob_restore_journal) runs.  swap.c says how. */
#ifndef OCB_CONFORM_SWAP_H
#define OCB_CONFORM_SWAP_H

#include "conform/conform.h"

/* The check's run function (its row is in reclaim.c's table). */
void conform_swap_001(struct conform_ctx *c, struct conform_result *r);

#endif
