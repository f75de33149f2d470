/* conform.h — the conformance suite (`ocbench conform`): a table of
 * checks, each with a stable id ("BAL-001"), a suite, a title, the
 * requirements that turn it into a SKIP with a reason when the host
 * cannot run it, and a run function that returns PASS / FAIL /
 * SKIP(reason) / ERROR(reason) plus the measured evidence as a JSON
 * object (stress-ng's stressor table and kselftest's result kinds).
 *
 * Checks share booted guests where they allow it: conform_guest() starts
 * a named "fixture" guest the first time a check asks for it and hands
 * the same one to the next check; every guest is stopped when its suite
 * ends (or earlier, by a check that needs a fresh one).  Host changes go
 * through the journaled knob session of the context and are restored
 * when the suite run ends, on every path.
 *
 * Results are data (struct conform_report); the text table, JUnit XML,
 * TAP 13 and JSON are emitters over them (conform-emit.c).
 *
 * Owned here: conform.c (selection, requirements, fixtures, helpers);
 * one file per suite (conform-balloon.c, conform-ksm.c, conform-thp.c,
 * conform-hugetlb.c, conform-ept.c); conform-emit.c; cmd-conform.c.
 */
#ifndef OCB_CONFORM_H
#define OCB_CONFORM_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "host/accel.h"
#include "guest/guest-image.h"
#include "util/strbuf.h"
#include "vm/vm.h"

enum conform_status { CONFORM_PASS, CONFORM_FAIL, CONFORM_SKIP, CONFORM_ERROR };

/* Requirements: each unmet one makes the check a SKIP with its reason. */
enum conform_need {
	NEED_ROOT = 1u << 0,		/* host knobs are written */
	NEED_KVM = 1u << 1,		/* real hardware virtualization */
	NEED_KSM = 1u << 2,		/* /sys/kernel/mm/ksm, writable */
	NEED_UKSM = 1u << 3,		/* /sys/kernel/mm/uksm (out-of-tree) */
	NEED_THP = 1u << 4,		/* transparent_hugepage, writable */
	NEED_HUGETLB_2M = 1u << 5,	/* a 2 MiB hugetlb pool, writable */
	NEED_HUGETLB_1G = 1u << 6,	/* a 1 GiB hugetlb pool + pdpe1gb */
	NEED_MODULE_RELOAD = 1u << 7,	/* --allow-module-reload */
	NEED_BALLOON = 1u << 8,		/* the backend drives a balloon */
	NEED_PROC_KSM = 1u << 9,	/* /proc/PID/ksm_merging_pages (6.1+) */
};

struct conform_ctx;
struct conform_result;

struct conform_check {
	const char *id;			/* "BAL-001": stable, never reused */
	const char *suite;		/* "balloon" */
	const char *title;
	unsigned needs;			/* enum conform_need bits */
	void (*run)(struct conform_ctx *c, struct conform_result *r);
};

struct conform_suite {
	const char *name;
	const struct conform_check *checks;
	size_t n;
};

extern const struct conform_suite conform_suite_balloon;
extern const struct conform_suite conform_suite_ksm;
extern const struct conform_suite conform_suite_thp;
extern const struct conform_suite conform_suite_hugetlb;
extern const struct conform_suite conform_suite_ept;

/* Every suite in run order. */
const struct conform_suite *const *conform_suites(void);
const struct conform_check *conform_find_check(const char *id);

struct conform_result {
	const struct conform_check *check;
	enum conform_status status;
	char reason[1024];	/* skip/error reason, or what failed */
	char summary[256];	/* the key evidence, one line for the table */
	json_t *evidence;	/* owned; always an object */
	double seconds;
};

struct conform_report {
	struct conform_result *r;
	size_t n, alloc;
	double wall_s;
	char accel[16];			/* "kvm" | "tcg" */
	char accel_reason[256];
	char backend[32];
	int interrupted;
};

void conform_report_release(struct conform_report *rep);
/* Counts by status (any pointer may be NULL). */
void conform_report_counts(const struct conform_report *rep, size_t *pass, size_t *fail,
			   size_t *skip, size_t *error);
const char *conform_status_name(enum conform_status s);	/* "pass", ... */

