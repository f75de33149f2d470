/* timeline.h — [timeline] actions and the entries a timeline is made of. */
#ifndef OCB_SCENARIO_TIMELINE_H
#define OCB_SCENARIO_TIMELINE_H

#include <stdint.h>

enum timeline_action {
	TL_BALLOON,		/* balloon GLOB SIZE           size_bytes */
	TL_WORKLOAD_START,	/* workload GLOB start */
	TL_WORKLOAD_STOP,	/* workload GLOB stop */
	TL_KSM_ON,		/* ksm on */
	TL_KSM_OFF,		/* ksm off */
	TL_KSM_UNMERGE,		/* ksm unmerge */
	TL_HOST,		/* host KEY VALUE              key, value */
	TL_WAIT_BALLOON,	/* wait balloon GLOB [timeout DUR] */
	TL_WAIT_KSM_SETTLED,	/* wait ksm-settled [timeout DUR] */
	TL_WAIT_WORKLOAD,	/* wait workload GLOB [timeout DUR] */
	TL_FREE,		/* free GLOB: one `free -m` sample of each */
	TL_EXEC,		/* exec GLOB CMD ARGS...        argv */
};

/* One action of a [timeline] line.  A line "10s = a, b" gives two entries
 * with the same time, file and line.  Entries are sorted by t_ns; equal
 * times keep file order (line, then position on the line). */
struct timeline_entry {
	uint64_t t_ns;			/* from the start of the run */
	enum timeline_action action;
	char *glob;			/* fnmatch() pattern over guest names; NULL
					 * for ksm, host and wait ksm-settled.  It
					 * matches at least one guest, and every
					 * guest it matches can take the action:
					 * balloon actions: a balloon and at least
					 * the target's memory; workload actions:
					 * a workload. */
	uint64_t size_bytes;		/* TL_BALLOON target; bare number = MiB */
	char *key, *value;		/* TL_HOST */
	char **argv;			/* TL_EXEC, NULL-terminated */
	uint64_t timeout_ns;		/* TL_WAIT_*: 0 = not given (the runner
					 * bounds the wait by the run's end) */
	int partial_ok;			/* TL_WAIT_BALLOON: a target not reached
					 * by the timeout is recorded, not a failure */
	char *text;			/* the action as written, for events.jsonl */
	const char *file;		/* = scenario->file */
	unsigned line;
};

const char *timeline_action_name(enum timeline_action a);

#endif
