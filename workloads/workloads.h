/* workloads.h — the in-guest workload programs, listed once (stress-ng's
 * STRESSORS(MACRO) idea).
 *
 * Each X(NAME, "help") is a program workloads/NAME.c.  From this list:
 *   - the Makefile's WL_PROGS (a sed over the X( lines), so what is built,
 *     installed and put in the guest image follows it; a program
 *     workloads/NAME.c that is not listed stops the build;
 *   - guest/workload.c, which validates a scenario's `workload =` and
 *     says what it expected.
 * One entry per line, each line starting with X( (the Makefile reads it
 * that way).  Alphabetical: the guest image lists them in this order.
 */
#ifndef OCB_WORKLOADS_H
#define OCB_WORKLOADS_H

#define OCB_WORKLOADS(X) \
	X(bandwidth, "sequential read / write / copy MiB/s") \
	X(ksmfill, "identical, zero and unique pages held for KSM; copy-on-write break latency") \
	X(memlat, "dependent random pointer chase, ns per access (--sweep: 16 KiB..SIZE)") \
	X(memtouch, "first-touch fault latency per page, re-touch of resident pages, MiB/s") \
	X(pressure, "allocation profile over time with access latency; records OOM kill / ENOMEM")

#endif
