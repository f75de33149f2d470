/* vm-libvirt.c — the libvirt backend: one transient domain per guest
 * through the libvirt C API (no virsh), on the local host
 * (qemu:///system) or any remote URI (qemu+ssh://host/system).
 *
 * Ownership: a domain is ocbench's only when this process created it
 * (its name carries a per-process prefix, its UUID is recorded).  Only
 * such a domain is ever destroyed; a name clash is an error that touches
 * nothing.  Domains are created with VIR_DOMAIN_START_AUTODESTROY, so
 * libvirtd destroys them itself when ocbench's connection closes — even
 * when ocbench is SIGKILLed.  stop/kill destroy them explicitly, and kill
 * reconnects first when libvirtd was restarted under the run.
 *
 * The guest agent goes through virDomainQemuAgentCommand carrying the
 * same JSON as the qemu backend's socket client (agent-cmds.c); the
 * balloon through virDomainSetMemoryFlags (what `virsh setmem` does) and
 * virDomainMemoryStats (libvirt-stats.h); virtio-mem's requested size
 * through virDomainUpdateDeviceFlags, its size from QMP's
 * query-memory-devices (virDomainQemuMonitorCommand, as `info balloon`);
 * events through virConnectDomainEventRegisterAny,
 * dispatched by pump() (libvirt-util.h explains the event loop).
 */
#include "vm/libvirt.h"
#include "guest/agent-cmds.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/libvirt-conn.h"
#include "vm/libvirt-stats.h"
#include "vm/libvirt-xml.h"
#include "util/units.h"

#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AGENT_PING_NS (20 * 1000000ull)	/* between boot probes */
#define HMP_MATCH_BYTES MiB			/* "reached" for the parity record */

struct lv_priv {
	virConnectPtr conn;
	virDomainPtr dom;
	char uri[1024];
	char name[160];			/* the domain's name */
	char uuid[VIR_UUID_STRING_BUFLEN];
	char label[256];		/* "guest agent of guest-1 (domain ...)" */
	int created;			/* this process created dom */
	int destroyed;
	int cb_balloon, cb_lifecycle;	/* event callback ids, -1 none */
	struct strbuf xml;		/* what was asked for */
	char *live_xml;			/* what libvirt made of it */
	char libvirt_version[32];
	char hmp_balloon[256];		/* the last `info balloon` */
	uint64_t target;		/* the last balloon_set */
	int hmp_pending;		/* target not yet seen reached */
	char stopped[160];		/* the last lifecycle event, when it stopped */
	uint64_t t_launch;
	pid_t pid;
};

static struct lv_priv *P(struct vm *vm)
{
	return vm->priv;
}

/* ocbench-<pid>-<4 hex>-: unique per process, so two runs on one host
 * (or two hosts sharing a remote daemon) never collide. */
const char *lv_run_prefix(void)
{
	static char prefix[48];

	if (!prefix[0]) {
		uint64_t x = mono_ns() ^ ((uint64_t)getpid() << 20);

		x ^= x >> 29;
		x *= 0xbf58476d1ce4e5b9ull;
		x ^= x >> 32;
		snprintf(prefix, sizeof(prefix), "ocbench-%ld-%04x-", (long)getpid(), (unsigned)(x & 0xffff));
	}
	return prefix;
}

static int lv_prepare(struct vm *vm)
{
	struct lv_priv *p = P(vm);

	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return ocb_fail("out of memory");
		p->cb_balloon = p->cb_lifecycle = -1;
		p->pid = -1;
		vm->priv = p;
	}
	if (p->conn)
		return 0;
	if (vm->cfg.free_page_hint)
		return ocb_fail("%s: balloon.free_page_hint: libvirt has no domain XML for "
				"virtio-balloon's free-page-hint (use --backend qemu)", vm->cfg.name);
	snprintf(p->uri, sizeof(p->uri), "%s", vm->cfg.uri[0] ? vm->cfg.uri : LV_DEFAULT_URI);
	snprintf(p->name, sizeof(p->name), "%s%s", lv_run_prefix(), vm->cfg.name);
	snprintf(p->label, sizeof(p->label), "guest agent of %s (domain %s)", vm->cfg.name, p->name);
	p->conn = lv_open(p->uri);
	if (!p->conn)
		return ocb_err_prefix("%s: ", vm->cfg.name);
	return 0;
}

/* ---- events -------------------------------------------------------------- */

