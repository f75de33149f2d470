/* host.c — see host.h. */
#include "sampler/host.h"
#include "host/cgroup.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/fsutil.h"
#include "host/ksm.h"
#include "host/uksm.h"
#include "sampler/ksm-history.h"
#include "util/meminfo.h"
#include "util/psi.h"
#include "util/strbuf.h"
#include "host/sysfs.h"
#include "vm/vm.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KB_PER_MIB 1024.0
/* smaps_rollup: at most once a second per QEMU, and all of them together
 * no more than this share of the time (its cost, wall time, is measured
 * each read: with 32 QEMUs booting, a read takes hundreds of ms, and a
 * share per QEMU would add up to a sixth of the loop). */
#define ROLLUP_MIN_PERIOD_NS (1000 * 1000000ull)
#define ROLLUP_MAX_DUTY 0.005

static double page_mib(void)
{
	return (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

static double max_d(double a, double b)
{
	return a > b ? a : b;
}

/* root + rel: a file the kernel spells rel ("/proc/meminfo"). */
static int read_host_file(const struct sampler *s, const char *rel, struct strbuf *out)
{
	struct strbuf p = STRBUF_INIT;
	int rc;

	sysfs_path(sampler_root(s), rel, &p);
	rc = read_file(p.buf, out);
	strbuf_release(&p);
	return rc;
}

/* ---- ksm: host-wide KSM (and UKSM) counters ----------------------------- */

struct ksm_state {
	double peak_sharing, last_sharing, peak_profit;
	int have_profit, n;
	struct ksm_history hist;
};

static void ksm_fini(void *state)
{
	struct ksm_state *k = state;

	ksm_history_release(&k->hist);
	free(k);
}

static int ksm_init(struct sampler *s, void **state, char *why, size_t len)
{
	if (!ksm_present(sampler_root(s)) && !uksm_present(sampler_root(s))) {
		snprintf(why, len, "no KSM on this kernel (%s missing)", KSM_DIR);
		return 1;
	}
	{
		struct ksm_state *k = xcalloc(1, sizeof(*k));

		ksm_history_init(&k->hist);
		*state = k;
	}
	return 0;
}

static int ksm_sample(struct sampler *s, void *state)
{
	struct ksm_state *k = state;
	json_t *c = ksm_counters(sampler_root(s)), *v;
	const char *key;

	json_object_foreach(c, key, v) {
		if (json_is_integer(v))
			sampler_put(s, key, (double)json_integer_value(v));
	}
	if ((v = json_object_get(c, "pages_sharing"))) {
		k->last_sharing = (double)json_integer_value(v);
		k->peak_sharing = k->n++ ? max_d(k->peak_sharing, k->last_sharing) : k->last_sharing;
		ksm_history_add(&k->hist, sampler_now_ns(s), k->last_sharing);
	}
	if ((v = json_object_get(c, "general_profit"))) {
		double p = (double)json_integer_value(v);

		k->peak_profit = k->have_profit ? max_d(k->peak_profit, p) : p;
		k->have_profit = 1;
	}
	json_decref(c);
	return 0;
}

static void ksm_summary(struct sampler *s, void *state)
{
	struct ksm_state *k = state;

	if (!k->n)
		return;
	/* host-wide: any other QEMU on the machine merges too */
	sampler_metric(s, "ksm_saved_mib", k->peak_sharing * page_mib(), "MiB", "higher");
	sampler_metric(s, "ksm_saved_final_mib", k->last_sharing * page_mib(), "MiB", "higher");
	if (k->have_profit)
		sampler_metric(s, "ksm_general_profit_mib", k->peak_profit / 1048576.0, "MiB", "higher");
}

const struct sampler_source_ops sampler_ksm_source = {
	.name = "ksm",
	.init = ksm_init,
	.sample = ksm_sample,
	.summary = ksm_summary,
	.fini = ksm_fini,
};

const struct ksm_history *sampler_ksm_local_history(struct sampler *s)
{
	struct ksm_state *k = sampler_source_state(s, &sampler_ksm_source);

	return k ? &k->hist : NULL;
}

/* ---- host: /proc/meminfo ------------------------------------------------ */

static const char *const host_mib_fields[] = {
	"MemFree", "MemAvailable", "SwapTotal", "SwapFree", "AnonHugePages", "MemTotal", "Buffers",
	"Cached", NULL,
};

/* "NAME N" of /proc/vmstat, or -1. */
static double vmstat_field(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, name, n) && l[n] == ' ')
			return strtod(l + n + 1, NULL);
	return -1;
}

