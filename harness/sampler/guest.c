/* guest.c — see guest.h. */
#include "sampler/guest.h"
#include "sampler/agent-job.h"
#include "sampler/ask.h"
#include "guest/agent-cmds.h"
#include "util/clock.h"
#include "util/error.h"
#include "guest/guestmem.h"
#include "util/meminfo.h"
#include "util/psi.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vm/vm.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A guest whose agent failed is left alone this long (a guest under
 * memory pressure answers late; asking again at once only piles up). */
#define AGENT_BACKOFF_NS (5 * 1000000000ull)
#define AGENT_PERIOD_NS (1000000000ull / SAMPLER_AGENT_HZ)

/* ---- balloon: actual size over QMP --------------------------------------- */

static int has_balloon(const struct vm *vm)
{
	return vm->cfg.balloon;
}

static int balloon_wait(struct vm *vm, struct vm_answer *a)
{
	return vm->ops->balloon_get(vm, &a->actual);
}

static void balloon_put(struct sampler *s, struct vm *vm, const struct vm_answer *a)
{
	sampler_putf(s, bytes_to_mib(a->actual), "%s.actual_mib", vm->cfg.name);
	sampler_putf(s, bytes_to_mib(vm->cfg.memory_bytes), "%s.max_mib", vm->cfg.name);
}

static const struct ask_kind balloon_kind = {
	VM_QUERY_BALLOON, "balloon actual", has_balloon, balloon_wait, balloon_put,
};

static int balloon_init(struct sampler *s, void **state, char *why, size_t len)
{
	return ask_init(s, state, &balloon_kind, why, len, "no guest has a balloon device");
}

const struct sampler_source_ops sampler_balloon_source = {
	.name = "balloon",
	.init = balloon_init,
	.sample = ask_round,
	.collect = ask_collect,
	.fini = ask_free,
};

/* ---- balloonstats: the balloon's guest-stats ------------------------------ */

static int has_stats(const struct vm *vm)
{
	return vm->cfg.balloon && vm->cfg.stats_period_s;
}

static int stats_wait(struct vm *vm, struct vm_answer *a)
{
	return vm->ops->balloon_stats(vm, &a->stats);
}

/* QEMU reports the memory statistics in bytes (stat-*-memory,
 * stat-disk-caches), the rest as counts of events or pages. */
static int stat_is_bytes(const char *key)
{
	size_t n = strlen(key);

	return (n > 7 && !strcmp(key + n - 7, "-memory")) || !strcmp(key, "stat-disk-caches");
}

static void stats_put(struct sampler *s, struct vm *vm, const struct vm_answer *a)
{
	const char *key;
	json_t *v;

	/* -1: the guest has not reported that statistic */
	json_object_foreach(a->stats, key, v) {
		if (!json_is_number(v) || json_number_value(v) < 0)
			continue;
		if (stat_is_bytes(key))	/* in MiB, as every memory series */
			sampler_putf(s, json_number_value(v) / 1048576.0, "%s.%s_mib", vm->cfg.name, key);
		else
			sampler_putf(s, json_number_value(v), "%s.%s", vm->cfg.name, key);
	}
}

static const struct ask_kind stats_kind = {
	VM_QUERY_BALLOON_STATS, "balloon guest-stats", has_stats, stats_wait, stats_put,
};

static int stats_init(struct sampler *s, void **state, char *why, size_t len)
{
	return ask_init(s, state, &stats_kind, why, len,
			"no guest has balloon guest-stats polling (balloon.stats_period)");
}

const struct sampler_source_ops sampler_balloonstats_source = {
	.name = "balloonstats",
	.max_hz = SAMPLER_AGENT_HZ,
	.init = stats_init,
	.sample = ask_round,
	.collect = ask_collect,
	.fini = ask_free,
};

/* ---- guest: `free -m` and /proc/meminfo through the agent ---------------- */

enum guest_job { JOB_FREE, JOB_MEMINFO, JOB_PSI, N_JOBS };

/* A backend with agent_send carries at most this many questions at once
 * (one started a tick: the guests' agents are asked no more often than
 * the waiting way asked them), each given up after AGENT_JOB_TIMEOUT_NS. */
#define AGENT_MAX_OUT 4
#define AGENT_JOB_TIMEOUT_NS (10 * 1000000000ull)

struct guest_state {
	/* per guest and job: when it is due next */
	uint64_t (*due)[N_JOBS];
	unsigned char *no_psi;	/* per guest: its kernel has no /proc/pressure */
	struct guest_out {	/* per guest: the question out, if any */
		int job;	/* -1 none */
		uint64_t t_ms, since_ns;
		struct agent_job aj;
	} *out;
	size_t n, n_out;
};

