/* keys.h — what `ocbench run --list-keys` prints: every key of
 * [scenario] and [guest NAME] with its type, default and help, the host
 * knobs the caller's hooks know, and the timeline actions.
 */
#ifndef OCB_SCENARIO_KEYS_H
#define OCB_SCENARIO_KEYS_H

#include <stdio.h>

struct scenario_hooks;

/* Every key and timeline action with type, default and help (for
 * `ocbench run --list-keys` and the README).  Host keys are listed when
 * hooks->host_keys is given. */
void scenario_print_keys(FILE *f, const struct scenario_hooks *hooks);

#endif
