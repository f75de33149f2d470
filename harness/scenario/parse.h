/* parse.h — loading a scenario file (INI, parsed with inih).
 *
 * Format notes (inih's rules): ';' or '#' starts a comment line; ' ;'
 * (blank then ';') starts an inline comment anywhere, even inside quotes,
 * so write `sh -c "a; b"` (no blank before ';').  Indented lines are
 * ordinary lines (continuation lines are off).  Lines may be up to 4094
 * bytes.  [matrix] values are split on every ','.
 *
 * Not thread-safe: inih's runtime options are process globals that a load
 * sets for its duration (Debian's libinih is built with them).
 */
#ifndef OCB_SCENARIO_PARSE_H
#define OCB_SCENARIO_PARSE_H

struct scenario;
struct scenario_hooks;

/* Load and validate a file, including every [matrix] value and the [quick]
 * overrides (applied when quick is set, validated anyway).  [quick] holds
 * SECTION.KEY = VALUE lines like a one-value [matrix], plus optional
 * timeline.TIME = ACTIONS lines which, when present, replace the whole
 * [timeline] (a shorter run needs other times).  hooks may be NULL.  NULL
 * on error with ocb_errmsg() set. */
struct scenario *scenario_load(const char *path, const struct scenario_hooks *hooks, int quick);
/* The same over text in memory; name stands for the file in messages
 * and gives the default scenario name. */
struct scenario *scenario_load_string(const char *text, const char *name,
				      const struct scenario_hooks *hooks, int quick);

#endif
