/* diagnosis.h — the shape every "why did it not happen" diagnosis takes
 * (KSM: ksm-diagnose.h, THP: thp-diagnose.h, the balloon: vm/balloon-
 * diagnose.h), so conform's verdicts and run's messages read them alike.
 *
 * A diagnosis is a JSON object whose "findings" array lists what was
 * found, each {"kind", "code", "text"} (+ "guest" when it concerns one):
 *   kind "cause"    explains the whole failure (KSM cannot merge this RAM
 *                   at all; the balloon's interrupt never arrives);
 *   kind "factor"   makes it do less or later (max_page_sharing reached);
 *   kind "unknown"  could not be looked at (no /proc of a remote QEMU).
 * The other members hold the facts read (settings, VmFlags, counts).
 */
#ifndef OCB_DIAGNOSIS_H
#define OCB_DIAGNOSIS_H

#include <jansson.h>

#include "util/strbuf.h"

#define DIAG_CAUSE "cause"
#define DIAG_FACTOR "factor"
#define DIAG_UNKNOWN "unknown"

/* {"findings": []} */
json_t *diag_new(void);
/* Add a finding; guest may be NULL. */
void diag_add(json_t *diag, const char *kind, const char *code, const char *guest, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* How many findings of that kind (NULL: any). */
size_t diag_count(const json_t *diag, const char *kind);
/* 1 when a finding has that code. */
int diag_has(const json_t *diag, const char *code);
/* The findings as one line (appended to out): the causes when there are
 * any, "; "-separated; else "no cause found", then the factors and what
 * could not be looked at.  Returns the number of causes. */
size_t diag_text(const json_t *diag, struct strbuf *out);

#endif
