/* knob-remote.h — the journaled session of host knobs changed over
 * libvirt, on hosts ocbench does not run on (remote URIs).
 *
 * libvirt exposes few host memory knobs: KSM's scan rate and NUMA merging
 * (ksm.pages_to_scan, ksm.sleep_millisecs, ksm.merge_across_nodes through
 * virNodeSetMemoryParameters) and the hugepage pools (hugetlb.<size> and
 * hugetlb.<size>.node<N> through virNodeAllocPages).  Everything else,
 * including `ksm` itself (run/stop/unmerge: libvirt has no such
 * parameter), is skipped with "not available over libvirt (remote URI U)".
 *
 * One ocbench per host: the first knob set on a host takes that host's
 * lock (remote-lock.h), held until the session's connections close; the
 * restore of a killed run's journal takes it likewise.
 *
 * Crash safety: before a value is set, the URI and the previous value are
 * appended (fsync) to a journal in STATE_DIR/libvirt (its own directory,
 * lock and file, so one run may change local and remote knobs at once).
 * `ocbench restore` (lvknob_restore_journal) reconnects to each URI and
 * sets the previous values back; `ocbench run` refuses to start over such
 * a journal (or restores it with --force).  What is NOT crash-safe: the
 * restore needs the remote host and its libvirtd reachable from this
 * machine with the same credentials — until then that host keeps the
 * run's values and the journal stays.  A whole-host hugepage pool comes
 * back to its previous size, not to its previous spread over NUMA nodes
 * (as the local sysfs knob).
 *
 * Functions return 0 done, 1 skipped (reason given), -1 error; every
 * message names the knob and the URI.
 */
#ifndef OCB_KNOB_REMOTE_H
#define OCB_KNOB_REMOTE_H

#include <jansson.h>
#include <stddef.h>

#include "util/strbuf.h"

#define LVKNOB_SUBDIR "libvirt"		/* STATE_DIR/libvirt/host-knobs.journal */

struct lvknob_set;

/* STATE_DIR/libvirt, into out. */
void lvknob_state_dir(const char *state_dir, struct strbuf *out);
/* Start a session journaling to STATE_DIR/libvirt.  A journal left by a
 * killed run: with force it is restored first (over libvirt), without it
 * the session is refused with a message saying to run `ocbench restore`. */
struct lvknob_set *lvknob_set_begin(const char *state_dir, int force);
/* Set key=value on the libvirt host at uri: validate, read the previous
 * value, journal it, set, read back.  1 with skip_reason when libvirt
 * cannot do it there (knob not exposed, driver lacks the API, no such
 * pool); -1 error. */
int lvknob_apply(struct lvknob_set *s, const char *uri, const char *key, const char *value,
		 char *skip_reason, size_t reason_len);
/* [{"knob":K,"value":V,"previous":P,"via":"libvirt URI"},...] (borrowed). */
json_t *lvknob_set_applied(const struct lvknob_set *s);
/* Put every previous value back, newest first, and remove the journal;
 * safe to call twice.  -1 (journal kept) when a host could not be. */
int lvknob_set_restore(struct lvknob_set *s);
void lvknob_set_free(struct lvknob_set *s);

/* `ocbench restore`: undo the journal a killed run left in
 * STATE_DIR/libvirt.  0 none, 1 restored (*n changes), -1 error. */
int lvknob_restore_journal(const char *state_dir, size_t *n);

#endif
