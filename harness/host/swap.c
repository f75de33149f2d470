/* swap.c — see swap.h. */
#include "host/swap.h"
#include "util/meminfo.h"
#include "host/sysfs.h"

json_t *swap_info(const char *root)
{
	struct strbuf p = STRBUF_INIT;
	long long total, fre;
	json_t *o = json_object(), *v;

	sysfs_path(root, "/proc/meminfo", &p);
	if (meminfo_file_field(p.buf, "SwapTotal", &total) == 0 &&
	    meminfo_file_field(p.buf, "SwapFree", &fre) == 0) {
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
