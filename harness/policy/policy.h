/* policy.h — an automatic overcommit policy as a pure function: a table
 * of ops (init, tick, fini) over explicit state, observations in and
 * actions out, nothing read or written by the policy itself.
 *
 * The run (run/policy.c) fills a struct policy_obs from the sampler's
 * latest values and applies the actions through the balloon and KSM-knob
 * paths; `ocbench policy simulate` (policy/trace.c) fills it from a
 * recorded samples.csv instead.  Either way the same tick runs, so a
 * trace replayed offline gives the actions the run would have taken.
 *
 * Memory is in MiB, times in seconds, PSI stall totals in microseconds.
 * An observation the source did not give is POLICY_UNKNOWN (< 0).
 */
#ifndef OCB_POLICY_H
#define OCB_POLICY_H

#include <stddef.h>

#define POLICY_MAX_GUESTS 64
#define POLICY_MAX_PARAMS 10
#define POLICY_UNKNOWN (-1.0)
#define POLICY_NAME_MAX 64

struct policy_guest_obs {
	char name[POLICY_NAME_MAX];
	double max_mib;			/* declared memory: the balloon's maximum */
	double floor_mib;		/* the least a policy may leave it */
	double actual_mib;		/* balloon actual */
	/* virtio-balloon guest stats (QEMU's stat-*) */
	double avail_mib, free_mib, caches_mib, total_mib;
	double oom_kills, alloc_stalls;
	/* the guest's /proc/pressure/memory totals (through the agent) */
	double psi_some_us, psi_full_us;
	double rss_mib;			/* its QEMU process's resident set */
};

struct policy_obs {
	double t_s;			/* run clock of the newest value */
	/* host /proc/meminfo, /proc/vmstat, /proc/pressure/memory */
	double mem_total_mib, mem_free_mib, mem_available_mib, buffers_mib, cached_mib;
	double swap_in_pages, swap_out_pages;
	double psi_some_us, psi_full_us;
	/* the run's memory cgroup (host_memory_limit) */
	double cg_limit_mib, cg_current_mib;
	/* KSM */
	double ksm_run, ksm_pages_to_scan, ksm_sleep_ms, ksm_pages_sharing;
	size_t n;
	struct policy_guest_obs g[POLICY_MAX_GUESTS];
};

/* What a tick asks for; POLICY_UNKNOWN / -1 leaves a thing alone. */
struct policy_actions {
	double balloon_mib[POLICY_MAX_GUESTS];
	/* the request before policy_tick() clamped it to [floor, max];
	 * POLICY_UNKNOWN when it was inside */
	double clamped_from[POLICY_MAX_GUESTS];
	int ksm_run;			/* -1, 0 stop, 1 run */
	long ksm_pages_to_scan, ksm_sleep_ms;
};

/* A tunable of a policy: `[policy] POLICY.NAME = VALUE`. */
enum policy_unit {
	PU_FRACTION,	/* 0.2 or 20% */
	PU_MIB,		/* a size ("100M"; bare number: MiB) */
	PU_MS,		/* a duration ("10ms"; bare number: ms) */
	PU_NUMBER,	/* a plain number */
};

struct policy_param {
	const char *name;
	double def;
	double min, max;
	enum policy_unit unit;
	const char *help;
};

/* Capabilities: what a policy drives, so the run can check the guests. */
#define POLICY_F_BALLOON (1u << 0)	/* sets balloon targets: needs a balloon */
#define POLICY_F_KSM (1u << 1)		/* sets the KSM knobs */
#define POLICY_F_FPR (1u << 2)		/* needs free page reporting on */
#define POLICY_F_GUEST_PSI (1u << 3)	/* reads the guests' memory PSI */

struct policy;

struct policy_ops {
	const char *name;
	const char *help;
	const char *source;		/* the published rules it implements */
	unsigned flags;
	double interval_s;		/* the published cycle */
	const struct policy_param *params;	/* { NULL }-terminated */
	size_t state_size;		/* zeroed before init */
	void (*init)(struct policy *p);	/* may be NULL */
	void (*tick)(struct policy *p, const struct policy_obs *o, struct policy_actions *a);
	void (*fini)(struct policy *p);	/* may be NULL (the state is freed) */
};

struct policy {
	const struct policy_ops *ops;
	double interval_s;
	double param[POLICY_MAX_PARAMS];	/* ops->params order */
	void *state;
};

/* A policy with its defaults; -1 with a message when out of memory. */
int policy_init(struct policy *p, const struct policy_ops *ops);
/* "NAME = VALUE" for one of its params; -1 with the list on a bad key. */
int policy_set(struct policy *p, const char *name, const char *value);
/* One cycle: the policy's actions, clamped to each guest's [floor, max]
 * (the request kept in clamped_from). */
void policy_tick(struct policy *p, const struct policy_obs *o, struct policy_actions *a);
void policy_fini(struct policy *p);

/* Index of a param of ops, or -1. */
int policy_param_index(const struct policy_ops *ops, const char *name);
/* A value in the unit of a param; -1 with a message naming what is expected. */
int policy_param_parse(const struct policy_param *pp, const char *value, double *out);

void policy_actions_clear(struct policy_actions *a);
/* The host as the policies see it: the run's memory cgroup when it is
 * capped (limit, limit - current, current), the host's meminfo otherwise
 * (MemTotal, MemFree + Buffers + Cached, MemTotal - MemAvailable). */
double policy_host_total_mib(const struct policy_obs *o);
double policy_host_free_mib(const struct policy_obs *o);
double policy_host_used_mib(const struct policy_obs *o);

#endif
