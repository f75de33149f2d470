/* balloon.c — BAL-001..006: virtio-balloon inflates, deflates,
 * clamps, fails clearly without a device, reports guest stats that agree
 * with the guest, and keeps a guest under memory pressure responsive.
 *
 * One 2048 MiB guest with a balloon (stats every second) serves BAL-001,
 * 002, 003, 005 and 006 in that order; each check first brings the
 * balloon to the size it starts from, so any of them also runs alone.
 * BAL-004 has its own guest without a balloon device.
 */
#include "conform/balloon.h"
#include "conform/diagnose.h"
#include "conform/fixture.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BOOT_MEM (2048 * MiB)
#define SMALL (512 * MiB)
#define POLL_NS (10 * 1000000ull)
/* "actual" unchanged this long: the balloon is stuck.  A working balloon
 * starts moving within milliseconds of a new target (and moves some 1000
 * MiB/s under TCG), so waiting out the whole timeout proves nothing more. */
#define STALL_NS (10 * 1000000000ull)
#define MEMTOTAL_READS 3
#define K_SIGMA 3.0
/* Stated floors (the field's usual ones); widened by measured noise. */
#define FLOOR_REL 0.025
#define FLOOR_MIB 100.0
#define STATS_REL 0.10
#define STATS_WAIT_NS (10 * 1000000000ull)	/* the first guest-stats may take a period or so */

static const struct conform_guest_spec balloon_guest = {
	.name = "bal", .memory_bytes = BOOT_MEM, .balloon = 1, .stats_period_s = 1, .mem_merge = 1,
};
static const struct conform_guest_spec plain_guest = {
	.name = "bal-none", .memory_bytes = 512 * MiB, .balloon = 0, .mem_merge = 1,
};

/* How close "actual" must come to a target to count as reached: QEMU
 * meets targets to the page in practice; 0.5 % absorbs a guest that keeps
 * a few pages back (the runner uses the same). */
static uint64_t reach_tolerance(uint64_t mem)
{
	return mem / 200 > MiB ? mem / 200 : MiB;
}


int conform_balloon_move(struct conform_ctx *c, struct vm *vm, uint64_t target, uint64_t timeout_ns,
			 struct move *m)
{
	uint64_t t0, t_moved, last, tol = reach_tolerance(vm->cfg.memory_bytes);
	uint64_t want = target > vm->cfg.memory_bytes ? vm->cfg.memory_bytes : target;

	memset(m, 0, sizeof(*m));
	m->target = target;
	if (vm->ops->balloon_get(vm, &m->from) < 0)
		return ocb_err_prefix("%s: query-balloon: ", vm->cfg.name);
	t0 = t_moved = mono_ns();
	last = m->from;
	if (vm->ops->balloon_set(vm, target) < 0)
		return -1;
	for (;;) {
		if (vm->ops->balloon_get(vm, &m->actual) < 0)
			return ocb_err_prefix("%s: query-balloon: ", vm->cfg.name);
		m->seconds = ns_to_s(mono_ns() - t0);
		if ((m->actual > want ? m->actual - want : want - m->actual) <= tol) {
			m->reached = 1;
			return 0;
		}
		if (m->actual != last) {
			last = m->actual;
			t_moved = mono_ns();
		}
		if (mono_ns() - t0 >= timeout_ns)
			return 0;
		if (mono_ns() - t_moved >= STALL_NS) {
			m->stalled = 1;
			return 0;
		}
		if (vm->ops->pump && vm->ops->pump(vm, 0) < 0)
			return -1;
		if (conform_sleep(c, POLL_NS) < 0)
			return -1;
	}
}

static void move_evidence(json_t *ev, const char *key, const struct move *m, uint64_t mem)
{
	json_object_set_new(ev, key,
			    json_pack("{s:f, s:f, s:f, s:b, s:b, s:f, s:f}", "from_mib", bytes_to_mib(m->from),
				      "target_mib", bytes_to_mib(m->target), "actual_mib",
				      bytes_to_mib(m->actual), "reached", m->reached, "stalled", m->stalled,
				      "seconds", m->seconds, "reach_tolerance_mib",
				      bytes_to_mib(reach_tolerance(mem))));
}

/* The balloon stayed short of its target: the mechanism failed.  FAIL
 * naming where it stuck, with the guest-side diagnosis of why. */