static const char *lifecycle_name(int event)
{
	static const char *const names[] = { "defined", "undefined", "started", "suspended", "resumed",
					     "stopped", "shutdown", "pmsuspended", "crashed" };

	return event >= 0 && (size_t)event < sizeof(names) / sizeof(names[0]) ? names[event] : "unknown";
}

static const char *stopped_detail(int detail)
{
	switch (detail) {
	case VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN: return "the guest shut down";
	case VIR_DOMAIN_EVENT_STOPPED_DESTROYED: return "destroyed";
	case VIR_DOMAIN_EVENT_STOPPED_CRASHED: return "the guest crashed";
	case VIR_DOMAIN_EVENT_STOPPED_FAILED: return "QEMU exited unexpectedly";
	default: return "stopped";
	}
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
	struct vm *vm = opaque;
	json_t *data = json_pack("{s:s, s:i}", "event", lifecycle_name(event), "detail", detail);

	(void)conn;
	(void)dom;
	if (event == VIR_DOMAIN_EVENT_STOPPED)
		snprintf(P(vm)->stopped, sizeof(P(vm)->stopped), "%s", stopped_detail(detail));
	if (vm->on_event)
		vm->on_event(vm->event_opaque, vm, "LIFECYCLE", data, -1);
	json_decref(data);
	return 0;
}

/* QMP's BALLOON_CHANGE carries bytes; libvirt hands KiB. */
static int on_balloon_change(virConnectPtr conn, virDomainPtr dom, unsigned long long kib, void *opaque)
{
	struct vm *vm = opaque;
	json_t *data = json_pack("{s:I}", "actual", (json_int_t)(kib * KiB));

	(void)conn;
	(void)dom;
	if (vm->on_event)
		vm->on_event(vm->event_opaque, vm, "BALLOON_CHANGE", data, -1);
	json_decref(data);
	return 0;
}

static void events_register(struct vm *vm)
{
	struct lv_priv *p = P(vm);

	/* Events are a record, not a necessity: a driver without them (the
	 * test driver has no balloon events) still runs. */
	p->cb_lifecycle = virConnectDomainEventRegisterAny(p->conn, p->dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
							   VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), vm, NULL);
	p->cb_balloon = virConnectDomainEventRegisterAny(p->conn, p->dom, VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE,
							 VIR_DOMAIN_EVENT_CALLBACK(on_balloon_change), vm, NULL);
}

static void events_deregister(struct lv_priv *p)
{
	if (p->cb_lifecycle >= 0)
		virConnectDomainEventDeregisterAny(p->conn, p->cb_lifecycle);
	if (p->cb_balloon >= 0)
		virConnectDomainEventDeregisterAny(p->conn, p->cb_balloon);
	p->cb_lifecycle = p->cb_balloon = -1;
}

/* ---- start ---------------------------------------------------------------- */

int lv_check_name_free(virConnectPtr conn, const char *uri, const char *name, const char *guest)
{
	virDomainPtr other = virDomainLookupByName(conn, name);

	if (!other) {
		virResetLastError();
		return 0;
	}
	virDomainFree(other);	/* releases our handle only: the domain is untouched */
	return ocb_fail("%s: a domain named %s already exists at %s; ocbench never touches domains "
			"it did not create: nothing was destroyed", guest, name, uri);
}

/* QEMU's pid for a local daemon: libvirt's pid file (system or session). */
static pid_t read_pid(struct lv_priv *p)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	struct strbuf sb = STRBUF_INIT;
	char path[512];
	pid_t pid = -1;

	if (!lv_uri_is_local(p->uri))
		return -1;
	if (strstr(p->uri, "/session"))
		snprintf(path, sizeof(path), "%s/libvirt/qemu/run/%s.pid", rt ? rt : "/run/user/0", p->name);
	else
		snprintf(path, sizeof(path), "/run/libvirt/qemu/%s.pid", p->name);
	if (read_file(path, &sb) == 0)
		pid = (pid_t)atol(sb.buf);
	strbuf_release(&sb);
	return pid > 0 ? pid : -1;
}

static void record_created(struct vm *vm)
{
	struct lv_priv *p = P(vm);
	unsigned long v = 0;

	p->created = 1;
	if (virDomainGetUUIDString(p->dom, p->uuid) < 0)
		p->uuid[0] = '\0';
	p->live_xml = virDomainGetXMLDesc(p->dom, 0);
	if (virConnectGetVersion(p->conn, &v) == 0)
		lv_version_string(v, vm->backend_version, sizeof(vm->backend_version));
	if (virConnectGetLibVersion(p->conn, &v) == 0)
		lv_version_string(v, p->libvirt_version, sizeof(p->libvirt_version));
	p->pid = read_pid(p);
	events_register(vm);
}