/* Host swap traffic (pswpin/pswpout, pages since boot) and memory PSI
 * totals (psi_some_us/psi_full_us): what the policies observe.  A kernel
 * without PSI simply gives no rows. */
static void host_pressure_rows(struct sampler *s)
{
	struct strbuf text = STRBUF_INIT;
	double some, full, v;

	if (read_host_file(s, "/proc/vmstat", &text) == 0) {
		if ((v = vmstat_field(text.buf, "pswpin")) >= 0)
			sampler_put(s, "pswpin", v);
		if ((v = vmstat_field(text.buf, "pswpout")) >= 0)
			sampler_put(s, "pswpout", v);
	}
	strbuf_reset(&text);
	if (read_host_file(s, "/proc/pressure/memory", &text) == 0 &&
	    psi_parse_totals(text.buf, &some, &full) == 0) {
		sampler_put(s, "psi_some_us", some);
		if (full >= 0)
			sampler_put(s, "psi_full_us", full);
	}
	ocb_err_clear();
	strbuf_release(&text);
}
static const char *const host_count_fields[] = { "HugePages_Free", "HugePages_Total", NULL };

struct host_state {
	double memtotal_mib;
	double min_available, peak_swap_used;
	int n, have_swap;
};

static int host_init(struct sampler *s, void **state, char *why, size_t len)
{
	struct host_state *h = calloc(1, sizeof(*h));

	if (!h)
		return ocb_fail("out of memory");
	*state = h;
	return 0;
}

static int host_sample(struct sampler *s, void *state)
{
	struct host_state *h = state;
	struct strbuf text = STRBUF_INIT;
	double avail = -1, total = -1, sfree = -1;
	long long v;

	if (read_host_file(s, "/proc/meminfo", &text) < 0) {
		strbuf_release(&text);
		return -1;
	}
	for (size_t i = 0; host_mib_fields[i]; i++) {
		if (meminfo_text_field(text.buf, host_mib_fields[i], &v) < 0)
			continue;
		sampler_putf(s, v / KB_PER_MIB, "%s_mib", host_mib_fields[i]);
		if (!strcmp(host_mib_fields[i], "MemAvailable"))
			avail = v / KB_PER_MIB;
		else if (!strcmp(host_mib_fields[i], "SwapTotal"))
			total = v / KB_PER_MIB;
		else if (!strcmp(host_mib_fields[i], "SwapFree"))
			sfree = v / KB_PER_MIB;
	}
	for (size_t i = 0; host_count_fields[i]; i++)
		if (meminfo_text_field(text.buf, host_count_fields[i], &v) == 0)
			sampler_put(s, host_count_fields[i], v);
	if (meminfo_text_field(text.buf, "MemTotal", &v) == 0)
		h->memtotal_mib = v / KB_PER_MIB;
	host_pressure_rows(s);
	if (avail >= 0)
		h->min_available = h->n++ ? (avail < h->min_available ? avail : h->min_available) : avail;
	if (total >= 0 && sfree >= 0) {
		h->peak_swap_used = h->have_swap ? max_d(h->peak_swap_used, total - sfree) : total - sfree;
		h->have_swap = 1;
	}
	strbuf_release(&text);
	return 0;
}

static void host_summary(struct sampler *s, void *state)
{
	struct host_state *h = state;

	if (h->n)
		sampler_metric(s, "host_memavailable_min_mib", h->min_available, "MiB", "higher");
	if (h->have_swap)
		sampler_metric(s, "host_swap_used_peak_mib", h->peak_swap_used, "MiB", "lower");
}

const struct sampler_source_ops sampler_host_source = {
	.name = "host",
	.init = host_init,
	.sample = host_sample,
	.summary = host_summary,
	.fini = free,
};

/* ---- qemu: each QEMU's memory from /proc/PID ---------------------------- */

struct qemu_proc {
	/* latest values, MiB; -1 unknown */
	double rss, swap, pss, ksm_merging;
	double peak_rss, peak_ksm_merging;
	uint64_t next_rollup_ns;
	int have_rss;
	int rolled;		/* its PSS was read in the current round */
};

struct qemu_state {
	struct qemu_proc *p;
	size_t n;
	size_t rollup_next;		/* round robin over QEMUs */
	uint64_t rollup_any_ns;		/* no smaps_rollup of any QEMU before */
	double peak_rss_sum, peak_pss_sum, peak_swap_sum, peak_ksm_sum;
	int have_pss;
	double declared_mib, cap_mib;
};

