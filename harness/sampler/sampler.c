/* sampler.c — see sampler.h: the loop, the schedule and the output, and
 * the calls of source.h.  The sources themselves are host.c and guest.c. */
#include "sampler/sampler.h"
#include "sampler/guest.h"
#include "sampler/host.h"
#include "sampler/reclaim.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/jsontext.h"
#include "results/results.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vm/vm.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ERROR_EVENTS 5	/* per source; the rest are only counted */

struct source {
	const struct sampler_source_ops *ops;
	char *name;			/* ops->name, or the name it was added with */
	void *state;
	uint64_t period_ns;
	uint64_t next_ns;
	unsigned long samples, errors;
	unsigned long missed;		/* periods that passed without a sample */
	/* per guest, when the source reports them (sampler_guest_tick) */
	unsigned long *gkept, *gmissed;
};

struct sampler {
	struct results_run *res;
	struct vm **vms;
	size_t n;
	char root[4096];
	char cgroup[4096];
	unsigned rate_hz;
	struct source *src;
	size_t nsrc;
	/* the source being sampled: its name and clock for sampler_put() */
	struct source *cur;
	const char *cur_name;
	uint64_t cur_t_ms;
	uint64_t now_ns;
	struct strbuf line;
	/* what sampling itself costs (make bench: target <= 1 % of a core) */
	uint64_t t_start_ns, busy_ns, cpu_ns;
	unsigned long rows;
	unsigned long *guest_rows;	/* rows of each vms[i] (series "NAME.…") */
	int hold_slow;			/* sampler_hold_slow() */
	int guest_psi;			/* sampler_want_guest_psi() */
	sampler_tap_fn tap;
	void *tap_opaque;
	void *init_arg;			/* sampler_init_arg(), during an init */
};

static const struct sampler_source_ops *const builtin[] = {
	&sampler_ksm_source, &sampler_host_source, &sampler_qemu_source, &sampler_cgroup_source,
	&sampler_balloon_source, &sampler_balloonstats_source, &sampler_guest_source,
	&sampler_ksmd_source, &sampler_vmstat_source, &sampler_vmem_source, NULL,
};

static uint64_t cpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int sampler_add_source(struct sampler *s, const struct sampler_source_ops *ops)
{
	return sampler_add_source_named(s, ops, NULL, NULL);
}

int sampler_add_source_named(struct sampler *s, const struct sampler_source_ops *ops,
			     const char *name, void *arg)
{
	struct source *src, *grown;
	char why[512] = "";
	unsigned hz = s->rate_hz;
	int r;

	grown = reallocarray(s->src, s->nsrc + 1, sizeof(*s->src));
	if (!grown)
		return ocb_fail("out of memory");
	s->src = grown;
	src = &s->src[s->nsrc];
	memset(src, 0, sizeof(*src));
	src->ops = ops;
	src->name = xstrdup(name ? name : ops->name);
	s->init_arg = arg;
	r = ops->init ? ops->init(s, &src->state, why, sizeof(why)) : 0;
	s->init_arg = NULL;
	if (r != 0) {
		if (r < 0)
			ocb_err_prefix("sampler source %s: ", src->name);
		else
			results_event(s->res, "sample_source_skipped",
				      json_pack("{s:s, s:s}", "source", src->name, "reason", why));
		free(src->name);
		return r < 0 ? -1 : 0;
	}
	if (ops->max_hz && ops->max_hz < hz)
		hz = ops->max_hz;
	src->period_ns = 1000000000ull / hz;
	/* due now: its schedule starts here, so periods that pass before its
	 * first sample (a loop busy elsewhere) are missed ticks too */
	src->next_ns = mono_ns();
	s->nsrc++;
	return 0;
}

