/* keys.h — what `ocbench run --list-keys` prints: every key of
 * [scenario] and [guest NAME] with its type, default and help, the host
 * knobs the caller's hooks know, and the timeline actions.
 */
#ifndef OCB_SCENARIO_KEYS_H
#define OCB_SCENARIO_KEYS_H

#include <stdio.h>

struct scenario_hooks;

/* One row of --list-keys: a key of a section, or a host knob. */
struct scenario_key_info {
	const char *section;	/* "[scenario]", "[guest NAME]", "[report]", "[host]" */
	const char *name;
	const char *value;	/* what a value is: "N (1..1000)", "off|on", "SIZE", ... */
	const char *def;	/* the default as written, or what holds without the key */
	const char *help;
};
typedef void (*scenario_key_fn)(const struct scenario_key_info *k, void *arg);

/* Every key in --list-keys order, then the host knobs hooks->host_keys
 * gives (one placeholder row KNOB without hooks).  The man page and the
 * shell completion read the same rows. */
void scenario_each_key(const struct scenario_hooks *hooks, scenario_key_fn fn, void *arg);

/* Every key and timeline action with type, default and help (for
 * `ocbench run --list-keys` and the README).  Host keys are listed when
 * hooks->host_keys is given.  With only: the row of that key, knob or
 * action; -1 with a message when there is none. */
int scenario_print_keys(FILE *f, const struct scenario_hooks *hooks, const char *only);

#endif