/* What the guests may use on this host: the cgroup cap, else MemTotal. */
static double host_capacity_mib(struct sampler *s)
{
	struct strbuf text = STRBUF_INIT;
	struct cgroup_stats st;
	long long kib;
	double v = 0;

	if (sampler_cgroup_dir(s) && cgroup_read_stats(sampler_cgroup_dir(s), &st) == 0 &&
	    st.limit != UINT64_MAX)
		v = (double)st.limit / 1048576.0;
	else if (read_host_file(s, "/proc/meminfo", &text) == 0 &&
		 meminfo_text_field(text.buf, "MemTotal", &kib) == 0)
		v = kib / KB_PER_MIB;
	ocb_err_clear();
	strbuf_release(&text);
	return v;
}

static int qemu_init(struct sampler *s, void **state, char *why, size_t len)
{
	struct qemu_state *q = calloc(1, sizeof(*q));

	if (!q)
		return ocb_fail("out of memory");
	q->n = sampler_nvms(s);
	q->p = calloc(q->n ? q->n : 1, sizeof(*q->p));
	if (!q->p) {
		free(q);
		return ocb_fail("out of memory");
	}
	for (size_t i = 0; i < q->n; i++) {
		q->p[i].pss = q->p[i].ksm_merging = -1;
		q->declared_mib += bytes_to_mib(sampler_vm(s, i)->cfg.memory_bytes);
	}
	q->cap_mib = host_capacity_mib(s);
	*state = q;
	return 0;
}

static int proc_file(struct sampler *s, pid_t pid, const char *name, struct strbuf *out)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "/proc/%ld/%s", (long)pid, name);
	return read_host_file(s, rel, out);
}

/* VmRSS / VmSwap: kernel counters, cheap at any rate. */
static int sample_status(struct sampler *s, const char *g, pid_t pid, struct qemu_proc *p)
{
	struct strbuf t = STRBUF_INIT;
	long long v;

	if (proc_file(s, pid, "status", &t) < 0) {
		strbuf_release(&t);
		return ocb_err_prefix("%s (QEMU pid %ld): ", g, (long)pid);
	}
	if (meminfo_text_field(t.buf, "VmRSS", &v) == 0) {
		p->rss = v / KB_PER_MIB;
		p->peak_rss = p->have_rss ? max_d(p->peak_rss, p->rss) : p->rss;
		p->have_rss = 1;
		sampler_putf(s, p->rss, "%s.rss_mib", g);
	}
	if (meminfo_text_field(t.buf, "VmSwap", &v) == 0) {
		p->swap = v / KB_PER_MIB;
		sampler_putf(s, p->swap, "%s.swap_mib", g);
	}
	strbuf_release(&t);
	return 0;
}

/* ksm_merging_pages and ksm_stat (Linux 6.1+ / 6.5+): absent is fine. */
static void sample_ksm(struct sampler *s, const char *g, pid_t pid, struct qemu_proc *p)
{
	struct strbuf t = STRBUF_INIT;
	long long v;

	if (proc_file(s, pid, "ksm_merging_pages", &t) == 0) {
		p->ksm_merging = strtod(t.buf, NULL) * page_mib();
		p->peak_ksm_merging = max_d(p->peak_ksm_merging, p->ksm_merging);
		sampler_putf(s, strtod(t.buf, NULL), "%s.ksm_merging_pages", g);
	}
	strbuf_reset(&t);
	if (proc_file(s, pid, "ksm_stat", &t) == 0) {
		/* "ksm_process_profit 123" (no colon): make it /proc-style */
		for (char *c = t.buf; *c; c++)
			if (*c == ' ' && c > t.buf && c[-1] != ' ' && c[-1] != ':')
				*c = ':';
		if (meminfo_text_field(t.buf, "ksm_zero_pages", &v) == 0)
			sampler_putf(s, v, "%s.ksm_zero_pages", g);
		if (meminfo_text_field(t.buf, "ksm_process_profit", &v) == 0)
			sampler_putf(s, v / 1048576.0, "%s.ksm_process_profit_mib", g);
	}
	ocb_err_clear();
	strbuf_release(&t);
}

/* PSS and AnonHugePages: expensive (a page-table walk), so rationed:
 * when the next read of this QEMU, and of any, may come. */
