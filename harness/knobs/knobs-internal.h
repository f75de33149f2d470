/* knobs-internal.h — what the files of knobs/ share: the journaled
 * session, and so that modparam.c can change a knob of it.
 * Nothing outside knobs/ includes it. */
#ifndef OCB_KNOBS_INTERNAL_H
#define OCB_KNOBS_INTERNAL_H

#include <jansson.h>

struct knob_set {
	char *root;
	struct journal *j;
	int allow_module_reload;
	json_t *applied;
};

#endif
