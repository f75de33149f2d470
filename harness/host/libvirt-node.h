/* libvirt-node.h — host memory of a libvirt host (local or remote): KSM's
 * counters and knobs through virNodeGet/SetMemoryParameters (the shm_*
 * parameters) and hugepage pools through virNodeGetFreePages/
 * virNodeAllocPages and the capabilities' per-cell page counts.
 *
 * The sampler reads a remote host's KSM counters here, `wait ksm-settled`
 * waits on them (lvnode_ksm_reader) and knobs/remote.c sets the knobs.
 *
 * This is what ocbench can change on a remote host; THP, swap, KVM module
 * parameters and the other sysfs knobs have no libvirt API and are
 * reported as unavailable remotely.  Functions return 0 done, 1 not
 * supported by that connection's driver (reason in the message: a skip,
 * not a failure), -1 error; every message names the URI.
 */
#ifndef OCB_LIBVIRT_NODE_H
#define OCB_LIBVIRT_NODE_H

#include <jansson.h>
#include <libvirt/libvirt.h>

struct ksm_reader;

/* The two calls into libvirt's node memory parameters.  libvirt's own by
 * default; unit tests put a fake here, because libvirt's test:///default
 * driver has neither. */
struct lvnode_ops {
	int (*get_memory_params)(virConnectPtr conn, virTypedParameterPtr params, int *n,
				 unsigned int flags);
	int (*set_memory_params)(virConnectPtr conn, virTypedParameterPtr params, int n,
				 unsigned int flags);
};
extern struct lvnode_ops lvnode_ops;

struct lv_ksm {
	/* tunables (-1: not reported) */
	long long pages_to_scan, sleep_millisecs, merge_across_nodes;
	/* counters (-1: not reported) */
	long long pages_shared, pages_sharing, pages_unshared, pages_volatile, full_scans;
};

/* Fill k from a parameter list as virNodeGetMemoryParameters returns it. */
void lvnode_ksm_from_params(const virTypedParameter *params, int n, struct lv_ksm *k);
int lvnode_ksm_get(virConnectPtr conn, const char *uri, struct lv_ksm *k);
/* The counters as ksm_counters() names them: {"pages_sharing": N, ...}. */
json_t *lvnode_ksm_json(const struct lv_ksm *k);
/* A reader of that host's counters for ksm_settle_wait_on() (ksmsettle.h);
 * conn and uri are borrowed and must outlive it.  libvirt does not say
 * whether KSM runs (no "run" parameter): the reader reports it unknown. */
void lvnode_ksm_reader(struct ksm_reader *rd, virConnectPtr conn, const char *uri);
/* Is key (a scenario [host] key) one libvirt can set?  Returns the
 * parameter name ("shm_pages_to_scan") or NULL. */
const char *lvnode_ksm_param(const char *key);
/* Set one KSM knob by scenario key (ksm.pages_to_scan, ksm.sleep_millisecs,
 * ksm.merge_across_nodes). */
int lvnode_ksm_set(virConnectPtr conn, const char *uri, const char *key, unsigned long long value);

/* Hugepages of page_kib on NUMA cell (-1: the whole host): free
 * (virNodeGetFreePages) and the pool size (capabilities; for -1 the sum of
 * the cells).  Either pointer may be NULL.  A page size the capabilities
 * do not list is 1 (no such pool there: a skip). */
int lvnode_hugepages_get(virConnectPtr conn, const char *uri, unsigned page_kib, int cell,
			 unsigned long long *free_pages, unsigned long long *total);
/* Set the pool of page_kib on cell (-1: the host's pool, what
 * /sys/kernel/mm/hugepages/.../nr_hugepages holds) to count pages
 * (virNodeAllocPages). */
int lvnode_hugepages_set(virConnectPtr conn, const char *uri, unsigned page_kib, int cell,
			 unsigned long long count);
/* The pool size of page_kib on cell (-1: summed over every cell) from a
 * capabilities document: 0 found, -1 no such cell or page size. */
int lvnode_caps_pages(const char *caps_xml, unsigned page_kib, int cell, unsigned long long *total);

#endif
