/* knob-route.h — where a run's host knobs go: to the hosts its guests
 * run on.
 *
 * Guests of the qemu and native backends, and libvirt guests at a local
 * URI (qemu:///system, qemu:///session, qemu+unix://), run here: their
 * knobs are the local sysfs ones, journaled by knobs.c exactly as before.
 * libvirt guests at a remote URI (qemu+ssh://host/system...) run there:
 * their knobs go over libvirt to that host (knob-remote.c), and the ones
 * libvirt does not expose are skipped with the reason.  A scenario whose
 * guests span hosts sets every knob on each of them.
 *
 * Each outcome (applied or skipped, and on which host) is handed to the
 * caller's report function; run.json "knobs" gets every applied knob,
 * remote ones with "via": "libvirt URI".
 */
#ifndef OCB_KNOB_ROUTE_H
#define OCB_KNOB_ROUTE_H

#include <jansson.h>
#include <stddef.h>

struct knob_route;

struct knob_route_opts {
	const char *root;		/* local sysfs root ("/") */
	const char *state_dir;		/* journals (local, and STATE_DIR/libvirt) */
	int force;			/* restore a killed run's journals first */
	int allow_module_reload;	/* local EPT/VPID/NPT */
};

/* 1 when knobs for a guest of this backend at uri must go over libvirt
 * (libvirt backend, remote URI); 0 when they are this host's sysfs. */
int knob_route_is_remote(int libvirt_backend, const char *uri);

struct knob_route *knob_route_new(const struct knob_route_opts *o);
/* Add a host: remote 0 is this host (uri ignored), 1 the libvirt host at
 * uri (tests pass 1 with a local URI to reach libvirt's path for real).
 * Adding a host twice adds it once. */
void knob_route_add_host(struct knob_route *r, const char *uri, int remote);
/* The hosts of a run's guests, one URI per guest (NULL: a guest that
 * always runs here, vm_host_uri()), by knob_route_is_remote().  No guest:
 * this host (a scenario without guests still changes the host it runs
 * on). */
void knob_route_add_uris(struct knob_route *r, const char *const *uris, size_t n);

/* via: NULL for this host, "libvirt URI" for a remote one; skip_reason
 * NULL when applied. */
typedef void (*knob_report_fn)(void *opaque, const char *key, const char *value, const char *via,
			       const char *skip_reason);
/* Apply key=value on every host, reporting each outcome.  0, or -1 at the
 * first error (what was applied before stays journaled for restore). */
int knob_route_apply(struct knob_route *r, const char *key, const char *value,
		     knob_report_fn report, void *opaque);
/* run.json "knobs": {"ksm":{"value":..,"previous":..},
 * "ksm.pages_to_scan":{...,"via":"libvirt URI"}}; a key applied on more
 * than one host is "KEY@URI" for the later ones.  New reference. */
json_t *knob_route_applied(const struct knob_route *r);
/* Restore every host (all are tried), remove the journals; -1 with what
 * could not be (its journal kept for `ocbench restore`). */
int knob_route_restore(struct knob_route *r);
void knob_route_free(struct knob_route *r);

#endif