static void fail_stuck(struct conform_ctx *c, struct conform_result *r, struct vm *vm, const struct move *m,
		       const char *what)
{
	struct strbuf d = STRBUF_INIT;

	conform_diagnosis_note(r->evidence, conform_balloon_diagnosis(c, vm), &d);
	conform_failf(r, "%s: %sthe balloon did not reach %.0f MiB within %.1f s (from %.0f MiB, actual %.0f MiB%s); %s",
		      vm->cfg.name, what, bytes_to_mib(m->target), m->seconds, bytes_to_mib(m->from),
		      bytes_to_mib(m->actual), m->stalled ? ", not moving for the last 10 s" : "", d.buf);
	strbuf_release(&d);
}

/* MemTotal read a few times: its mean (MiB) and spread. */
static int memtotal(struct conform_ctx *c, struct vm *vm, double *mean, double *sd)
{
	double v[MEMTOTAL_READS];

	for (int i = 0; i < MEMTOTAL_READS; i++) {
		unsigned long long kib;

		if (conform_guest_meminfo(c, vm, "MemTotal", &kib) < 0)
			return -1;
		v[i] = (double)kib / 1024.0;
	}
	conform_stats(v, MEMTOTAL_READS, mean, sd);
	return 0;
}

static struct vm *fixture(struct conform_ctx *c, struct conform_result *r)
{
	struct vm *vm = conform_guest(c, &balloon_guest);

	if (!vm)
		conform_error(r, "cannot boot guest %s: %s", balloon_guest.name, ocb_errmsg());
	return vm;
}

/* Bring the balloon to size before a check starts (a failed earlier
 * check may have left it elsewhere).  A balloon that cannot get there is
 * the mechanism failing (FAIL); a command that fails is an ERROR. */
static int ensure_at(struct conform_ctx *c, struct vm *vm, uint64_t size, struct conform_result *r)
{
	struct move m;
	uint64_t actual;

	if (vm->ops->balloon_get(vm, &actual) < 0) {
		conform_error(r, "%s: query-balloon: %s", vm->cfg.name, ocb_errmsg());
		return -1;
	}
	if ((actual > size ? actual - size : size - actual) <= reach_tolerance(vm->cfg.memory_bytes))
		return 0;
	if (conform_balloon_move(c, vm, size, c->opt.balloon_timeout_ns, &m) < 0) {
		conform_error(r, "%s: setting the balloon to %.0f MiB first: %s", vm->cfg.name,
			      bytes_to_mib(size), ocb_errmsg());
		return -1;
	}
	if (!m.reached) {
		move_evidence(r->evidence, "balloon_setup", &m, vm->cfg.memory_bytes);
		fail_stuck(c, r, vm, &m, "setting it up first: ");
		return -1;
	}
	return 0;
}

/* A move whose MemTotal change must equal the balloon's change; shared
 * by inflate (BAL-001) and deflate (BAL-002). */