/* Result helpers for run functions; printf-style reason. */
void conform_pass(struct conform_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void conform_failf(struct conform_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void conform_skip(struct conform_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void conform_error(struct conform_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The key evidence line of the table. */
void conform_summary(struct conform_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- tolerances: stated floor, widened by measured noise ------------- */

/* mean and (sample) standard deviation of n values. */
void conform_stats(const double *v, size_t n, double *mean, double *stddev);
/* max(floor_rel * |expected|, floor_abs, k * stddev); records every term
 * and the rule under evidence[key]. */
double conform_tolerance(json_t *evidence, const char *key, double expected, double floor_rel,
			 double floor_abs, double k, double stddev, const char *unit);

/* ---- KSM measurement, behind an interface so tests inject a fake ------ */

struct ksm_probe_ops {
	/* A counter of /sys/kernel/mm/ksm (full_scans, pages_sharing...). */
	int (*counter)(void *opaque, const char *root, const char *name, unsigned long long *v);
	/* /proc/PID/ksm_merging_pages of one (QEMU) process. */
	int (*merging_pages)(void *opaque, const char *root, pid_t pid, long long *pages);
};

struct ksm_probe {
	const struct ksm_probe_ops *ops;
	void *opaque;
};

extern const struct ksm_probe_ops ksm_probe_sysfs;

/* ---- the context: options, knobs, fixtures ---------------------------- */

struct conform_options {
	const struct vm_backend_ops *backend;
	const char *uri;		/* libvirt backend: connection URI */
	const char *qemu_binary;	/* qemu-system-x86_64 */
	enum accel_kind accel;
	const char *image;		/* --image; NULL: the default guest */
	const char *root;		/* host root ("/"; a fake tree in tests) */
	const char *state_dir;		/* knob journal directory */
	const char *workdir;		/* guests' logs; NULL: a private temp dir */
	int allow_module_reload;
	int force;			/* restore a leftover journal first */
	int quiet;			/* no progress lines */
	/* Timeouts; 0 picks the default (tests shorten them). */
	uint64_t boot_timeout_ns;
	uint64_t balloon_timeout_ns;	/* one balloon move */
	uint64_t ksm_timeout_ns;	/* KSM settling */
	uint64_t cmd_timeout_ns;	/* one QMP/agent command */
	const struct ksm_probe *ksm;	/* NULL: sysfs + /proc */
};

#define CONFORM_MAX_GUESTS 8

struct conform_guest_spec {
	const char *name;		/* fixture name, also the guest name */
	uint64_t memory_bytes;
	int balloon;
	unsigned stats_period_s;
	enum vm_backing backing;
	const char *mem_path;		/* hugetlbfs directory (conform_hugetlbfs) */
	int mem_merge;
};

struct conform_ctx {
	struct conform_options opt;
	struct accel_choice accel;
	struct guest_image image;
	char qemu[4096];		/* the emulator, found in PATH */
	struct knob_set *knobs;
	char rundir[256];		/* sockets, hugetlbfs mounts */
	char workdir[4096];
	int own_workdir;
	struct vm *guests[CONFORM_MAX_GUESTS];
	json_t *shared;			/* what one check leaves for another */
	uint64_t t0;
	char mounts[4][300];		/* hugetlbfs mounts of ours */
	size_t n_mounts;
};

/* Set up (accel choice, private dirs).  -1 with a message (exit 2). */
int conform_ctx_init(struct conform_ctx *c, const struct conform_options *opt);
/* Stop guests, restore knobs, unmount, remove private dirs.  -1 when the
 * knobs could not be restored (message). */
int conform_ctx_release(struct conform_ctx *c);

/* Run the selected checks (suites: comma list or NULL for all; ids: NULL
 * or a NULL-terminated list) into rep.  -1 on a selection error. */
int conform_run(struct conform_ctx *c, const char *suites, const char *const *ids,
		struct conform_report *rep);
/* Validate a --suite list / --check id without running anything. */
int conform_validate_selection(const char *suites, const char *const *ids);

/* The fixture guest of that name, booted on first use.  NULL with a
 * message naming the guest when it cannot boot. */
struct vm *conform_guest(struct conform_ctx *c, const struct conform_guest_spec *spec);
/* Stop one fixture guest (when running) or all of them. */
void conform_guest_stop(struct conform_ctx *c, const char *name);
void conform_guests_stop_all(struct conform_ctx *c);

/* Apply a host knob through the journaled session.  1 skipped (reason),
 * 0 applied, -1 error. */
int conform_knob(struct conform_ctx *c, const char *key, const char *value, char *why, size_t len);
/* A private hugetlbfs mount of the given page size ("2M"/"1G") for guest
 * backing; its path into out.  -1 with the reason. */
int conform_hugetlbfs(struct conform_ctx *c, const char *pagesize, char *out, size_t len);

/* Progress line (suppressed when quiet). */
void conform_progress(struct conform_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- guest helpers ------------------------------------------------------ */

/* A "Name:  N kB" field of a /proc/meminfo text. -1 when missing. */
int meminfo_text_kib(const char *text, const char *name, unsigned long long *kib);
/* Read the guest's /proc/meminfo field in KiB. */
int conform_guest_meminfo(struct conform_ctx *c, struct vm *vm, const char *name,
			  unsigned long long *kib);
/* Start /usr/bin/PROGRAM ARGS... --json /tmp/ocbench-workload-TAG.json (vm/workload.h). */
int conform_workload_spawn(struct conform_ctx *c, struct vm *vm, const char *tag,
			   const char *const *argv, long long *pid);
/* Wait for it (timeout), then load its JSON (*doc, NULL when it left
 * none); res gets exit code and output (release it). */
int conform_workload_wait(struct conform_ctx *c, struct vm *vm, const char *tag, long long pid,
			  uint64_t timeout_ns, struct agent_exec_result *res, json_t **doc);
/* Load the JSON a workload left (when agent_poll already saw it exit). */
int conform_workload_result(struct conform_ctx *c, struct vm *vm, const char *tag, json_t **doc);
/* A key of /proc/PID/<file> ("AnonHugePages:" of smaps_rollup) in KiB. */
int conform_proc_kib(struct conform_ctx *c, pid_t pid, const char *file, const char *name,
		     unsigned long long *kib);
/* Sleep unless interrupted; 0, or -1 when interrupted. */
int conform_sleep(struct conform_ctx *c, uint64_t ns);

#endif
