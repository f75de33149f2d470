/* meminfo.c — see meminfo.h. */
#include "util/meminfo.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Past "Node N " at a line start: a node's meminfo repeats it on every
 * line, and its keys are the same as /proc/meminfo's after it. */
static const char *skip_node_prefix(const char *line)
{
	const char *p = line;

	if (strncmp(p, "Node ", 5))
		return line;
	p += 5;
	if (!isdigit((unsigned char)*p))
		return line;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != ' ')
		return line;
	while (*p == ' ')
		p++;
	return p;
}

int meminfo_text_field(const char *text, const char *key, long long *value)
{
	size_t n = strlen(key);

	for (const char *line = text; line && *line;) {
		const char *p = skip_node_prefix(line), *nl;
		char *end;

		if (!strncmp(p, key, n) && p[n] == ':') {
			long long v = strtoll(p + n + 1, &end, 10);

			if (end == p + n + 1)
				break;
			*value = v;
			return 0;
		}
		nl = strchr(line, '\n');
		line = nl ? nl + 1 : NULL;
	}
	return ocb_fail("no '%s:' line with a number", key);
}

int meminfo_file_field(const char *path, const char *key, long long *value)
{
	struct strbuf text = STRBUF_INIT;
	int rc = read_file(path, &text);

	if (rc == 0 && meminfo_text_field(text.buf, key, value) < 0)
		rc = ocb_err_prefix("%s: ", path);
	strbuf_release(&text);
	return rc;
}
