/* guestmem.c — see guestmem.h. */
#include "guest/guestmem.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

int free_parse(const char *text, struct free_sample *out)
{
	const char *mem = strstr(text, "Mem:");
	int n;

	if (!mem)
		return ocb_fail("unexpected `free -m` output (no 'Mem:' line): '%.120s'", text);
	out->available = -1;
	n = sscanf(mem + 4, "%ld %ld %ld %ld %ld %ld", &out->total, &out->used, &out->free,
		   &out->shared, &out->buff_cache, &out->available);
	if (n < 5)
		return ocb_fail("unexpected `free -m` output (expected at least 5 numbers after 'Mem:'): '%.120s'",
				mem);
	return 0;
}
