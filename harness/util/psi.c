/* psi.c — see psi.h. */
#include "util/psi.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

/* The total= of the line starting with word, or -1. */
static double line_total(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *t, *eol = strchr(l, '\n');
		char *end;
		double v;

		if (strncmp(l, word, n) || l[n] != ' ')
			continue;
		t = strstr(l, "total=");
		if (!t || (eol && t > eol))
			return -1;
		v = strtod(t + 6, &end);
		return end == t + 6 ? -1 : v;
	}
	return -1;
}

int psi_parse_totals(const char *text, double *some_us, double *full_us)
{
	*some_us = text ? line_total(text, "some") : -1;
	*full_us = text ? line_total(text, "full") : -1;
	if (*some_us < 0)
		return ocb_fail("no 'some ... total=N' line in the pressure file");
	return 0;
}
