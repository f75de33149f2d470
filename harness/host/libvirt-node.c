/* libvirt-node.c — see libvirt-node.h. */
#include "host/libvirt-node.h"
#include "host/ksmsettle.h"
#include "util/error.h"
#include "util/libvirt-conn.h"
#include "util/xalloc.h"

#include <libvirt/virterror.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lvnode_ops lvnode_ops = {
	.get_memory_params = virNodeGetMemoryParameters,
	.set_memory_params = virNodeSetMemoryParameters,
};

static const struct {
	const char *key;	/* scenario [host] key */
	const char *param;	/* libvirt node memory parameter */
} ksm_params[] = {
	{ "ksm.pages_to_scan", VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN },
	{ "ksm.sleep_millisecs", VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS },
	{ "ksm.merge_across_nodes", VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES },
};

/* 1 (unsupported, a skip) or -1, with the message. */
static int failed(const char *what, const char *uri)
{
	virErrorPtr e = virGetLastError();
	int unsupported = e && (e->code == VIR_ERR_NO_SUPPORT || e->code == VIR_ERR_ARGUMENT_UNSUPPORTED);

	ocb_fail("%s at %s: %s%s", what, uri, lv_errmsg(),
		 unsupported ? " (this libvirt driver does not offer it)" : "");
	return unsupported ? 1 : -1;
}

static long long param_value(const virTypedParameter *p)
{
	switch (p->type) {
	case VIR_TYPED_PARAM_INT: return p->value.i;
	case VIR_TYPED_PARAM_UINT: return p->value.ui;
	case VIR_TYPED_PARAM_LLONG: return p->value.l;
	case VIR_TYPED_PARAM_ULLONG: return (long long)p->value.ul;
	case VIR_TYPED_PARAM_BOOLEAN: return p->value.b;
	default: return -1;
	}
}

void lvnode_ksm_from_params(const virTypedParameter *params, int n, struct lv_ksm *k)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN, offsetof(struct lv_ksm, pages_to_scan) },
		{ VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS, offsetof(struct lv_ksm, sleep_millisecs) },
		{ VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES, offsetof(struct lv_ksm, merge_across_nodes) },
		{ VIR_NODE_MEMORY_SHARED_PAGES_SHARED, offsetof(struct lv_ksm, pages_shared) },
		{ VIR_NODE_MEMORY_SHARED_PAGES_SHARING, offsetof(struct lv_ksm, pages_sharing) },
		{ VIR_NODE_MEMORY_SHARED_PAGES_UNSHARED, offsetof(struct lv_ksm, pages_unshared) },
		{ VIR_NODE_MEMORY_SHARED_PAGES_VOLATILE, offsetof(struct lv_ksm, pages_volatile) },
		{ VIR_NODE_MEMORY_SHARED_FULL_SCANS, offsetof(struct lv_ksm, full_scans) },
	};

	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		*(long long *)((char *)k + fields[f].off) = -1;
	for (int i = 0; i < n; i++)
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
			if (!strcmp(params[i].field, fields[f].name))
				*(long long *)((char *)k + fields[f].off) = param_value(&params[i]);
}

int lvnode_ksm_get(virConnectPtr conn, const char *uri, struct lv_ksm *k)
{
	virTypedParameterPtr params;
	int n = 0, rc;

	/* First call: how many parameters there are. */
	if (lvnode_ops.get_memory_params(conn, NULL, &n, 0) < 0)
		return failed("KSM parameters (virNodeGetMemoryParameters)", uri);
	params = calloc(n ? (size_t)n : 1, sizeof(*params));
	if (!params)
		return ocb_fail("out of memory");
	rc = lvnode_ops.get_memory_params(conn, params, &n, 0);
	if (rc < 0) {
		rc = failed("KSM parameters (virNodeGetMemoryParameters)", uri);
	} else {
		lvnode_ksm_from_params(params, n, k);
		rc = 0;
	}
	virTypedParamsClear(params, n);
	free(params);
	return rc;
}

json_t *lvnode_ksm_json(const struct lv_ksm *k)
{
	json_t *o = json_object();

#define PUT(name, v) if ((v) >= 0) json_object_set_new(o, name, json_integer(v))
	PUT("pages_to_scan", k->pages_to_scan);
	PUT("sleep_millisecs", k->sleep_millisecs);
	PUT("merge_across_nodes", k->merge_across_nodes);
	PUT("pages_shared", k->pages_shared);
	PUT("pages_sharing", k->pages_sharing);
	PUT("pages_unshared", k->pages_unshared);
	PUT("pages_volatile", k->pages_volatile);
	PUT("full_scans", k->full_scans);
#undef PUT
	return o;
}

struct lv_reader {
	virConnectPtr conn;
	const char *uri;
};

static int reader_read(void *opaque, struct ksm_reading *r)
{
	struct lv_reader *lr = opaque;
	struct lv_ksm k;
	int rc = lvnode_ksm_get(lr->conn, lr->uri, &k);

	if (rc)
		return -1;	/* a driver without the call cannot be waited on either */
	if (k.full_scans < 0 || k.pages_sharing < 0)
		return ocb_fail("libvirt at %s reports no shm_full_scans or shm_pages_sharing (that "
				"host's kernel has no KSM?)", lr->uri);
	memset(r, 0, sizeof(*r));
	r->full_scans = (unsigned long long)k.full_scans;
	r->pages_sharing = (unsigned long long)k.pages_sharing;
	r->run = -1;
	return 0;
}

static void reader_fini(void *opaque)
{
	free(opaque);
}

