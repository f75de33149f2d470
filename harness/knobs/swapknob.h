/* swapknob.h — the `swap = SIZE` host knob: a temporary swap file in the
 * state directory, journaled before it is made (kind "swapfile", its
 * path), so that the end of the run, SIGINT/SIGTERM and `ocbench
 * restore` after a SIGKILL all switch it off and remove it. */
#ifndef OCB_SWAPKNOB_H
#define OCB_SWAPKNOB_H

#include <stdint.h>

#include "knobs/journal.h"

#define SWAPKNOB_KIND "swapfile"

/* Journal STATE_DIR/ocbench-swap.img, then make it a swap file of mib
 * MiB and switch it on.  -1 with the reason (the journal's undo removes
 * whatever was made). */
int swapknob_apply(struct journal *j, const char *root, uint64_t mib);
/* Undo one "swapfile" record: swapoff, remove. */
int swapknob_undo(const char *root, const struct journal_entry *e);

#endif
