/* suites.h — every conformance suite in run order, and running them:
 * selection (--suite, --check), the requirements that make a check a
 * SKIP with its reason, and the loop that restores the host after each
 * suite. */
#ifndef OCB_CONFORM_SUITES_H
#define OCB_CONFORM_SUITES_H

#include "conform/conform.h"

struct conform_ctx;

/* Every suite in run order (NULL-terminated). */
const struct conform_suite *const *conform_suites(void);
const struct conform_check *conform_find_check(const char *id);

/* Run the selected checks (suites: comma list or NULL for all; ids: NULL
 * or a NULL-terminated list) into rep.  -1 on a selection error. */
int conform_run(struct conform_ctx *c, const char *suites, const char *const *ids,
		struct conform_report *rep);
/* Validate a --suite list / --check id without running anything. */
int conform_validate_selection(const char *suites, const char *const *ids);

#endif
