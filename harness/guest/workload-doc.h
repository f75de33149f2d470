/* workload-doc.h — checking a workload's result document before any of
 * it becomes a metric.
 *
 * The document (schema ocbench.workload/1, workloads/lib/wljson.c) is
 * written inside the guest: a guest is not trusted, so what run.json takes
 * from it is checked first.  A document that fails is the workload's
 * failure, with the reason; nothing of it is imported.
 */
#ifndef OCB_WORKLOAD_DOC_H
#define OCB_WORKLOAD_DOC_H

#include <jansson.h>
#include <stddef.h>

#define WORKLOAD_SCHEMA "ocbench.workload/1"

/* 0 when doc is a result document whose "metrics" may be imported: the
 * schema named, "metrics" an object of at most WORKLOAD_DOC_MAX_METRICS
 * entries, each named [A-Za-z0-9_.-]{1,64} with a finite number "value",
 * a known "unit" and "better" higher|lower.  Else -1 and why (naming the
 * metric and the field) in why. */
#define WORKLOAD_DOC_MAX_METRICS 256
int workload_doc_check(json_t *doc, char *why, size_t len);
/* 1 when unit is one a workload may report. */
int workload_unit_known(const char *unit);

#endif
