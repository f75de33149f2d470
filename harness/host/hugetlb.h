/* hugetlb.h — hugetlbfs page pools: every size under
 * /sys/kernel/mm/hugepages and, per NUMA node, under
 * /sys/devices/system/node/nodeN/hugepages.
 *
 * Knob keys: hugetlb.<size> (the global pool, e.g. hugetlb.2M, hugetlb.1G)
 * and hugetlb.<size>.node<N> (one node's pool).  A value is a page count
 * ("512") or an amount of memory ("1G" = 512 pages of 2M).  The kernel may
 * allocate fewer pages than asked (fragmentation): knobs.c reads the pool
 * back and fails that setting with "requested N, got M".
 */
#ifndef OCB_HUGETLB_H
#define OCB_HUGETLB_H

#include <jansson.h>

#include "util/strbuf.h"

#define HUGETLB_DIR "/sys/kernel/mm/hugepages"
#define NODE_DIR "/sys/devices/system/node"

/* Parse a hugetlb key into the nr_hugepages path.  1 when key is a
 * hugetlb key and valid, 0 when it is not a hugetlb key at all, -1 when it
 * is one but malformed (message says what is expected). */
int hugetlb_key_path(const char *key, struct strbuf *rel, unsigned long long *size_kib);
/* A pool size as people write it: 2048 -> "2M", 1048576 -> "1G". */
void hugetlb_size_name(unsigned long long size_kib, struct strbuf *out);
/* "512" pages or "1G" of memory into pages of size_kib. */
int hugetlb_parse_count(const char *value, unsigned long long size_kib, unsigned long long *pages);
/* [{"size":"2M","size_kib":2048,"nr_hugepages":0,"free_hugepages":0,
 *   "surplus_hugepages":0,"resv_hugepages":0,"nr_overcommit_hugepages":0,
 *   "nodes":{"node0":{"nr_hugepages":0,...}}}, ...] sorted by size. */
json_t *hugetlb_pools(const char *root);

#endif