struct sampler *sampler_new(struct results_run *res, struct vm **vms, size_t n, const char *root,
			    unsigned rate_hz, const char *cgroup_dir)
{
	struct sampler *s = calloc(1, sizeof(*s));

	if (!s) {
		ocb_fail("out of memory");
		return NULL;
	}
	s->res = res;
	s->vms = vms;
	s->n = n;
	snprintf(s->root, sizeof(s->root), "%s", root && *root ? root : "/");
	if (cgroup_dir)
		snprintf(s->cgroup, sizeof(s->cgroup), "%s", cgroup_dir);
	s->rate_hz = rate_hz ? rate_hz : SAMPLER_DEFAULT_HZ;
	s->guest_rows = calloc(n ? n : 1, sizeof(*s->guest_rows));
	if (!s->guest_rows) {
		free(s);
		ocb_fail("out of memory");
		return NULL;
	}
	s->t_start_ns = mono_ns();
	for (size_t i = 0; builtin[i]; i++) {
		if (sampler_add_source(s, builtin[i]) < 0) {
			sampler_free(s);
			return NULL;
		}
	}
	return s;
}

/* A failed sample is evidence, not a failed run. */
static void sample_failed(struct sampler *s, struct source *src)
{
	if (++src->errors > MAX_ERROR_EVENTS)
		return;
	results_event(s->res, "sample_error",
		      json_pack("{s:s, s:o}", "source", src->name, "message",
				/* it may quote what a guest sent */
				json_text(ocb_errmsg(), strlen(ocb_errmsg()))));
}

static void sample_one(struct sampler *s, struct source *src)
{
	s->cur = src;
	s->cur_name = src->name;
	s->cur_t_ms = results_t_ms(s->res);
	if (src->ops->sample(s, src->state) < 0)
		sample_failed(s, src);
	/* No catch-up bursts after a long action: the next sample is a
	 * period from now, not a queue of missed ones; the periods that
	 * passed meanwhile are counted as missed ticks. */
	src->next_ns += src->period_ns;
	src->samples++;
	if (src->next_ns <= s->now_ns) {
		unsigned long m = (s->now_ns - src->next_ns) / src->period_ns + 1;

		src->missed += m;
		src->next_ns = s->now_ns + src->period_ns;
		/* each guest the source samples missed those periods too */
		for (size_t i = 0; src->gkept && i < s->n; i++)
			if (src->gkept[i] || src->gmissed[i])
				src->gmissed[i] += m;
	}
}

/* What the pipelined sources' questions brought since the last tick. */
static void collect_all(struct sampler *s)
{
	for (size_t i = 0; i < s->nsrc; i++) {
		struct source *src = &s->src[i];

		if (!src->ops->collect)
			continue;
		s->cur = src;
		s->cur_name = src->name;
		if (src->ops->collect(s, src->state) < 0)
			sample_failed(s, src);
	}
}

int sampler_tick(struct sampler *s)
{
	uint64_t t0, c0;
	int done = 0;

	if (!s)
		return 0;
	t0 = s->now_ns = mono_ns();
	c0 = cpu_now_ns();
	collect_all(s);
	for (size_t i = 0; i < s->nsrc; i++) {
		struct source *src = &s->src[i];

		if (s->now_ns < src->next_ns)
			continue;
		if (s->hold_slow && (src->ops->flags & SAMPLER_SRC_SLOW))
			continue;	/* due: it runs at the first tick after the hold */
		sample_one(s, src);
		done++;
	}
	s->busy_ns += mono_ns() - t0;
	s->cpu_ns += cpu_now_ns() - c0;
	return done;
}

static void put_row(struct sampler *s, const char *series, double value)
{
	if (!isfinite(value))
		return;
	strbuf_reset(&s->line);
	/* integers stay integers (page counts); MiB keep 3 decimals */
	if (value == floor(value) && fabs(value) < 1e15)
		strbuf_addf(&s->line, "%llu,%s,%s,%lld", (unsigned long long)s->cur_t_ms, s->cur_name,
			    series, (long long)value);
	else
		strbuf_addf(&s->line, "%llu,%s,%s,%.3f", (unsigned long long)s->cur_t_ms, s->cur_name,
			    series, value);
	results_append(s->res, SAMPLES_CSV, SAMPLES_CSV_HEADER, s->line.buf);
	s->rows++;
	if (s->tap)
		s->tap(s->tap_opaque, s->cur_t_ms, s->cur_name, series, value);
	for (size_t i = 0; i < s->n; i++) {
		const char *name = s->vms[i] ? s->vms[i]->cfg.name : NULL;
		size_t len = name ? strlen(name) : 0;

		if (len && !strncmp(series, name, len) && series[len] == '.') {
			s->guest_rows[i]++;
			break;
		}
	}
}