void lvnode_ksm_reader(struct ksm_reader *rd, virConnectPtr conn, const char *uri)
{
	struct lv_reader *lr = xcalloc(1, sizeof(*lr));

	memset(rd, 0, sizeof(*rd));
	snprintf(rd->where, sizeof(rd->where), "%s", uri);
	rd->read = reader_read;
	rd->fini = reader_fini;
	lr->conn = conn;
	lr->uri = uri;
	rd->opaque = lr;
}

const char *lvnode_ksm_param(const char *key)
{
	for (size_t i = 0; i < sizeof(ksm_params) / sizeof(ksm_params[0]); i++)
		if (!strcmp(key, ksm_params[i].key))
			return ksm_params[i].param;
	return NULL;
}

int lvnode_ksm_set(virConnectPtr conn, const char *uri, const char *key, unsigned long long value)
{
	const char *param = lvnode_ksm_param(key);
	virTypedParameter p;
	char what[160];

	if (!param)
		return ocb_fail("%s cannot be set through libvirt (at %s): only ksm.pages_to_scan, "
				"ksm.sleep_millisecs and ksm.merge_across_nodes can", key, uri);
	memset(&p, 0, sizeof(p));
	snprintf(p.field, sizeof(p.field), "%s", param);
	p.type = VIR_TYPED_PARAM_UINT;
	if (value > 0xffffffffull)
		return ocb_fail("%s = %llu at %s: libvirt takes at most 4294967295", key, value, uri);
	p.value.ui = (unsigned)value;
	if (lvnode_ops.set_memory_params(conn, &p, 1, 0) < 0) {
		snprintf(what, sizeof(what), "setting %s = %llu (%s)", key, value, param);
		return failed(what, uri);
	}
	return 0;
}

/* The text of <cell id='cell'> ... </cell>, or NULL. */
static const char *find_cell(const char *xml, int cell, const char **end)
{
	char tag[48];
	const char *p;

	snprintf(tag, sizeof(tag), "<cell id='%d'", cell);
	p = strstr(xml, tag);
	if (!p)
		return NULL;
	*end = strstr(p, "</cell>");
	return *end ? p : NULL;
}

/* The pool of page_kib in the one cell that starts at p and ends at end. */
static int cell_pages(const char *p, const char *end, unsigned page_kib, unsigned long long *n)
{
	char tag[64];

	snprintf(tag, sizeof(tag), "<pages unit='KiB' size='%u'>", page_kib);
	p = strstr(p, tag);
	if (!p || p > end)
		return -1;
	*n = strtoull(p + strlen(tag), NULL, 10);
	return 0;
}

/* Cell -1 is the whole host: the capabilities list pools per cell only,
 * and the host's pool (/sys/kernel/mm/hugepages) is their sum. */
static int all_cells_pages(const char *caps_xml, unsigned page_kib, unsigned long long *total)
{
	const char *p = caps_xml, *end;
	unsigned long long n;
	int found = 0;

	*total = 0;
	while ((p = strstr(p, "<cell id='")) && (end = strstr(p, "</cell>"))) {
		if (cell_pages(p, end, page_kib, &n) == 0) {
			*total += n;
			found = 1;
		}
		p = end;
	}
	return found ? 0 : -1;
}

int lvnode_caps_pages(const char *caps_xml, unsigned page_kib, int cell, unsigned long long *total)
{
	const char *end = NULL, *p;

	if (cell < 0)
		return all_cells_pages(caps_xml, page_kib, total);
	p = find_cell(caps_xml, cell, &end);
	if (!p)
		return -1;
	return cell_pages(p, end, page_kib, total);
}

int lvnode_hugepages_get(virConnectPtr conn, const char *uri, unsigned page_kib, int cell,
			 unsigned long long *free_pages, unsigned long long *total)
{
	if (free_pages) {
		unsigned int pages[1] = { page_kib };
		unsigned long long counts[1] = { 0 };

		if (virNodeGetFreePages(conn, 1, pages, cell, 1, counts, 0) < 0)
			return failed("free hugepages (virNodeGetFreePages)", uri);
		*free_pages = counts[0];
	}
	if (total) {
		char *caps = virConnectGetCapabilities(conn);
		int rc;

		if (!caps)
			return failed("capabilities (virConnectGetCapabilities)", uri);
		rc = lvnode_caps_pages(caps, page_kib, cell, total);
		free(caps);
		if (rc < 0) {
			char where[32];

			if (cell < 0)
				snprintf(where, sizeof(where), "any NUMA cell");
			else
				snprintf(where, sizeof(where), "NUMA cell %d", cell);
			ocb_fail("the capabilities of %s list no %u KiB pages on %s (no such hugepage "
				 "pool there)", uri, page_kib, where);
			return 1;
		}
	}
	return 0;
}

int lvnode_hugepages_set(virConnectPtr conn, const char *uri, unsigned page_kib, int cell,
			 unsigned long long count)
{
	unsigned int pages[1] = { page_kib };
	unsigned long long counts[1] = { count };
	char what[128], where[32];

	if (virNodeAllocPages(conn, 1, pages, counts, cell, 1, VIR_NODE_ALLOC_PAGES_SET) < 0) {
		if (cell < 0)
			snprintf(where, sizeof(where), "the host");
		else
			snprintf(where, sizeof(where), "cell %d", cell);
		snprintf(what, sizeof(what), "setting the %u KiB hugepage pool of %s to %llu (virNodeAllocPages)",
			 page_kib, where, count);
		return failed(what, uri);
	}
	return 0;
}
