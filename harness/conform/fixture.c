/* conform-fixture.c — what checks share: the context (accel, image,
 * private directories), fixture guests booted once and reused, the
 * journaled knob session, private hugetlbfs mounts, and small guest/host
 * readers.  See conform.h. */
#include "conform/conform.h"
#include "conform/fixture.h"
#include "util/meminfo.h"
#include "vm/workload.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/interrupt.h"
#include "knobs/knobs.h"
#include "knobs/remote.h"
#include "knobs/route.h"
#include "util/libvirt-conn.h"
#include "util/xalloc.h"
#include "host/libvirt-node.h"
#include "util/runcmd.h"
#include "host/sysfs.h"
#include "util/units.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_BOOT_TIMEOUT_NS (60 * 1000000000ull)
#define DEFAULT_BALLOON_TIMEOUT_NS (60 * 1000000000ull)
#define DEFAULT_KSM_TIMEOUT_NS (60 * 1000000000ull)
#define DEFAULT_CMD_TIMEOUT_NS (30 * 1000000000ull)
#define POLL_NS (100 * 1000000ull)

/* ---- KSM probe over sysfs and /proc (the real one) ---------------------- */

static int sysfs_counter(void *opaque, const char *root, const char *name, unsigned long long *v)
{
	char rel[256];

	(void)opaque;
	snprintf(rel, sizeof(rel), "/sys/kernel/mm/ksm/%s", name);
	return sysfs_read_u64(root, rel, v);
}

static int proc_merging_pages(void *opaque, const char *root, pid_t pid, long long *pages)
{
	char rel[128];
	unsigned long long v;

	(void)opaque;
	snprintf(rel, sizeof(rel), "/proc/%ld/ksm_merging_pages", (long)pid);
	if (sysfs_read_u64(root, rel, &v) < 0)
		return -1;
	*pages = (long long)v;
	return 0;
}

const struct ksm_probe_ops ksm_probe_sysfs = {
	.counter = sysfs_counter,
	.merging_pages = proc_merging_pages,
};

/* ---- context ------------------------------------------------------------ */

static void set_default(uint64_t *v, uint64_t def)
{
	if (!*v)
		*v = def;
}

static int find_image(struct conform_ctx *c)
{
	int r = c->opt.image ? guest_image_from_path(c->opt.image, &c->image)
			     : guest_image_default(&c->image);
	struct strbuf q = STRBUF_INIT;

	if (r < 0)
		return -1;
	if (find_program(c->opt.qemu_binary, &q) < 0) {
		strbuf_release(&q);
		return ocb_fail("%s not found: install the qemu-system-x86 package (ci/install-deps)",
				c->opt.qemu_binary);
	}
	snprintf(c->qemu, sizeof(c->qemu), "%s", q.buf);
	strbuf_release(&q);
	return 0;
}

/* ---- the remote host's KSM counters ------------------------------------- */

struct node_state {
	char uri[1024];
	virConnectPtr conn;
};

static int lv_counter(void *opaque, const char *root, const char *name, unsigned long long *v)
{
	struct node_state *n = opaque;
	struct lv_ksm k;
	json_t *o, *x;
	int rc;

	(void)root;
	if (!n->conn && !(n->conn = lv_open(n->uri)))
		return -1;
	if (lvnode_ksm_get(n->conn, n->uri, &k) != 0)
		return -1;
	o = lvnode_ksm_json(&k);
	x = json_object_get(o, name);
	rc = x ? 0 : ocb_fail("libvirt at %s reports no KSM %s", n->uri, name);
	if (x)
		*v = (unsigned long long)json_integer_value(x);
	json_decref(o);
	return rc;
}

static int lv_merging(void *opaque, const char *root, pid_t pid, long long *pages)
{
	struct node_state *n = opaque;

	(void)root;
	(void)pid;
	(void)pages;
	return ocb_fail("a QEMU's merged pages (/proc/PID/ksm_merging_pages) are on %s: libvirt does not "
			"report them", n->uri);
}

const struct ksm_probe_ops ksm_probe_libvirt = { lv_counter, lv_merging, NULL };

