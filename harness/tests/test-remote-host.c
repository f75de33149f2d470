/* Unit tests: a remote host over libvirt — the ksm@HOST sampler source
 * (sampler/remote.c), `wait ksm-settled` on a libvirt host
 * (ksm_settle_wait_on with host/libvirt-node.c's reader), a KSM knob set
 * on a remote host, journaled and restored to that host, the host's
 * fingerprint (host/libvirt-host.c) and its lock (knobs/remote-lock.c).
 *
 * libvirt's test:///default driver has no virNodeGet/SetMemoryParameters,
 * so a fake node (lvnode_ops) stands in for the remote kernel's KSM: its
 * counters advance when the test says so.  The connection is a real
 * test:///default one; the URI-to-host naming is checked on real remote
 * URI shapes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fake-sysfs.h"
#include "results-out.h"
#include "util/clock.h"
#include "host/ksmsettle.h"
#include "host/libvirt-host.h"
#include "host/libvirt-node.h"
#include "knobs/hostlock.h"
#include "knobs/remote-lock.h"
#include "knobs/remote.h"
#include "knobs/route.h"
#include "private-lock.h"
#include "results/results.h"
#include "sampler/ksm-history.h"
#include "sampler/remote.h"
#include "sampler/sampler.h"
#include "util/error.h"
#include "util/interrupt.h"
#include "util/libvirt-conn.h"

#define TEST_URI "test:///default"
#define MS 1000000ull

/* ---- the fake node ------------------------------------------------------ */

static struct {
	unsigned long long to_scan, sleep_ms, merge_across, shared, sharing, unshared, volatile_,
		full_scans;
	int gets, sets;
	int absent;		/* behave like the test driver: no such call */
} node;

static void put(virTypedParameterPtr p, const char *name, int type, unsigned long long v)
{
	snprintf(p->field, sizeof(p->field), "%s", name);
	p->type = type;
	if (type == VIR_TYPED_PARAM_UINT)
		p->value.ui = (unsigned)v;
	else
		p->value.ul = v;
}

static int fake_get(virConnectPtr conn, virTypedParameterPtr params, int *n, unsigned int flags)
{
	(void)conn;
	(void)flags;
	if (node.absent)
		return -1;
	if (!params) {
		*n = 8;
		return 0;
	}
	assert_int_equal(*n, 8);
	node.gets++;
	put(&params[0], VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN, VIR_TYPED_PARAM_UINT, node.to_scan);
	put(&params[1], VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS, VIR_TYPED_PARAM_UINT, node.sleep_ms);
	put(&params[2], VIR_NODE_MEMORY_SHARED_PAGES_SHARED, VIR_TYPED_PARAM_ULLONG, node.shared);
	put(&params[3], VIR_NODE_MEMORY_SHARED_PAGES_SHARING, VIR_TYPED_PARAM_ULLONG, node.sharing);
	put(&params[4], VIR_NODE_MEMORY_SHARED_PAGES_UNSHARED, VIR_TYPED_PARAM_ULLONG, node.unshared);
	put(&params[5], VIR_NODE_MEMORY_SHARED_PAGES_VOLATILE, VIR_TYPED_PARAM_ULLONG, node.volatile_);
	put(&params[6], VIR_NODE_MEMORY_SHARED_FULL_SCANS, VIR_TYPED_PARAM_ULLONG, node.full_scans);
	put(&params[7], VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES, VIR_TYPED_PARAM_UINT, node.merge_across);
	return 0;
}

static int fake_set(virConnectPtr conn, virTypedParameterPtr params, int n, unsigned int flags)
{
	(void)conn;
	(void)flags;
	if (node.absent)
		return -1;
	node.sets++;
	for (int i = 0; i < n; i++) {
		if (!strcmp(params[i].field, VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN))
			node.to_scan = params[i].value.ui;
		else if (!strcmp(params[i].field, VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS))
			node.sleep_ms = params[i].value.ui;
		else if (!strcmp(params[i].field, VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES))
			node.merge_across = params[i].value.ui;
	}
	return 0;
}

static int setup_node(void **state)
{
	(void)state;
	memset(&node, 0, sizeof(node));
	node.to_scan = 100;
	node.sleep_ms = 20;
	node.merge_across = 1;
	node.full_scans = 40;
	node.sharing = 10;
	lvnode_ops.get_memory_params = fake_get;
	lvnode_ops.set_memory_params = fake_set;
	return 0;
}

/* ---- names ------------------------------------------------------------- */

