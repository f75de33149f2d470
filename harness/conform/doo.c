/* doo.c — see doo.h.
 *
 * Two 1024 MiB guests side by side, doo-on with the balloon's
 * deflate-on-oom and doo-off without (the control), both ballooned to
 * 300 MiB.  Without the feature the balloon's pages leave the guest's
 * MemTotal; with it they stay counted (the guest may take them back), so
 * the control's MemTotal is what the balloon left a guest.  The hog is
 * `pressure` ramping to that MemTotal less 8 MiB in 2 s and holding it
 * 2 s: no larger than the control's memory (pressure refuses a size
 * above MemTotal + SwapTotal), more than either guest has available.
 * Both hogs run at once while each balloon's actual is followed at 5 Hz;
 * the guests' /proc/vmstat oom_kill is read before and after.
 *
 * The guest driver takes pages back only when the OOM killer is about to
 * run (its OOM notifier), 1 MiB (virtio_balloon's oom_pages, 256 pages)
 * each time, so the balloon gives back about what the hog lacks.
 */
#include "conform/doo.h"
#include "conform/balloon.h"
#include "conform/diagnose.h"
#include "conform/fixture.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/units.h"
#include "vm/balloon-diagnose.h"
#include "vm/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST_MEM (1024 * MiB)
#define LEFT_MIB 300		/* the balloon's target */
#define MARGIN_MIB 8		/* the hog: the control's MemTotal less this */
/* doo-on's actual must rise by at least half of what the hog lacked
 * (the hog less MemAvailable before it): MemAvailable is the kernel's
 * estimate, and leaves out part of the caches and the gap between the
 * low and the min watermark, which the guest takes before it nears an
 * OOM.  Measured here: 92 MiB given back for a hog 107 MiB short (86 %). */
#define RISE_REL 0.5
#define CONTROL_MIB 1.0		/* the control's actual may move by this */
#define POLL_NS (200 * 1000000ull)
#define HOG_TIMEOUT_NS (180 * 1000000000ull)

static const struct conform_guest_spec doo_on = {
	.name = "doo-on", .memory_bytes = GUEST_MEM, .balloon = 1, .mem_merge = 1, .deflate_on_oom = 1,
};
static const struct conform_guest_spec doo_off = {
	.name = "doo-off", .memory_bytes = GUEST_MEM, .balloon = 1, .mem_merge = 1,
};

struct leg {
	struct vm *vm;
	double actual0, peak, actual1;	/* the balloon's actual, MiB */
	double memtotal, avail;		/* MiB, ballooned, before the hog */
	long long oom0, oom1;		/* /proc/vmstat oom_kill */
	long long pid;
	int done;
	char status[32];		/* pressure's: ok, oom-killed, error */
	double exit_s;
};

/* The guest's /proc/vmstat oom_kill. */
static int oom_kills(struct conform_ctx *c, struct vm *vm, long long *n)
{
	struct strbuf text = STRBUF_INIT;
	const char *p;
	int rc = vm->ops->agent_read_file(vm, "/proc/vmstat", &text, c->opt.cmd_timeout_ns);

	if (rc == 0) {
		p = strstr(strbuf_str(&text), "\noom_kill ");
		if (!p || sscanf(p + 10, "%lld", n) != 1)
			rc = ocb_fail("%s: the guest's /proc/vmstat has no oom_kill counter", vm->cfg.name);
	}
	strbuf_release(&text);
	return rc;
}

static int actual_mib(struct vm *vm, double *mib)
{
	uint64_t a;

	if (vm->ops->balloon_get(vm, &a) < 0)
		return ocb_err_prefix("%s: query-balloon: ", vm->cfg.name);
	*mib = bytes_to_mib(a);
	return 0;
}

/* Ballooned down; its memory and counters before the hog.  0, 1 when
 * the balloon did not get there (r FAILed), -1 (message). */