void sampler_want_guest_psi(struct sampler *s, int on)
{
	if (s)
		s->guest_psi = on;
}

int sampler_guest_psi_wanted(const struct sampler *s)
{
	return s->guest_psi;
}

void sampler_set_tap(struct sampler *s, sampler_tap_fn fn, void *opaque)
{
	if (!s)
		return;
	s->tap = fn;
	s->tap_opaque = opaque;
}

void sampler_put(struct sampler *s, const char *series, double value)
{
	put_row(s, series, value);
}

void sampler_putf(struct sampler *s, double value, const char *fmt, ...)
{
	struct strbuf name = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&name, fmt, ap);
	va_end(ap);
	put_row(s, name.buf, value);
	strbuf_release(&name);
}

uint64_t sampler_row_t_ms(const struct sampler *s)
{
	return s->cur_t_ms;
}

void sampler_set_row_t_ms(struct sampler *s, uint64_t t_ms)
{
	s->cur_t_ms = t_ms;
}

void sampler_guest_tick(struct sampler *s, size_t i, int kept)
{
	struct source *src = s->cur;

	if (!src || i >= s->n)
		return;
	if (!src->gkept) {
		src->gkept = xcalloc(s->n, sizeof(*src->gkept));
		src->gmissed = xcalloc(s->n, sizeof(*src->gmissed));
	}
	if (kept)
		src->gkept[i]++;
	else
		src->gmissed[i]++;
}

void sampler_metric(struct sampler *s, const char *name, double value, const char *unit,
		    const char *better)
{
	if (isfinite(value))
		results_metric(s->res, name, value, unit, better);
	else
		results_metric_missing(s->res, name, unit, better, "not a finite number");
}

void sampler_metric_missing(struct sampler *s, const char *name, const char *unit,
			    const char *better, const char *reason)
{
	results_metric_missing(s->res, name, unit, better, reason);
}

/* A per-guest source's account: each guest's kept and missed samples
 * into *guests, the share kept over all of them into *kept (unchanged
 * when no guest was due), the missed ones returned. */
static unsigned long guest_account(const struct sampler *s, const struct source *src, json_t *guests,
				   double *kept)
{
	unsigned long k = 0, m = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (!src->gkept[i] && !src->gmissed[i])
			continue;
		json_object_set_new(guests, s->vms[i]->cfg.name,
				    json_pack("{s:I, s:I}", "kept", (json_int_t)src->gkept[i], "missed",
					      (json_int_t)src->gmissed[i]));
		k += src->gkept[i];
		m += src->gmissed[i];
	}
	if (k + m)
		*kept = 100.0 * (double)k / (double)(k + m);
	return m;
}

/* The sampler's own account: per source the samples it took and the
 * periods it missed (events.jsonl "sampler_ticks"), per guest its rows;
 * a per-guest source (ask.h) adds each guest's kept and missed samples
 * and is counted by those.  As metrics: the share of ticks the
 * full-rate sources kept (the worst one), their missed ticks, and the
 * guests that have no row at all. */
