/* trace.c — see trace.h. */
#include "policy/trace.h"
#include "policy/observe.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRACE_HEADER "t_ms,source,series,value"
#define TRACE_MAX_POLICIES 4


struct replay {
	struct policy_observer ob;
	struct policy **pols;
	size_t n;
	double next[TRACE_MAX_POLICIES];
	policy_replay_fn fn;
	void *opaque;
};

/* Every tick at or before t_s, in time order, on what came before t_s;
 * the observations carry the tick's time. */
static void tick_until(struct replay *r, double t_s)
{
	for (;;) {
		size_t k = 0;
		struct policy_actions a;

		for (size_t i = 1; i < r->n; i++)
			if (r->next[i] < r->next[k])
				k = i;
		if (!r->n || r->next[k] > t_s)
			return;
		r->ob.obs.t_s = r->next[k];
		policy_tick(r->pols[k], &r->ob.obs, &a);
		if (r->fn)
			r->fn(r->opaque, r->pols[k], &r->ob.obs, &a);
		r->next[k] += r->pols[k]->interval_s;
	}
}

/* "t_ms,source,series,value" split in place; 0 or -1. */
static int split_row(char *line, double *t_ms, char **source, char **series, double *value)
{
	char *f[4], *end;
	int n = 0;

	for (char *p = line; n < 4; n++) {
		f[n] = p;
		p = strchr(p, ',');
		if (!p) {
			n++;
			break;
		}
		*p++ = '\0';
	}
	if (n != 4)
		return -1;
	*t_ms = strtod(f[0], &end);
	if (end == f[0] || *end)
		return -1;
	*value = strtod(f[3], &end);
	if (end == f[3] || (*end && *end != '\r'))
		return -1;
	*source = f[1];
	*series = f[2];
	return isfinite(*t_ms) && isfinite(*value) ? 0 : -1;
}

int policy_replay_text(const char *name, char *text, struct policy **pols, size_t n,
		       double floor_frac, double max_ticks, policy_replay_fn fn, void *opaque)
{
	struct replay r = { .pols = pols, .n = n, .fn = fn, .opaque = opaque };
	unsigned lineno = 1;
	int started = 0;
	double t_ms = 0, value, t0_s = 0, min_interval = 1;
	char *line, *next = NULL, *source, *series;

	if (n > TRACE_MAX_POLICIES)
		return ocb_fail("%s: at most %d policies at once", name, TRACE_MAX_POLICIES);
	for (size_t i = 0; i < n; i++) {
		if (!(pols[i]->interval_s > 0))
			return ocb_fail("%s: policy %s has no interval", name, pols[i]->ops->name);
		if (!i || pols[i]->interval_s < min_interval)
			min_interval = pols[i]->interval_s;
	}
	if (!(max_ticks > 0))
		max_ticks = POLICY_TRACE_MAX_TICKS;
	policy_observer_init(&r.ob, floor_frac, 1);
	if (strncmp(text, TRACE_HEADER, strlen(TRACE_HEADER)))
		return ocb_fail("%s:1: not a samples.csv: expected the header '" TRACE_HEADER "'", name);
	line = strchr(text, '\n');
	for (line = line ? line + 1 : NULL; line && *line; line = next ? next + 1 : NULL) {
		next = strchr(line, '\n');
		if (next)
			*next = '\0';
		lineno++;
		if (!*line || *line == '\r')
			continue;
		if (split_row(line, &t_ms, &source, &series, &value) < 0)
			return ocb_fail("%s:%u: expected t_ms,source,series,value with numbers for t_ms "
					"and value", name, lineno);
		if (!started) {
			for (size_t i = 0; i < n; i++)
				r.next[i] = t_ms / 1000.0 + pols[i]->interval_s;
			t0_s = t_ms / 1000.0;
			started = 1;
		}
		if (fabs(t_ms / 1000.0 - t0_s) > max_ticks * min_interval)
			return ocb_fail("%s:%u: t_ms %.0f is more than %.0f ticks from the first row's", name,
					lineno, t_ms, max_ticks);
		tick_until(&r, t_ms / 1000.0 - 1e-9);
		policy_observer_put(&r.ob, t_ms, source, series, value);
	}
	if (started)
		tick_until(&r, t_ms / 1000.0);
	return 0;
}

int policy_replay_file(const char *path, struct policy **pols, size_t n, double floor_frac,
		       policy_replay_fn fn, void *opaque)
{
	struct strbuf text = STRBUF_INIT;
	struct stat st;
	int rc;

	if (stat(path, &st) == 0 && (unsigned long long)st.st_size > POLICY_TRACE_MAX_BYTES)
		return ocb_fail("%s: %lld bytes: a trace is at most %llu bytes", path, (long long)st.st_size,
				POLICY_TRACE_MAX_BYTES);
	if (read_file(path, &text) < 0) {
		strbuf_release(&text);
		return -1;
	}
	rc = policy_replay_text(path, text.buf, pols, n, floor_frac, 0, fn, opaque);
	strbuf_release(&text);
	return rc;
}
