/* host.h — what a run does to the hosts its guests run on: the [host]
 * knobs and the `ksm`/`host` actions (journaled, routed to each guest's
 * host by knobs/route.h, restored at the end); which hosts those are.
 */
#ifndef OCB_RUN_HOST_H
#define OCB_RUN_HOST_H

#include "run/run-internal.h"
#include "scenario/scenario.h"

/* Set key=value on every host of the run's guests. */
int run_host_knob(struct run_ctx *c, const char *key, const char *value);
/* The scenario's [host] section, in order. */
int run_apply_host(struct run_ctx *c);
/* Record the applied knobs in run.json and restore every host. */
void run_restore_host(struct run_ctx *c);
/* The remote libvirt URIs the run's guests run on, each once, into uris
 * (room for c->n); *local 1 when a guest runs here (or none runs at all).
 * The URIs are the guests' (borrowed). */
size_t run_remote_uris(struct run_ctx *c, const char **uris, int *local);

#endif
