/* timeline.h — what a [timeline] can do: one table of actions (timeline.c),
 * and the entries a loaded timeline is made of.
 *
 * A [timeline] line is TIME = ACTION[, ACTION...]; each ACTION is one row
 * of the table.  A row's usage is its grammar as well as its help, read
 * word by word:
 *
 *   lowercase words  the verb, matched as written and where written
 *                    ("workload GLOB start": 'start' is the third word)
 *   GLOB             an fnmatch() pattern over guest names (e->glob)
 *   other CAPITALS   one word each for parse(); a last NAME... takes the
 *                    rest of the words (none or more)
 *   [...]            optional words from the first '[' on, all handed to
 *                    parse(), which checks them
 *
 * so a row's verb is the lowercase words of its usage (the unit tests keep
 * the two the same, and README.md's list of actions the same as the table).
 */
#ifndef OCB_SCENARIO_TIMELINE_H
#define OCB_SCENARIO_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

struct scenario_hooks;
struct timeline_entry;

/* What an action acts on.  The load checks the guests a TLA_GUESTS action
 * names by these flags; the runner reads them too (a native run has no
 * balloons). */
enum {
	TLA_GUESTS = 1u << 0,	/* takes a GLOB, which must match at least one guest */
	TLA_BALLOON = 1u << 1,	/* acts on those guests' balloons (see timeline_entry.glob) */
	TLA_WORKLOAD = 1u << 2,	/* acts on their workload: each must have one */
	TLA_HOST = 1u << 3,	/* changes host knobs (journaled, restored after the run) */
	TLA_VMEM = 1u << 4,	/* acts on their virtio-mem device: each must have one
				 * that holds size_bytes in whole blocks */
};

struct timeline_action {
	const char *verb;	/* "balloon", "wait balloon", "workload start": its
				 * name, by which the runner finds its executor */
	const char *usage;	/* "wait balloon GLOB [timeout DUR] [partial-ok]" */
	const char *help;	/* one line for --list-keys and the README */
	unsigned flags;		/* TLA_* */
	/* Fills e's arguments from args: the words of the action the usage does
	 * not spell out (neither the verb nor GLOB), in order.  e->action and
	 * e->glob are set.  NULL when the usage has no such words.  -1 with an
	 * unprefixed message. */
	int (*parse)(struct timeline_entry *e, char *const *args, size_t n,
		     const struct scenario_hooks *hooks);
};

/* The rows, in the order --list-keys prints them: 0..count-1, NULL past
 * the end. */
size_t timeline_action_count(void);
const struct timeline_action *timeline_action_at(size_t i);
/* The row whose verb is verb ("wait ksm-settled"), or NULL. */
const struct timeline_action *timeline_action_find(const char *verb);
/* a->verb, "?" for NULL. */
const char *timeline_action_name(const struct timeline_action *a);

/* One action of a [timeline] line.  A line "10s = a, b" gives two entries
 * with the same time, file and line.  Entries are sorted by t_ns; equal
 * times keep file order (line, then position on the line). */
struct timeline_entry {
	uint64_t t_ns;			/* from the start of the run */
	const struct timeline_action *action;
	char *glob;			/* TLA_GUESTS actions, else NULL.  It matches
					 * at least one guest, and with TLA_WORKLOAD
					 * every guest it matches has a workload.
					 * TLA_BALLOON asks nothing of the guests: a
					 * guest without a balloon device, or a target
					 * above its memory, are seed behaviours the
					 * runner reproduces (QEMU's DeviceNotActive
					 * error naming the guest; the target clamped,
					 * and said so). */
	uint64_t size_bytes;		/* balloon: the target; resize: virtio-mem's
					 * requested size; bare number = MiB */
	char *key, *value;		/* host */
	char **argv;			/* exec, NULL-terminated */
	uint64_t timeout_ns;		/* wait ...: 0 = not given (the runner
					 * bounds the wait by the run's end) */
	int partial_ok;			/* wait balloon: a target not reached by the
					 * timeout is recorded, not a failure */
	char *text;			/* the action as written, for events.jsonl */
	const char *file;		/* = scenario->file */
	unsigned line;
};

#endif
