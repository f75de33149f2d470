/* run-internal.h — the state of one run, shared by the files of run/.
 *
 * runner.c sets a run up and tears it down; guests.c boots and stops the
 * guests; actions.c executes the timeline through its executor table;
 * balloon.c, workload.c and host.c are the executors with state; record.c
 * writes what the run learnt into run.json; loop.c is the one loop that
 * waits: it pumps guest events, watches for dead guests and ticks the
 * sampler.  Never included from outside run/.
 */
#ifndef OCB_RUN_INTERNAL_H
#define OCB_RUN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "results/results.h"
#include "run/options.h"
#include "scenario/scenario.h"

#define EXEC_TIMEOUT_NS (60 * 1000000000ull)

struct vm;
struct knob_route;
struct sampler;
struct cgroup;
struct run_policy;

struct guest_state {
	struct vm *vm;
	const struct scenario_guest *g;
	/* balloon: the last request and what was measured */
	uint64_t target, from, t_request;
	/* watched from the run's loop (run_balloon_watch): the last answer,
	 * and when it first moved and reached its target (0: not yet) */
	uint64_t actual, moved_ns, reached_ns, last_poll_ns;
	unsigned polls;
	int pending, clamped;
	uint64_t tolerance;
	int have_inflate, have_deflate;
	/* every `wait balloon` of it: the least share of the way reached
	 * (100 when each reached its target), balloon_reached_pct */
	int balloon_waits;
	double reached_pct_min;
	uint64_t first_inflate_from, first_inflate_target;
	double first_inflate_s;
	/* free -m */
	int n_free;
	long memtotal_first, memtotal_min, memtotal_last;
	/* workload */
	long long wl_pid;
	int wl_running;
	int up;				/* its agent has answered */
	/* what its QEMU/libvirt events may add to events.jsonl */
	struct results_event_cap events;
	char wl_json[256];
};

struct run_ctx {
	const struct scenario *s;
	const struct run_options *opt;
	struct results_run res;
	struct guest_state *gs;
	size_t n;
	struct knob_route *knobs;	/* local sysfs and/or libvirt hosts */
	char rundir[256];
	json_t *summary;
	int failed;
	char reason[1024];
	/* sampler, host memory cap, KSM settle (sampler.h, cgroup.h) */
	struct vm **vms;		/* gs[i].vm, as the sampler wants them */
	struct sampler *sampler;	/* ticked by run_idle() */
	struct cgroup *cgroup;		/* host_memory_limit, NULL without */
	int ksm_settles;		/* `wait ksm-settled` done so far */
	/* The timeline's 0s: the moment every guest's agent answered (host
	 * knobs applied, boot over), so that a slower boot does not move the
	 * actions closer to it.  Boot is measured on its own (boot_s). */
	uint64_t timeline_t0_ns;
	uint64_t late_max_ns;		/* the latest action's lateness */
	/* the last `workload start`: when content for KSM to merge began to
	 * be written (the KSM merge times count from it) */
	uint64_t content_t0_ns;
	struct run_policy *policy;	/* [policy]'s controller (run/policy.c) */
	/* called by run_idle() each round (run_policy_tick when a policy
	 * runs): a pointer, so the loop needs none of the files that wait
	 * in it */
	int (*on_idle)(struct run_ctx *c);
};

/* Pending balloons are polled at 200 Hz: a reached time is known to 5 ms. */
#define RUN_BALLOON_POLL_NS (5 * 1000000ull)

/* An action that starts more than this after its time is a warning. */
#define ACTION_LATE_WARN_NS (1000000000ull)

#endif
