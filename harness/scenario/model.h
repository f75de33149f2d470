/* model.h — a scenario as plain data: what a file says once it is parsed
 * and validated, and the queries the runner asks of it.
 *
 * Ownership: everything reachable from a struct scenario belongs to it and
 * goes with scenario_free() (build.h).  Each expanded run is a complete,
 * independent struct scenario (matrix.h).
 */
#ifndef OCB_SCENARIO_MODEL_H
#define OCB_SCENARIO_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* What the parser cannot know by itself.  Every member may be NULL (no
 * validation / no suggestions).  Validators return 0, or -1 with
 * ocb_errmsg() set; the parser prefixes FILE:LINE and the key. */
struct scenario_hooks {
	/* a [host] key, a host.KEY axis, a timeline `host KEY VALUE` */
	int (*validate_host)(const char *key, const char *value);
	/* NULL-terminated list of host keys: "did you mean" and --list-keys */
	const char *const *(*host_keys)(void);
	/* one line of help for a host key (--list-keys), may be NULL */
	const char *(*host_help)(const char *key);
	/* argv[0] of a guest's `workload =` */
	int (*validate_workload)(const char *program);
};

enum scenario_balloon {
	SCENARIO_BALLOON_VIRTIO,	/* virtio-balloon device (default) */
	SCENARIO_BALLOON_NONE,
};

enum scenario_backing {
	SCENARIO_BACKING_ANONYMOUS,	/* default */
	SCENARIO_BACKING_HUGETLB_2M,
	SCENARIO_BACKING_HUGETLB_1G,
	SCENARIO_BACKING_FILE,
};

/* One [host] line, in file order (matrix/quick values substituted in
 * place; a host.KEY axis absent from [host] is appended). */
struct scenario_setting {
	char *key;
	char *value;
	const char *file;	/* = scenario->file */
	unsigned line;		/* the [host] line, or the [matrix]/[quick] line */
};

/* One [guest NAME] section. */
struct scenario_guest_spec {
	char *name;			/* NAME */
	unsigned line;			/* of the section header */
	unsigned count;			/* instances NAME-1..NAME-count (default 1) */
	uint64_t memory_bytes;		/* default 2048 MiB; bare number = MiB */
	unsigned vcpus;			/* default 1 */
	enum scenario_balloon balloon;	/* default virtio */
	uint64_t stats_period_ns;	/* balloon guest-stats polling; default 1s,
					 * 0 = off; always 0 with balloon = none */
	enum scenario_backing backing;	/* default anonymous */
	int mem_merge;			/* 1 = on (default): KSM may merge it */
	/* virtio-balloon features (balloon = virtio only), 0 off (default) */
	int free_page_reporting;	/* the guest reports free pages: QEMU discards them */
	int free_page_hint;		/* free page hints (used by migration) */
	int deflate_on_oom;		/* the guest deflates the balloon when it would OOM */
	/* virtio-mem: a device of vmem_bytes next to memory_bytes, of which
	 * vmem_requested is plugged at boot, in blocks of vmem_block_bytes;
	 * vmem_bytes 0 (default): no device */
	uint64_t vmem_bytes;
	uint64_t vmem_block_bytes;	/* default 2 MiB */
	uint64_t vmem_requested;	/* default 0 */
	char *image;			/* directory (vmlinu[xz] + initramfs) or disk
					 * image, stored as written; NULL = default */
	char *kernel, *initrd, *append;	/* explicit overrides, NULL when unset */
	char *uri;			/* libvirt URI, NULL = the run's --uri */
	char *workload;			/* `workload =` as written, NULL if none */
	char **workload_argv;		/* split on blanks honouring '...' and "...",
					 * NULL-terminated; NULL if no workload */
};

/* One concrete guest.  Guests are in section order, then index order. */
struct scenario_guest {
	char *name;				/* "light-2" */
	unsigned index;				/* 1..spec->count */
	const struct scenario_guest_spec *spec;	/* everything else */
};

/* A matrix axis and the value this run uses. */
struct scenario_axis_value {
	char *axis;			/* "guest.light.memory" */
	char *value;			/* "1G" */
};

struct scenario_doc;	/* the parsed records (scenario-internal.h) */
struct timeline_entry;	/* timeline.h */

struct scenario {
	char *file;			/* path as given (or the name given to
					 * scenario_load_string) */
	/* [scenario] */
	char *name;			/* default: file basename without .ini */
	char *description;		/* NULL when not given */
	unsigned repeat;		/* default 1 */
	uint64_t duration_ns;		/* 0 (default): the run ends when the
					 * timeline has completed */
	uint64_t host_memory_limit;	/* bytes; 0 (default): no cgroup cap */
	unsigned sample_rate;		/* Hz, default 10 */
	uint64_t boot_timeout_ns;	/* default 60s */
	/* [policy] (README: Policies) */
	char *policy_name;		/* NULL: no controller */
	char *policy_ksm;		/* NULL or "none": no KSM policy */
	uint64_t policy_interval_ns;	/* 0: the policy's own */
	unsigned policy_floor_pct;	/* default 25 */
	struct scenario_setting *policy_params;	/* POLICY.KEY = VALUE, file order */
	size_t n_policy_params;
	uint64_t command_timeout_ns;	/* one QMP or agent command; default 30s */
	unsigned boot_wave;		/* guests launched at once; 0: one per CPU (>= 2) */
	/* [report] */
	char *report_headline;		/* metric patterns, NULL: the report's default */

	struct scenario_setting *host;		/* [host], file order */
	size_t n_host;
	struct scenario_guest_spec *specs;	/* [guest NAME], file order */
	size_t n_specs;
	struct scenario_guest *guests;		/* concrete guests */
	size_t n_guests;
	struct timeline_entry *timeline;	/* sorted */
	size_t n_timeline;

	/* Set on expanded runs (scenario_expand); 0/NULL on a loaded file. */
	struct scenario_axis_value *axes;	/* file order of [matrix] */
	size_t n_axes;
	size_t run_index;		/* 1..n_runs */
	size_t n_runs;
	size_t combo_index;		/* 1..number of matrix combinations */
	unsigned repeat_index;		/* 1..repeat */

	int quick;			/* [quick] overrides were applied */

	/* private */
	struct scenario_doc *doc;	/* loaded scenarios only */
	struct scenario_hooks hooks;
};

/* Guests whose name matches the glob, in guest order: fills up to max
 * pointers into out (which may be NULL) and returns how many match. */
size_t scenario_match_guests(const struct scenario *s, const char *glob,
			     const struct scenario_guest **out, size_t max);
const struct scenario_guest *scenario_find_guest(const struct scenario *s, const char *name);
/* The value of a [host] key, or NULL. */
const char *scenario_host_value(const struct scenario *s, const char *key);

/* Names for messages and run.json ("virtio", "hugetlb-2M", ...): the
 * values `balloon =` and `backing =` take. */
const char *scenario_balloon_name(enum scenario_balloon b);
const char *scenario_backing_name(enum scenario_backing b);

#endif