static void test_uri_host(void **state)
{
	char b[128];

	(void)state;
	lv_uri_host("qemu+tcp://10.251.47.2/system", b, sizeof(b));
	assert_string_equal(b, "10.251.47.2");
	lv_uri_host("qemu+ssh://root@host2:2222/system?keyfile=/k", b, sizeof(b));
	assert_string_equal(b, "host2:2222");
	lv_uri_host("qemu:///system", b, sizeof(b));
	assert_string_equal(b, "localhost");
	lv_uri_host(TEST_URI, b, sizeof(b));
	assert_string_equal(b, "localhost");
	sampler_remote_ksm_name("qemu+tls://h.example/system", b, sizeof(b));
	assert_string_equal(b, "ksm@h.example");
}

/* ---- the sampler source ------------------------------------------------- */

struct sfx {
	char root[64], out[128];
	struct results_run res;
};

static char *read_out(struct sfx *f, const char *name)
{
	return results_out_read(&f->res, f->out, name);
}

static void sfx_open(struct sfx *f)
{
	fake_root_new(f->root, sizeof(f->root));
	fake_host(f->root, FAKE_KSM);
	snprintf(f->out, sizeof(f->out), "%s/out", f->root);
	assert_int_equal(results_open(&f->res, f->out, NULL), 0);
}

static void sfx_close(struct sfx *f)
{
	results_close(&f->res, "complete", NULL);
	remove_tree(f->root);
}

/* Rows under ksm@localhost (the test URI has no host part) with libvirt's
 * figures, the history the merge times come from, per-host metrics. */
static void test_source_samples(void **state)
{
	struct sfx f;
	const char *uris[] = { TEST_URI, TEST_URI };
	const struct ksm_history *h;
	struct sampler *s;
	double v = 0;
	uint64_t t = 0;
	char *csv;

	(void)state;
	sfx_open(&f);
	s = sampler_new(&f.res, NULL, 0, f.root, 1000, NULL);
	assert_non_null(s);
	assert_int_equal(sampler_add_remote_ksm(s, uris, 2), 0);	/* once */
	node.sharing = 1000;
	node.full_scans = 41;
	assert_true(sampler_tick(s) >= 1);
	sleep_ns(2000000ull, NULL);
	node.sharing = 5000;
	sampler_tick(s);
	h = sampler_ksm_history(s, TEST_URI);
	assert_non_null(h);
	assert_int_equal(h->n, 2);
	assert_int_equal(ksm_history_reached(h, 0, 4000, &t), 0);
	assert_int_equal(t, h->p[1].t_ns);
	assert_int_equal(ksm_history_at(h, h->p[0].t_ns, &v), 0);
	assert_true(v == 1000);
	assert_null(sampler_ksm_history(s, "qemu+tcp://elsewhere/system"));
	sampler_summary(s);
	csv = read_out(&f, "samples.csv");
	assert_non_null(strstr(csv, ",ksm@localhost,pages_sharing,1000\n"));
	assert_non_null(strstr(csv, ",ksm@localhost,pages_sharing,5000\n"));
	assert_non_null(strstr(csv, ",ksm@localhost,full_scans,41\n"));
	assert_non_null(strstr(csv, ",ksm@localhost,merge_across_nodes,1\n"));
	/* the local source is still this host's, under its own name */
	assert_non_null(strstr(csv, ",ksm,pages_sharing,"));
	assert_non_null(json_object_get(f.res.metrics, "ksm_saved_mib@localhost"));
	assert_true(json_real_value(json_object_get(json_object_get(f.res.metrics, "ksm_saved_mib@localhost"),
						    "value")) > 19.5);
	free(csv);
	sampler_free(s);
	sfx_close(&f);
}

/* A host whose driver has no node memory parameters: a skipped source
 * with libvirt's reason, never a failed run. */
static void test_source_skipped(void **state)
{
	struct sfx f;
	const char *uris[] = { TEST_URI };
	struct sampler *s;
	char *ev;

	(void)state;
	node.absent = 1;
	sfx_open(&f);
	s = sampler_new(&f.res, NULL, 0, f.root, 10, NULL);
	assert_non_null(s);
	assert_int_equal(sampler_add_remote_ksm(s, uris, 1), 0);
	assert_null(sampler_ksm_history(s, TEST_URI));
	ev = read_out(&f, "events.jsonl");
	assert_non_null(strstr(ev, "sample_source_skipped"));
	assert_non_null(strstr(ev, "ksm@localhost"));
	assert_non_null(strstr(ev, "no KSM counters from test:///default"));
	free(ev);
	sampler_free(s);
	sfx_close(&f);
}

