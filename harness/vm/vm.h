/* vm.h — the VM backend seam (an ops table, like fio's ioengine_ops).
 *
 * The runner and the conformance checks drive guests only through these
 * ops; `qemu` (qemu.h: fork/exec qemu-system-x86_64, QMP over a unix
 * socket), `libvirt` (libvirt.h) and `native` (native.h) implement them,
 * and backends.h finds one by name.  A struct vm is one guest: its
 * configuration (filled by the caller from a scenario), the backend's
 * private state, and what was measured while starting it.
 */
#ifndef OCB_VM_H
#define OCB_VM_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "host/accel.h"
#include "guest/agent-cmds.h"
#include "guest/guest-image.h"

enum vm_backing { BACKING_ANONYMOUS, BACKING_HUGETLB_2M, BACKING_HUGETLB_1G, BACKING_FILE };

struct vm_config {
	char name[64];			/* guest-1 */
	uint64_t memory_bytes;
	unsigned vcpus;
	int balloon;			/* virtio-balloon device present */
	unsigned stats_period_s;	/* balloon guest-stats polling, 0 off */
	enum vm_backing backing;
	int mem_merge;			/* KSM may merge this guest's RAM */
	/* virtio-balloon features (balloon set): free page reporting, free
	 * page hinting, deflate-on-oom */
	int free_page_reporting, free_page_hint, deflate_on_oom;
	/* virtio-mem: device size (0 none), block size, plugged at boot */
	uint64_t vmem_bytes, vmem_block_bytes, vmem_requested;
	/* hugetlb backing: the hugetlbfs directory; empty means /dev/hugepages
	 * (2M) or /dev/hugepages1G (1G).  conform mounts its own. */
	char mem_path[4096];
	/* Guest image: kernel (+initrd, append) or a disk image. */
	char kernel[4096];
	char initrd[4096];
	char append[2048];
	char disk[4096];
	char qemu_binary[4096];		/* qemu backend: the emulator */
	char uri[1024];			/* libvirt backend: connection URI */
	struct accel_choice accel;
	char rundir[4096];		/* private 0700 dir for sockets */
	char workload_dir[4096];	/* where workload programs are; "" = /usr/bin
					 * of the guest (the native backend sets the
					 * host's) */
	char outdir[4096];		/* guests/NAME in the results */
	uint64_t boot_timeout_ns;
	uint64_t cmd_timeout_ns;	/* one QMP/agent command */
	/* The run's host memory cap (cgroup.h): the cgroup.procs file the
	 * VM process joins before exec; "" = no cap.  Local backends only. */
	char cgroup_procs[4096];
};

struct vm;

/* What the sampler asks every guest's VMM at its rate, pipelined
 * (vm_backend_ops.query_send). */
enum vm_query { VM_QUERY_BALLOON, VM_QUERY_BALLOON_STATS, VM_QUERY_VMEM, VM_QUERY_N };
struct vm_answer {
	uint64_t actual;			/* VM_QUERY_BALLOON: bytes */
	json_t *stats;				/* VM_QUERY_BALLOON_STATS: new reference */
	uint64_t vmem_size, vmem_requested;	/* VM_QUERY_VMEM: bytes */
};

/* An asynchronous event of a guest.  emitted_s: when the emitter stamped
 * it, in seconds of the host's wall clock (QMP's own "timestamp"), or -1
 * when the backend's events carry no time of their own (libvirt). */
typedef void (*vm_event_fn)(void *opaque, struct vm *vm, const char *event, json_t *data,
			    double emitted_s);

/* What a backend can do, tested by callers instead of its identity (fio's
 * FIO_DISKLESSIO idea): adding a backend means setting its flags, not
 * finding every place that asks "is this the qemu backend?". */
enum vm_capability {
	/* The VM is a process we fork here: its PID is in this host's /proc,
	 * it can join the run's memory cgroup before exec. */
	VM_CAP_LOCAL_PROCESS = 1u << 0,
	/* It needs a QEMU binary on this host (--qemu). */
	VM_CAP_LOCAL_EMULATOR = 1u << 1,
	/* It boots a guest image (kernel + initramfs, or a disk image). */
	VM_CAP_GUEST_IMAGE = 1u << 2,
	/* A virtio-balloon device that moves. */
	VM_CAP_BALLOON = 1u << 3,
	/* The guest may run on another host, named by cfg.uri (libvirt). */
	VM_CAP_REMOTE_HOST = 1u << 4,
	/* No guest at all: workloads run as host processes (the native
	 * baseline); no boot, no accelerator. */
	VM_CAP_HOST_WORKLOADS = 1u << 5,
	/* A virtio-mem device (cfg.vmem_bytes) whose requested size it sets
	 * and reads: vmem_resize and vmem_get. */
	VM_CAP_VMEM = 1u << 6,
};

