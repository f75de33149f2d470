/* knobs.h — every host setting a scenario's [host] section may change,
 * as ONE table (name, path, allowed values, help), and the journaled
 * session that changes them.
 *
 * Keys are the names used in scenario files: ksm, ksm.pages_to_scan,
 * thp, thp.defrag, thp.khugepaged.*, uksm.*, hugetlb.2M, hugetlb.1G,
 * hugetlb.<size>.node<N>, ept, vpid, npt, swappiness, overcommit_memory...
 * (`ocbench host --knobs` lists them with their values).
 *
 * Applying is: validate (nothing touched on error), skip with a reason
 * when this kernel lacks the knob, journal the previous contents (fsync),
 * write, read back.  Only the paths in the table (and the hugetlb pool /
 * KVM parameter paths they stand for) may ever be written: restore checks
 * every journal record against the same whitelist.
 */
#ifndef OCB_KNOBS_H
#define OCB_KNOBS_H

#include <jansson.h>
#include <stddef.h>

#include "util/strbuf.h"

struct knob_set;                       /* a journaled session of changes */

/* Validate KEY=VALUE without touching the host; -1 + message naming the
 * knob and the allowed values. */
int knob_validate(const char *key, const char *value);
/* NULL-terminated list of every knob key (for "did you mean" suggestions). */
const char *const *knob_names(void);
/* The closest knob name to a misspelt key, or NULL when none is close. */
const char *knob_suggest(const char *key);
/* One line of help for a key ("KSM: pages scanned per wake-up, 0..100000000"). */
const char *knob_help(const char *key);
/* Allowed values as a phrase ("always, madvise or never"), into out. */
void knob_allowed(const char *key, struct strbuf *out);
/* The current value under root (selected word for choice files); 1 when
 * the knob does not exist on this kernel (reason in out), -1 error. */
int knob_read(const char *root, const char *key, struct strbuf *out);
/* Knobs present under root that this process may not write (not root):
 * their names, comma-separated, into out; returns how many. */
int knob_unwritable(const char *root, struct strbuf *out);
/* The host fingerprint (host/hostinfo.h) with "unwritable_knobs": [...]
 * added: what `ocbench host` prints and run.json's "host".  New reference. */
json_t *knob_host_fingerprint(const char *root);
/* 1 when rel (a path as the kernel spells it) may be written by ocbench. */
int knob_path_allowed(const char *rel);

/* Start a session under ROOT ("/" normally) journaling to STATE_DIR;
 * refuses (returns NULL + message) if a journal from a killed run exists
 * and force==0.  With force, that journal is restored first (and set aside
 * as host-knobs.journal.abandoned-<time> if it cannot be). */
struct knob_set *knob_set_begin(const char *root, const char *state_dir, int force);
/* EPT/VPID/NPT changes reload kvm_intel/kvm_amd: only when allowed. */
void knob_set_allow_module_reload(struct knob_set *ks, int allow);
/* Apply one knob (journal first, then write, then read back).  A knob
 * missing on this kernel is not an error: returns 1 and sets *skip_reason.
 * 0 applied, -1 error. */
int knob_apply(struct knob_set *ks, const char *key, const char *value,
	       char *skip_reason, size_t reason_len);
/* {"ksm":{"value":"1","previous":"0"},...} for run.json (borrowed). */
json_t *knob_set_applied(const struct knob_set *ks);
/* Restore everything in reverse order and remove the journal; safe to
 * call twice. */
int knob_set_restore(struct knob_set *ks);
void knob_set_free(struct knob_set *ks);

/* Restore from the journal left by a killed process (ocbench restore).
 * root NULL: the root the journal was written for.  0 nothing to do or
 * done; -1 with what could not be restored (journal kept). */
int knob_restore_journal(const char *root, const char *state_dir);

#endif