static int lv_launch(struct vm *vm)
{
	struct lv_priv *p;
	struct lv_xml_opts o;
	char desc[256];

	if (lv_prepare(vm) < 0)
		return -1;
	p = P(vm);
	if (p->created)
		return ocb_fail("%s: domain %s was already started by this run", vm->cfg.name, p->name);
	if (lv_check_name_free(p->conn, p->uri, p->name, vm->cfg.name) < 0)
		return -1;
	lv_xml_opts_probe(&vm->cfg, &o);
	snprintf(desc, sizeof(desc), "ocbench guest %s (transient; destroyed when ocbench pid %ld exits)",
		 vm->cfg.name, (long)getpid());
	o.description = desc;
	strbuf_reset(&p->xml);
	lv_domain_xml(&vm->cfg, p->name, &o, &p->xml);
	p->t_launch = mono_ns();
	p->dom = virDomainCreateXML(p->conn, p->xml.buf, VIR_DOMAIN_START_AUTODESTROY);
	if (!p->dom)
		return ocb_fail("%s: libvirt at %s did not start domain %s: %s", vm->cfg.name, p->uri,
				p->name, lv_errmsg());
	record_created(vm);
	return 0;
}

/* The last lines of the console, for a guest that never became ready. */
static void console_tail(struct vm *vm, struct strbuf *out)
{
	struct strbuf all = STRBUF_INIT;
	char path[4200];
	size_t pos;
	int seen = 0;

	snprintf(path, sizeof(path), "%s/console.log", vm->cfg.outdir);
	if (!lv_uri_is_local(P(vm)->uri) || read_file(path, &all) < 0 || !all.len) {
		strbuf_adds(out, lv_uri_is_local(P(vm)->uri) ? "(console is empty)"
							     : "(console not captured for a remote URI)");
		strbuf_release(&all);
		return;
	}
	strbuf_rtrim(&all);
	for (pos = all.len; pos > 0 && seen < 5; pos--)
		if (all.buf[pos - 1] == '\n')
			seen++;
	strbuf_adds(out, all.buf + pos + (pos ? 1 : 0));
	strbuf_release(&all);
}

static int lv_alive(struct vm *vm);

static int lv_wait_ready(struct vm *vm)
{
	struct lv_priv *p = P(vm);

	for (;;) {
		char *ans = virDomainQemuAgentCommand(p->dom, "{\"execute\":\"guest-ping\"}", 1, 0);
		struct strbuf tail = STRBUF_INIT;

		if (ans) {
			free(ans);
			break;
		}
		if (!lv_alive(vm))
			return -1;
		if (mono_ns() - p->t_launch < vm->cfg.boot_timeout_ns) {
			lv_events_run(AGENT_PING_NS);
			continue;
		}
		console_tail(vm, &tail);
		ocb_fail("%s: guest agent not ready within %.0f s (libvirt: %s); last console lines: %s",
			 vm->cfg.name, ns_to_s(vm->cfg.boot_timeout_ns), lv_errmsg(), tail.buf);
		strbuf_release(&tail);
		return -1;
	}
	vm->boot_ns = mono_ns() - p->t_launch;
	return 0;
}

static int lv_start(struct vm *vm)
{
	if (lv_launch(vm) < 0)
		return -1;
	return lv_wait_ready(vm);
}

/* ---- stop ----------------------------------------------------------------- */

static int lv_hmp_info_balloon(struct vm *vm)
{
	struct lv_priv *p = P(vm);
	char *out = NULL;

	if (virDomainQemuMonitorCommand(p->dom, "info balloon", &out,
					VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) < 0)
		return ocb_fail("%s: `info balloon` through libvirt failed: %s", vm->cfg.name, lv_errmsg());
	snprintf(p->hmp_balloon, sizeof(p->hmp_balloon), "%s", out);
	free(out);
	for (size_t n = strlen(p->hmp_balloon); n > 0 && strchr(" \r\n", p->hmp_balloon[n - 1]); n--)
		p->hmp_balloon[n - 1] = '\0';
	return 0;
}

/* libvirtd creates the console file 0600: make it readable like the rest
 * of the results. */
