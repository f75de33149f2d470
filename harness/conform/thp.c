/* thp.c — THP-001/002: with THP=always the QEMU process backs
 * the guest RAM that memtouch touched with huge pages (AnonHugePages of
 * its smaps_rollup grows by it); with THP=never it has none.  When the
 * huge pages do not come, host/thp-diagnose.h says why (RAM not
 * anonymous, THP disabled for the process, ...).
 *
 * Each check boots its own guest after setting the host's THP mode:
 * QEMU's RAM takes the mode in force when it is faulted in, and a guest
 * booted under the other mode would carry its pages along.
 */
#include "conform/thp.h"
#include "conform/diagnose.h"
#include "conform/fixture.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/units.h"

#include <stdio.h>
#include <string.h>

#define GUEST_MEM (1024 * MiB)
#define TOUCH_MIB 384
#define THP_REL 0.10	/* stated: "most" = at least 90 % of what was touched */

struct thp_run {
	unsigned long long ahp0, ahp1, rss0, rss1;	/* KiB, after boot and after memtouch */
	struct vm *vm;
	char name[32];
};

/* Set the mode, boot, memtouch, read AnonHugePages and Rss before and
 * after.  The guest keeps running for the diagnosis: the caller stops it
 * (t->name) either way. */
static int thp_measure(struct conform_ctx *c, struct conform_result *r, const char *mode, struct thp_run *t)
{
	static char size[16];
	const char *argv[] = { "memtouch", "--size", size, "--iterations", "1", "--seed", "1", NULL };
	struct conform_guest_spec spec = { .memory_bytes = GUEST_MEM, .mem_merge = 0 };
	struct agent_exec_result res;
	char why[256], *name = t->name;
	struct vm *vm;
	long long pid;
	json_t *doc = NULL;
	int rc = -1, k;
	pid_t qpid;

	snprintf(size, sizeof(size), "%dM", TOUCH_MIB);
	snprintf(t->name, sizeof(t->name), "thp-%s", mode);
	spec.name = name;
	/* mem-merge off: KSM would split the huge pages it merges. */
	k = conform_knob(c, "thp", mode, why, sizeof(why));
	if (k != 0) {
		if (k == 1)
			conform_skip(r, "%s", why);
		else
			conform_error(r, "thp = %s: %s", mode, ocb_errmsg());
		return -1;
	}
	vm = t->vm = conform_guest(c, &spec);
	if (!vm) {
		conform_error(r, "cannot boot %s: %s", name, ocb_errmsg());
		return -1;
	}
	qpid = vm->ops->pid(vm);
	if (conform_proc_kib(c, qpid, "smaps_rollup", "AnonHugePages", &t->ahp0) < 0 ||
	    conform_proc_kib(c, qpid, "smaps_rollup", "Rss", &t->rss0) < 0 ||
	    conform_workload_spawn(c, vm, name, argv, &pid) < 0 ||
	    conform_workload_wait(c, vm, name, pid, 120 * 1000000000ull, &res, &doc) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		goto out;
	}
	if (res.exitcode != 0) {
		conform_error(r, "%s: memtouch exited with %d: %.200s", name, res.exitcode, strbuf_str(&res.err));
		agent_exec_result_release(&res);
		goto out;
	}
	agent_exec_result_release(&res);
	if (conform_proc_kib(c, qpid, "smaps_rollup", "AnonHugePages", &t->ahp1) < 0 ||
	    conform_proc_kib(c, qpid, "smaps_rollup", "Rss", &t->rss1) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		goto out;
	}
	json_object_set_new(r->evidence, "guest", json_pack("{s:s, s:f, s:s, s:i}", "name", name, "memory_mib",
							     bytes_to_mib(GUEST_MEM), "thp", mode, "touched_mib",
							     TOUCH_MIB));
	json_object_set_new(r->evidence, "qemu_smaps_rollup_kib",
			    json_pack("{s:I, s:I, s:I, s:I}", "AnonHugePages_after_boot", (json_int_t)t->ahp0,
				      "AnonHugePages_after_memtouch", (json_int_t)t->ahp1, "Rss_after_boot",
				      (json_int_t)t->rss0, "Rss_after_memtouch", (json_int_t)t->rss1));
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

/* THP=always: what memtouch made QEMU fault in comes as huge pages.
 * Judged on the growth, not the total: boot has huge pages of its own
 * (measured: 172 MiB of a 1 GiB guest), which prove nothing about the
 * memory memtouch touched. */
static void thp_001(struct conform_ctx *c, struct conform_result *r)
{
	struct thp_run t;
	double grew, want;

	memset(&t, 0, sizeof(t));
	if (thp_measure(c, r, "always", &t) < 0)
		goto out;
	grew = ((double)t.ahp1 - (double)t.ahp0) / 1024.0;
	want = TOUCH_MIB * (1.0 - THP_REL);
	json_object_set_new(r->evidence, "anon_huge_pages_grew_mib", json_real(grew));
	json_object_set_new(r->evidence, "tolerance", json_pack("{s:f, s:s, s:s}", "value", THP_REL, "unit", "ratio",
								 "rule", "AnonHugePages grows by >= 90 % of the MiB "
								 "memtouch touched"));
	conform_summary(r, "AnonHugePages +%.0f MiB (%.0f->%.0f) for %d MiB touched (Rss +%.0f MiB)", grew,
			(double)t.ahp0 / 1024.0, (double)t.ahp1 / 1024.0, TOUCH_MIB,
			((double)t.rss1 - (double)t.rss0) / 1024.0);
	if (grew < want) {
		struct strbuf d = STRBUF_INIT;

		conform_diagnosis_note(r->evidence, conform_thp_diagnosis(c, t.vm), &d);
		conform_failf(r, "THP=always: QEMU's AnonHugePages grew by %.0f MiB while memtouch touched %d MiB; "
			      "expected at least %.0f MiB (90 %%); %s", grew, TOUCH_MIB, want, d.buf);
		strbuf_release(&d);
	} else {
		conform_pass(r, "%s", "");
	}
out:
	if (t.vm)
		conform_guest_stop(c, t.name);
}

static void thp_002(struct conform_ctx *c, struct conform_result *r)
{
	struct thp_run t;

	memset(&t, 0, sizeof(t));
	if (thp_measure(c, r, "never", &t) < 0)
		goto out;
	json_object_set_new(r->evidence, "tolerance", json_pack("{s:i, s:s, s:s}", "value", 0, "unit", "KiB",
								 "rule", "exact: THP=never allows no huge page"));
	conform_summary(r, "AnonHugePages %llu KiB after touching %d MiB (Rss %.0f MiB)", t.ahp1, TOUCH_MIB,
			(double)t.rss1 / 1024.0);
	if (t.ahp1 || t.ahp0)
		conform_failf(r, "THP=never: QEMU's AnonHugePages is %llu KiB, expected 0", t.ahp1 ? t.ahp1 : t.ahp0);
	else
		conform_pass(r, "%s", "");
out:
	if (t.vm)
		conform_guest_stop(c, t.name);
}

static const struct conform_check checks[] = {
	{ "THP-001", "thp", "THP=always: AnonHugePages of QEMU covers the guest RAM memtouch touched",
	  NEED_ROOT | NEED_THP, thp_001 },
	{ "THP-002", "thp", "THP=never: QEMU has no AnonHugePages", NEED_ROOT | NEED_THP, thp_002 },
};

const struct conform_suite conform_suite_thp = { "thp", checks, sizeof(checks) / sizeof(checks[0]) };
