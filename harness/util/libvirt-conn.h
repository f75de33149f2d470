/* libvirt-util.h — what every libvirt user in ocbench needs: one-time
 * library set-up (event loop, silent error handler), opening a URI with
 * an error that says how to start the daemon, libvirt's last error as
 * text, and whether a URI is on this host.
 *
 * The event loop: libvirt delivers domain events only from an event loop
 * the application runs.  The runner is single-threaded, so instead of a
 * dedicated thread ocbench runs libvirt's default loop in bounded slices
 * (lv_events_run) from the backend's pump(), which the runner calls every
 * 20 ms while idle.  Events that arrive meanwhile wait in the connection.
 */
#ifndef OCB_LIBVIRT_UTIL_H
#define OCB_LIBVIRT_UTIL_H

#include <libvirt/libvirt.h>
#include <stdint.h>

#define LV_DEFAULT_URI "qemu:///system"

/* Once per process: register libvirt's default event loop (must precede
 * the first virConnectOpen for events to flow) and stop libvirt printing
 * its errors to stderr (ocbench reports them itself). */
int lv_init(void);
/* libvirt's last error message of this thread, or "unknown libvirt error". */
const char *lv_errmsg(void);
/* virConnectOpen(uri); on failure the message names the URI, libvirt's
 * reason and, for a local URI, how to start the daemon.  NULL uri or ""
 * means LV_DEFAULT_URI. */
virConnectPtr lv_open(const char *uri);
/* 1 when the URI names this host (qemu:///system, qemu+unix:///...). */
int lv_uri_is_local(const char *uri);
/* The host part of a URI, as samples.csv and metric names show it:
 * "qemu+ssh://root@host2:22/system" -> "host2:22" (no user); a URI
 * without one (qemu:///system, test:///default) -> "localhost". */
void lv_uri_host(const char *uri, char *buf, size_t len);
/* Run the event loop for up to timeout_ns (0: dispatch what is pending
 * and return).  Never blocks longer than that. */
int lv_events_run(uint64_t timeout_ns);
/* "7.2.22" from libvirt's major*1000000 + minor*1000 + micro. */
void lv_version_string(unsigned long v, char *buf, size_t len);

#endif