static void console_readable(struct vm *vm)
{
	char path[4200];

	if (!lv_uri_is_local(P(vm)->uri))
		return;
	snprintf(path, sizeof(path), "%s/console.log", vm->cfg.outdir);
	if (chmod(path, 0644) < 0) {
		/* no console file (failed early): nothing to do */
	}
}

static int lv_stop(struct vm *vm)
{
	struct lv_priv *p = P(vm);

	if (!p || !p->created || p->destroyed)
		return 0;
	console_readable(vm);
	if (vm->cfg.balloon)
		lv_hmp_info_balloon(vm);	/* the final state, for the record */
	events_deregister(p);
	/* GRACEFUL: SIGTERM only, QEMU exits cleanly; it is what the qemu
	 * backend's "quit" achieves. */
	if (virDomainDestroyFlags(p->dom, VIR_DOMAIN_DESTROY_GRACEFUL) == 0) {
		p->destroyed = 1;
		return 0;
	}
	ocb_fail("%s: domain %s at %s did not stop on SIGTERM (%s): destroyed", vm->cfg.name, p->name,
		 p->uri, lv_errmsg());
	virDomainDestroy(p->dom);
	p->destroyed = 1;
	return -1;
}

/* libvirtd went away and came back: its autodestroy died with our old
 * connection, so find our domain again (by name and UUID) and destroy it. */
static void destroy_after_reconnect(struct lv_priv *p)
{
	virConnectPtr c = virConnectOpen(p->uri);
	virDomainPtr d;
	char uuid[VIR_UUID_STRING_BUFLEN];

	if (!c)
		return;
	d = virDomainLookupByName(c, p->name);
	if (d && virDomainGetUUIDString(d, uuid) == 0 && !strcmp(uuid, p->uuid))
		virDomainDestroy(d);
	if (d)
		virDomainFree(d);
	virConnectClose(c);
}

static void lv_kill(struct vm *vm)
{
	struct lv_priv *p = P(vm);

	if (!p || !p->created || p->destroyed)
		return;
	p->destroyed = 1;
	console_readable(vm);
	events_deregister(p);
	if (virConnectIsAlive(p->conn) == 1 && virDomainDestroy(p->dom) == 0)
		return;
	if (virDomainIsActive(p->dom) == 0)
		return;
	destroy_after_reconnect(p);
}

/* ---- balloon -------------------------------------------------------------- */

static int lv_balloon_set(struct vm *vm, uint64_t target)
{
	struct lv_priv *p = P(vm);

	/* libvirt refuses a target above the domain's memory ("cannot set
	 * memory higher than max memory") where QEMU clamps it; clamp here so
	 * both backends behave as the balloon device does. */
	if (target > vm->cfg.memory_bytes)
		target = vm->cfg.memory_bytes;
	if (virDomainSetMemoryFlags(p->dom, (unsigned long)(target / KiB), VIR_DOMAIN_AFFECT_LIVE) < 0)
		return ocb_fail("%s: balloon to %.0f MiB: libvirt at %s: %s", vm->cfg.name, bytes_to_mib(target),
				p->uri, lv_errmsg());
	p->target = target;
	p->hmp_pending = 1;
	return 0;
}

static int memory_stats(struct vm *vm, virDomainMemoryStatStruct *st, int *n)
{
	struct lv_priv *p = P(vm);

	*n = virDomainMemoryStats(p->dom, st, VIR_DOMAIN_MEMORY_STAT_NR, 0);
	if (*n < 0)
		return ocb_fail("%s: memory stats of domain %s at %s: %s", vm->cfg.name, p->name, p->uri,
				lv_errmsg());
	return 0;
}

/* The seed compares `virsh qemu-monitor-command --hmp DOM 'info balloon'`
 * with setmem: record it once each target is reached. */
static void hmp_parity(struct vm *vm, uint64_t actual)
{
	struct lv_priv *p = P(vm);
	uint64_t d = actual > p->target ? actual - p->target : p->target - actual;

	if (!p->hmp_pending || d > HMP_MATCH_BYTES)
		return;
	p->hmp_pending = 0;
	if (lv_hmp_info_balloon(vm) == 0 && vm->on_event) {
		json_t *data = json_pack("{s:s, s:f}", "text", p->hmp_balloon, "target_mib",
					 bytes_to_mib(p->target));

		vm->on_event(vm->event_opaque, vm, "HMP_INFO_BALLOON", data, -1);
		json_decref(data);
	}
}