static void node_probe_init(struct conform_ctx *c)
{
	struct node_state *n;

	if (c->opt.ksm || !conform_guests_remote(c))
		return;
	n = xcalloc(1, sizeof(*n));
	snprintf(n->uri, sizeof(n->uri), "%s", c->opt.uri);
	c->node_probe.ops = &ksm_probe_libvirt;
	c->node_probe.opaque = n;
	c->opt.ksm = &c->node_probe;
}

static void node_probe_release(struct conform_ctx *c)
{
	struct node_state *n = c->node_probe.opaque;

	if (!n)
		return;
	if (n->conn)
		virConnectClose(n->conn);
	free(n);
	c->node_probe.opaque = NULL;
}

int conform_ctx_init(struct conform_ctx *c, const struct conform_options *opt)
{
	memset(c, 0, sizeof(*c));
	c->opt = *opt;
	c->t0 = mono_ns();
	if (!c->opt.root)
		c->opt.root = "/";
	if (!c->opt.qemu_binary)
		c->opt.qemu_binary = "qemu-system-x86_64";
	set_default(&c->opt.boot_timeout_ns, DEFAULT_BOOT_TIMEOUT_NS);
	set_default(&c->opt.balloon_timeout_ns, DEFAULT_BALLOON_TIMEOUT_NS);
	set_default(&c->opt.ksm_timeout_ns, DEFAULT_KSM_TIMEOUT_NS);
	set_default(&c->opt.cmd_timeout_ns, DEFAULT_CMD_TIMEOUT_NS);
	if (accel_choose(c->opt.root, c->opt.accel, &c->accel) < 0 || find_image(c) < 0)
		return -1;
	snprintf(c->rundir, sizeof(c->rundir), "/tmp/ocbench-conform-%ld-XXXXXX", (long)getpid());
	if (!mkdtemp(c->rundir))
		return ocb_fail_errno("cannot create a private runtime directory under /tmp");
	/* QEMU may run as another user under libvirt: the sockets' directory
	 * stays private to us, the logs go where the caller said. */
	if (c->opt.workdir) {
		snprintf(c->workdir, sizeof(c->workdir), "%s", c->opt.workdir);
	} else {
		snprintf(c->workdir, sizeof(c->workdir), "%s/work", c->rundir);
		c->own_workdir = 1;
	}
	if (mkdir_p(c->workdir, 0755) < 0)
		return -1;
	c->shared = json_object();
	node_probe_init(c);
	return 0;
}

