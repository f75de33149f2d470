/* sampler.c — see sampler.h: the loop, the schedule and the output, and
 * the calls of source.h.  The sources themselves are host.c and guest.c. */
#include "sampler/sampler.h"
#include "sampler/guest.h"
#include "sampler/host.h"
#include "sampler/reclaim.h"
#include "util/clock.h"
#include "util/error.h"
#include "results/results.h"
#include "util/strbuf.h"
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
	void *state;
	uint64_t period_ns;
	uint64_t next_ns;
	unsigned long samples, errors;
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
	const char *cur_name;
	uint64_t cur_t_ms;
	uint64_t now_ns;
	struct strbuf line;
	/* what sampling itself costs (make bench: target <= 1 % of a core) */
	uint64_t t_start_ns, busy_ns, cpu_ns;
	unsigned long rows;
	int hold_slow;			/* sampler_hold_slow() */
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
	r = ops->init ? ops->init(s, &src->state, why, sizeof(why)) : 0;
	if (r < 0)
		return ocb_err_prefix("sampler source %s: ", ops->name);
	if (r > 0) {
		results_event(s->res, "sample_source_skipped",
			      json_pack("{s:s, s:s}", "source", ops->name, "reason", why));
		return 0;
	}
	if (ops->max_hz && ops->max_hz < hz)
		hz = ops->max_hz;
	src->period_ns = 1000000000ull / hz;
	src->next_ns = 0;	/* due at the first tick */
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
		      json_pack("{s:s, s:s}", "source", src->ops->name, "message", ocb_errmsg()));
}

static void sample_one(struct sampler *s, struct source *src)
{
	s->cur_name = src->ops->name;
	s->cur_t_ms = results_t_ms(s->res);
	if (src->ops->sample(s, src->state) < 0)
		sample_failed(s, src);
	src->samples++;
	/* No catch-up bursts after a long action: the next sample is a
	 * period from now, not a queue of missed ones. */
	src->next_ns += src->period_ns;
	if (src->next_ns <= s->now_ns)
		src->next_ns = s->now_ns + src->period_ns;
}

int sampler_tick(struct sampler *s)
{
	uint64_t t0, c0;
	int done = 0;

	if (!s)
		return 0;
	t0 = s->now_ns = mono_ns();
	c0 = 0;
	for (size_t i = 0; i < s->nsrc; i++) {
		struct source *src = &s->src[i];

		if (s->now_ns < src->next_ns)
			continue;
		if (s->hold_slow && (src->ops->flags & SAMPLER_SRC_SLOW))
			continue;	/* due: it runs at the first tick after the hold */
		if (!done)
			c0 = cpu_now_ns();
		sample_one(s, src);
		done++;
	}
	if (done) {
		s->busy_ns += mono_ns() - t0;
		s->cpu_ns += cpu_now_ns() - c0;
	}
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

void sampler_summary(struct sampler *s)
{
	double elapsed;
	json_t *errors = json_object();

	if (!s)
		return;
	for (size_t i = 0; i < s->nsrc; i++) {
		struct source *src = &s->src[i];

		s->cur_name = src->ops->name;
		if (src->ops->summary)
			src->ops->summary(s, src->state);
		if (src->errors)
			json_object_set_new(errors, src->ops->name, json_integer((json_int_t)src->errors));
	}
	if (json_object_size(errors))
		results_event(s->res, "sample_errors", json_pack("{s:o}", "count", errors));
	else
		json_decref(errors);
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
	for (size_t i = 0; i < s->nsrc; i++)
		if (s->src[i].ops->fini)
			s->src[i].ops->fini(s->src[i].state);
	free(s->src);
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
