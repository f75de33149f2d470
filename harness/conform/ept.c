/* ept.c — EPT-001..003: the two-dimensional paging features KVM
 * guests rely on.  EPT-001/002: the CPU has ept/vpid (npt on AMD) and
 * kvm_intel (kvm_amd) reports them enabled.  EPT-003: memlat's access
 * latency with EPT on and off (module reload, only when allowed).  All
 * need real KVM: under TCG they skip with kvm_usable()'s reason.
 */
#include "conform/ept.h"
#include "conform/fixture.h"
#include "host/cpu.h"
#include "util/error.h"
#include "host/kvmparam.h"
#include "host/sysfs.h"
#include "util/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The parameter and the CPU flag must both say yes. */
static void feature(struct conform_ctx *c, struct conform_result *r, const char *param)
{
	struct strbuf rel = STRBUF_INIT, val = STRBUF_INIT;
	int flag = cpu_flag(c->opt.root, param);
	char why[256];

	if (kvmparam_unusable(c->opt.root, param, why, sizeof(why))) {
		conform_skip(r, "%s", why);
		goto out;
	}
	kvmparam_path(param, &rel);
	if (sysfs_read(c->opt.root, rel.buf, &val) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		goto out;
	}
	json_object_set_new(r->evidence, "cpu_flag", json_boolean(flag == 1));
	json_object_set_new(r->evidence, "module_parameter", json_pack("{s:s, s:s}", "path", rel.buf, "value", val.buf));
	conform_summary(r, "cpu flag %s: %s; %s = %s", param, flag == 1 ? "yes" : "no", rel.buf, val.buf);
	if (flag != 1)
		conform_failf(r, "the CPU flags (/proc/cpuinfo) lack %s", param);
	else if (strcmp(val.buf, "Y") && strcmp(val.buf, "1"))
		conform_failf(r, "%s is %s: %s is disabled in %s", rel.buf, val.buf, param, kvmparam_module(param));
	else
		conform_pass(r, "%s", "");
out:
	strbuf_release(&rel);
	strbuf_release(&val);
}

static int amd(struct conform_ctx *c)
{
	return cpu_flag(c->opt.root, "svm") == 1;
}

static void ept_001(struct conform_ctx *c, struct conform_result *r)
{
	feature(c, r, amd(c) ? "npt" : "ept");
}

static void ept_002(struct conform_ctx *c, struct conform_result *r)
{
	if (amd(c)) {
		conform_skip(r, "VPID is Intel's; AMD tags TLB entries with ASIDs unconditionally");
		return;
	}
	feature(c, r, "vpid");
}

/* memlat's median access latency in one guest booted under the current
 * EPT setting, and the KVM parameter as it reads while that guest runs
 * (into val). */
static int memlat_ns(struct conform_ctx *c, const char *tag, double *ns, const char *param, struct strbuf *val)
{
	const char *const argv[] = { "memlat", "--size", "256M", "--duration", "2s", "--seed", "3", NULL };
	struct conform_guest_spec spec = { .name = tag, .memory_bytes = GiB, .mem_merge = 0 };
	struct agent_exec_result res;
	struct vm *vm = conform_guest(c, &spec);
	struct strbuf rel = STRBUF_INIT;
	json_t *doc = NULL;
	long long pid;
	int rc = -1;

	if (!vm)
		return -1;
	kvmparam_path(param, &rel);
	if (sysfs_read(c->opt.root, rel.buf, val) == 0 && conform_workload_spawn(c, vm, tag, argv, &pid) == 0 &&
	    conform_workload_wait(c, vm, tag, pid, 120 * 1000000000ull, &res, &doc) == 0) {
		json_t *m = json_object_get(json_object_get(json_object_get(doc, "metrics"), "ns_per_access"), "value");

		agent_exec_result_release(&res);
		if (json_is_number(m)) {
			*ns = json_number_value(m);
			rc = 0;
		} else {
			ocb_fail("%s: memlat left no ns_per_access metric", tag);
		}
	}
	json_decref(doc);
	strbuf_release(&rel);
	conform_guest_stop(c, tag);
	return rc;
}

static int param_on(const struct strbuf *v)
{
	return !strcmp(v->buf, "Y") || !strcmp(v->buf, "1");
}

