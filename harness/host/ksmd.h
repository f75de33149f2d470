/* ksmd.h — what KSM costs: the CPU time of the ksmd kernel thread, read
 * from ROOT/proc (so tests use a fake tree). */
#ifndef OCB_KSMD_H
#define OCB_KSMD_H

#include <sys/types.h>

/* The PID of the kernel thread named ksmd (a child of kthreadd, PID 2),
 * or -1 when there is none (no KSM, or never started). */
pid_t ksmd_pid(const char *root);
/* utime + stime of ROOT/proc/PID/stat in seconds; -1 when unreadable. */
int proc_cpu_seconds(const char *root, pid_t pid, double *seconds);

#endif