static void ticks_summary(struct sampler *s)
{
	json_t *srcs = json_object(), *guests = json_object();
	double kept_min = 100.0;
	unsigned long missed = 0, unsampled = 0;

	for (size_t i = 0; i < s->nsrc; i++) {
		const struct source *src = &s->src[i];
		unsigned long due = src->samples + src->missed, m = src->missed;
		double kept = due ? 100.0 * (double)src->samples / (double)due : 100.0;
		json_t *o = json_pack("{s:f, s:I, s:I}", "rate_hz", 1e9 / (double)src->period_ns, "samples",
				      (json_int_t)src->samples, "missed", (json_int_t)src->missed);

		if (src->gkept) {
			json_t *per = json_object();

			m = guest_account(s, src, per, &kept);
			json_object_set_new(o, "guests", per);
		}
		json_object_set_new(o, "kept_pct", json_real(kept));
		json_object_set_new(srcs, src->ops->name, o);
		if (src->period_ns > 1000000000ull / s->rate_hz)
			continue;	/* a slower source's 1 Hz is not the sampler's rate */
		missed += m;
		if (kept < kept_min)
			kept_min = kept;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (!s->vms[i])
			continue;
		json_object_set_new(guests, s->vms[i]->cfg.name, json_integer((json_int_t)s->guest_rows[i]));
		unsampled += !s->guest_rows[i];
	}
	results_event(s->res, "sampler_ticks",
		      json_pack("{s:i, s:o, s:o}", "rate_hz", (int)s->rate_hz, "sources", srcs, "guest_rows",
				guests));
	sampler_metric(s, "sampler_ticks_kept_pct", kept_min, "%", "higher");
	sampler_metric(s, "sampler_ticks_missed", (double)missed, "ticks", "lower");
	sampler_metric(s, "sampler_guests_unsampled", (double)unsampled, "guests", "lower");
}

void sampler_summary(struct sampler *s)
{
	double elapsed;
	json_t *errors = json_object();

	if (!s)
		return;
	for (size_t i = 0; i < s->nsrc; i++) {
		struct source *src = &s->src[i];

		s->cur_name = src->name;
		if (src->ops->summary)
			src->ops->summary(s, src->state);
		if (src->errors)
			json_object_set_new(errors, src->name, json_integer((json_int_t)src->errors));
	}
	if (json_object_size(errors))
		results_event(s->res, "sample_errors", json_pack("{s:o}", "count", errors));
	else
		json_decref(errors);
	ticks_summary(s);
	elapsed = ns_to_s(mono_ns() - s->t_start_ns);
	if (elapsed > 0) {
		sampler_metric(s, "sampler_cpu_pct", 100.0 * ns_to_s(s->cpu_ns) / elapsed, "%", "lower");
		sampler_metric(s, "sampler_busy_pct", 100.0 * ns_to_s(s->busy_ns) / elapsed, "%", "lower");
	}
	sampler_metric(s, "sampler_rows", (double)s->rows, "rows", "higher");
}

void sampler_free(struct sampler *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nsrc; i++) {
		if (s->src[i].ops->fini)
			s->src[i].ops->fini(s->src[i].state);
		free(s->src[i].name);
		free(s->src[i].gkept);
		free(s->src[i].gmissed);
	}
	free(s->src);
	free(s->guest_rows);
	strbuf_release(&s->line);
	free(s);
}

void *sampler_source_state(struct sampler *s, const struct sampler_source_ops *ops)
{
	for (size_t i = 0; s && i < s->nsrc; i++)
		if (s->src[i].ops == ops)
			return s->src[i].state;
	return NULL;
}

void *sampler_source_state_named(struct sampler *s, const char *name)
{
	for (size_t i = 0; s && i < s->nsrc; i++)
		if (!strcmp(s->src[i].name, name))
			return s->src[i].state;
	return NULL;
}

void *sampler_init_arg(const struct sampler *s)
{
	return s->init_arg;
}

int sampler_hold_slow(struct sampler *s, int hold)
{
	int was;

	if (!s)
		return 0;
	was = s->hold_slow;
	s->hold_slow = hold;
	return was;
}

int sampler_slow_held(const struct sampler *s)
{
	return s && s->hold_slow;
}

const char *sampler_root(const struct sampler *s)
{
	return s->root;
}

size_t sampler_nvms(const struct sampler *s)
{
	return s->n;
}

struct vm *sampler_vm(const struct sampler *s, size_t i)
{
	return i < s->n ? s->vms[i] : NULL;
}

int sampler_vm_ready(const struct vm *vm)
{
	return vm && vm->boot_ns > 0;
}

const char *sampler_cgroup_dir(const struct sampler *s)
{
	return s->cgroup[0] ? s->cgroup : NULL;
}

uint64_t sampler_now_ns(const struct sampler *s)
{
	return s->now_ns ? s->now_ns : mono_ns();
}
