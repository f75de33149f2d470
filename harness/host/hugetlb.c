/* hugetlb.c — see hugetlb.h. */
#include "host/hugetlb.h"
#include "util/error.h"
#include "host/sysfs.h"
#include "util/units.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POOLS 8

void hugetlb_size_name(unsigned long long size_kib, struct strbuf *out)
{
	strbuf_reset(out);
	if (size_kib % (1024 * 1024) == 0)
		strbuf_addf(out, "%lluG", size_kib / (1024 * 1024));
	else if (size_kib % 1024 == 0)
		strbuf_addf(out, "%lluM", size_kib / 1024);
	else
		strbuf_addf(out, "%lluK", size_kib);
}

int hugetlb_key_path(const char *key, struct strbuf *rel, unsigned long long *size_kib)
{
	const char *size, *dot;
	char sz[32];
	uint64_t bytes;
	long node = -1;

	if (strncmp(key, "hugetlb.", 8) != 0)
		return 0;
	size = key + 8;
	dot = strchr(size, '.');
	if ((size_t)(dot ? dot - size : (long)strlen(size)) >= sizeof(sz))
		return ocb_fail("invalid knob '%s': expected hugetlb.<size> or "
				"hugetlb.<size>.node<N> (e.g. hugetlb.2M, hugetlb.1G.node0)", key);
	snprintf(sz, sizeof(sz), "%.*s", (int)(dot ? dot - size : (long)strlen(size)), size);
	if (dot) {
		char *end;

		if (strncmp(dot + 1, "node", 4) != 0 || !dot[5])
			goto bad;
		node = strtol(dot + 5, &end, 10);
		if (*end || node < 0 || node > 4095)
			goto bad;
	}
	if (parse_size(sz, 1, &bytes) < 0 || bytes % 4096 || bytes < 64 * 1024)
		goto bad;
	*size_kib = bytes / 1024;
	strbuf_reset(rel);
	if (node >= 0)
		strbuf_addf(rel, NODE_DIR "/node%ld/hugepages/hugepages-%llukB/nr_hugepages",
			    node, *size_kib);
	else
		strbuf_addf(rel, HUGETLB_DIR "/hugepages-%llukB/nr_hugepages", *size_kib);
	return 1;
bad:
	return ocb_fail("invalid knob '%s': expected hugetlb.<size> or hugetlb.<size>.node<N> "
			"with a page size such as 2M or 1G (e.g. hugetlb.2M, hugetlb.1G.node0)", key);
}

int hugetlb_parse_count(const char *value, unsigned long long size_kib, unsigned long long *pages)
{
	size_t n = strlen(value);
	uint64_t v;

	if (n && value[n - 1] >= '0' && value[n - 1] <= '9') {
		if (parse_u64_range(value, 0, 100000000, &v) < 0)
			return ocb_fail("invalid page count '%s': expected 0..100000000 pages "
					"or an amount of memory such as 1G", value);
		*pages = v;
		return 0;
	}
	if (parse_size(value, 1, &v) < 0)
		return ocb_fail("invalid hugepage amount '%s': expected a page count (512) "
				"or an amount of memory (1G)", value);
	if (v % (size_kib * 1024))
		return ocb_fail("invalid hugepage amount '%s': not a multiple of the %llu KiB "
				"page size", value, size_kib);
	*pages = v / (size_kib * 1024);
	return 0;
}

static const char *const pool_fields[] = {
	"nr_hugepages", "free_hugepages", "surplus_hugepages", "resv_hugepages",
	"nr_overcommit_hugepages", NULL
};

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* Sizes present under dir (hugepages-<N>kB entries), sorted. */
static size_t list_sizes(const char *root, const char *rel, unsigned long long *sizes)
{
	struct strbuf p = STRBUF_INIT;
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	sysfs_path(root, rel, &p);
	dir = opendir(p.buf);
	strbuf_release(&p);
	if (!dir)
		return 0;
	while ((d = readdir(dir)) && n < MAX_POOLS) {
		unsigned long long kb;
		char *end;

		if (strncmp(d->d_name, "hugepages-", 10))
			continue;
		kb = strtoull(d->d_name + 10, &end, 10);
		if (strcmp(end, "kB") == 0)
			sizes[n++] = kb;
	}
	closedir(dir);
	qsort(sizes, n, sizeof(*sizes), cmp_ull);
	return n;
}

static json_t *node_pools(const char *root, unsigned long long size_kib)
{
	struct strbuf p = STRBUF_INIT, rel = STRBUF_INIT;
	json_t *nodes = json_object();
	struct dirent *d;
	DIR *dir;

	sysfs_path(root, NODE_DIR, &p);
	dir = opendir(p.buf);
	while (dir && (d = readdir(dir))) {
		json_t *o;

		if (strncmp(d->d_name, "node", 4) || d->d_name[4] < '0' || d->d_name[4] > '9')
			continue;
		strbuf_reset(&rel);
		strbuf_addf(&rel, NODE_DIR "/%s/hugepages/hugepages-%llukB", d->d_name, size_kib);
		o = json_object();
		if (sysfs_json_fill(o, root, rel.buf, pool_fields))
			json_object_set_new(nodes, d->d_name, o);
		else
			json_decref(o);
	}
	if (dir)
		closedir(dir);
	strbuf_release(&p);
	strbuf_release(&rel);
	return nodes;
}

json_t *hugetlb_pools(const char *root)
{
	unsigned long long sizes[MAX_POOLS];
	size_t n = list_sizes(root, HUGETLB_DIR, sizes);
	struct strbuf rel = STRBUF_INIT, name = STRBUF_INIT;
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();

		hugetlb_size_name(sizes[i], &name);
		json_object_set_new(o, "size", json_string(name.buf));
		json_object_set_new(o, "size_kib", json_integer((json_int_t)sizes[i]));
		strbuf_reset(&rel);
		strbuf_addf(&rel, HUGETLB_DIR "/hugepages-%llukB", sizes[i]);
		sysfs_json_fill(o, root, rel.buf, pool_fields);
		json_object_set_new(o, "nodes", node_pools(root, sizes[i]));
		json_array_append_new(arr, o);
	}
	strbuf_release(&rel);
	strbuf_release(&name);
	return arr;
}
