/* remote.c — see remote.h. */
#include "sampler/remote.h"
#include "host/libvirt-node.h"
#include "sampler/host.h"
#include "sampler/ksm-history.h"
#include "sampler/sampler.h"
#include "util/error.h"
#include "util/libvirt-conn.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct remote_ksm {
	char *uri;
	virConnectPtr conn;
	struct ksm_history hist;
	double peak_sharing, last_sharing;
	int n;
};

void sampler_remote_ksm_name(const char *uri, char *buf, size_t len)
{
	char host[256];

	lv_uri_host(uri, host, sizeof(host));
	snprintf(buf, len, "ksm@%s", host);
}

static void remote_fini(void *state)
{
	struct remote_ksm *r = state;

	if (!r)
		return;
	if (r->conn)
		virConnectClose(r->conn);
	ksm_history_release(&r->hist);
	free(r->uri);
	free(r);
}

static int remote_init(struct sampler *s, void **state, char *why, size_t len)
{
	const char *uri = sampler_init_arg(s);
	struct remote_ksm *r;
	struct lv_ksm k;

	if (!uri)
		return ocb_fail("the remote KSM source needs a URI (sampler_add_remote_ksm)");
	r = xcalloc(1, sizeof(*r));
	r->uri = xstrdup(uri);
	r->conn = lv_open(uri);
	/* a first read: a driver without the call is a skip, said once */
	if (!r->conn || lvnode_ksm_get(r->conn, uri, &k) != 0) {
		snprintf(why, len, "no KSM counters from %s: %s", uri, ocb_errmsg());
		ocb_err_clear();
		remote_fini(r);
		return 1;
	}
	ksm_history_init(&r->hist);
	*state = r;
	return 0;
}

static int remote_sample(struct sampler *s, void *state)
{
	struct remote_ksm *r = state;
	struct lv_ksm k;
	json_t *o, *v;
	const char *key;

	if (lvnode_ksm_get(r->conn, r->uri, &k) != 0)
		return -1;
	o = lvnode_ksm_json(&k);
	json_object_foreach(o, key, v)
		sampler_put(s, key, (double)json_integer_value(v));
	json_decref(o);
	if (k.pages_sharing >= 0) {
		r->last_sharing = (double)k.pages_sharing;
		r->peak_sharing = r->n++ && r->peak_sharing > r->last_sharing ? r->peak_sharing
									       : r->last_sharing;
		ksm_history_add(&r->hist, sampler_now_ns(s), r->last_sharing);
	}
	return 0;
}

static void remote_summary(struct sampler *s, void *state)
{
	struct remote_ksm *r = state;
	double page_mib = (double)sysconf(_SC_PAGESIZE) / 1048576.0;
	char host[256], name[320];

	if (!r->n)
		return;
	lv_uri_host(r->uri, host, sizeof(host));
	snprintf(name, sizeof(name), "ksm_saved_mib@%s", host);
	sampler_metric(s, name, r->peak_sharing * page_mib, "MiB", "higher");
	snprintf(name, sizeof(name), "ksm_saved_final_mib@%s", host);
	sampler_metric(s, name, r->last_sharing * page_mib, "MiB", "higher");
}

const struct sampler_source_ops sampler_remote_ksm_source = {
	.name = "ksm@",
	.init = remote_init,
	.sample = remote_sample,
	.summary = remote_summary,
	.fini = remote_fini,
};

int sampler_add_remote_ksm(struct sampler *s, const char *const *uris, size_t n)
{
	char name[300];

	for (size_t i = 0; i < n; i++) {
		sampler_remote_ksm_name(uris[i], name, sizeof(name));
		if (sampler_source_state_named(s, name))
			continue;
		if (sampler_add_source_named(s, &sampler_remote_ksm_source, name, (void *)uris[i]) < 0)
			return -1;
	}
	return 0;
}

const struct ksm_history *sampler_ksm_history(struct sampler *s, const char *uri)
{
	struct remote_ksm *r;
	char name[300];

	if (!uri)
		return sampler_ksm_local_history(s);
	sampler_remote_ksm_name(uri, name, sizeof(name));
	r = sampler_source_state_named(s, name);
	return r ? &r->hist : NULL;
}
