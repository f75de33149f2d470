/* doo.h — DOO-001 (the reclaim suite): with the balloon's deflate-on-oom,
 * a guest hog that exceeds what the balloon left makes the balloon give
 * memory back (its actual rises) and completes without an OOM kill; the
 * same hog in a guest without it (the control) is OOM-killed.  doo.c
 * says how. */
#ifndef OCB_CONFORM_DOO_H
#define OCB_CONFORM_DOO_H

#include "conform/conform.h"

/* The check's run function (its row is in reclaim.c's table). */
void conform_doo_001(struct conform_ctx *c, struct conform_result *r);

#endif
