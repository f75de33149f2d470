/* record.h — what a run writes about itself into run.json: the run's
 * identity and host fingerprint, its guests, the summary lines and the
 * harness's own cost.
 */
#ifndef OCB_RUN_RECORD_H
#define OCB_RUN_RECORD_H

#include <jansson.h>
#include <sys/resource.h>

#include "run/run-internal.h"

/* The fields run.json starts with (scenario, matrix, accelerator, host).
 * New reference. */
json_t *run_fields(struct run_ctx *c, const struct accel_choice *accel);
/* run.json "guests": configuration, boot time, backend description. */
void run_record_guests(struct run_ctx *c);
/* The summary lines and the per-guest MemTotal metrics. */
void run_summarize(struct run_ctx *c);
/* The sampler's summary metrics; the memory cap recorded and removed. */
void run_finish_sampling(struct run_ctx *c);
/* harness_cpu_pct since ru0. */
void run_harness_cpu_metric(struct run_ctx *c, const struct rusage *ru0);

#endif