static void sample_rollup(struct sampler *s, const char *g, pid_t pid, struct qemu_proc *p,
			  uint64_t *any_ns)
{
	struct strbuf t = STRBUF_INIT;
	uint64_t t0 = mono_ns(), cost, wait;
	long long v;

	if (proc_file(s, pid, "smaps_rollup", &t) == 0) {
		if (meminfo_text_field(t.buf, "Pss", &v) == 0) {
			p->pss = v / KB_PER_MIB;
			sampler_putf(s, p->pss, "%s.pss_mib", g);
		}
		if (meminfo_text_field(t.buf, "AnonHugePages", &v) == 0)
			sampler_putf(s, v / KB_PER_MIB, "%s.anon_huge_mib", g);
		if (meminfo_text_field(t.buf, "SwapPss", &v) == 0)
			sampler_putf(s, v / KB_PER_MIB, "%s.swap_pss_mib", g);
	}
	ocb_err_clear();
	strbuf_release(&t);
	cost = mono_ns() - t0;
	wait = (uint64_t)((double)cost / ROLLUP_MAX_DUTY);
	p->next_rollup_ns = t0 + (wait > ROLLUP_MIN_PERIOD_NS ? wait : ROLLUP_MIN_PERIOD_NS);
	*any_ns = t0 + wait;
}

static int qemu_sample(struct sampler *s, void *state)
{
	struct qemu_state *q = state;
	double rss = 0, pss = 0, swap = 0, ksm = 0;
	int rc = 0, have_pss = 1, rolled = 0;
	uint64_t now = mono_ns();
	size_t start = q->rollup_next;

	for (size_t k = 0; k < q->n; k++) {
		/* one smaps_rollup per tick, starting after the last one read */
		size_t i = (start + k) % q->n;
		struct vm *vm = sampler_vm(s, i);
		pid_t pid = vm->ops->pid ? vm->ops->pid(vm) : -1;
		struct qemu_proc *p = &q->p[i];

		if (pid <= 0)
			continue;
		if (sample_status(s, vm->cfg.name, pid, p) < 0) {
			rc = -1;	/* gone: the runner notices; say so once */
			continue;
		}
		sample_ksm(s, vm->cfg.name, pid, p);
		if (!rolled && now >= p->next_rollup_ns && now >= q->rollup_any_ns && !sampler_slow_held(s)) {
			sample_rollup(s, vm->cfg.name, pid, p, &q->rollup_any_ns);
			q->rollup_next = (i + 1) % q->n;
			p->rolled = rolled = 1;
		}
		rss += p->rss;
		swap += p->swap;
		ksm += p->ksm_merging > 0 ? p->ksm_merging : 0;
		if (p->pss < 0 || !p->rolled)
			have_pss = 0;
		else
			pss += p->pss;
	}
	q->peak_rss_sum = max_d(q->peak_rss_sum, rss);
	q->peak_swap_sum = max_d(q->peak_swap_sum, swap);
	q->peak_ksm_sum = max_d(q->peak_ksm_sum, ksm);
	/* PSS is read for one QEMU a tick: the sum counts once a round has
	 * read every QEMU, so its terms are at most one round apart, never a
	 * stale value mixed with newer ones of the others (a sum over some
	 * QEMUs only would understate the peak) */
	if (have_pss && q->n) {
		q->peak_pss_sum = max_d(q->peak_pss_sum, pss);
		q->have_pss = 1;
		for (size_t i = 0; i < q->n; i++)
			q->p[i].rolled = 0;
	}
	return rc;
}

#define NO_KSM_MERGING "no /proc/PID/ksm_merging_pages for the QEMU processes (Linux 6.1+)"

static int any_ksm_merging(const struct qemu_state *q)
{
	for (size_t i = 0; i < q->n; i++)
		if (q->p[i].ksm_merging >= 0)
			return 1;
	return 0;
}