static int prepare(struct conform_ctx *c, struct conform_result *r, struct leg *l)
{
	unsigned long long total, avail;
	struct move m;

	if (conform_balloon_move(c, l->vm, LEFT_MIB * MiB, c->opt.balloon_timeout_ns, &m) < 0)
		return -1;
	if (!m.reached) {
		struct strbuf d = STRBUF_INIT;

		conform_diagnosis_note(r->evidence, conform_balloon_diagnosis(c, l->vm), &d);
		conform_failf(r, "%s: the balloon stopped at %.0f MiB, short of %d MiB; %s", l->vm->cfg.name,
			      bytes_to_mib(m.actual), LEFT_MIB, d.buf);
		strbuf_release(&d);
		return 1;
	}
	if (conform_guest_meminfo(c, l->vm, "MemTotal", &total) < 0 ||
	    conform_guest_meminfo(c, l->vm, "MemAvailable", &avail) < 0 || oom_kills(c, l->vm, &l->oom0) < 0 ||
	    actual_mib(l->vm, &l->actual0) < 0)
		return -1;
	l->memtotal = (double)total / 1024.0;
	l->avail = (double)avail / 1024.0;
	l->peak = l->actual0;
	return 0;
}

/* One look at a running hog: the balloon, and whether it exited. */
static int look(struct conform_ctx *c, struct leg *l, uint64_t t0)
{
	struct agent_exec_result res;
	json_t *doc = NULL;
	int e;

	if (actual_mib(l->vm, &l->actual1) < 0)
		return -1;
	l->peak = l->actual1 > l->peak ? l->actual1 : l->peak;
	if (l->vm->ops->pump && l->vm->ops->pump(l->vm, 0) < 0)
		return -1;
	e = l->vm->ops->agent_poll(l->vm, l->pid, &res);
	if (e <= 0)
		return e;
	l->done = 1;
	l->exit_s = ns_to_s(mono_ns() - t0);
	if (actual_mib(l->vm, &l->actual1) < 0)	/* what the exit saw last */
		return -1;
	l->peak = l->actual1 > l->peak ? l->actual1 : l->peak;
	conform_workload_result(c, l->vm, "doo", &doc);
	snprintf(l->status, sizeof(l->status), "%s",
		 json_string_value(json_object_get(doc, "status")) ? json_string_value(json_object_get(doc, "status")) :
		 res.exitcode ? "error" : "no result");
	json_decref(doc);
	agent_exec_result_release(&res);
	return oom_kills(c, l->vm, &l->oom1);
}

/* pressure over hog_mib in both guests at once, until both exited. */
static int run_hogs(struct conform_ctx *c, struct leg *l, double hog_mib)
{
	char size[32];
	const char *argv[] = { "pressure", "--size", size, "--profile", "ramp:2s,hold:2s,release:1s",
			       "--iterations", "1", NULL };
	uint64_t t0 = mono_ns();

	snprintf(size, sizeof(size), "%.0fM", hog_mib);
	for (size_t i = 0; i < 2; i++)
		if (conform_workload_spawn(c, l[i].vm, "doo", argv, &l[i].pid) < 0)
			return -1;
	while (!l[0].done || !l[1].done) {
		if (mono_ns() - t0 > HOG_TIMEOUT_NS)
			return ocb_fail("pressure --size %s still running after %.0f s", size, ns_to_s(HOG_TIMEOUT_NS));
		for (size_t i = 0; i < 2; i++)
			if (!l[i].done && look(c, &l[i], t0) < 0)
				return -1;
		if ((!l[0].done || !l[1].done) && conform_sleep(c, POLL_NS) < 0)
			return -1;
	}
	return 0;
}

static json_t *leg_json(const struct leg *l)
{
	return json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:I, s:I, s:s, s:f}", "guest", l->vm->cfg.name,
			 "actual_before_mib", l->actual0, "actual_peak_mib", l->peak, "actual_after_mib", l->actual1,
			 "memtotal_mib", l->memtotal, "available_mib", l->avail, "oom_kill_before",
			 (json_int_t)l->oom0, "oom_kill_after", (json_int_t)l->oom1, "hog_status", l->status,
			 "hog_exit_s", l->exit_s);
}