/* virDomainMemoryStats asks QEMU (query-balloon) each time, where
 * virDomainGetInfo may return the value of the last BALLOON_CHANGE event,
 * which QEMU sends at most once a second: timing needs the live value. */
static int lv_balloon_get(struct vm *vm, uint64_t *actual)
{
	virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
	int n;

	if (memory_stats(vm, st, &n) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (st[i].tag == VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON) {
			*actual = st[i].val * KiB;
			hmp_parity(vm, *actual);
			return 0;
		}
	return ocb_fail("%s: libvirt reports no balloon size for domain %s%s", vm->cfg.name, P(vm)->name,
			vm->cfg.balloon ? "" : " (balloon = none: no virtio-balloon device)");
}

static int lv_balloon_stats(struct vm *vm, json_t **stats)
{
	virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
	int n;

	if (memory_stats(vm, st, &n) < 0)
		return -1;
	*stats = lv_memory_stats_json(st, n);
	return 0;
}

/* ---- virtio-mem ----------------------------------------------------------- */

/* The device's XML with the new <requested>: libvirt sets QEMU's
 * requested-size (qom-set) and keeps it in the live XML. */
static int lv_vmem_resize(struct vm *vm, uint64_t requested)
{
	struct lv_priv *p = P(vm);
	struct strbuf x = STRBUF_INIT;
	int rc;

	lv_vmem_xml(&vm->cfg, requested, &x);
	rc = virDomainUpdateDeviceFlags(p->dom, x.buf, VIR_DOMAIN_AFFECT_LIVE);
	strbuf_release(&x);
	if (rc < 0)
		return ocb_fail("%s: virtio-mem requested size %.0f MiB: libvirt at %s: %s", vm->cfg.name,
				bytes_to_mib(requested), p->uri, lv_errmsg());
	return 0;
}

/* QMP's query-memory-devices through libvirt: the device's own figures. */
static int lv_vmem_get(struct vm *vm, uint64_t *size, uint64_t *requested)
{
	struct lv_priv *p = P(vm);
	char *out = NULL;
	int rc;

	if (virDomainQemuMonitorCommand(p->dom, "{\"execute\":\"query-memory-devices\"}", &out, 0) < 0)
		return ocb_fail("%s: query-memory-devices through libvirt at %s: %s", vm->cfg.name, p->uri,
				lv_errmsg());
	rc = lv_vmem_from_query(out, LV_VMEM_ALIAS, size, requested);
	free(out);
	return rc < 0 ? ocb_err_prefix("%s: domain %s: ", vm->cfg.name, p->name) : 0;
}

/* ---- guest agent ---------------------------------------------------------- */

/* virDomainQemuAgentCommand takes whole seconds; libvirt syncs with the
 * agent itself before each command. */
static int agent_command_libvirt(void *ctx, const char *cmd, json_t *args, json_t **ret,
				 uint64_t timeout_ns)
{
	struct vm *vm = ctx;
	struct lv_priv *p = P(vm);
	json_t *req = agent_request(cmd, args), *msg;
	char *text = json_dumps(req, JSON_COMPACT), *answer;
	int secs = (int)((timeout_ns + 999999999ull) / 1000000000ull), rc;
	json_error_t jerr;

	json_decref(req);
	if (!text)
		return ocb_fail("out of memory");
	answer = virDomainQemuAgentCommand(p->dom, text, secs > 0 ? secs : 1, 0);
	free(text);
	if (!answer)
		return ocb_fail("%s: command '%s' failed: %s", p->label, cmd, lv_errmsg());
	msg = json_loads(answer, 0, &jerr);
	if (!msg) {
		ocb_fail("%s: answer to '%s' is not JSON (%s): %.200s", p->label, cmd, jerr.text, answer);
		free(answer);
		return -1;
	}
	free(answer);
	rc = agent_reply(msg, p->label, cmd, ret);
	json_decref(msg);
	return rc < 0 ? -1 : 0;
}

static struct agent_via via_of(struct vm *vm)
{
	struct agent_via v = { agent_command_libvirt, vm, P(vm)->label, NULL, NULL };

	return v;
}

static int lv_agent_exec(struct vm *vm, const char *const *argv, uint64_t timeout_ns,
			 struct agent_exec_result *res)
{
	struct agent_via v = via_of(vm);

	return agent_via_exec(&v, argv, timeout_ns, res);
}

static int lv_agent_read_file(struct vm *vm, const char *path, struct strbuf *out, uint64_t timeout_ns)
{
	struct agent_via v = via_of(vm);

	return agent_via_read_file(&v, path, out, timeout_ns);
}

static int lv_agent_spawn(struct vm *vm, const char *const *argv, long long *pid)
{
	struct agent_via v = via_of(vm);

	return agent_via_spawn(&v, argv, vm->cfg.cmd_timeout_ns, pid);
}

static int lv_agent_poll(struct vm *vm, long long pid, struct agent_exec_result *res)
{
	struct agent_via v = via_of(vm);

	return agent_via_exec_poll(&v, pid, vm->cfg.cmd_timeout_ns, res);
}

/* ---- the rest ------------------------------------------------------------- */

static int lv_pump(struct vm *vm, uint64_t timeout_ns)
{
	if (!P(vm) || !P(vm)->conn)
		return 0;
	if (lv_events_run(timeout_ns) < 0)
		return ocb_err_prefix("%s: ", vm->cfg.name);
	return 0;
}

static pid_t lv_pid(struct vm *vm)
{
	return P(vm) ? P(vm)->pid : -1;
}

static int lv_alive(struct vm *vm)
{
	struct lv_priv *p = P(vm);
	virErrorPtr err;
	int r;

	if (!p || !p->created)
		return 1;
	if (p->destroyed) {
		ocb_fail("%s: domain %s was destroyed", vm->cfg.name, p->name);
		return 0;
	}
	r = virDomainIsActive(p->dom);
	if (r == 1)
		return 1;
	if (virConnectIsAlive(p->conn) != 1) {
		ocb_fail("%s: lost the connection to libvirt at %s (libvirtd stopped or restarted?): %s",
			 vm->cfg.name, p->uri, lv_errmsg());
		return 0;
	}
	err = virGetLastError();
	if (r < 0 && !(err && err->code == VIR_ERR_NO_DOMAIN)) {
		ocb_fail("%s: cannot ask libvirt at %s about domain %s: %s", vm->cfg.name, p->uri, p->name,
			 lv_errmsg());
		return 0;
	}
	ocb_fail("%s: domain %s at %s is gone: %s", vm->cfg.name, p->name, p->uri,
		 p->stopped[0] ? p->stopped : "stopped outside ocbench");
	return 0;
}

static void lv_describe(struct vm *vm, json_t *guest)
{
	struct lv_priv *p = P(vm);

	if (!p)
		return;
	json_object_set_new(guest, "xml", json_string(p->live_xml ? p->live_xml : strbuf_str(&p->xml)));
	json_object_set_new(guest, "libvirt",
			    json_pack("{s:s, s:s, s:s, s:s}", "uri", p->uri, "domain", p->name, "uuid",
				      p->uuid, "version", p->libvirt_version));
	json_object_set_new(guest, "qemu_version", json_string(vm->backend_version));
	if (p->hmp_balloon[0])
		json_object_set_new(guest, "hmp_info_balloon", json_string(p->hmp_balloon));
}

static void lv_free_priv(struct vm *vm)
{
	struct lv_priv *p = P(vm);

	if (!p)
		return;
	events_deregister(p);
	if (p->dom)
		virDomainFree(p->dom);
	if (p->conn)
		virConnectClose(p->conn);	/* autodestroy takes anything left */
	strbuf_release(&p->xml);
	free(p->live_xml);
	free(p);
	vm->priv = NULL;
}

const struct vm_backend_ops vm_libvirt_ops = {
	.name = "libvirt",
	.flags = VM_CAP_GUEST_IMAGE | VM_CAP_BALLOON | VM_CAP_VMEM | VM_CAP_REMOTE_HOST,
	.prepare = lv_prepare,
	.start = lv_start,
	.launch = lv_launch,
	.wait_ready = lv_wait_ready,
	.stop = lv_stop,
	.kill = lv_kill,
	.balloon_set = lv_balloon_set,
	.balloon_get = lv_balloon_get,
	.balloon_stats = lv_balloon_stats,
	.vmem_resize = lv_vmem_resize,
	.vmem_get = lv_vmem_get,
	.agent_exec = lv_agent_exec,
	.agent_read_file = lv_agent_read_file,
	.agent_spawn = lv_agent_spawn,
	.agent_poll = lv_agent_poll,
	.pump = lv_pump,
	.pid = lv_pid,
	.alive = lv_alive,
	.describe = lv_describe,
	.free_priv = lv_free_priv,
};
