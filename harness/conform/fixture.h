/* fixture.h — what checks share (fixture.c): the context (accel, image,
 * private directories), fixture guests booted once and reused, the
 * journaled knob session, private hugetlbfs mounts, and small guest/host
 * readers. */
#ifndef OCB_CONFORM_FIXTURE_H
#define OCB_CONFORM_FIXTURE_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "conform/conform.h"
#include "guest/guest-image.h"
#include "host/accel.h"
#include "util/strbuf.h"
#include "vm/vm.h"

#define CONFORM_MAX_GUESTS 8

struct conform_guest_spec {
	const char *name;		/* fixture name, also the guest name */
	uint64_t memory_bytes;
	int balloon;
	unsigned stats_period_s;
	enum vm_backing backing;
	const char *mem_path;		/* hugetlbfs directory (conform_hugetlbfs) */
	int mem_merge;
	int free_page_reporting;	/* virtio-balloon free page reporting */
	int deflate_on_oom;		/* virtio-balloon deflate-on-oom */
	uint64_t vmem_bytes;		/* a virtio-mem device (2 MiB blocks, none plugged) */
};

struct conform_ctx {
	struct conform_options opt;
	struct accel_choice accel;
	struct guest_image image;
	char qemu[4096];		/* the emulator, found in PATH */
	struct knob_set *knobs;
	struct lvknob_set *lvknobs;	/* the remote host's, over libvirt */
	struct ksm_probe node_probe;	/* the remote host's KSM counters */
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

/* 1 when the guests run on another host (libvirt backend, remote URI):
 * knobs go there over libvirt, /proc and sysfs here say nothing of it. */
int conform_guests_remote(const struct conform_ctx *c);
/* Restore and end the knob sessions (this host's and the remote one's):
 * 0, or -1 with the message (a journal kept for `ocbench restore`). */
int conform_knobs_restore(struct conform_ctx *c);

/* KSM counters from sysfs and /proc: the probe of a real run. */
extern const struct ksm_probe_ops ksm_probe_sysfs;
/* The probe when the guests are remote (set by conform_ctx_init): the
 * counters by their sysfs names from virNodeGetMemoryParameters;
 * per-process figures fail (libvirt does not report them). */
extern const struct ksm_probe_ops ksm_probe_libvirt;

/* The fixture guest of that name, booted on first use.  NULL with a
 * message naming the guest when it cannot boot. */
struct vm *conform_guest(struct conform_ctx *c, const struct conform_guest_spec *spec);
/* The fixture guests of those names, the ones not running booted side
 * by side; out[i] for sp[i].  -1 with a message naming the guest that
 * could not boot (those booted for the call are stopped again). */
int conform_guests(struct conform_ctx *c, const struct conform_guest_spec *const *sp, size_t n, struct vm **out);
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