static const char *const guest_meminfo_fields[] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree",
	"AnonHugePages", "Shmem", NULL,
};

static const char *const free_argv[] = { "free", "-m", NULL };
static const char *const job_path[N_JOBS] = {
	[JOB_MEMINFO] = "/proc/meminfo", [JOB_PSI] = "/proc/pressure/memory",
};

static void guest_fini(void *state)
{
	struct guest_state *g = state;

	if (!g)
		return;
	for (size_t i = 0; g->out && i < g->n; i++)
		agent_job_release(&g->out[i].aj);
	free(g->due);
	free(g->no_psi);
	free(g->out);
	free(g);
}

static int guest_init(struct sampler *s, void **state, char *why, size_t len)
{
	struct guest_state *g;

	if (!sampler_nvms(s)) {
		snprintf(why, len, "no guests");
		return 1;
	}
	g = xcalloc(1, sizeof(*g));
	g->n = sampler_nvms(s);
	g->due = xcalloc(g->n, sizeof(*g->due));
	g->no_psi = xcalloc(g->n, 1);
	g->out = xcalloc(g->n, sizeof(*g->out));
	for (size_t i = 0; i < g->n; i++)
		g->out[i].job = -1;
	*state = g;
	return 0;
}

static int put_free(struct sampler *s, struct vm *vm, const struct agent_exec_result *r)
{
	const char *g = vm->cfg.name;
	struct free_sample f;

	if (!r->exited || r->exitcode != 0)
		return ocb_fail("%s: `free -m` in the guest exited with %d: %.200s", g, r->exitcode,
				strbuf_str(&r->err));
	if (free_parse(strbuf_str(&r->out), &f) < 0)
		return ocb_err_prefix("%s: ", g);
	sampler_putf(s, (double)f.total, "%s.free_total_mib", g);
	sampler_putf(s, (double)f.used, "%s.free_used_mib", g);
	sampler_putf(s, (double)f.free, "%s.free_free_mib", g);
	sampler_putf(s, (double)f.buff_cache, "%s.free_buff_cache_mib", g);
	if (f.available >= 0)
		sampler_putf(s, (double)f.available, "%s.free_available_mib", g);
	return 0;
}

static void put_meminfo(struct sampler *s, struct vm *vm, const char *text)
{
	long long v;

	for (size_t i = 0; guest_meminfo_fields[i]; i++)
		if (meminfo_text_field(text, guest_meminfo_fields[i], &v) == 0)
			sampler_putf(s, v / 1024.0, "%s.%s_mib", vm->cfg.name, guest_meminfo_fields[i]);
}

/* The guest's memory PSI totals (psi_some_us, psi_full_us), what the psi
 * policy follows.  1 when the guest kernel has none (no psi=1): the job
 * is dropped for that guest, the others go on. */
static int put_psi(struct sampler *s, struct vm *vm, const char *text)
{
	double some, full;

	if (psi_parse_totals(text, &some, &full) < 0) {
		ocb_err_clear();
		return 1;
	}
	sampler_putf(s, some, "%s.psi_some_us", vm->cfg.name);
	if (full >= 0)
		sampler_putf(s, full, "%s.psi_full_us", vm->cfg.name);
	return 0;
}

/* A job's answer into rows: 0, 1 no PSI, -1 (message set). */
static int put_job(struct sampler *s, struct vm *vm, int job, const struct agent_exec_result *r,
		   const char *text)
{
	if (job == JOB_FREE)
		return put_free(s, vm, r);
	if (job == JOB_PSI)
		return put_psi(s, vm, text);
	put_meminfo(s, vm, text);
	return 0;
}

/* A job the waiting way (a backend without agent_send), each question
 * bounded by SAMPLER_AGENT_TIMEOUT_NS. */
static int job_wait(struct sampler *s, struct vm *vm, int job)
{
	struct agent_exec_result r;
	struct strbuf text = STRBUF_INIT;
	int rc;

	memset(&r, 0, sizeof(r));
	if (job == JOB_FREE)
		rc = vm->ops->agent_exec(vm, free_argv, SAMPLER_AGENT_TIMEOUT_NS, &r) < 0 ?
		     ocb_err_prefix("%s: free -m: ", vm->cfg.name) : put_job(s, vm, job, &r, text.buf);
	else if (vm->ops->agent_read_file(vm, job_path[job], &text, SAMPLER_AGENT_TIMEOUT_NS) < 0)
		rc = job == JOB_PSI ? 1 : ocb_err_prefix("%s: ", vm->cfg.name);
	else
		rc = put_job(s, vm, job, &r, text.buf);
	agent_exec_result_release(&r);
	strbuf_release(&text);
	return rc;
}