/* ---- wait ksm-settled on a libvirt host ---------------------------------- */

/* Each idle is one full scan of the remote ksmd; sharing climbs, then
 * holds. */
static int scan_idle(void *opaque, uint64_t ns)
{
	static const unsigned long long climb[] = { 2000, 8000, 9900, 9950, 9960, 9960 };
	unsigned *i = opaque;

	(void)ns;
	node.full_scans++;
	node.sharing = climb[*i < 5 ? *i : 5];
	(*i)++;
	return 0;
}

static void test_settle_over_libvirt(void **state)
{
	virConnectPtr conn = lv_open(TEST_URI);
	struct ksm_settle_result r;
	struct ksm_reader rd;
	unsigned steps = 0;

	(void)state;
	assert_non_null(conn);
	lvnode_ksm_reader(&rd, conn, TEST_URI);
	assert_int_equal(ksm_settle_wait_on(&rd, 60000 * MS, 1 * MS, scan_idle, &steps, &r), 0);
	assert_int_equal(r.pages_sharing, 9950);	/* 9900 -> 9950: < 5 % */
	assert_true(r.full_scans >= KSM_SETTLE_MIN_SCANS);
	assert_int_equal(r.have_profit, 0);		/* libvirt has no general_profit */
	ksm_reader_fini(&rd);
	virConnectClose(conn);
}

static int still_idle(void *opaque, uint64_t ns)
{
	(void)opaque;
	sleep_ns(ns, NULL);
	return 0;
}

/* ksmd never scans there (stopped, nothing to merge): the timeout names
 * the host and says libvirt cannot tell whether KSM runs. */
static void test_settle_timeout_names_host(void **state)
{
	virConnectPtr conn = lv_open(TEST_URI);
	struct ksm_settle_result r;
	struct ksm_reader rd;

	(void)state;
	lvnode_ksm_reader(&rd, conn, TEST_URI);
	assert_int_equal(ksm_settle_wait_on(&rd, 30 * MS, 5 * MS, still_idle, NULL, &r), -1);
	assert_non_null(strstr(ocb_errmsg(), "KSM at test:///default did not settle"));
	assert_non_null(strstr(ocb_errmsg(), "full_scans advanced by 0"));
	assert_non_null(strstr(ocb_errmsg(), "libvirt does not say whether KSM runs there"));
	/* and a host without the call cannot be waited on: an error, not a hang */
	node.absent = 1;
	assert_int_equal(ksm_settle_wait_on(&rd, 30 * MS, 5 * MS, still_idle, NULL, &r), -1);
	assert_non_null(strstr(ocb_errmsg(), "wait ksm-settled (test:///default)"));
	ksm_reader_fini(&rd);
	virConnectClose(conn);
}

/* ---- a KSM knob on a remote host ------------------------------------------ */

struct seen {
	int applied;
	char via[256];
};

static void report(void *opaque, const char *key, const char *value, const char *via,
		   const char *skip)
{
	struct seen *s = opaque;

	(void)key;
	(void)value;
	assert_null(skip);
	s->applied++;
	snprintf(s->via, sizeof(s->via), "%s", via ? via : "local");
}

/* A knob route to the test host, journaling under a fresh state dir st;
 * ksm.pages_to_scan = 4000 applied there. */
static struct knob_route *route_4000(char *st, size_t len, struct knob_route_opts *o, struct seen *seen)
{
	struct knob_route *r;

	fake_root_new(st, len);
	o->root = "/nonexistent-root";
	o->state_dir = st;
	r = knob_route_new(o);
	knob_route_add_host(r, TEST_URI, 1);
	assert_int_equal(knob_route_apply(r, "ksm.pages_to_scan", "4000", report, seen), 0);
	return r;
}

/* Set on that host (journaled first), restored to that host at the end,
 * and after a "crash" by `ocbench restore` from the journal. */
