/* suites.c — see suites.h: the suites in run order, selecting checks,
 * their requirements, and the run loop. */
#include "conform/suites.h"
#include "host/libvirt-host.h"
#include "conform/balloon.h"
#include "conform/ept.h"
#include "conform/fixture.h"
#include "conform/hugetlb.h"
#include "conform/ksm.h"
#include "conform/reclaim.h"
#include "conform/thp.h"
#include "vm/vm.h"
#include "vm/qemu-probe.h"
#include "util/libvirt-conn.h"
#include "util/clock.h"
#include "host/cpu.h"
#include "util/error.h"
#include "host/hugetlb.h"
#include "util/interrupt.h"
#include "knobs/knobs.h"
#include "host/ksm.h"
#include "host/sysfs.h"
#include "host/thp.h"
#include "host/uksm.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const struct conform_suite *const suites[] = {
	&conform_suite_balloon, &conform_suite_ksm, &conform_suite_thp, &conform_suite_hugetlb,
	&conform_suite_ept, &conform_suite_reclaim, NULL,
};

const struct conform_suite *const *conform_suites(void)
{
	return suites;
}

const struct conform_check *conform_find_check(const char *id)
{
	for (size_t s = 0; suites[s]; s++)
		for (size_t i = 0; i < suites[s]->n; i++)
			if (!strcasecmp(suites[s]->checks[i].id, id))
				return &suites[s]->checks[i];
	return NULL;
}

/* ---- requirements ------------------------------------------------------- */

typedef int (*need_probe)(struct conform_ctx *c, char *why, size_t len);

static int need_root(struct conform_ctx *c, char *why, size_t len)
{
	/* A fake tree (tests) is writable by whoever made it. */
	if (strcmp(c->opt.root, "/") || geteuid() == 0)
		return 1;
	snprintf(why, len, "needs root: host settings are changed (run as root)");
	return 0;
}

static int need_kvm(struct conform_ctx *c, char *why, size_t len)
{
	char r[256];

	if (kvm_usable(c->opt.root, r, sizeof(r)))
		return 1;
	snprintf(why, len, "needs KVM: %s", r);
	return 0;
}

static int writable_file(struct conform_ctx *c, const char *rel, const char *what, char *why,
			 size_t len)
{
	if (!sysfs_exists(c->opt.root, rel)) {
		snprintf(why, len, "needs %s: %s is missing on this kernel", what, rel);
		return 0;
	}
	if (!sysfs_writable(c->opt.root, rel)) {
		snprintf(why, len, "needs %s: %s is not writable (run as root)", what, rel);
		return 0;
	}
	return 1;
}

static int need_ksm(struct conform_ctx *c, char *why, size_t len)
{
	return writable_file(c, KSM_DIR "/run", "KSM", why, len);
}

static int need_uksm(struct conform_ctx *c, char *why, size_t len)
{
	if (uksm_present(c->opt.root))
		return 1;
	snprintf(why, len, "needs UKSM: %s is missing (UKSM is an out-of-tree kernel patch)", UKSM_DIR);
	return 0;
}

static int need_thp(struct conform_ctx *c, char *why, size_t len)
{
	return writable_file(c, THP_DIR "/enabled", "transparent hugepages", why, len);
}

static int need_hugetlb_2m(struct conform_ctx *c, char *why, size_t len)
{
	return writable_file(c, HUGETLB_DIR "/hugepages-2048kB/nr_hugepages", "a 2 MiB hugetlb pool",
			     why, len);
}

static int need_hugetlb_1g(struct conform_ctx *c, char *why, size_t len)
{
	int f = cpu_flag(c->opt.root, "pdpe1gb");

	if (f != 1) {
		snprintf(why, len, "needs 1 GiB pages: %s", f < 0 ? "cannot read /proc/cpuinfo" :
			 "the CPU has no pdpe1gb flag");
		return 0;
	}
	return writable_file(c, HUGETLB_DIR "/hugepages-1048576kB/nr_hugepages",
			     "a 1 GiB hugetlb pool", why, len);
}

static int need_module_reload(struct conform_ctx *c, char *why, size_t len)
{
	if (c->opt.allow_module_reload)
		return 1;
	snprintf(why, len, "needs --allow-module-reload: toggling EPT reloads kvm_intel");
	return 0;
}

static int need_balloon(struct conform_ctx *c, char *why, size_t len)
{
	if (c->opt.backend->balloon_set && c->opt.backend->balloon_get)
		return 1;
	snprintf(why, len, "needs a balloon: backend %s cannot drive one", c->opt.backend->name);
	return 0;
}

static int need_proc_ksm(struct conform_ctx *c, char *why, size_t len)
{
	if (c->opt.ksm || sysfs_exists(c->opt.root, "/proc/self/ksm_merging_pages"))
		return 1;
	snprintf(why, len, "needs /proc/PID/ksm_merging_pages (Linux 6.1+) for per-guest KSM figures");
	return 0;
}

