/* thp.c — see thp.h. */
#include "host/thp.h"
#include "host/sysfs.h"

static const char *const thp_names[] = {
	"enabled", "defrag", "shmem_enabled", "use_zero_page", "hpage_pmd_size", NULL
};

static const char *const khugepaged_names[] = {
	"defrag", "pages_to_scan", "scan_sleep_millisecs", "alloc_sleep_millisecs",
	"max_ptes_none", "max_ptes_swap", "max_ptes_shared", "full_scans",
	"pages_collapsed", NULL
};

int thp_present(const char *root)
{
	return sysfs_exists(root, THP_DIR "/enabled");
}

json_t *thp_settings(const char *root)
{
	json_t *o, *k;

	if (!thp_present(root))
		return NULL;
	o = json_object();
	sysfs_json_fill(o, root, THP_DIR, thp_names);
	k = json_object();
	if (sysfs_json_fill(k, root, THP_DIR "/khugepaged", khugepaged_names))
		json_object_set_new(o, "khugepaged", k);
	else
		json_decref(k);
	return o;
}
