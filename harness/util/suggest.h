/* suggest.h — "did you mean ...?" for names typed by people (scenario
 * keys, sections, timeline actions, subcommands).
 *
 * Distance is optimal-string-alignment (Levenshtein plus adjacent
 * transposition, so "memroy" is one edit from "memory"), case-insensitive.
 */
#ifndef OCB_SUGGEST_H
#define OCB_SUGGEST_H

#include <stddef.h>

size_t ocb_edit_distance(const char *a, const char *b);
/* The candidate closest to word, or NULL when none is close enough to be
 * a plausible typo (at most 1 edit for words of 1-3 characters, 2 up to 6,
 * else 3) or the only candidate that word (3+ characters) begins.
 * candidates is NULL-terminated; ties go to the first. */
const char *ocb_suggest(const char *word, const char *const *candidates);

#endif