static int need_node_ksm(struct conform_ctx *c, char *why, size_t len)
{
	if (conform_guests_remote(c) || c->opt.node_ksm_here)
		return 1;
	snprintf(why, len, "needs a remote libvirt host (--backend libvirt --uri qemu+...://HOST/system): "
		 "on this host KSM-001..004 check the same per guest");
	return 0;
}

/* A local emulator is asked whether it has what the check gives its
 * guests; a libvirt daemon's emulator is its own (libvirt says what it
 * lacks when the domain is defined). */
static int need_emulator(struct conform_ctx *c, const char *dev, const char *prop, char *why, size_t len)
{
	if (!vm_backend_can(c->opt.backend, VM_CAP_LOCAL_EMULATOR))
		return 1;
	/* asked, not answered: the check runs and says what went wrong */
	return qemu_probe_device(c->opt.qemu_binary, dev, prop, why, len) != 0;
}

static int need_free_page_reporting(struct conform_ctx *c, char *why, size_t len)
{
	return need_emulator(c, "virtio-balloon-pci", "free-page-reporting", why, len);
}

static int need_deflate_on_oom(struct conform_ctx *c, char *why, size_t len)
{
	return need_emulator(c, "virtio-balloon-pci", "deflate-on-oom", why, len);
}

static int need_virtio_mem(struct conform_ctx *c, char *why, size_t len)
{
	return need_emulator(c, "virtio-mem-pci", NULL, why, len);
}

static const struct {
	unsigned bit;
	need_probe probe;
} needs[] = {
	{ NEED_NODE_KSM, need_node_ksm },
	{ NEED_ROOT, need_root },
	{ NEED_KVM, need_kvm },
	{ NEED_MODULE_RELOAD, need_module_reload },
	{ NEED_BALLOON, need_balloon },
	{ NEED_KSM, need_ksm },
	{ NEED_PROC_KSM, need_proc_ksm },
	{ NEED_UKSM, need_uksm },
	{ NEED_THP, need_thp },
	{ NEED_HUGETLB_2M, need_hugetlb_2m },
	{ NEED_HUGETLB_1G, need_hugetlb_1g },
	{ NEED_FREE_PAGE_REPORTING, need_free_page_reporting },
	{ NEED_DEFLATE_ON_OOM, need_deflate_on_oom },
	{ NEED_VIRTIO_MEM, need_virtio_mem },
};

/* Requirements that read or change this host (sysfs knobs, /proc/PID of
 * QEMU, the KVM module): they mean nothing when the guests run on another
 * host behind a remote libvirt URI. */
#define NEEDS_THIS_HOST (NEED_ROOT | NEED_KVM | NEED_KSM | NEED_UKSM | NEED_THP | NEED_HUGETLB_2M | \
			 NEED_HUGETLB_1G | NEED_MODULE_RELOAD | NEED_PROC_KSM)

static int guests_here(struct conform_ctx *c, unsigned want, char *why, size_t len)
{
	if (!conform_guests_remote(c))
		return 1;
	if (want & NEED_PROC_KSM)
		snprintf(why, len, "needs the guests on this host: %s is remote, and this check attributes "
			 "merged pages to each guest's QEMU (/proc/PID/ksm_merging_pages), which libvirt "
			 "does not report; KSM-006 and KSM-007 check merging there through the host's "
			 "counters", c->opt.uri);
	else
		snprintf(why, len, "needs the guests on this host: %s is remote, and this check reads or "
			 "changes host settings and QEMU's /proc here", c->opt.uri);
	return 0;
}

/* 1 when every requirement is met, else 0 with the first unmet reason. */
static int requirements_met(struct conform_ctx *c, unsigned want, char *why, size_t len)
{
	if ((want & NEEDS_THIS_HOST) && !guests_here(c, want, why, len))
		return 0;
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if ((want & needs[i].bit) && !needs[i].probe(c, why, len))
			return 0;
	return 1;
}

/* ---- selection ---------------------------------------------------------- */

static int suite_listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!list)
		return 1;
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t l = end ? (size_t)(end - p) : strlen(p);

		if (l == n && !strncmp(p, name, n))
			return 1;
		p += l + (end ? 1 : 0);
	}
	return 0;
}

int conform_validate_selection(const char *list, const char *const *ids)
{
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t l = end ? (size_t)(end - p) : strlen(p);
		int found = 0;

		for (size_t s = 0; suites[s]; s++)
			if (strlen(suites[s]->name) == l && !strncmp(p, suites[s]->name, l))
				found = 1;
		if (!found)
			return ocb_fail("unknown suite '%.*s': expected balloon, ksm, thp, hugetlb, ept or "
					"reclaim", (int)l, p);
		p += l + (end ? 1 : 0);
	}
	for (size_t i = 0; ids && ids[i]; i++)
		if (!conform_find_check(ids[i]))
			return ocb_fail("unknown check '%s': expected an id such as BAL-001 "
					"('ocbench conform --list' prints them)", ids[i]);
	return 0;
}