static void qemu_summary(struct sampler *s, void *state)
{
	struct qemu_state *q = state;
	double measured;

	for (size_t i = 0; i < q->n; i++) {
		const char *g = sampler_vm(s, i)->cfg.name;
		char name[160];

		if (!q->p[i].have_rss)
			continue;
		snprintf(name, sizeof(name), "%s.qemu_rss_peak_mib", g);
		sampler_metric(s, name, q->p[i].peak_rss, "MiB", "lower");
		/* 0 merged is a measurement too: written in every run */
		snprintf(name, sizeof(name), "%s.ksm_merging_peak_mib", g);
		if (q->p[i].ksm_merging >= 0)
			sampler_metric(s, name, q->p[i].peak_ksm_merging, "MiB", "higher");
		else
			sampler_metric_missing(s, name, "MiB", "higher", NO_KSM_MERGING);
	}
	if (q->peak_rss_sum <= 0)
		return;
	sampler_metric(s, "qemu_rss_peak_mib", q->peak_rss_sum, "MiB", "lower");
	if (q->have_pss)
		sampler_metric(s, "qemu_pss_peak_mib", q->peak_pss_sum, "MiB", "lower");
	sampler_metric(s, "qemu_swap_peak_mib", q->peak_swap_sum, "MiB", "lower");
	if (any_ksm_merging(q))
		sampler_metric(s, "ksm_merging_peak_mib", q->peak_ksm_sum, "MiB", "higher");
	else
		sampler_metric_missing(s, "ksm_merging_peak_mib", "MiB", "higher", NO_KSM_MERGING);
	sampler_metric(s, "guest_memory_declared_mib", q->declared_mib, "MiB", "higher");
	if (q->cap_mib > 0)
		sampler_metric(s, "overcommit_declared", q->declared_mib / q->cap_mib, "x", "higher");
	/* PSS shares KSM-merged and other shared pages among their users:
	 * the fair measure of what the guests cost the host */
	measured = q->have_pss ? q->peak_pss_sum : q->peak_rss_sum;
	sampler_metric(s, "overcommit_measured", q->declared_mib / measured, "x", "higher");
}

static void qemu_fini(void *state)
{
	struct qemu_state *q = state;

	if (!q)
		return;
	free(q->p);
	free(q);
}

const struct sampler_source_ops sampler_qemu_source = {
	.name = "qemu",
	.init = qemu_init,
	.sample = qemu_sample,
	.summary = qemu_summary,
	.fini = qemu_fini,
};

/* ---- cgroup: the run's memory cap ---------------------------------------- */

struct cgroup_state {
	double peak_mib;
	struct cgroup_stats last;
	int n;
};

static int cgroup_init(struct sampler *s, void **state, char *why, size_t len)
{
	if (!sampler_cgroup_dir(s)) {
		snprintf(why, len, "no host_memory_limit in this scenario");
		return 1;
	}
	*state = calloc(1, sizeof(struct cgroup_state));
	return *state ? 0 : ocb_fail("out of memory");
}

static int cgroup_sample(struct sampler *s, void *state)
{
	struct cgroup_state *c = state;
	struct cgroup_stats st;
	double cur;

	if (cgroup_read_stats(sampler_cgroup_dir(s), &st) < 0)
		return -1;
	cur = (double)st.current / 1048576.0;
	sampler_put(s, "memory_current_mib", cur);
	sampler_put(s, "max_events", (double)st.max_events);
	sampler_put(s, "oom_events", (double)st.oom_events);
	sampler_put(s, "oom_kill", (double)st.oom_kill);
	if (st.limit != UINT64_MAX)
		sampler_put(s, "limit_mib", (double)st.limit / 1048576.0);
	c->peak_mib = max_d(c->peak_mib, max_d(cur, (double)st.peak / 1048576.0));
	c->last = st;
	c->n++;
	return 0;
}

static void cgroup_summary(struct sampler *s, void *state)
{
	struct cgroup_state *c = state;
	struct cgroup_stats st;

	/* the kernel's own peak and counts are the final word */
	if (cgroup_read_stats(sampler_cgroup_dir(s), &st) == 0) {
		c->peak_mib = max_d(c->peak_mib, (double)st.peak / 1048576.0);
		c->last = st;
		c->n++;
	}
	ocb_err_clear();
	if (!c->n)
		return;
	sampler_metric(s, "cgroup_peak_mib", c->peak_mib, "MiB", "lower");
	if (c->last.limit != UINT64_MAX)
		sampler_metric(s, "cgroup_limit_mib", (double)c->last.limit / 1048576.0, "MiB", "lower");
	sampler_metric(s, "cgroup_max_events", (double)c->last.max_events, "events", "lower");
	sampler_metric(s, "cgroup_oom_events", (double)c->last.oom_events, "events", "lower");
	sampler_metric(s, "cgroup_oom_kill", (double)c->last.oom_kill, "processes", "lower");
}

const struct sampler_source_ops sampler_cgroup_source = {
	.name = "cgroup",
	.init = cgroup_init,
	.sample = cgroup_sample,
	.summary = cgroup_summary,
	.fini = free,
};
