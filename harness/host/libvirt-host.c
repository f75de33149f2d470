/* libvirt-host.c — see libvirt-host.h. */
#include "host/libvirt-host.h"
#include "host/libvirt-node.h"
#include "util/error.h"
#include "util/libvirt-conn.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_error(json_t *fp, const char *field)
{
	char key[64];

	snprintf(key, sizeof(key), "%s_error", field);
	json_object_set_new(fp, key, json_string(lv_errmsg()));
}

/* The text of the first node at xpath, or NULL (xmlFree it). */
static xmlChar *xpath_text(xmlXPathContextPtr ctx, const char *xpath)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	xmlChar *t = NULL;

	if (o && o->nodesetval && o->nodesetval->nodeNr > 0)
		t = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
	xmlXPathFreeObject(o);
	return t;
}

static void put_text(json_t *o, const char *key, xmlXPathContextPtr ctx, const char *xpath)
{
	xmlChar *t = xpath_text(ctx, xpath);

	if (t && *t)
		json_object_set_new(o, key, json_string((const char *)t));
	xmlFree(t);
}

int lvhost_caps_fields(const char *caps_xml, json_t *fp)
{
	xmlDocPtr doc = xmlReadMemory(caps_xml, (int)strlen(caps_xml), "capabilities.xml", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	json_t *cpu = json_object(), *pages = json_array();

	if (!doc) {
		json_decref(cpu);
		json_decref(pages);
		return ocb_fail("the capabilities document does not parse as XML");
	}
	ctx = xmlXPathNewContext(doc);
	put_text(cpu, "arch", ctx, "/capabilities/host/cpu/arch");
	put_text(cpu, "model", ctx, "/capabilities/host/cpu/model");
	put_text(cpu, "vendor", ctx, "/capabilities/host/cpu/vendor");
	json_object_set_new(fp, "cpu", cpu);
	o = xmlXPathEvalExpression((const xmlChar *)"/capabilities/host/cpu/pages/@size", ctx);
	for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlChar *t = xmlNodeGetContent(o->nodesetval->nodeTab[i]);

		json_array_append_new(pages, json_integer(strtoll((const char *)t, NULL, 10)));
		xmlFree(t);
	}
	xmlXPathFreeObject(o);
	json_object_set_new(fp, "page_sizes_kib", pages);
	o = xmlXPathEvalExpression((const xmlChar *)"/capabilities/host/topology/cells/cell", ctx);
	json_object_set_new(fp, "numa_cells", json_integer(o && o->nodesetval ? o->nodesetval->nodeNr : 0));
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}

static void versions(virConnectPtr conn, json_t *fp)
{
	unsigned long v = 0;
	const char *type = virConnectGetType(conn);
	char buf[64];

	if (type)
		json_object_set_new(fp, "hypervisor", json_string(type));
	else
		set_error(fp, "hypervisor");
	if (virConnectGetVersion(conn, &v) == 0) {
		lv_version_string(v, buf, sizeof(buf));
		json_object_set_new(fp, "hypervisor_version", json_string(buf));
	} else {
		set_error(fp, "hypervisor_version");
	}
	if (virConnectGetLibVersion(conn, &v) == 0) {
		lv_version_string(v, buf, sizeof(buf));
		json_object_set_new(fp, "libvirt", json_string(buf));
	} else {
		set_error(fp, "libvirt");
	}
}

static void node_info(virConnectPtr conn, json_t *fp)
{
	virNodeInfo ni;

	if (virNodeGetInfo(conn, &ni) < 0) {
		set_error(fp, "node");
		return;
	}
	json_object_set_new(fp, "node",
			    json_pack("{s:s, s:I, s:i, s:i, s:i, s:i, s:i, s:i}", "model", ni.model,
				      "memory_kib", (json_int_t)ni.memory, "cpus", (int)ni.cpus, "mhz",
				      (int)ni.mhz, "numa_nodes", (int)ni.nodes, "sockets", (int)ni.sockets,
				      "cores", (int)ni.cores, "threads", (int)ni.threads));
}

/* KSM's tunables there (the counters are the sampler's). */
static void ksm_settings(virConnectPtr conn, const char *uri, json_t *fp)
{
	struct lv_ksm k;

	if (lvnode_ksm_get(conn, uri, &k) != 0) {
		json_object_set_new(fp, "ksm_error", json_string(ocb_errmsg()));
		ocb_err_clear();
		return;
	}
	json_object_set_new(fp, "ksm", json_pack("{s:I, s:I, s:I}", "pages_to_scan",
						 (json_int_t)k.pages_to_scan, "sleep_millisecs",
						 (json_int_t)k.sleep_millisecs, "merge_across_nodes",
						 (json_int_t)k.merge_across_nodes));
}

json_t *lvhost_fingerprint(virConnectPtr conn, const char *uri)
{
	json_t *fp = json_pack("{s:s}", "uri", uri);
	char *s = virConnectGetHostname(conn);

	if (s)
		json_object_set_new(fp, "hostname", json_string(s));
	else
		set_error(fp, "hostname");
	free(s);
	versions(conn, fp);
	node_info(conn, fp);
	s = virConnectGetCapabilities(conn);
	if (!s)
		set_error(fp, "cpu");
	else if (lvhost_caps_fields(s, fp) < 0)
		json_object_set_new(fp, "cpu_error", json_string(ocb_errmsg()));
	free(s);
	ksm_settings(conn, uri, fp);
	return fp;
}
