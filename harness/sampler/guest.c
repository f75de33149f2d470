/* guest.c — see guest.h. */
#include "sampler/guest.h"
#include "sampler/ask.h"
#include "guest/agent-cmds.h"
#include "util/clock.h"
#include "util/error.h"
#include "guest/guestmem.h"
#include "util/meminfo.h"
#include "util/psi.h"
#include "util/strbuf.h"
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
	for (size_t i = 0; i < sampler_nvms(s); i++)
		if (sampler_vm(s, i)->cfg.balloon) {
			*state = ask_new(s, &balloon_kind);
			return 0;
		}
	snprintf(why, len, "no guest has a balloon device");
	return 1;
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
	for (size_t i = 0; i < sampler_nvms(s); i++) {
		if (has_stats(sampler_vm(s, i))) {
			*state = ask_new(s, &stats_kind);
			return 0;
		}
	}
	snprintf(why, len, "no guest has balloon guest-stats polling (balloon.stats_period)");
	return 1;
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

struct guest_state {
	/* per guest and job: when it is due next */
	uint64_t (*due)[N_JOBS];
	unsigned char *no_psi;	/* per guest: its kernel has no /proc/pressure */
	size_t n;
};

static const char *const guest_meminfo_fields[] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree",
	"AnonHugePages", "Shmem", NULL,
};

static int guest_init(struct sampler *s, void **state, char *why, size_t len)
{
	struct guest_state *g;

	if (!sampler_nvms(s)) {
		snprintf(why, len, "no guests");
		return 1;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return ocb_fail("out of memory");
	g->n = sampler_nvms(s);
	g->due = calloc(g->n, sizeof(*g->due));
	g->no_psi = calloc(g->n, 1);
	if (!g->due || !g->no_psi) {
		free(g->due);
		free(g->no_psi);
		free(g);
		return ocb_fail("out of memory");
	}
	*state = g;
	return 0;
}

static int job_free(struct sampler *s, struct vm *vm)
{
	static const char *const argv[] = { "free", "-m", NULL };
	struct agent_exec_result r;
	struct free_sample f;
	const char *g = vm->cfg.name;
	int rc = 0;

	if (vm->ops->agent_exec(vm, argv, SAMPLER_AGENT_TIMEOUT_NS, &r) < 0)
		return ocb_err_prefix("%s: free -m: ", g);
	if (!r.exited || r.exitcode != 0)
		rc = ocb_fail("%s: `free -m` in the guest exited with %d: %.200s", g, r.exitcode,
			      strbuf_str(&r.err));
	else if (free_parse(strbuf_str(&r.out), &f) < 0)
		rc = ocb_err_prefix("%s: ", g);
	agent_exec_result_release(&r);
	if (rc < 0)
		return -1;
	sampler_putf(s, (double)f.total, "%s.free_total_mib", g);
	sampler_putf(s, (double)f.used, "%s.free_used_mib", g);
	sampler_putf(s, (double)f.free, "%s.free_free_mib", g);
	sampler_putf(s, (double)f.buff_cache, "%s.free_buff_cache_mib", g);
	if (f.available >= 0)
		sampler_putf(s, (double)f.available, "%s.free_available_mib", g);
	return 0;
}

static int job_meminfo(struct sampler *s, struct vm *vm)
{
	struct strbuf text = STRBUF_INIT;
	long long v;

	if (vm->ops->agent_read_file(vm, "/proc/meminfo", &text, SAMPLER_AGENT_TIMEOUT_NS) < 0) {
		strbuf_release(&text);
		return ocb_err_prefix("%s: ", vm->cfg.name);
	}
	for (size_t i = 0; guest_meminfo_fields[i]; i++)
		if (meminfo_text_field(text.buf, guest_meminfo_fields[i], &v) == 0)
			sampler_putf(s, v / 1024.0, "%s.%s_mib", vm->cfg.name, guest_meminfo_fields[i]);
	strbuf_release(&text);
	return 0;
}

/* The guest's memory PSI totals (psi_some_us, psi_full_us), what the psi
 * policy follows.  1 when the guest kernel has none (no psi=1): the job
 * is dropped for that guest, the others go on. */
static int job_psi(struct sampler *s, struct vm *vm)
{
	struct strbuf text = STRBUF_INIT;
	double some, full;
	int rc = 0;

	if (vm->ops->agent_read_file(vm, "/proc/pressure/memory", &text, SAMPLER_AGENT_TIMEOUT_NS) < 0 ||
	    psi_parse_totals(text.buf, &some, &full) < 0) {
		rc = 1;
	} else {
		sampler_putf(s, some, "%s.psi_some_us", vm->cfg.name);
		if (full >= 0)
			sampler_putf(s, full, "%s.psi_full_us", vm->cfg.name);
	}
	strbuf_release(&text);
	ocb_err_clear();
	return rc;
}

/* The most overdue job of a ready guest, or 0 when none is due. */
static int pick_job(struct sampler *s, struct guest_state *g, uint64_t now, size_t *gi, int *job)
{
	uint64_t best = UINT64_MAX;

	for (size_t i = 0; i < g->n; i++) {
		if (!sampler_vm_ready(sampler_vm(s, i)))
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

/* One agent question per tick at most: the agent under TCG takes 10-50 ms
 * an answer, and the loop must stay responsive with many guests. */
static int guest_sample(struct sampler *s, void *state)
{
	struct guest_state *g = state;
	uint64_t now = mono_ns();
	size_t i = 0;
	int job = 0, rc;

	if (!pick_job(s, g, now, &i, &job))
		return 0;
	rc = job == JOB_FREE ? job_free(s, sampler_vm(s, i)) :
	     job == JOB_MEMINFO ? job_meminfo(s, sampler_vm(s, i)) : job_psi(s, sampler_vm(s, i));
	if (rc > 0)
		g->no_psi[i] = 1;
	if (rc < 0) {
		for (int j = 0; j < N_JOBS; j++)
			g->due[i][j] = now + AGENT_BACKOFF_NS;
		return -1;
	}
	/* first round: spread the two jobs half a period apart */
	if (!g->due[i][job] && job == JOB_FREE) {
		g->due[i][JOB_MEMINFO] = now + AGENT_PERIOD_NS / 3;
		g->due[i][JOB_PSI] = now + 2 * AGENT_PERIOD_NS / 3;
	}
	g->due[i][job] = now + AGENT_PERIOD_NS;
	return 0;
}

static void guest_fini(void *state)
{
	struct guest_state *g = state;

	if (!g)
		return;
	free(g->due);
	free(g->no_psi);
	free(g);
}

const struct sampler_source_ops sampler_guest_source = {
	.name = "guest",
	.flags = SAMPLER_SRC_SLOW,	/* agent round trips */
	.init = guest_init,
	.sample = guest_sample,
	.fini = guest_fini,
};