/* doo-on lost its hog or gave nothing back: FAIL with why. */
static void on_failed(struct conform_ctx *c, struct conform_result *r, const struct leg *on, double rise)
{
	struct strbuf d = STRBUF_INIT;

	conform_diagnosis_note(r->evidence,
			       conform_balloon_feature_diagnosis(c, on->vm, BALLOON_F_DEFLATE_ON_OOM,
								 "DEFLATE_ON_OOM", "deflate-on-oom"), &d);
	if (on->oom1 > on->oom0 || strcmp(on->status, "ok"))
		conform_failf(r, "%s: the hog ended '%s' with %lld OOM kill(s) while the balloon held %.0f MiB "
			      "(peak actual %.0f MiB): deflate-on-oom did not give memory back; %s",
			      on->vm->cfg.name, on->status, on->oom1 - on->oom0, on->actual0, on->peak, d.buf);
	else
		conform_failf(r, "%s: the hog completed but the balloon's actual rose %.0f -> %.0f MiB, expected "
			      "+%.0f MiB at least: its memory did not come from the balloon; %s", on->vm->cfg.name,
			      on->actual0, on->peak, rise, d.buf);
	strbuf_release(&d);
}

static void verdict(struct conform_ctx *c, struct conform_result *r, const struct leg *on,
		    const struct leg *off, double rise)
{
	int control_oom = off->oom1 > off->oom0 || strcmp(off->status, "ok");

	conform_summary(r, "balloon %.0f -> %.0f MiB, hog %s; control %s, %lld OOM kill(s)", on->actual0,
			on->peak, on->status, off->status, off->oom1 - off->oom0);
	if (on->oom1 > on->oom0 || strcmp(on->status, "ok") || on->peak - on->actual0 < rise)
		on_failed(c, r, on, rise);
	else if (!control_oom)
		conform_failf(r, "the control %s (no deflate-on-oom) ran the same hog without an OOM kill: the "
			      "hog did not exceed what the balloon left, so %s's completing proves nothing",
			      off->vm->cfg.name, on->vm->cfg.name);
	else if (off->peak - off->actual0 > CONTROL_MIB)
		conform_failf(r, "the control %s gave balloon memory back without deflate-on-oom (actual "
			      "%.0f -> %.0f MiB): the rise is not deflate-on-oom's", off->vm->cfg.name,
			      off->actual0, off->peak);
	else
		conform_pass(r, "the balloon gave %.0f MiB back; the control's hog was OOM-killed",
			     on->peak - on->actual0);
}

void conform_doo_001(struct conform_ctx *c, struct conform_result *r)
{
	const struct conform_guest_spec *sp[] = { &doo_on, &doo_off };
	struct vm *vm[2];
	struct leg l[2];
	double hog, tol;
	int rc = 0;

	memset(l, 0, sizeof(l));
	if (conform_guests(c, sp, 2, vm) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	for (size_t i = 0; i < 2 && rc == 0; i++) {
		l[i].vm = vm[i];
		rc = prepare(c, r, &l[i]);
	}
	hog = (double)(((long long)l[1].memtotal - MARGIN_MIB) / 2 * 2);
	if (rc == 0 && hog <= l[0].avail)
		rc = ocb_fail("the hog of %.0f MiB (the control's MemTotal less %d) does not exceed what %s has "
			      "available (%.0f MiB): there is nothing to deflate for", hog, MARGIN_MIB,
			      vm[0]->cfg.name, l[0].avail);
	if (rc == 0)
		rc = run_hogs(c, l, hog);
	if (rc < 0)
		conform_error(r, "%s", ocb_errmsg());
	if (rc == 0) {
		double lack = hog - l[0].avail;

		tol = conform_tolerance(r->evidence, "tolerance", lack, RISE_REL, 0, 0, 0, "MiB");
		json_object_set_new(r->evidence, "rule", json_string(
			"with deflate-on-oom the hog completes (pressure status ok, oom_kill unchanged) and the "
			"balloon's actual rises by what the hog lacked (hog - MemAvailable) less the tolerance; "
			"without (the control) the same hog is OOM-killed or fails, and the control's actual "
			"moves by <= 1 MiB"));
		json_object_set_new(r->evidence, "hog_mib", json_real(hog));
		json_object_set_new(r->evidence, "hog_lacks_mib", json_real(lack));
		json_object_set_new(r->evidence, "deflate_on_oom", leg_json(&l[0]));
		json_object_set_new(r->evidence, "control", leg_json(&l[1]));
		verdict(c, r, &l[0], &l[1], lack - tol);
	}
	conform_guest_stop(c, doo_on.name);	/* ballooned and hogged: no one else's */
	conform_guest_stop(c, doo_off.name);
}