static void test_knob_to_remote_host(void **state)
{
	char st[64];
	struct knob_route_opts o = { "/nonexistent-root", NULL, 0, 0 };
	struct seen seen = { 0, "" };
	struct knob_route *r;
	json_t *applied;
	size_t n = 0;

	(void)state;
	r = route_4000(st, sizeof(st), &o, &seen);
	assert_int_equal(seen.applied, 1);
	assert_string_equal(seen.via, "libvirt " TEST_URI);
	assert_int_equal(node.to_scan, 4000);
	applied = knob_route_applied(r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(applied, "ksm.pages_to_scan"),
							      "previous")), "100");
	json_decref(applied);
	assert_int_equal(knob_route_restore(r), 0);
	assert_int_equal(node.to_scan, 100);
	knob_route_free(r);

	/* killed half way: the journal puts it back on that host */
	r = knob_route_new(&o);
	knob_route_add_host(r, TEST_URI, 1);
	assert_int_equal(knob_route_apply(r, "ksm.sleep_millisecs", "10", report, &seen), 0);
	assert_int_equal(node.sleep_ms, 10);
	knob_route_free(r);	/* no restore: as after a SIGKILL */
	assert_int_equal(lvknob_restore_journal(st, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(node.sleep_ms, 20);
	remove_tree(st);
}

/* ---- the fingerprint ------------------------------------------------------- */

/* The test driver's made-up host (i686, 16 CPUs on 2 NUMA nodes, hostname
 * of this machine) comes through field by field; the KSM tunables from
 * the node. */
static void test_fingerprint(void **state)
{
	virConnectPtr conn = lv_open(TEST_URI);
	json_t *fp, *node_o;
	char hn[256];

	(void)state;
	assert_non_null(conn);
	fp = lvhost_fingerprint(conn, TEST_URI);
	assert_string_equal(json_string_value(json_object_get(fp, "uri")), TEST_URI);
	assert_int_equal(gethostname(hn, sizeof(hn)), 0);
	assert_string_equal(json_string_value(json_object_get(fp, "hostname")), hn);
	assert_string_equal(json_string_value(json_object_get(fp, "hypervisor")), "TEST");
	assert_non_null(json_object_get(fp, "libvirt"));
	node_o = json_object_get(fp, "node");
	assert_int_equal(json_integer_value(json_object_get(node_o, "cpus")), 16);
	assert_int_equal(json_integer_value(json_object_get(node_o, "numa_nodes")), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(fp, "cpu"), "arch")), "i686");
	assert_int_equal(json_integer_value(json_object_get(fp, "numa_cells")), 2);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(fp, "page_sizes_kib"), 2)), 2048);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(fp, "ksm"), "pages_to_scan")), 100);
	json_decref(fp);
	/* a node without the KSM call: the field says why, the rest stays */
	node.absent = 1;
	fp = lvhost_fingerprint(conn, TEST_URI);
	assert_null(json_object_get(fp, "ksm"));
	assert_non_null(strstr(json_string_value(json_object_get(fp, "ksm_error")), "at test:///default"));
	assert_non_null(json_object_get(fp, "node"));
	json_decref(fp);
	virConnectClose(conn);
}

static void test_caps_parsing(void **state)
{
	json_t *fp = json_object();

	(void)state;
	assert_int_equal(lvhost_caps_fields("<capabilities><host><cpu><arch>x86_64</arch>"
					    "<model>Skylake-Client-IBRS</model><vendor>Intel</vendor>"
					    "<pages unit='KiB' size='4'/><pages unit='KiB' size='2048'/>"
					    "</cpu><topology><cells num='1'><cell id='0'/></cells></topology>"
					    "</host></capabilities>", fp), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(fp, "cpu"), "model")),
			    "Skylake-Client-IBRS");
	assert_string_equal(json_string_value(json_object_get(json_object_get(fp, "cpu"), "vendor")), "Intel");
	assert_int_equal(json_array_size(json_object_get(fp, "page_sizes_kib")), 2);
	assert_int_equal(json_integer_value(json_object_get(fp, "numa_cells")), 1);
	assert_int_equal(lvhost_caps_fields("<capabilities><host>", fp), -1);
	assert_non_null(strstr(ocb_errmsg(), "does not parse"));
	json_decref(fp);
}

/* ---- the host's lock ------------------------------------------------------ */

static int lock_exists(virConnectPtr conn)
{
	virDomainPtr d = virDomainLookupByName(conn, LVLOCK_DOMAIN);

	if (d)
		virDomainFree(d);
	return d != NULL;
}

/* Another ocbench holds the host: its domain exists.  The test driver's
 * state is this process's, so "another ocbench" is a domain made here on a
 * connection of its own. */
static virDomainPtr other_holder(virConnectPtr conn)
{
	virDomainPtr d = virDomainCreateXML(conn, "<domain type='test'><name>" LVLOCK_DOMAIN "</name>"
					    "<description>ocbench pid 4242 on elsewhere since then"
					    "</description><memory unit='MiB'>16</memory><os><type>hvm"
					    "</type></os></domain>", 0);

	assert_non_null(d);
	return d;
}

