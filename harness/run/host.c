/* host.c — see host.h. */
#include "run/host.h"
#include "knobs/route.h"	/* knobs go to the guests' hosts */
#include "run/loop.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "vm/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* one outcome of a knob on one host (via NULL: this host). */
static void knob_reported(void *opaque, const char *key, const char *value, const char *via,
			  const char *skip)
{
	struct run_ctx *c = opaque;
	json_t *ev = json_pack("{s:s, s:s}", "knob", key, "value", value);

	if (via)
		json_object_set_new(ev, "via", json_string(via));
	if (skip)
		json_object_set_new(ev, "reason", json_string(skip));
	results_event(&c->res, skip ? "knob_skipped" : "knob", ev);
	run_progress(c, "host%s%s: %s = %s%s%s", via ? " " : "", via ? via : "", key, value,
		 skip ? " skipped: " : "", skip ? skip : "");
}

int run_host_knob(struct run_ctx *c, const char *key, const char *value)
{
	if (!c->knobs) {	/* routed to where the guests run */
		struct knob_route_opts o = { c->opt->root, c->opt->state_dir, c->opt->force,
					     c->opt->allow_module_reload };

		const char **uris = calloc(c->n ? c->n : 1, sizeof(*uris));

		if (!uris)
			return run_fail(c, "out of memory");
		for (size_t i = 0; i < c->n; i++)
			uris[i] = vm_host_uri(c->vms[i]);
		c->knobs = knob_route_new(&o);
		knob_route_add_uris(c->knobs, uris, c->n);
		free(uris);
	}
	if (knob_route_apply(c->knobs, key, value, knob_reported, c) < 0)
		return run_fail(c, ocb_errmsg());
	return 0;
}

int run_apply_host(struct run_ctx *c)
{
	for (size_t i = 0; i < c->s->n_host; i++)
		if (run_host_knob(c, c->s->host[i].key, c->s->host[i].value) < 0)
			return -1;
	return 0;
}

void run_restore_host(struct run_ctx *c)
{
	if (!c->knobs)
		return;
	/* every host the knobs went to */
	json_object_set_new(c->res.run, "knobs", knob_route_applied(c->knobs));
	if (knob_route_restore(c->knobs) < 0)
		run_fail(c, ocb_errmsg());
	else
		results_event(&c->res, "knobs_restored", NULL);
	knob_route_free(c->knobs);
	c->knobs = NULL;
}

size_t run_remote_uris(struct run_ctx *c, const char **uris, int *local)
{
	size_t n = 0;

	*local = c->n == 0;	/* a run without guests is about this host */
	for (size_t i = 0; i < c->n; i++) {
		const char *u = vm_host_uri(c->vms[i]);
		size_t j;

		if (!knob_route_is_remote(u != NULL, u)) {
			*local = 1;
			continue;
		}
		for (j = 0; j < n && strcmp(uris[j], u); j++)
			;
		if (j == n)
			uris[n++] = u;
	}
	return n;
}
