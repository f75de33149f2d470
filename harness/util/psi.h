/* psi.h — the kernel's pressure stall information files
 * (/proc/pressure/memory, a cgroup's memory.pressure): the "total="
 * stall time in microseconds of their "some" and "full" lines. */
#ifndef OCB_PSI_H
#define OCB_PSI_H

/* 0 with both totals, or -1 with a message when the text has no
 * "some ... total=N" line ("full" may be missing: then *full is -1). */
int psi_parse_totals(const char *text, double *some_us, double *full_us);

#endif