/* Setting the parameter off failed.  When the module was free to reload
 * (no user) and the parameter still reads on, the module did not take
 * it: the mechanism (FAIL).  Anything else (modprobe failed, a VM holds
 * the module) is ocbench not getting to the test (ERROR). */
static void off_refused(struct conform_ctx *c, struct conform_result *r, const char *param)
{
	struct strbuf rel = STRBUF_INIT, v = STRBUF_INIT;
	char msg[OCB_ERR_MAX];

	snprintf(msg, sizeof(msg), "%s", ocb_errmsg());
	kvmparam_path(param, &rel);
	if (kvmparam_module_users(c->opt.root, kvmparam_module(param)) == 0 && sysfs_read(c->opt.root, rel.buf, &v) == 0 &&
	    param_on(&v))
		conform_failf(r, "%s = off did not take effect: %s still reads %s after %s was reloaded (%s)", param,
			      rel.buf, v.buf, kvmparam_module(param), msg);
	else
		conform_error(r, "%s = off: %s", param, msg);
	strbuf_release(&rel);
	strbuf_release(&v);
}

/* The two latencies; the parameter must read as set while each guest
 * runs (else FAIL: the reload did not take).  The ratio is the result: a
 * vendor compares it, there is no universal threshold (shadow paging
 * walks 1-D, EPT 2-D, and faults cost more without EPT). */
static void ept_003(struct conform_ctx *c, struct conform_result *r)
{
	const char *param = amd(c) ? "npt" : "ept";
	struct strbuf v_on = STRBUF_INIT, v_off = STRBUF_INIT;
	char why[256];
	double on, off;
	int k;

	/* On first (a no-op when it is: nothing reloads). */
	k = conform_knob(c, param, "on", why, sizeof(why));
	if (k != 0) {
		if (k == 1)
			conform_skip(r, "%s", why);
		else
			conform_error(r, "%s = on: %s", param, ocb_errmsg());
		goto out;
	}
	if (memlat_ns(c, "ept-on", &on, param, &v_on) < 0) {
		conform_error(r, "memlat with %s on: %s", param, ocb_errmsg());
		goto out;
	}
	k = conform_knob(c, param, "off", why, sizeof(why));
	if (k != 0) {
		if (k == 1)
			conform_skip(r, "%s", why);
		else
			off_refused(c, r, param);
		goto out;
	}
	if (memlat_ns(c, "ept-off", &off, param, &v_off) < 0) {
		conform_error(r, "memlat with %s off: %s", param, ocb_errmsg());
		goto out;
	}
	json_object_set_new(r->evidence, "module_parameter", json_pack("{s:s, s:s, s:s}", "name", param,
									"with_on", v_on.buf, "with_off", v_off.buf));
	json_object_set_new(r->evidence, "memlat_ns_per_access", json_pack("{s:f, s:f, s:f}", "on", on, "off", off,
									    "ratio_off_on", on > 0 ? off / on : 0));
	conform_summary(r, "memlat %s on %.1f ns, off %.1f ns (off/on %.2f)", param, on, off, on > 0 ? off / on : 0);
	if (!param_on(&v_on) || param_on(&v_off))
		conform_failf(r, "%s did not take effect: it read %s with the 'on' guest and %s with the 'off' guest",
			      param, v_on.buf, v_off.buf);
	else if (!(on > 0) || !(off > 0))
		conform_failf(r, "memlat measured no latency (%g ns on, %g ns off)", on, off);
	else
		conform_pass(r, "%s", "");
out:
	strbuf_release(&v_on);
	strbuf_release(&v_off);
}

static const struct conform_check checks[] = {
	{ "EPT-001", "ept", "the CPU has EPT (NPT) and kvm_intel (kvm_amd) has it enabled", NEED_KVM, ept_001 },
	{ "EPT-002", "ept", "the CPU has VPID and kvm_intel has it enabled", NEED_KVM, ept_002 },
	{ "EPT-003", "ept", "memlat latency with EPT on vs off (module reload)", NEED_KVM | NEED_ROOT | NEED_MODULE_RELOAD,
	  ept_003 },
};

const struct conform_suite conform_suite_ept = { "ept", checks, sizeof(checks) / sizeof(checks[0]) };
