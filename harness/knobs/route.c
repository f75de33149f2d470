/* knob-route.c — see knob-route.h. */
#include "knobs/route.h"
#include "util/error.h"
#include "knobs/remote.h"
#include "knobs/knobs.h"
#include "util/libvirt-conn.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct knob_route {
	struct knob_route_opts o;
	int local;			/* this host is one of the run's hosts */
	char **remote;			/* libvirt URIs of the other hosts */
	size_t n_remote;
	struct knob_set *ks;		/* this host's session, opened on first use */
	struct lvknob_set *lv;		/* the remote hosts' session, likewise */
};

int knob_route_is_remote(int libvirt_backend, const char *uri)
{
	return libvirt_backend && !lv_uri_is_local(uri);
}

struct knob_route *knob_route_new(const struct knob_route_opts *o)
{
	struct knob_route *r = xcalloc(1, sizeof(*r));

	r->o = *o;
	return r;
}

void knob_route_add_host(struct knob_route *r, const char *uri, int remote)
{
	if (!remote) {
		r->local = 1;
		return;
	}
	for (size_t i = 0; i < r->n_remote; i++)
		if (!strcmp(r->remote[i], uri))
			return;
	r->remote = xreallocarray(r->remote, r->n_remote + 1, sizeof(*r->remote));
	r->remote[r->n_remote] = xstrdup(uri);
	r->n_remote++;
}

void knob_route_add_uris(struct knob_route *r, const char *const *uris, size_t n)
{
	if (n == 0)
		knob_route_add_host(r, NULL, 0);
	for (size_t i = 0; i < n; i++)
		knob_route_add_host(r, uris[i], knob_route_is_remote(uris[i] != NULL, uris[i]));
}

/* ---- applying ---------------------------------------------------------- */

static int apply_local(struct knob_route *r, const char *key, const char *value,
		       knob_report_fn report, void *opaque)
{
	char skip[512] = "";
	int rc;

	if (!r->ks) {
		r->ks = knob_set_begin(r->o.root, r->o.state_dir, r->o.force);
		if (!r->ks)
			return -1;
		knob_set_allow_module_reload(r->ks, r->o.allow_module_reload);
	}
	rc = knob_apply(r->ks, key, value, skip, sizeof(skip));
	if (rc >= 0)
		report(opaque, key, value, NULL, rc ? skip : NULL);
	return rc < 0 ? -1 : 0;
}

static int apply_remote(struct knob_route *r, const char *uri, const char *key, const char *value,
			knob_report_fn report, void *opaque)
{
	char skip[1536] = "", via[1100];
	int rc;

	if (!r->lv) {
		r->lv = lvknob_set_begin(r->o.state_dir, r->o.force);
		if (!r->lv)
			return -1;
	}
	rc = lvknob_apply(r->lv, uri, key, value, skip, sizeof(skip));
	snprintf(via, sizeof(via), "libvirt %s", uri);
	if (rc >= 0)
		report(opaque, key, value, via, rc ? skip : NULL);
	return rc < 0 ? -1 : 0;
}

int knob_route_apply(struct knob_route *r, const char *key, const char *value,
		     knob_report_fn report, void *opaque)
{
	/* A bad key or value is the scenario's error whatever the host. */
	if (knob_validate(key, value) < 0)
		return -1;
	if (r->local && apply_local(r, key, value, report, opaque) < 0)
		return -1;
	for (size_t i = 0; i < r->n_remote; i++)
		if (apply_remote(r, r->remote[i], key, value, report, opaque) < 0)
			return -1;
	return 0;
}

/* ---- recording and restoring ------------------------------------------- */

json_t *knob_route_applied(const struct knob_route *r)
{
	json_t *out = r->ks ? json_deep_copy(knob_set_applied(r->ks)) : json_object();
	json_t *rec;
	size_t i;

	if (!r->lv)
		return out;
	json_array_foreach(lvknob_set_applied(r->lv), i, rec) {
		const char *key = json_string_value(json_object_get(rec, "knob"));
		const char *via = json_string_value(json_object_get(rec, "via"));
		json_t *o = json_deep_copy(rec);
		char name[1200];

		json_object_del(o, "knob");
		snprintf(name, sizeof(name), "%s", key);
		if (json_object_get(out, name))	/* same knob on another host */
			snprintf(name, sizeof(name), "%s@%s", key, via + strlen("libvirt "));
		json_object_set_new(out, name, o);
	}
	return out;
}

int knob_route_restore(struct knob_route *r)
{
	char first[1024] = "";
	int rc = 0;

	/* The reverse of applying (this host first, then the others); every
	 * host is tried whatever failed before. */
	if (r->lv && lvknob_set_restore(r->lv) < 0) {
		snprintf(first, sizeof(first), "%s", ocb_errmsg());
		rc = -1;
	}
	if (r->ks && knob_set_restore(r->ks) < 0) {
		if (first[0])
			ocb_err_prefix("%s; ", first);
		rc = -1;
	} else if (rc < 0) {
		ocb_fail("%s", first);
	}
	return rc;
}

void knob_route_free(struct knob_route *r)
{
	if (!r)
		return;
	knob_set_free(r->ks);
	lvknob_set_free(r->lv);
	for (size_t i = 0; i < r->n_remote; i++)
		free(r->remote[i]);
	free(r->remote);
	free(r);
}