static void check_move(struct conform_ctx *c, struct conform_result *r, uint64_t start, uint64_t target,
		       const char *verb)
{
	struct vm *vm = fixture(c, r);
	double mt0, sd0, mt1, sd1, expected, change, tol, rate;
	struct move m;
	json_t *ev = r->evidence;

	if (!vm || ensure_at(c, vm, start, r) < 0)
		return;
	if (memtotal(c, vm, &mt0, &sd0) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	if (conform_balloon_move(c, vm, target, c->opt.balloon_timeout_ns, &m) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	move_evidence(ev, "balloon", &m, vm->cfg.memory_bytes);
	json_object_set_new(ev, "timeout_s", json_real(ns_to_s(c->opt.balloon_timeout_ns)));
	if (!m.reached) {
		conform_summary(r, "%s stuck at %.0f MiB", verb, bytes_to_mib(m.actual));
		fail_stuck(c, r, vm, &m, "");
		return;
	}
	if (memtotal(c, vm, &mt1, &sd1) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	expected = bytes_to_mib(m.from) - bytes_to_mib(m.actual);
	change = mt0 - mt1;
	rate = m.seconds > 0 ? fabs(expected) / m.seconds : 0;
	tol = conform_tolerance(ev, "tolerance", expected, FLOOR_REL, FLOOR_MIB, K_SIGMA,
				sqrt(sd0 * sd0 + sd1 * sd1), "MiB");
	json_object_set_new(ev, "memtotal",
			    json_pack("{s:f, s:f, s:f, s:f, s:f}", "before_mib", mt0, "after_mib", mt1,
				      "fall_mib", change, "expected_fall_mib", expected, "error_mib",
				      change - expected));
	json_object_set_new(ev, verb[0] == 'i' ? "inflate_s" : "deflate_s", json_real(m.seconds));
	json_object_set_new(ev, verb[0] == 'i' ? "inflate_mib_s" : "deflate_mib_s", json_real(rate));
	conform_summary(r, "%.0f->%.0f MiB in %.2f s (%.0f MiB/s); MemTotal %.0f->%.0f MiB (tol %.0f)",
			bytes_to_mib(m.from), bytes_to_mib(m.actual), m.seconds, rate, mt0, mt1, tol);
	if (fabs(change - expected) > tol)
		conform_failf(r, "%s: MemTotal changed by %.0f MiB, the balloon by %.0f MiB: off by %.0f MiB, "
			      "tolerance %.0f MiB", vm->cfg.name, -change, -expected, fabs(change - expected), tol);
	else
		conform_pass(r, "%s", "");
}

static void bal_001(struct conform_ctx *c, struct conform_result *r)
{
	check_move(c, r, BOOT_MEM, SMALL, "inflate");
}

static void bal_002(struct conform_ctx *c, struct conform_result *r)
{
	check_move(c, r, SMALL, BOOT_MEM, "deflate");
}

/* BAL-003: from 1536 MiB ask for twice the boot memory: the balloon must
 * come back to exactly the boot memory (not beyond), MemTotal to its
 * full value. */
static void bal_003(struct conform_ctx *c, struct conform_result *r)
{
	struct vm *vm = fixture(c, r);
	double full, sd0, after, sd1, tol;
	struct move m;
	uint64_t ask = 2 * BOOT_MEM, settled;

	if (!vm || ensure_at(c, vm, BOOT_MEM, r) < 0)
		return;
	if (memtotal(c, vm, &full, &sd0) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	if (ensure_at(c, vm, BOOT_MEM - SMALL, r) < 0)
		return;
	if (conform_balloon_move(c, vm, ask, c->opt.balloon_timeout_ns, &m) < 0) {
		conform_failf(r, "%s: a balloon target of %.0f MiB (above the boot memory %.0f MiB) was refused: %s",
			      vm->cfg.name, bytes_to_mib(ask), bytes_to_mib(BOOT_MEM), ocb_errmsg());
		return;
	}
	/* A clamp that overshoots would show a moment later. */
	if (conform_sleep(c, 300 * 1000000ull) < 0 || vm->ops->balloon_get(vm, &settled) < 0 ||
	    memtotal(c, vm, &after, &sd1) < 0) {
		conform_error(r, "%s", ocb_errmsg());
		return;
	}
	move_evidence(r->evidence, "balloon", &m, vm->cfg.memory_bytes);
	json_object_set_new(r->evidence, "settled_mib", json_real(bytes_to_mib(settled)));
	json_object_set_new(r->evidence, "boot_mib", json_real(bytes_to_mib(BOOT_MEM)));
	tol = conform_tolerance(r->evidence, "tolerance", full, FLOOR_REL, FLOOR_MIB, K_SIGMA,
				sqrt(sd0 * sd0 + sd1 * sd1), "MiB");
	json_object_set_new(r->evidence, "memtotal",
			    json_pack("{s:f, s:f}", "full_mib", full, "after_mib", after));
	conform_summary(r, "asked %.0f MiB: actual %.0f MiB; MemTotal %.0f MiB (full %.0f)", bytes_to_mib(ask),
			bytes_to_mib(settled), after, full);
	if (settled > BOOT_MEM || m.actual > BOOT_MEM)
		conform_failf(r, "%s: target %.0f MiB should clamp to the boot memory %.0f MiB, actual %.0f MiB",
			      vm->cfg.name, bytes_to_mib(ask), bytes_to_mib(BOOT_MEM),
			      bytes_to_mib(settled > m.actual ? settled : m.actual));
	else if (!m.reached)
		fail_stuck(c, r, vm, &m, "a target above the boot memory should clamp to it, but ");
	else if (fabs(after - full) > tol)
		conform_failf(r, "%s: after the clamped request MemTotal is %.0f MiB, expected %.0f +- %.0f MiB",
			      vm->cfg.name, after, full, tol);
	else
		conform_pass(r, "%s", "");
}

/* BAL-004: no device.  What a backend answers when the guest has none:
 * QEMU's QMP error class DeviceNotActive, or, through libvirt, its
 * refusal of the request (libvirt's word for QEMU's DeviceNotActive) and
 * no balloon size in its memory stats (libvirt's query never fails; the
 * backend says the domain has no device).  A timeout or any other balloon
 * error is not it, though its message also says "balloon". */
static const struct {
	const char *cmd, *needle, *source;
} no_device[] = {
	{ "balloon", ": DeviceNotActive: ", "QEMU's QMP error class DeviceNotActive" },
	{ "query-balloon", ": DeviceNotActive: ", "QEMU's QMP error class DeviceNotActive" },
	{ "balloon", "without the balloon device", "libvirt's refusal for a domain without a balloon device" },
	{ "query-balloon", "no balloon size for domain", "libvirt's stats without a balloon size" },
};

/* ocbench's own message for one refused command, as a user of `ocbench
 * run` would read it: it must name the guest and the missing device.
 * 1 when it does (its source into ev), else 0. */
static int says_no_device(const struct vm *vm, const char *msg, const char *cmd, json_t *ev)
{
	for (size_t i = 0; i < sizeof(no_device) / sizeof(no_device[0]); i++)
		if (!strcmp(no_device[i].cmd, cmd) && strstr(msg, no_device[i].needle) && strstr(msg, vm->cfg.name)) {
			json_object_set_new(ev, cmd, json_pack("{s:s, s:s}", "message", msg, "recognised_as",
								no_device[i].source));
			return 1;
		}
	json_object_set_new(ev, cmd, json_pack("{s:s, s:n}", "message", msg, "recognised_as"));
	return 0;
}

static void bal_004(struct conform_ctx *c, struct conform_result *r)
{
	struct vm *vm = conform_guest(c, &plain_guest);
	char set_msg[OCB_ERR_MAX], get_msg[OCB_ERR_MAX];
	uint64_t actual = 0;
	int set, get, set_ok, get_ok;

	if (!vm) {
		conform_error(r, "cannot boot guest %s: %s", plain_guest.name, ocb_errmsg());
		return;
	}
	ocb_err_clear();
	set = vm->ops->balloon_set(vm, 256 * MiB);
	snprintf(set_msg, sizeof(set_msg), "%s", set < 0 ? ocb_errmsg() : "");
	ocb_err_clear();
	get = vm->ops->balloon_get(vm, &actual);
	snprintf(get_msg, sizeof(get_msg), "%s", get < 0 ? ocb_errmsg() : "");
	json_object_set_new(r->evidence, "rule", json_string("the error names the guest and is the backend's "
							      "'no balloon device' (QMP DeviceNotActive)"));
	set_ok = set < 0 && says_no_device(vm, set_msg, "balloon", r->evidence);
	get_ok = get < 0 && says_no_device(vm, get_msg, "query-balloon", r->evidence);
	conform_summary(r, "%.160s", set < 0 ? set_msg : "balloon request accepted");
	if (set == 0 || get == 0)
		conform_failf(r, "%s: %s succeeded on a guest without a balloon device", vm->cfg.name,
			      set == 0 ? "a balloon request" : "query-balloon");
	else if (!set_ok || !get_ok)
		conform_failf(r, "%s: the %s error does not say the guest has no balloon device (expected the guest's "
			      "name and QMP's DeviceNotActive): %s", vm->cfg.name, set_ok ? "query-balloon" : "balloon",
			      set_ok ? get_msg : set_msg);
	else
		conform_pass(r, "%s", "");
}

/* One guest-stats field against its /proc/meminfo counterpart: the
 * meminfo value is read several times around the stats so its own drift
 * widens the tolerance. */
static int compare_stat(struct conform_ctx *c, struct vm *vm, json_t *stats, const char *stat,
			const char *field, json_t *ev, int *bad)
{
	double v[5], mean, sd, got, tol;
	json_t *s = json_object_get(stats, stat);
	char key[96];

	if (!json_is_integer(s) || json_integer_value(s) < 0) {
		json_object_set_new(ev, stat, json_pack("{s:s}", "missing", "not reported by the guest"));
		(*bad)++;
		return 0;
	}
	for (int i = 0; i < 5; i++) {
		unsigned long long kib;

		if (conform_guest_meminfo(c, vm, field, &kib) < 0)
			return -1;
		v[i] = (double)kib / 1024.0;
	}
	conform_stats(v, 5, &mean, &sd);
	got = (double)json_integer_value(s) / (double)MiB;
	snprintf(key, sizeof(key), "%s_tolerance", stat);
	tol = conform_tolerance(ev, key, mean, STATS_REL, 0, K_SIGMA, sd, "MiB");
	json_object_set_new(ev, stat, json_pack("{s:f, s:s, s:f, s:f, s:b}", "stat_mib", got, "meminfo",
						field, "meminfo_mib", mean, "meminfo_stddev_mib", sd,
						"within", fabs(got - mean) <= tol));
	if (fabs(got - mean) > tol)
		(*bad)++;
	return 0;
}

static void bal_005(struct conform_ctx *c, struct conform_result *r)
{
	static const char *const pairs[][2] = {
		{ "stat-total-memory", "MemTotal" },
		{ "stat-free-memory", "MemFree" },
		{ "stat-available-memory", "MemAvailable" },
	};
	struct vm *vm = fixture(c, r);
	uint64_t deadline, wait_ns = c->opt.balloon_timeout_ns < STATS_WAIT_NS ? c->opt.balloon_timeout_ns :
				     STATS_WAIT_NS;
	json_t *stats = NULL, *total;
	int bad = 0;

	if (!vm)
		return;
	/* The guest sends stats once per period; the first may take one.
	 * The balloon's timeout bounds the wait too (tests shorten it). */
	deadline = mono_ns() + wait_ns;
	for (;;) {
		json_decref(stats);
		stats = NULL;
		if (vm->ops->balloon_stats(vm, &stats) < 0) {
			conform_error(r, "%s: balloon guest-stats: %s", vm->cfg.name, ocb_errmsg());
			return;
		}
		total = json_object_get(stats, "stat-total-memory");
		if (json_is_integer(total) && json_integer_value(total) > 0)
			break;
		if (mono_ns() >= deadline || conform_sleep(c, 200 * 1000000ull) < 0) {
			struct strbuf d = STRBUF_INIT;

			json_object_set(r->evidence, "stats", stats);
			json_decref(stats);
			conform_diagnosis_note(r->evidence, conform_balloon_diagnosis(c, vm), &d);
			conform_failf(r, "%s: no balloon guest-stats within %.1f s (polling every %u s); %s",
				      vm->cfg.name, ns_to_s(wait_ns), balloon_guest.stats_period_s, d.buf);
			strbuf_release(&d);
			return;
		}
	}
	json_object_set(r->evidence, "stats", stats);
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (compare_stat(c, vm, stats, pairs[i][0], pairs[i][1], r->evidence, &bad) < 0) {
			json_decref(stats);
			conform_error(r, "%s", ocb_errmsg());
			return;
		}
	json_decref(stats);
	conform_summary(r, "%d of 3 stats agree with /proc/meminfo (tol max(10 %%, 3 sd))", 3 - bad);
	if (bad)
		conform_failf(r, "%s: %d balloon guest-stat(s) missing or off /proc/meminfo beyond tolerance",
			      vm->cfg.name, bad);
	else
		conform_pass(r, "%s", "");
}

/* ---- BAL-006: inflate under pressure ------------------------------------ */

#define PRESSURE_MIB 1024
#define PRESSURE_HOLD_NS (6 * 1000000000ull)	/* how long the balloon may work */
#define PROBE_NS (500 * 1000000ull)

/* Wait until the guest has given the pressure workload most of its size. */
static int wait_pressure(struct conform_ctx *c, struct vm *vm, double avail0, double *held)
{
	uint64_t deadline = mono_ns() + 20 * 1000000000ull;

	for (;;) {
		unsigned long long kib;

		if (conform_guest_meminfo(c, vm, "MemAvailable", &kib) < 0)
			return -1;
		*held = avail0 - (double)kib / 1024.0;
		if (*held >= PRESSURE_MIB * 0.9 || mono_ns() >= deadline)
			return 0;
		if (conform_sleep(c, 200 * 1000000ull) < 0)
			return -1;
	}
}

/* Inflate while probing the agent; max answer time into *worst.  0, -2
 * when the agent did not answer (the guest is not responsive: what the
 * check is about), -1 on another error (message). */
static int inflate_probing(struct conform_ctx *c, struct vm *vm, struct move *m, double *worst,
			   int *probes)
{
	static const char *const argv[] = { "true", NULL };
	/* The balloon's timeout bounds it too (tests shorten it). */
	uint64_t t0 = mono_ns(), hold = c->opt.balloon_timeout_ns;

	if (hold > PRESSURE_HOLD_NS)
		hold = PRESSURE_HOLD_NS;
	memset(m, 0, sizeof(*m));
	m->target = SMALL;
	*worst = 0;
	*probes = 0;
	if (vm->ops->balloon_get(vm, &m->from) < 0 || vm->ops->balloon_set(vm, SMALL) < 0)
		return -1;
	while (mono_ns() - t0 < hold) {
		struct agent_exec_result res;
		uint64_t p0 = mono_ns();
		double s;

		if (vm->ops->agent_exec(vm, argv, c->opt.cmd_timeout_ns, &res) < 0) {
			ocb_err_prefix("%s: guest agent did not answer during the inflate: ", vm->cfg.name);
			return -2;
		}
		agent_exec_result_release(&res);
		s = ns_to_s(mono_ns() - p0);
		if (s > *worst)
			*worst = s;
		(*probes)++;
		if (vm->ops->balloon_get(vm, &m->actual) < 0)
			return -1;
		if (m->actual <= SMALL + reach_tolerance(vm->cfg.memory_bytes)) {
			m->reached = 1;
			break;
		}
		if (conform_sleep(c, PROBE_NS) < 0)
			return -1;
	}
	m->seconds = ns_to_s(mono_ns() - t0);
	return 0;
}

static int stop_workload(struct conform_ctx *c, struct vm *vm, long long pid, json_t **doc,
			 struct agent_exec_result *res)
{
	char p[32];
	const char *argv[] = { "kill", "-TERM", p, NULL };
	struct agent_exec_result k;

	snprintf(p, sizeof(p), "%lld", pid);
	if (vm->ops->agent_exec(vm, argv, c->opt.cmd_timeout_ns, &k) == 0)
		agent_exec_result_release(&k);
	return conform_workload_wait(c, vm, "bal-006", pid, 30 * 1000000000ull, res, doc);
}

/* The memory pressure BAL-006 is about: pressure started and holding
 * 90 % of its size.  0, or -1 with r's ERROR set (the check could not
 * set up what it tests). */
static int start_pressure(struct conform_ctx *c, struct conform_result *r, struct vm *vm, long long *pid,
			  double *held)
{
	const char *const argv[] = { "pressure", "--size", "1024M", "--profile", "ramp:1s,hold:120s",
				     "--seed", "6", NULL };
	unsigned long long kib;

	if (conform_guest_meminfo(c, vm, "MemAvailable", &kib) < 0 ||
	    conform_workload_spawn(c, vm, "bal-006", argv, pid) < 0 ||
	    wait_pressure(c, vm, (double)kib / 1024.0, held) < 0) {
		conform_error(r, "starting the pressure workload: %s", ocb_errmsg());
		return -1;
	}
	if (*held < PRESSURE_MIB * 0.9) {
		json_t *doc = NULL;
		struct agent_exec_result res;

		if (stop_workload(c, vm, *pid, &doc, &res) == 0)
			agent_exec_result_release(&res);
		json_decref(doc);
		conform_error(r, "%s: the pressure workload held only %.0f of its %d MiB after 20 s: no memory "
			      "pressure to inflate against", vm->cfg.name, *held, PRESSURE_MIB);
		return -1;
	}
	return 0;
}

/* The verdict: the agent answered throughout (else inflate_probing
 * failed), the balloon took memory (any outcome but not-moved), and
 * pressure reported how it ended. */
static void bal_006_verdict(struct conform_ctx *c, struct conform_result *r, struct vm *vm, const struct move *m,
			    const char *outcome, const char *status)
{
	if (!strcmp(outcome, "not-moved")) {
		struct strbuf d = STRBUF_INIT;

		conform_diagnosis_note(r->evidence, conform_balloon_diagnosis(c, vm), &d);
		conform_failf(r, "%s: under pressure the balloon did not move at all in %.1f s (asked %.0f MiB, actual "
			      "%.0f MiB); %s", vm->cfg.name, m->seconds, bytes_to_mib(m->target),
			      bytes_to_mib(m->actual), d.buf);
		strbuf_release(&d);
	} else if (strcmp(status, "ok") && strcmp(status, "oom-killed")) {
		conform_error(r, "%s: the pressure workload ended with status '%s': how the inflate ended is unknown",
			      vm->cfg.name, status);
	} else if (ensure_at(c, vm, BOOT_MEM, r) == 0) {
		/* The fixture is left as found (an error there is this check's). */
		conform_pass(r, "%s", "");
	}
}

static void bal_006(struct conform_ctx *c, struct conform_result *r)
{
	struct vm *vm = fixture(c, r);
	struct agent_exec_result res;
	double held = 0, worst = 0;
	const char *outcome, *status = "no results";
	struct move m;
	long long pid;
	json_t *doc = NULL;
	int probes = 0, took, rc;

	if (!vm || ensure_at(c, vm, BOOT_MEM, r) < 0 || start_pressure(c, r, vm, &pid, &held) < 0)
		return;
	rc = inflate_probing(c, vm, &m, &worst, &probes);
	if (rc < 0) {
		char msg[OCB_ERR_MAX];

		snprintf(msg, sizeof(msg), "%s", ocb_errmsg());
		/* A guest that stops answering or dies under the inflate is the
		 * failure; a monitor command that fails is ours. */
		if (!vm->ops->alive(vm))
			conform_failf(r, "%s (and then: %s)", msg, ocb_errmsg());
		else if (rc == -2)
			conform_failf(r, "%s", msg);
		else
			conform_error(r, "%s", msg);
		return;
	}
	if (stop_workload(c, vm, pid, &doc, &res) == 0) {
		const char *s = json_string_value(json_object_get(doc, "status"));

		status = s ? s : status;
		agent_exec_result_release(&res);
	}
	took = m.actual < m.from && m.from - m.actual > reach_tolerance(vm->cfg.memory_bytes);
	outcome = !took ? "not-moved" : !strcmp(status, "oom-killed") ? "oom-in-guest" :
		  m.reached ? "reached" : "partial";
	move_evidence(r->evidence, "balloon", &m, vm->cfg.memory_bytes);
	json_object_set_new(r->evidence, "pressure",
			    json_pack("{s:i, s:f, s:s}", "size_mib", PRESSURE_MIB, "held_mib", held, "status",
				      status));
	json_object_set_new(r->evidence, "outcome", json_string(outcome));
	json_object_set_new(r->evidence, "rule", json_string("the agent answers every probe and the balloon takes "
							      "memory: reached, partial or oom-in-guest pass, "
							      "not-moved fails"));
	json_object_set_new(r->evidence, "agent",
			    json_pack("{s:i, s:f, s:f}", "probes", probes, "worst_answer_s", worst,
				      "timeout_s", ns_to_s(c->opt.cmd_timeout_ns)));
	conform_summary(r, "outcome %s (balloon %.0f->%.0f MiB, pressure held %.0f MiB); agent worst %.2f s",
			outcome, bytes_to_mib(m.from), bytes_to_mib(m.actual), held, worst);
	bal_006_verdict(c, r, vm, &m, outcome, status);
	json_decref(doc);
}

static const struct conform_check checks[] = {
	{ "BAL-001", "balloon", "inflate 2048->512 MiB: target reached, MemTotal falls by the same",
	  NEED_BALLOON, bal_001 },
	{ "BAL-002", "balloon", "deflate 512->2048 MiB restores MemTotal", NEED_BALLOON, bal_002 },
	{ "BAL-003", "balloon", "a target above boot memory is clamped to boot memory", NEED_BALLOON, bal_003 },
	{ "BAL-004", "balloon", "a guest without a balloon device reports the error clearly", 0, bal_004 },
	{ "BAL-005", "balloon", "balloon guest-stats are present and agree with /proc/meminfo",
	  NEED_BALLOON, bal_005 },
	{ "BAL-006", "balloon", "inflate under memory pressure: guest stays responsive, outcome reported",
	  NEED_BALLOON, bal_006 },
};

const struct conform_suite conform_suite_balloon = { "balloon", checks, sizeof(checks) / sizeof(checks[0]) };
