/* build.h — releasing a scenario.  Building one is folder-internal
 * (scenario-internal.h): the outside gets scenarios from scenario_load()
 * (parse.h) and scenario_expand() (matrix.h).
 */
#ifndef OCB_SCENARIO_BUILD_H
#define OCB_SCENARIO_BUILD_H

struct scenario;

/* Frees s and everything reachable from it (NULL is fine). */
void scenario_free(struct scenario *s);
/* -1 with "FILE: nothing to run: no [guest] section" when s has no guest:
 * loading accepts such a file (its keys may be checked on their own), but
 * running it would "succeed" having measured nothing. */
int scenario_check_runnable(const struct scenario *s);

#endif
