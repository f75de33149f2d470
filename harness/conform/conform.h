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
 * TAP 13 and JSON are emitters over them (emit.h).
 *
 * The rule for the verdict: ERROR only when ocbench could not carry the
 * check out (a guest did not boot, a fixture or knob failed); the host or
 * emulator misbehaving in the way the check is about is a FAIL, and when
 * a mechanism did not act the reason names what diagnose.h found.
 *
 * The folder in layers, each including only those above it in this list:
 *   conform.h   this: what a check is and reports (conform.c);
 *   fixture.h   the context, fixture guests, knobs and guest helpers;
 *   diagnose.h  the diagnoses of host/ and vm/ run on fixture guests;
 *   ksmfill.h   what the KSM checks share (probes, scans, one fill run);
 *   ksm-node.h  the KSM checks judged by the host's counters (remote hosts);
 *   ksm-advisor.h  the KSM advisor's check (scan-time mode);
 *   balloon.h, ksm.h, thp.h, hugetlb.h, ept.h   one suite each;
 *   doo.h, vmem.h, swap.h   checks of the reclaim suite (reclaim.h, its table);
 *   suites.h    every suite in order, selection, requirements, the run;
 *   emit.h      the output formats.
 */
#ifndef OCB_CONFORM_H
#define OCB_CONFORM_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "host/accel.h"

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
	NEED_NODE_KSM = 1u << 10,	/* guests on a remote libvirt host: its
					 * KSM counters over libvirt */
	/* what the emulator must offer (a local one is asked: qemu-probe.h) */
	NEED_FREE_PAGE_REPORTING = 1u << 11,	/* virtio-balloon free-page-reporting */
	NEED_DEFLATE_ON_OOM = 1u << 12,		/* virtio-balloon deflate-on-oom */
	NEED_VIRTIO_MEM = 1u << 13,		/* the virtio-mem-pci device */
};

struct conform_ctx;
struct conform_result;
struct vm_backend_ops;

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
	json_t *host;			/* the host's fingerprint (owned), or NULL */
	json_t *hosts;			/* the remote host's fingerprint by URI
					 * (host/libvirt-host.h), NULL here */
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
	/* Optional: the clock full scans are timed by (NULL: the monotonic
	 * clock); a fake KSM advances it by the scans it makes up. */
	uint64_t (*now_ns)(void *opaque);
};

struct ksm_probe {
	const struct ksm_probe_ops *ops;
	void *opaque;
};

/* ---- the run's options (fixture.h's context holds them) ---------------- */

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
	uint64_t reclaim_timeout_ns;	/* FPR-001, VMEM-001: memory back to the host,
					 * a plug converged (30 s) */
	uint64_t cmd_timeout_ns;	/* one QMP/agent command */
	const struct ksm_probe *ksm;	/* NULL: sysfs + /proc, or the remote
					 * host's counters over libvirt */
	int node_ksm_here;		/* tests: KSM-006/007 on this host */
	/* --skip: checks left out, each reported as a SKIP saying so (a
	 * verdict list with a hole in it would read as "not applicable") */
	const char *const *skip_ids;	/* NULL-terminated, or NULL */
};

/* The next result of rep, for chk: an ERROR ("set no result") until the
 * check decides, so a check that decides nothing is never a silent pass. */
struct conform_result *conform_report_add(struct conform_report *rep, const struct conform_check *chk);

#endif
