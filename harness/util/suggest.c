/* suggest.c — see suggest.h. */
#include "util/suggest.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t ocb_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	/* three rows: i-2, i-1, i (transpositions look two rows back) */
	size_t *rows = xcalloc(3 * (lb + 1), sizeof(*rows));
	size_t *pp, *prev, *cur, d;

	pp = rows;
	prev = rows + (lb + 1);
	cur = rows + 2 * (lb + 1);
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t cost = ca != cb;
			size_t v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
		}
		size_t *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	d = prev[lb];
	free(rows);
	return d;
}

const char *ocb_suggest(const char *word, const char *const *candidates)
{
	size_t len = strlen(word);
	size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	const char *best = NULL;
	size_t best_d = (size_t)-1;

	for (size_t i = 0; candidates && candidates[i]; i++) {
		size_t d = ocb_edit_distance(word, candidates[i]);

		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	if (best_d <= limit)
		return best;
	/* "balloon.stats" for "balloon.stats_period": a unique prefix */
	best = NULL;
	for (size_t i = 0; len >= 3 && candidates && candidates[i]; i++) {
		if (strncasecmp(candidates[i], word, len) == 0) {
			if (best)
				return NULL;
			best = candidates[i];
		}
	}
	return best;
}