static void on_alarm(int sig)
{
	ocb_interrupted = sig;
}

/* Held: the domain exists while held (counted), gone when dropped; a
 * second ocbench fails at once with --no-wait naming the holder, and
 * waits (until interrupted) without it. */
static void test_lock(void **state)
{
	virConnectPtr conn = lv_open(TEST_URI);
	virDomainPtr other;
	struct sigaction sa;

	(void)state;
	assert_non_null(conn);
	assert_int_equal(lvlock_hold(TEST_URI), 0);
	assert_int_equal(lvlock_hold(TEST_URI), 0);	/* the same process: counted */
	assert_true(lock_exists(conn));
	lvlock_drop(TEST_URI);
	assert_true(lock_exists(conn));
	lvlock_drop(TEST_URI);
	assert_false(lock_exists(conn));
	assert_int_equal(lvlock_held(TEST_URI), 0);

	other = other_holder(conn);
	hostlock_set_wait(0);
	assert_int_equal(lvlock_hold(TEST_URI), -1);
	assert_non_null(strstr(ocb_errmsg(), "another ocbench is changing host knobs on test:///default"));
	assert_non_null(strstr(ocb_errmsg(), "ocbench pid 4242 on elsewhere"));
	assert_non_null(strstr(ocb_errmsg(), "--no-wait"));
	hostlock_set_wait(1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	alarm(1);
	assert_int_equal(lvlock_hold(TEST_URI), -1);	/* waited, then ^C */
	assert_non_null(strstr(ocb_errmsg(), "interrupted while waiting for the lock of test:///default"));
	ocb_interrupted = 0;
	assert_int_equal(lvlock_held(TEST_URI), 0);
	/* the holder gone: taken */
	assert_int_equal(virDomainDestroy(other), 0);
	virDomainFree(other);
	assert_int_equal(lvlock_hold(TEST_URI), 0);
	lvlock_drop(TEST_URI);
	virConnectClose(conn);
}

/* A knob session holds the host's lock from its first knob to its end;
 * a host another ocbench holds refuses the knob (nothing read, nothing
 * set, nothing journaled). */
static void test_knobs_take_lock(void **state)
{
	char st[64];
	struct knob_route_opts o = { "/nonexistent-root", NULL, 0, 0 };
	struct seen seen = { 0, "" };
	virConnectPtr conn = lv_open(TEST_URI);
	struct knob_route *r;
	virDomainPtr other;

	(void)state;
	r = route_4000(st, sizeof(st), &o, &seen);
	assert_int_equal(lvlock_held(TEST_URI), 1);
	assert_int_equal(knob_route_restore(r), 0);
	knob_route_free(r);
	assert_int_equal(lvlock_held(TEST_URI), 0);
	assert_false(lock_exists(conn));

	other = other_holder(conn);
	hostlock_set_wait(0);
	r = knob_route_new(&o);
	knob_route_add_host(r, TEST_URI, 1);
	node.sets = 0;
	assert_int_equal(knob_route_apply(r, "ksm.pages_to_scan", "4000", report, &seen), -1);
	assert_non_null(strstr(ocb_errmsg(), "holds its lock"));
	assert_int_equal(node.sets, 0);
	assert_int_equal(node.to_scan, 100);
	knob_route_free(r);
	hostlock_set_wait(1);
	virDomainDestroy(other);
	virDomainFree(other);
	virConnectClose(conn);
	remove_tree(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_uri_host, setup_node),
		cmocka_unit_test_setup(test_source_samples, setup_node),
		cmocka_unit_test_setup(test_source_skipped, setup_node),
		cmocka_unit_test_setup(test_settle_over_libvirt, setup_node),
		cmocka_unit_test_setup(test_settle_timeout_names_host, setup_node),
		cmocka_unit_test_setup(test_knob_to_remote_host, setup_node),
		cmocka_unit_test_setup(test_fingerprint, setup_node),
		cmocka_unit_test_setup(test_caps_parsing, setup_node),
		cmocka_unit_test_setup(test_lock, setup_node),
		cmocka_unit_test_setup(test_knobs_take_lock, setup_node),
	};

	if (private_lock_init() < 0)
		return 1;
	return private_lock_done(cmocka_run_group_tests_name("a remote host over libvirt", tests, NULL, NULL));
}
