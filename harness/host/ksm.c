/* ksm.c — see ksm.h. */
#include "host/ksm.h"
#include "host/sysfs.h"
#include "host/uksm.h"

#include <stdio.h>

static const char *const ksm_setting_names[] = {
	"run", "pages_to_scan", "sleep_millisecs", "merge_across_nodes",
	"use_zero_pages", "max_page_sharing", "stable_node_chains_prune_millisecs",
	"smart_scan", "advisor_mode", "advisor_max_cpu", "advisor_min_pages_to_scan",
	"advisor_max_pages_to_scan", "advisor_target_scan_time", NULL
};

static const char *const ksm_counter_names[] = {
	"pages_shared", "pages_sharing", "pages_unshared", "pages_volatile",
	"full_scans", "general_profit", "ksm_zero_pages", "pages_scanned",
	"pages_skipped", "stable_node_chains", "stable_node_dups", NULL
};

int ksm_present(const char *root)
{
	return sysfs_exists(root, KSM_DIR "/run");
}

json_t *ksm_settings(const char *root)
{
	json_t *o;

	if (!ksm_present(root))
		return NULL;
	o = json_object();
	sysfs_json_fill(o, root, KSM_DIR, ksm_setting_names);
	return o;
}

json_t *ksm_counters(const char *root)
{
	json_t *o = json_object();

	sysfs_json_fill(o, root, KSM_DIR, ksm_counter_names);
	if (uksm_present(root)) {
		json_t *u = json_object();
		const char *key;
		json_t *v;

		uksm_counters_fill(u, root);
		json_object_foreach(u, key, v) {
			char name[128];

			snprintf(name, sizeof(name), "uksm_%s", key);
			json_object_set(o, name, v);
		}
		json_decref(u);
	}
	return o;
}
