/* uksm.c — see uksm.h. */
#include "host/uksm.h"
#include "host/sysfs.h"

static const char *const uksm_setting_names[] = {
	"run", "cpu_governor", "max_cpu_percentage", "cpu_ratios", "eval_intervals",
	"abundant_threshold", "hash_strength", "thrash_threshold", NULL
};

static const char *const uksm_counter_names[] = {
	"full_scans", "pages_scanned", "pages_shared", "pages_sharing",
	"pages_unshared", "sleep_times", NULL
};

int uksm_present(const char *root)
{
	return sysfs_exists(root, UKSM_DIR "/run");
}

json_t *uksm_settings(const char *root)
{
	json_t *o;

	if (!uksm_present(root))
		return NULL;
	o = json_object();
	sysfs_json_fill(o, root, UKSM_DIR, uksm_setting_names);
	return o;
}

void uksm_counters_fill(json_t *obj, const char *root)
{
	sysfs_json_fill(obj, root, UKSM_DIR, uksm_counter_names);
}