int conform_ctx_release(struct conform_ctx *c)
{
	int rc = 0;

	conform_guests_stop_all(c);
	if (conform_knobs_restore(c) < 0)
		rc = -1;
	for (size_t i = c->n_mounts; i-- > 0;)
		if (umount2(c->mounts[i], MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
			fprintf(stderr, "ocbench conform: cannot unmount %s: %s\n", c->mounts[i], strerror(errno));
	c->n_mounts = 0;
	json_decref(c->shared);
	c->shared = NULL;
	if (c->rundir[0])
		remove_tree(c->rundir);
	c->rundir[0] = '\0';
	node_probe_release(c);
	return rc;
}

void conform_progress(struct conform_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->opt.quiet)
		return;
	/* stderr: stdout may carry TAP. */
	fprintf(stderr, "[%7.2fs] ", ns_to_s(mono_ns() - c->t0));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* With the libvirt backend the sleep runs libvirt's event loop: every
 * connection of the process (the guests', the remote knob session's, the
 * host lock's) answers its daemon's keepalive probes, which an idle
 * connection must within about 30 s or the daemon closes it — and with
 * the lock's connection, destroys the lock. */
int conform_sleep(struct conform_ctx *c, uint64_t ns)
{
	uint64_t end = mono_ns() + ns;

	if (!vm_backend_can(c->opt.backend, VM_CAP_REMOTE_HOST)) {
		sleep_ns(ns, &ocb_interrupted);
		return ocb_interrupted ? ocb_fail("%s", interrupt_reason()) : 0;
	}
	while (!ocb_interrupted) {
		uint64_t now = mono_ns();

		if (now >= end)
			return 0;
		if (lv_events_run(end - now < 50000000ull ? end - now : 50000000ull) < 0)
			return -1;
	}
	return ocb_fail("%s", interrupt_reason());
}

/* ---- fixture guests ----------------------------------------------------- */

static int guest_config(struct conform_ctx *c, const struct conform_guest_spec *sp, struct vm_config *cfg)
{
	struct vm_setup setup = {
		.image = &c->image, .qemu_binary = c->qemu, .uri = c->opt.uri, .accel = c->accel,
		.rundir = c->rundir, .results_dir = c->workdir,
		.boot_timeout_ns = c->opt.boot_timeout_ns, .cmd_timeout_ns = c->opt.cmd_timeout_ns,
	};

	vm_config_init(cfg, sp->name, &setup);
	cfg->memory_bytes = sp->memory_bytes;
	cfg->vcpus = 1;
	cfg->balloon = sp->balloon;
	cfg->stats_period_s = sp->stats_period_s;
	cfg->backing = sp->backing;
	cfg->mem_merge = sp->mem_merge;
	cfg->free_page_reporting = sp->free_page_reporting;
	cfg->deflate_on_oom = sp->deflate_on_oom;
	cfg->vmem_bytes = sp->vmem_bytes;
	cfg->vmem_block_bytes = 2 * MiB;
	if (sp->mem_path)
		snprintf(cfg->mem_path, sizeof(cfg->mem_path), "%s", sp->mem_path);
	return mkdir_p(cfg->outdir, 0755);
}

static struct vm **slot_of(struct conform_ctx *c, const char *name)
{
	for (size_t i = 0; i < CONFORM_MAX_GUESTS; i++)
		if (c->guests[i] && !strcmp(c->guests[i]->cfg.name, name))
			return &c->guests[i];
	return NULL;
}

/* A free slot for guest sp (a dead one of that name is stopped first);
 * NULL with a message when all are taken. */
static struct vm **free_slot(struct conform_ctx *c, const struct conform_guest_spec *sp)
{
	struct vm **slot = slot_of(c, sp->name);

	if (slot)
		conform_guest_stop(c, sp->name);	/* died: boot a fresh one */
	for (size_t i = 0; i < CONFORM_MAX_GUESTS; i++)
		if (!c->guests[i])
			return &c->guests[i];
	ocb_fail("guest %s: more than %d fixture guests at once", sp->name, CONFORM_MAX_GUESTS);
	return NULL;
}

/* A backend that can launch a guest and wait for it apart. */
static int launches(const struct vm *vm)
{
	return vm->ops->launch && vm->ops->wait_ready;
}

/* Created and launched (started, for a backend that cannot launch
 * without waiting); NULL with a message. */
static struct vm *launch(struct conform_ctx *c, const struct conform_guest_spec *sp)
{
	struct vm_config cfg;
	struct vm *vm;
	int rc;

	if (guest_config(c, sp, &cfg) < 0)
		return NULL;
	vm = vm_new(c->opt.backend, &cfg);
	if (!vm)
		return NULL;
	rc = launches(vm) ? vm->ops->launch(vm) : vm->ops->start(vm);
	if (rc < 0) {
		char msg[OCB_ERR_MAX];

		snprintf(msg, sizeof(msg), "%s", ocb_errmsg());
		vm_free(vm);
		ocb_fail("%s", msg);
		return NULL;
	}
	return vm;
}

static int ready(struct conform_ctx *c, struct vm *vm, const struct conform_guest_spec *sp)
{
	if (launches(vm) && vm->ops->wait_ready(vm) < 0)
		return -1;
	conform_progress(c, "%s: booted in %.2f s (%.0f MiB, %s%s%s)", sp->name, ns_to_s(vm->boot_ns),
			 bytes_to_mib(sp->memory_bytes), accel_name(c->accel.kind),
			 sp->balloon ? ", balloon" : "", sp->mem_merge ? "" : ", mem-merge off");
	return 0;
}

int conform_guests(struct conform_ctx *c, const struct conform_guest_spec *const *sp, size_t n, struct vm **out)
{
	struct vm **slots[CONFORM_MAX_GUESTS];
	int rc = 0, fresh[CONFORM_MAX_GUESTS] = { 0 };

	if (n > CONFORM_MAX_GUESTS)
		return ocb_fail("%zu fixture guests at once: at most %d", n, CONFORM_MAX_GUESTS);
	/* Launch every guest not running yet, then wait for them all: they
	 * boot side by side (a TCG boot is CPU-bound, and there are cores). */
	for (size_t i = 0; i < n && rc == 0; i++) {
		slots[i] = slot_of(c, sp[i]->name);
		if (slots[i] && (*slots[i])->ops->alive(*slots[i]))
			continue;
		slots[i] = free_slot(c, sp[i]);
		if (!slots[i] || !(*slots[i] = launch(c, sp[i])))
			rc = -1;
		fresh[i] = 1;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		if (fresh[i] && ready(c, *slots[i], sp[i]) < 0)
			rc = -1;
	for (size_t i = 0; i < n; i++) {
		if (rc < 0 && fresh[i] && slots[i] && *slots[i]) {
			struct vm *half = *slots[i];

			*slots[i] = NULL;
			vm_free(half);	/* kills it: a half-booted set is no fixture */
		}
		out[i] = rc < 0 ? NULL : *slots[i];
	}
	return rc;
}

struct vm *conform_guest(struct conform_ctx *c, const struct conform_guest_spec *sp)
{
	struct vm *vm;

	return conform_guests(c, &sp, 1, &vm) < 0 ? NULL : vm;
}

void conform_guest_stop(struct conform_ctx *c, const char *name)
{
	struct vm **slot = slot_of(c, name);

	if (!slot)
		return;
	if ((*slot)->ops->stop(*slot) < 0)
		fprintf(stderr, "ocbench conform: %s\n", ocb_errmsg());
	vm_free(*slot);	/* kills whatever is left */
	*slot = NULL;
}

void conform_guests_stop_all(struct conform_ctx *c)
{
	for (size_t i = 0; i < CONFORM_MAX_GUESTS; i++)
		if (c->guests[i])
			conform_guest_stop(c, c->guests[i]->cfg.name);
}

/* ---- host changes ------------------------------------------------------- */

int conform_guests_remote(const struct conform_ctx *c)
{
	return vm_backend_can(c->opt.backend, VM_CAP_REMOTE_HOST) &&
	       knob_route_is_remote(1, c->opt.uri ? c->opt.uri : LV_DEFAULT_URI);
}

int conform_knobs_restore(struct conform_ctx *c)
{
	char first[OCB_ERR_MAX] = "";
	int rc = 0;

	if (c->lvknobs && lvknob_set_restore(c->lvknobs) < 0) {
		snprintf(first, sizeof(first), "%s", ocb_errmsg());
		rc = -1;
	}
	lvknob_set_free(c->lvknobs);
	c->lvknobs = NULL;
	if (c->knobs && knob_set_restore(c->knobs) < 0)
		rc = -1;
	else if (rc < 0)
		ocb_fail("%s", first);
	knob_set_free(c->knobs);
	c->knobs = NULL;
	return rc;
}

/* A knob of the remote host the guests run on: journaled there. */
static int remote_knob(struct conform_ctx *c, const char *key, const char *value, char *why, size_t len)
{
	int r;

	if (!c->lvknobs) {
		c->lvknobs = lvknob_set_begin(c->opt.state_dir, c->opt.force);
		if (!c->lvknobs)
			return -1;
	}
	r = lvknob_apply(c->lvknobs, c->opt.uri, key, value, why, len);
	if (r == 0)
		conform_progress(c, "host %s: %s = %s", c->opt.uri, key, value);
	return r;
}

int conform_knob(struct conform_ctx *c, const char *key, const char *value, char *why, size_t len)
{
	int r;

	if (conform_guests_remote(c))
		return remote_knob(c, key, value, why, len);
	if (!c->knobs) {
		c->knobs = knob_set_begin(c->opt.root, c->opt.state_dir, c->opt.force);
		if (!c->knobs)
			return -1;
		knob_set_allow_module_reload(c->knobs, c->opt.allow_module_reload);
	}
	r = knob_apply(c->knobs, key, value, why, len);
	if (r == 0)
		conform_progress(c, "host: %s = %s", key, value);
	return r;
}

int conform_hugetlbfs(struct conform_ctx *c, const char *pagesize, char *out, size_t len)
{
	char opts[64];

	snprintf(out, len, "%s/hugetlbfs-%s", c->rundir, pagesize);
	for (size_t i = 0; i < c->n_mounts; i++)
		if (!strcmp(c->mounts[i], out))
			return 0;
	if (c->n_mounts >= sizeof(c->mounts) / sizeof(c->mounts[0]))
		return ocb_fail("too many hugetlbfs mounts");
	if (mkdir(out, 0700) < 0 && errno != EEXIST)
		return ocb_fail_errno("cannot create %s", out);
	/* A fake host tree (tests): its guests are fakes too, a directory
	 * stands for the mount. */
	if (strcmp(c->opt.root, "/"))
		return 0;
	/* A private mount, not /dev/hugepages: nothing of the host's changes,
	 * and it disappears with the run directory. */
	snprintf(opts, sizeof(opts), "pagesize=%s", pagesize);
	if (mount("ocbench-hugetlbfs", out, "hugetlbfs", MS_NOSUID | MS_NODEV, opts) < 0)
		return ocb_fail_errno("cannot mount hugetlbfs (%s) on %s", opts, out);
	snprintf(c->mounts[c->n_mounts++], sizeof(c->mounts[0]), "%s", out);
	return 0;
}

/* ---- readers ------------------------------------------------------------ */

/* One reader of "Key:  N kB" text for the whole harness (util/meminfo.h);
 * conform's counters are unsigned. */
static int text_kib(const char *text, const char *name, unsigned long long *kib)
{
	long long v;

	if (meminfo_text_field(text, name, &v) < 0)
		return -1;
	if (v < 0)
		return ocb_fail("'%s:' is negative (%lld)", name, v);
	*kib = (unsigned long long)v;
	return 0;
}

int conform_guest_meminfo(struct conform_ctx *c, struct vm *vm, const char *name,
			  unsigned long long *kib)
{
	struct strbuf text = STRBUF_INIT;
	int r = vm->ops->agent_read_file(vm, "/proc/meminfo", &text, c->opt.cmd_timeout_ns);

	if (r == 0 && text_kib(strbuf_str(&text), name, kib) < 0)
		r = ocb_err_prefix("%s: guest /proc/meminfo: ", vm->cfg.name);
	strbuf_release(&text);
	return r;
}

int conform_proc_kib(struct conform_ctx *c, pid_t pid, const char *file, const char *name,
		     unsigned long long *kib)
{
	struct strbuf rel = STRBUF_INIT, text = STRBUF_INIT;
	int r;

	strbuf_addf(&rel, "/proc/%ld/%s", (long)pid, file);
	r = sysfs_read_raw(c->opt.root, rel.buf, &text);
	if (r == 0 && text_kib(text.buf, name, kib) < 0)
		r = ocb_err_prefix("%s: ", rel.buf);
	strbuf_release(&rel);
	strbuf_release(&text);
	return r;
}

int conform_workload_spawn(struct conform_ctx *c, struct vm *vm, const char *tag,
			   const char *const *argv, long long *pid)
{
	char path[256];

	(void)c;
	workload_json_path(vm, tag, path, sizeof(path));
	return workload_spawn(vm, argv, path, pid);
}

static int conform_idle(void *opaque, uint64_t ns)
{
	return conform_sleep(opaque, ns);
}

int conform_workload_wait(struct conform_ctx *c, struct vm *vm, const char *tag, long long pid,
			  uint64_t timeout_ns, struct agent_exec_result *res, json_t **doc)
{
	int st;

	*doc = NULL;
	memset(res, 0, sizeof(*res));
	st = workload_wait(vm, pid, mono_ns() + timeout_ns, POLL_NS, conform_idle, c, res);
	if (st < 0)
		return ocb_err_prefix("%s: waiting for workload %s: ", vm->cfg.name, tag);
	if (st == 0)
		return ocb_fail("%s: workload %s still running after %.0f s", vm->cfg.name, tag,
				ns_to_s(timeout_ns));
	return conform_workload_result(c, vm, tag, doc);
}

int conform_workload_result(struct conform_ctx *c, struct vm *vm, const char *tag, json_t **doc)
{
	struct strbuf text = STRBUF_INIT;
	char path[256];
	json_error_t jerr;

	*doc = NULL;
	workload_json_path(vm, tag, path, sizeof(path));
	if (workload_fetch(vm, path, c->opt.cmd_timeout_ns, &text) == 0)
		*doc = json_loadb(text.buf ? text.buf : "", text.len, 0, &jerr);
	strbuf_release(&text);
	return 0;
}
