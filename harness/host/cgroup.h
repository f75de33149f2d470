/* cgroup.h — the host memory cap of a run (`host_memory_limit`): one
 * memory cgroup holding every QEMU process of the run, so "an 8 GiB host"
 * is real on a bigger machine.
 *
 * The memory controller is found where it really is, not by which
 * hierarchy is mounted: a host may mount cgroup2 with only some
 * controllers (the development machines mount cgroup2 at
 * /sys/fs/cgroup/unified with only hugetlb, and memory is cgroup v1 at
 * /sys/fs/cgroup/memory).  v2 is preferred when its memory controller is
 * available.
 *
 * The group is "ocbench-<pid>", nested under ocbench's own group (so any
 * cap ocbench itself runs under still applies), or for v2, where a group
 * with processes cannot hand the memory controller to children, under the
 * hierarchy's root.  The limit is on RAM only (v2 memory.max, v1
 * memory.limit_in_bytes); swap is left as the host has it (neither
 * memory.swap.max nor memory.memsw.limit_in_bytes is touched), which is
 * what a real host of that size with that swap would do.
 *
 * Processes join by writing to cgroup_procs_path() themselves, before
 * exec (struct child .cgroup_procs).  Creating a group needs root;
 * without root or without a memory controller cgroup_create() fails with
 * a message saying which.
 */
#ifndef OCB_CGROUP_H
#define OCB_CGROUP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct cgroup;

struct cgroup_stats {
	uint64_t current;	/* bytes charged now */
	uint64_t peak;		/* highest charge the kernel saw; 0 when it cannot say */
	uint64_t limit;		/* bytes; UINT64_MAX = unlimited */
	uint64_t max_events;	/* times the charge hit the limit (v2 "max", v1 failcnt) */
	uint64_t oom_events;	/* v2 "oom"; v1 has no such count: = oom_kill */
	uint64_t oom_kill;	/* processes the OOM killer killed in the group */
	int version;		/* 1 or 2 */
};

/* Where the memory controller is: its mount point (root-relative paths
 * are resolved under root, "/" normally) and version 1 or 2.  -1 with a
 * message when there is none. */
int cgroup_memory_find(const char *root, char *mount, size_t len, int *version);

/* Create ocbench-<pid> with the limit.  NULL + message on failure (not
 * root, no memory controller, the limit not accepted). */
struct cgroup *cgroup_create(const char *root, uint64_t limit_bytes);
/* The group's directory and its cgroup.procs file. */
const char *cgroup_dir(const struct cgroup *cg);
const char *cgroup_procs_path(const struct cgroup *cg);
int cgroup_version(const struct cgroup *cg);
/* Read a memory cgroup directory (v1 or v2, told by its files). */
int cgroup_read_stats(const char *dir, struct cgroup_stats *st);
/* Number of processes in the group, -1 on error. */
int cgroup_nprocs(const struct cgroup *cg);
/* {"path", "version", "limit_mib", "peak_mib", "max_events", "oom_events",
 * "oom_kill"} for run.json (new reference). */
json_t *cgroup_describe(const struct cgroup *cg);
/* Wait up to timeout_ns for the group to empty, remove it, free cg (also
 * on failure).  -1 with a message naming the PIDs still inside or the
 * rmdir error: the group is then left for the operator. */
int cgroup_destroy(struct cgroup *cg, uint64_t timeout_ns);
/* Remove the empty ocbench-PID groups of ocbench processes that no longer
 * exist (a SIGKILLed run: its QEMUs died with it, its group stayed).
 * Returns how many were removed, or -1 with a message. */
int cgroup_remove_stale(const char *root);

#endif
