/* report-host.h — the host section: a one-table fingerprint of the first
 * run's host (CPU, memory, kernel, QEMU, libvirt, accelerator and why,
 * KSM, THP, hugetlb and swap settings one line each, the knobs the runs
 * set), a warning for every fingerprint field that differs between runs,
 * and every field of run.json's "host" in a collapsed <details>. */
#ifndef OCB_REPORT_HOST_H
#define OCB_REPORT_HOST_H

#include "reports/report-ctx.h"

void report_host(struct report_ctx *c);

#endif