struct vm_backend_ops {
	const char *name;
	unsigned flags;			/* enum vm_capability */
	/* Optional set-up check before anything is created or recorded
	 * (libvirt: the URI answers).  Failing it is a set-up error: exit 2. */
	int (*prepare)(struct vm *vm);
	/* Boot and wait until the guest agent answers (launch + wait_ready). */
	int (*start)(struct vm *vm);
	/* The two halves of start, so several guests boot in parallel:
	 * launch starts the VM and returns at once (qemu: the process is
	 * spawned, its QMP and agent sockets are connected by poll_ready and
	 * wait_ready, so many QEMUs start together); wait_ready blocks until
	 * its agent answers.  Before the VM is ready (boot_ns set) only
	 * poll_ready, wait_ready, kill, stop, pid, alive, pump and describe
	 * may be used.  Optional (NULL: use start). */
	int (*launch)(struct vm *vm);
	int (*wait_ready)(struct vm *vm);
	/* One bounded look while booting, so the caller can sample and
	 * watch other guests meanwhile: 1 ready, 0 not yet, -1 failed.
	 * Optional (NULL: use wait_ready). */
	int (*poll_ready)(struct vm *vm, uint64_t attempt_ns);
	/* Ask the VM to quit and reap it (kill after a grace period). */
	int (*stop)(struct vm *vm);
	/* Immediate, for error paths and signals. Never fails. */
	void (*kill)(struct vm *vm);
	int (*balloon_set)(struct vm *vm, uint64_t target_bytes);
	int (*balloon_get)(struct vm *vm, uint64_t *actual_bytes);
	/* virtio-mem (cfg.vmem_bytes): ask for requested bytes plugged, and
	 * read what is plugged (size) and what is asked.  With VM_CAP_VMEM
	 * (NULL without: the backend cannot resize). */
	int (*vmem_resize)(struct vm *vm, uint64_t requested_bytes);
	int (*vmem_get)(struct vm *vm, uint64_t *size, uint64_t *requested);
	/* The balloon's guest-stats object (new reference). */
	int (*balloon_stats)(struct vm *vm, json_t **stats);
	/* balloon_get, balloon_stats and vmem_get pipelined (optional; NULL:
	 * the sampler asks those and waits): query_send asks and returns at
	 * once; query_answer takes the answer without waiting: 1 answered
	 * (*a filled), 0 not yet, -1 failed (message set).  One query of a
	 * kind is out at a time: sending another drops the last (its late
	 * answer is discarded). */
	int (*query_send)(struct vm *vm, enum vm_query what);
	int (*query_answer)(struct vm *vm, enum vm_query what, struct vm_answer *a);
	int (*agent_exec)(struct vm *vm, const char *const *argv, uint64_t timeout_ns,
			  struct agent_exec_result *res);
	int (*agent_read_file)(struct vm *vm, const char *path, struct strbuf *out,
			       uint64_t timeout_ns);
	/* One agent command without waiting (optional; NULL: the sampler
	 * asks the waiting way): agent.h's agent_send and agent_take. */
	int (*agent_send)(struct vm *vm, const char *cmd, json_t *args);
	int (*agent_take)(struct vm *vm, json_t **ret);
	/* Start without waiting (workloads), then poll: 1 exited, 0 running. */
	int (*agent_spawn)(struct vm *vm, const char *const *argv, long long *guest_pid);
	int (*agent_poll)(struct vm *vm, long long guest_pid, struct agent_exec_result *res);
	/* Process the backend's pending asynchronous events (to the event fn). */
	int (*pump)(struct vm *vm, uint64_t timeout_ns);
	/* The host PID of the VM process, or -1 when not local. */
	pid_t (*pid)(struct vm *vm);
	/* Is it still running? 0 = gone, with the reason in the message. */
	int (*alive)(struct vm *vm);
	/* What run.json records: the exact argv (qemu) or domain XML (libvirt). */
	void (*describe)(struct vm *vm, json_t *guest);
	void (*free_priv)(struct vm *vm);
};

struct vm {
	const struct vm_backend_ops *ops;
	struct vm_config cfg;
	void *priv;
	vm_event_fn on_event;
	void *event_opaque;
	/* Measured by start(). */
	uint64_t boot_ns;		/* process start to agent answering */
	char backend_version[64];	/* e.g. QEMU "7.2.22" */
};

/* 1 when the backend has every capability in caps. */
static inline int vm_backend_can(const struct vm_backend_ops *ops, unsigned caps)
{
	return ops && (ops->flags & caps) == caps;
}

static inline int vm_can(const struct vm *vm, unsigned caps)
{
	return vm_backend_can(vm->ops, caps);
}

/* The libvirt URI of the host this guest runs on (its cfg.uri, or
 * libvirt's default), or NULL for a backend whose guests always run here. */
const char *vm_host_uri(const struct vm *vm);

/* What run and conform set the same way in every guest's configuration;
 * the rest (memory, balloon, backing...) is each caller's own. */
struct vm_setup {
	const struct guest_image *image;	/* NULL: no image (native) */
	const char *qemu_binary;		/* the emulator, "" when not local */
	const char *uri;			/* libvirt URI, NULL: the default */
	struct accel_choice accel;
	const char *rundir;			/* private 0700 dir for sockets */
	const char *results_dir;		/* outdir = results_dir/guests/NAME */
	uint64_t boot_timeout_ns;
	uint64_t cmd_timeout_ns;
};

/* cfg zeroed, then named and filled from setup. */
void vm_config_init(struct vm_config *cfg, const char *name, const struct vm_setup *setup);

struct vm *vm_new(const struct vm_backend_ops *ops, const struct vm_config *cfg);
/* Kills the VM if it still runs, then frees everything. */
void vm_free(struct vm *vm);

/* A size in MiB for messages. */
static inline double bytes_to_mib(uint64_t b)
{
	return (double)b / 1048576.0;
}

#endif