/* The most overdue job of a ready guest with no question out, or 0 when
 * none is due. */
static int pick_job(struct sampler *s, struct guest_state *g, uint64_t now, size_t *gi, int *job)
{
	uint64_t best = UINT64_MAX;

	for (size_t i = 0; i < g->n; i++) {
		if (!sampler_vm_ready(sampler_vm(s, i)) || g->out[i].job >= 0)
			continue;
		for (int j = 0; j < N_JOBS; j++) {
			if (j == JOB_PSI && (g->no_psi[i] || !sampler_guest_psi_wanted(s)))
				continue;
			if (g->due[i][j] <= now && g->due[i][j] < best) {
				best = g->due[i][j];
				*gi = i;
				*job = j;
			}
		}
	}
	return best != UINT64_MAX;
}

/* A job of guest i is over (rc: 0 done, 1 no PSI, -1 failed, -2 given up
 * without a failure): when the next is due. */
static int job_done(struct guest_state *g, size_t i, int job, int rc, uint64_t now)
{
	if (rc > 0)
		g->no_psi[i] = 1;
	if (rc == -1) {
		for (int j = 0; j < N_JOBS; j++)
			g->due[i][j] = now + AGENT_BACKOFF_NS;
		return -1;
	}
	/* first round: spread the jobs over the period */
	if (!g->due[i][job] && job == JOB_FREE) {
		g->due[i][JOB_MEMINFO] = now + AGENT_PERIOD_NS / 3;
		g->due[i][JOB_PSI] = now + 2 * AGENT_PERIOD_NS / 3;
	}
	g->due[i][job] = now + (rc == -2 ? 0 : AGENT_PERIOD_NS);
	return 0;
}

/* The questions out: a step each (their answers, when they came). */
static int guest_collect(struct sampler *s, void *state)
{
	struct guest_state *g = state;
	uint64_t now = mono_ns();
	int rc = 0;

	for (size_t i = 0; g->n_out && i < g->n; i++) {
		struct guest_out *o = &g->out[i];
		struct vm *vm = sampler_vm(s, i);
		int r;

		if (o->job < 0)
			continue;
		r = agent_job_step(&o->aj);
		if (r == 0 && now - o->since_ns < AGENT_JOB_TIMEOUT_NS)
			continue;
		if (r == 0)
			r = ocb_fail("%s: guest agent: no answer to %s within %.0f s", vm->cfg.name,
				     o->aj.argv ? "free -m" : o->aj.path, ns_to_s(AGENT_JOB_TIMEOUT_NS));
		else if (r == -1)
			ocb_err_prefix("%s: %s: ", vm->cfg.name, o->aj.argv ? "free -m" : o->aj.path);
		if (r == 1) {
			sampler_set_row_t_ms(s, o->t_ms);
			r = put_job(s, vm, o->job, &o->aj.res, o->aj.text.buf);
		}
		if (o->job == JOB_PSI && r == -1)
			r = 1;	/* no /proc/pressure: that job stops, nothing failed */
		if (job_done(g, i, o->job, r, now) < 0)
			rc = -1;
		agent_job_release(&o->aj);
		o->job = -1;
		g->n_out--;
	}
	return rc;
}

/* One agent question started per tick at most: the agent under TCG takes
 * 10-50 ms an answer (seconds when the CPUs are busy).  With agent_send
 * it is carried without waiting (agent-job.h); else it is asked and
 * waited for, bounded. */
static int guest_sample(struct sampler *s, void *state)
{
	struct guest_state *g = state;
	uint64_t now = mono_ns();
	struct guest_out *o;
	struct vm *vm;
	size_t i = 0;
	int job = 0;

	if (g->n_out >= AGENT_MAX_OUT || !pick_job(s, g, now, &i, &job))
		return 0;
	vm = sampler_vm(s, i);
	if (!vm->ops->agent_send || !vm->ops->agent_take)
		return job_done(g, i, job, job_wait(s, vm, job), now);
	o = &g->out[i];
	o->job = job;
	o->t_ms = sampler_row_t_ms(s);
	o->since_ns = now;
	agent_job_start(&o->aj, vm, job == JOB_FREE ? free_argv : NULL, job_path[job]);
	g->n_out++;
	return guest_collect(s, g);	/* its first command goes out now */
}

const struct sampler_source_ops sampler_guest_source = {
	.name = "guest",
	.flags = SAMPLER_SRC_SLOW,	/* agent round trips (the waiting way) */
	.init = guest_init,
	.sample = guest_sample,
	.collect = guest_collect,
	.fini = guest_fini,
};