static int id_listed(const char *const *ids, const char *id)
{
	for (size_t i = 0; ids && ids[i]; i++)
		if (!strcasecmp(ids[i], id))
			return 1;
	return 0;
}

static int check_selected(const struct conform_check *chk, const char *list, const char *const *ids)
{
	if (ids && ids[0])
		return id_listed(ids, chk->id);
	return suite_listed(list, chk->suite);
}

/* ---- the run loop ------------------------------------------------------- */

/* The remote host's fingerprint, as its daemon reports it (the JSON's
 * "hosts"): the checks ran there, not here.  Taken when the first check
 * runs, so that checks which skip never connect. */
static void record_remote_host(struct conform_ctx *c, struct conform_report *rep)
{
	virConnectPtr conn;

	if (rep->hosts || !conform_guests_remote(c))
		return;
	rep->hosts = json_object();
	conn = lv_open(c->opt.uri);
	if (!conn) {
		json_object_set_new(rep->hosts, c->opt.uri, json_pack("{s:s, s:s}", "uri", c->opt.uri, "error",
								      ocb_errmsg()));
		return;
	}
	json_object_set_new(rep->hosts, c->opt.uri, lvhost_fingerprint(conn, c->opt.uri));
	virConnectClose(conn);
}

static void run_one(struct conform_ctx *c, const struct conform_check *chk, struct conform_report *rep)
{
	struct conform_result *r = conform_report_add(rep, chk);
	char why[512];
	uint64_t t0 = mono_ns();

	if (ocb_interrupted) {
		conform_error(r, "not run: %s", interrupt_reason());
		return;
	}
	if (id_listed(c->opt.skip_ids, chk->id)) {
		conform_skip(r, "left out with --skip %s", chk->id);
	} else if (!requirements_met(c, chk->needs, why, sizeof(why))) {
		conform_skip(r, "%s", why);
	} else {
		conform_progress(c, "%s %s ...", chk->id, chk->title);
		record_remote_host(c, rep);
		ocb_err_clear();
		chk->run(c, r);
		if (ocb_interrupted && r->status != CONFORM_FAIL)
			conform_error(r, "%s while the check ran", interrupt_reason());
	}
	r->seconds = ns_to_s(mono_ns() - t0);
	json_object_set_new(r->evidence, "seconds", json_real(r->seconds));
	conform_progress(c, "%s %s%s%s (%.1f s)", chk->id, conform_status_name(r->status),
			 r->reason[0] ? ": " : "", r->reason, r->seconds);
}

/* End of a suite: its guests stop and its host changes are undone, so
 * the next suite starts from the host as it was. */
static int end_suite(struct conform_ctx *c, const struct conform_suite *s, struct conform_report *rep)
{
	conform_guests_stop_all(c);
	json_decref(c->shared);
	c->shared = json_object();
	if (conform_knobs_restore(c) < 0) {
		struct conform_result *last = rep->n ? &rep->r[rep->n - 1] : NULL;

		fprintf(stderr, "ocbench conform: suite %s: restoring host knobs: %s\n", s->name, ocb_errmsg());
		if (last && !strcmp(last->check->suite, s->name) && last->status != CONFORM_FAIL)
			conform_error(last, "host knobs not restored after suite %s: %s", s->name, ocb_errmsg());
		return -1;
	}
	return 0;
}

int conform_run(struct conform_ctx *c, const char *list, const char *const *ids,
		struct conform_report *rep)
{
	uint64_t t0 = mono_ns();
	int rc = 0;

	if (conform_validate_selection(list, ids) < 0 || conform_validate_selection(NULL, c->opt.skip_ids) < 0)
		return -1;
	snprintf(rep->accel, sizeof(rep->accel), "%s", accel_name(c->accel.kind));
	snprintf(rep->accel_reason, sizeof(rep->accel_reason), "%s", c->accel.reason);
	snprintf(rep->backend, sizeof(rep->backend), "%s", c->opt.backend->name);
	for (size_t s = 0; suites[s]; s++) {
		int any = 0;

		for (size_t i = 0; i < suites[s]->n; i++) {
			if (!check_selected(&suites[s]->checks[i], list, ids))
				continue;
			any = 1;
			run_one(c, &suites[s]->checks[i], rep);
		}
		if (any && end_suite(c, suites[s], rep) < 0)
			rc = -1;
	}
	rep->interrupted = ocb_interrupted != 0;
	rep->wall_s = ns_to_s(mono_ns() - t0);
	return rc;
}
