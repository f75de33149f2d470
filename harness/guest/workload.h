/* workload.h — the workload programs a guest runs, by name: the list is
 * workloads/workloads.h (the same one the Makefile builds from). */
#ifndef OCB_WORKLOAD_H
#define OCB_WORKLOAD_H

/* Every workload program's name, NULL-terminated, in the list's order. */
const char *const *workload_names(void);
/* Its one line of help, or NULL when name is not a workload. */
const char *workload_help(const char *name);
/* 0 when program is a listed workload or an absolute path (a program of
 * the user's own image); else -1 with "unknown workload 'x' (did you
 * mean 'y'? expected one of ...)". */
int workload_validate(const char *program);

#endif
