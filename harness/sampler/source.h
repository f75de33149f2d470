/* source.h — what a sampler source is written against: an ops table (the
 * seam of sampler.h) and the calls it makes back into the sampler while
 * it samples.  The sampling loop (sampler.c) implements the calls; the
 * built-in sources (host.h, guest.h), tests and any later source include
 * only this, so the loop can list its sources without a circle. */
#ifndef OCB_SAMPLER_SOURCE_H
#define OCB_SAMPLER_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct sampler;
struct vm;

/* A source whose sample may block the loop for long (guest-agent round
 * trips: up to SAMPLER_AGENT_TIMEOUT_NS): it waits while a timing-critical
 * wait holds the slow sources (sampler_hold_slow()). */
#define SAMPLER_SRC_SLOW (1u << 0)

struct sampler_source_ops {
	const char *name;		/* the source column of samples.csv */
	unsigned max_hz;		/* 0: the sampler's rate; else at most this */
	unsigned flags;			/* SAMPLER_SRC_* */
	/* 0 ready, 1 not available on this host (reason in why: recorded
	 * once as an event), -1 error (message set; the source is dropped). */
	int (*init)(struct sampler *s, void **state, char *why, size_t len);
	/* One sample through sampler_put*(); -1 with a message on failure. */
	int (*sample)(struct sampler *s, void *state);
	/* A source that does not wait for its answers (ask.h): called at
	 * every sampler_tick() to take what has come, never waiting; -1
	 * with a message when something failed.  May be NULL. */
	int (*collect)(struct sampler *s, void *state);
	/* Summary metrics through sampler_metric(); may be NULL. */
	void (*summary)(struct sampler *s, void *state);
	void (*fini)(void *state);
};

/* One row "t_ms,SOURCE,series,value"; SOURCE is the sampling source's
 * name, t_ms the run clock when its sample began. */
void sampler_put(struct sampler *s, const char *series, double value);
void sampler_putf(struct sampler *s, double value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The time of the rows that follow (the run clock when the current
 * sample began), and setting it: a pipelined source writes a round's
 * answers as they come, with the time the round asked. */
uint64_t sampler_row_t_ms(const struct sampler *s);
void sampler_set_row_t_ms(struct sampler *s, uint64_t t_ms);
/* A per-guest source's outcome for guest i (sampler_vm(s, i)) in one of
 * its rounds: kept 1 (its sample came in time), 0 missed (no answer by
 * the next round, a failure, or not asked).  A source that reports
 * these is counted by them: its kept share is of guest samples, and each
 * period the loop let pass without the source counts as missed for every
 * guest it has sampled. */
void sampler_guest_tick(struct sampler *s, size_t i, int kept);
/* A summary metric (results_metric with the run's results). */
void sampler_metric(struct sampler *s, const char *name, double value, const char *unit,
		    const char *better);
/* A metric the source can produce but could not measure in this run. */
void sampler_metric_missing(struct sampler *s, const char *name, const char *unit,
			    const char *better, const char *reason);
/* 1 while a timing-critical wait holds the slow work: a source with a
 * cheap and a slow part (the QEMU source's smaps_rollup walk) skips the
 * slow part then. */
int sampler_slow_held(const struct sampler *s);
/* The state of the source with these ops, NULL when it is not sampling. */
void *sampler_source_state(struct sampler *s, const struct sampler_source_ops *ops);
/* The state of the source of that name (sampler_add_source_named). */
void *sampler_source_state_named(struct sampler *s, const char *name);
/* During init: the arg the source was added with (NULL otherwise). */
void *sampler_init_arg(const struct sampler *s);
const char *sampler_root(const struct sampler *s);
/* sampler_want_guest_psi()'s setting. */
int sampler_guest_psi_wanted(const struct sampler *s);
size_t sampler_nvms(const struct sampler *s);
struct vm *sampler_vm(const struct sampler *s, size_t i);
/* 1 once the VM has booted (its channels can be used). */
int sampler_vm_ready(const struct vm *vm);
const char *sampler_cgroup_dir(const struct sampler *s);
uint64_t sampler_now_ns(const struct sampler *s);

#endif
