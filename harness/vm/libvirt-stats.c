/* libvirt-stats.c — see libvirt-stats.h. */
#include "vm/libvirt-stats.h"
#include "util/error.h"
#include "util/units.h"

#include <stdint.h>
#include <string.h>

/* QEMU's guest-stats names (qom-get guest-stats), so a check reads the
 * same keys from either backend; memory in bytes like QEMU's. */
static const struct {
	int tag;
	const char *key;
	uint64_t scale;
} stat_names[] = {
	{ VIR_DOMAIN_MEMORY_STAT_SWAP_IN, "stat-swap-in", KiB },
	{ VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, "stat-swap-out", KiB },
	{ VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, "stat-major-faults", 1 },
	{ VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, "stat-minor-faults", 1 },
	{ VIR_DOMAIN_MEMORY_STAT_UNUSED, "stat-free-memory", KiB },
	{ VIR_DOMAIN_MEMORY_STAT_AVAILABLE, "stat-total-memory", KiB },
	{ VIR_DOMAIN_MEMORY_STAT_USABLE, "stat-available-memory", KiB },
	{ VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, "stat-disk-caches", KiB },
	{ VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, "stat-htlb-pgalloc", 1 },
	{ VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, "stat-htlb-pgfail", 1 },
	/* not guest-stats, but what libvirt adds */
	{ VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, "actual", KiB },
	{ VIR_DOMAIN_MEMORY_STAT_RSS, "rss", KiB },
	{ VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, "last-update", 1 },
};

json_t *lv_memory_stats_json(const virDomainMemoryStatStruct *st, int n)
{
	json_t *o = json_object();

	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof(stat_names) / sizeof(stat_names[0]); k++)
			if (stat_names[k].tag == st[i].tag)
				json_object_set_new(o, stat_names[k].key,
						    json_integer((json_int_t)(st[i].val * stat_names[k].scale)));
	return o;
}

int lv_vmem_from_query(const char *reply, const char *alias, uint64_t *size, uint64_t *requested)
{
	json_error_t err;
	json_t *doc = json_loads(reply, 0, &err), *dev;
	json_int_t sz = -1, req = -1;
	size_t i;
	int rc = -1;

	if (!doc)
		return ocb_fail("query-memory-devices: the reply is not JSON (%s)", err.text);
	json_array_foreach(json_object_get(doc, "return"), i, dev) {
		const char *type = NULL, *id = NULL;

		if (json_unpack(dev, "{s:s, s:{s?s, s:I, s:I}}", "type", &type, "data", "id", &id, "size", &sz,
				"requested-size", &req) == 0 &&
		    !strcmp(type, "virtio-mem") && id && !strcmp(id, alias) && sz >= 0 && req >= 0) {
			*size = (uint64_t)sz;
			*requested = (uint64_t)req;
			rc = 0;
			break;
		}
	}
	if (rc < 0 && json_object_get(doc, "error"))
		ocb_fail("query-memory-devices: %s", json_string_value(json_object_get(json_object_get(doc, "error"),
										  "desc")));
	else if (rc < 0)
		ocb_fail("query-memory-devices lists no virtio-mem device '%s'", alias);
	json_decref(doc);
	return rc;
}
