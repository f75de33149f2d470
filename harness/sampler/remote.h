/* remote.h — the sampler's source of a remote libvirt host's KSM
 * counters: one source per host the run's guests run on over a remote
 * URI, named "ksm@HOST" (HOST: the URI's host part, lv_uri_host()), whose
 * rows are libvirt's node memory parameters under the sysfs names of the
 * local "ksm" source (pages_sharing, pages_shared, pages_unshared,
 * pages_volatile, full_scans, and the tunables pages_to_scan,
 * sleep_millisecs, merge_across_nodes).  Each opens a connection of its
 * own; a host whose driver lacks virNodeGetMemoryParameters, or that does
 * not answer, is a skipped source with the reason (events.jsonl
 * sample_source_skipped), not a failed run.
 *
 * Summary metrics per host: ksm_saved_mib@HOST, ksm_saved_final_mib@HOST.
 * Not a slow source: one libvirt call (well under a millisecond over the
 * test's TCP link), and KSM merges during balloon waits too, which the
 * merge times must see. */
#ifndef OCB_SAMPLER_REMOTE_H
#define OCB_SAMPLER_REMOTE_H

#include <stddef.h>

#include "sampler/source.h"

struct ksm_history;

extern const struct sampler_source_ops sampler_remote_ksm_source;

/* The source's name for uri: "ksm@HOST". */
void sampler_remote_ksm_name(const char *uri, char *buf, size_t len);
/* One ksm@HOST source per URI (duplicates once).  0, or -1 (message). */
int sampler_add_remote_ksm(struct sampler *s, const char *const *uris, size_t n);
/* pages_sharing over time of the host at uri (NULL: this host, the ksm
 * source); NULL when that host is not sampled. */
const struct ksm_history *sampler_ksm_history(struct sampler *s, const char *uri);

#endif
