/* swap.c — see swap.h. */
#include "host/swap.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "host/sysfs.h"

#include <stdlib.h>
#include <string.h>

int meminfo_field_kib(const char *path, const char *name, unsigned long long *kib)
{
	struct strbuf text = STRBUF_INIT;
	size_t nl = strlen(name);
	const char *p;
	int rc = -1;

	if (read_file(path, &text) < 0)
		goto out;
	/* "Name:" at a line start, or after "Node N " in a node's meminfo. */
	for (p = text.buf; (p = strstr(p, name)) != NULL; p += nl) {
		if (p != text.buf && p[-1] != '\n' && p[-1] != ' ')
			continue;
		if (p[nl] != ':')
			continue;
		*kib = strtoull(p + nl + 1, NULL, 10);
		rc = 0;
		goto out;
	}
	ocb_fail("%s: no '%s:' field", path, name);
out:
	strbuf_release(&text);
	return rc;
}

json_t *swap_info(const char *root)
{
	struct strbuf p = STRBUF_INIT;
	unsigned long long total, fre;
	json_t *o = json_object(), *v;

	sysfs_path(root, "/proc/meminfo", &p);
	if (meminfo_field_kib(p.buf, "SwapTotal", &total) == 0 &&
	    meminfo_field_kib(p.buf, "SwapFree", &fre) == 0) {
		json_object_set_new(o, "total_kib", json_integer((json_int_t)total));
		json_object_set_new(o, "used_kib", json_integer((json_int_t)(total - fre)));
	}
	if ((v = sysfs_json_read(root, "/proc/sys/vm/swappiness")))
		json_object_set_new(o, "swappiness", v);
	if ((v = sysfs_json_read(root, "/proc/sys/vm/overcommit_memory")))
		json_object_set_new(o, "overcommit_memory", v);
	if ((v = sysfs_json_read(root, "/proc/sys/vm/overcommit_ratio")))
		json_object_set_new(o, "overcommit_ratio", v);
	strbuf_release(&p);
	return o;
}
