/* diagnose.h — the diagnoses of host/ and vm/ (host/diagnosis.h) run on
 * fixture guests: a check that sees merging, huge pages or the balloon
 * not happen records the diagnosis as evidence["diagnosis"] and names
 * its causes in the verdict. */
#ifndef OCB_CONFORM_DIAGNOSE_H
#define OCB_CONFORM_DIAGNOSE_H

#include <jansson.h>
#include <stddef.h>

#include "util/strbuf.h"

struct conform_ctx;
struct vm;

/* Why KSM does not merge the n guests' RAM (host/ksm-diagnose.h). */
json_t *conform_ksm_diagnosis(struct conform_ctx *c, struct vm *const *vms, size_t n);
/* Why vm's RAM gets no transparent huge pages (host/thp-diagnose.h). */
json_t *conform_thp_diagnosis(struct conform_ctx *c, struct vm *vm);
/* Why vm's balloon does not move (vm/balloon-diagnose.h). */
json_t *conform_balloon_diagnosis(struct conform_ctx *c, struct vm *vm);
/* Why a balloon feature (bit, its name, QEMU's property) does not act
 * (vm/balloon-diagnose.h). */
json_t *conform_balloon_feature_diagnosis(struct conform_ctx *c, struct vm *vm, unsigned bit,
					  const char *feature, const char *prop);

/* Record diag (stolen) as ev["diagnosis"] and append "diagnosis: TEXT"
 * to out; returns its number of causes. */
size_t conform_diagnosis_note(json_t *ev, json_t *diag, struct strbuf *out);

#endif
