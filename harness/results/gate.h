/* gate.h — which metrics a gate may judge.
 *
 * Every metric in run.json carries "gate": true or false.  A gated metric
 * is evidence about the system under test (QEMU, the kernel, the guest):
 * `ocbench compare` may call a change in it a regression, and a gated
 * metric it cannot judge makes the verdict inconclusive.  An informational
 * metric is shown and never judged: the figures that measure ocbench
 * itself (its sampler's and its own CPU, the rows it wrote, how late its
 * timeline ran) and echoes of the scenario's own settings (the memory it
 * declared, the cap it set), which no change of the system can move.
 *
 * The decision is one table of name patterns here (results_metric() and
 * results_flush() stamp it on every metric, and compare applies the same
 * table to run.json files written before the field existed), so a new
 * harness figure becomes informational by adding one row, and no caller
 * of results_metric() has to know.
 */
#ifndef OCB_RESULTS_GATE_H
#define OCB_RESULTS_GATE_H

/* 1 when compare may gate on the metric, 0 when it is informational. */
int results_metric_gated(const char *name);
/* Why the metric is informational ("measures ocbench itself: ..."), or
 * NULL when it is gated. */
const char *results_metric_info_reason(const char *name);

#endif
