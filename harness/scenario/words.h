/* words.h — a value split into words, the way a shell would for the
 * simple cases: section headers, `workload =` and timeline actions all
 * split with these rules, so quoting means one thing everywhere.
 */
#ifndef OCB_SCENARIO_WORDS_H
#define OCB_SCENARIO_WORDS_H

#include <stddef.h>

/* Split a command line into words: blanks separate, '...' is literal,
 * "..." is literal but for \" and \\.  NULL-terminated array in *argv
 * (free with scenario_argv_free), word count in *argc.  -1 on an
 * unterminated quote. */
int scenario_split_argv(const char *s, char ***argv, size_t *argc);
void scenario_argv_free(char **argv);

#endif
