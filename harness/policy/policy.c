/* policy.c — see policy.h: a policy's life, its params and the clamp
 * every balloon request goes through. */
#include "policy/policy.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int policy_init(struct policy *p, const struct policy_ops *ops)
{
	memset(p, 0, sizeof(*p));
	p->ops = ops;
	p->interval_s = ops->interval_s;
	for (size_t i = 0; ops->params && ops->params[i].name && i < POLICY_MAX_PARAMS; i++)
		p->param[i] = ops->params[i].def;
	if (ops->state_size) {
		p->state = calloc(1, ops->state_size);
		if (!p->state)
			return ocb_fail("policy %s: out of memory", ops->name);
	}
	if (ops->init)
		ops->init(p);
	return 0;
}

int policy_param_index(const struct policy_ops *ops, const char *name)
{
	for (int i = 0; ops->params && ops->params[i].name; i++)
		if (!strcmp(ops->params[i].name, name))
			return i;
	return -1;
}

static int parse_number(const char *value, double *out)
{
	char *end;

	*out = strtod(value, &end);
	if (end == value || !isfinite(*out))
		return -1;
	while (*end == ' ')
		end++;
	if (*end == '%') {
		*out /= 100.0;
		end++;
	}
	return *end ? -1 : 0;
}

int policy_param_parse(const struct policy_param *pp, const char *value, double *out)
{
	uint64_t v;
	int rc = 0;

	switch (pp->unit) {
	case PU_MIB:
		rc = parse_size(value, MiB, &v);
		*out = (double)v / (double)MiB;
		break;
	case PU_MS:
		if (strspn(value, "0123456789.") == strlen(value))
			rc = parse_number(value, out);
		else if ((rc = parse_duration_ns(value, 1, &v)) == 0)
			*out = (double)v / 1e6;
		break;
	case PU_FRACTION:
	case PU_NUMBER:
		rc = parse_number(value, out);
		break;
	}
	if (rc < 0 || *out < pp->min || *out > pp->max)
		return ocb_fail("invalid value '%s' for %s: expected %s in [%g, %g]%s", value, pp->name,
				pp->unit == PU_MIB ? "a size (bare number: MiB)" :
				pp->unit == PU_MS ? "a duration (bare number: ms)" :
				pp->unit == PU_FRACTION ? "a fraction (0.2 or 20%)" : "a number",
				pp->min, pp->max, pp->unit == PU_MIB ? " MiB" : pp->unit == PU_MS ? " ms" : "");
	return 0;
}

int policy_set(struct policy *p, const char *name, const char *value)
{
	int i = policy_param_index(p->ops, name);

	if (i < 0) {
		const char *names[POLICY_MAX_PARAMS + 1];
		struct strbuf sb = STRBUF_INIT;
		const char *s;
		size_t n = 0;

		for (; p->ops->params && p->ops->params[n].name; n++) {
			names[n] = p->ops->params[n].name;
			strbuf_addf(&sb, "%s%s.%s", n ? ", " : "", p->ops->name, names[n]);
		}
		names[n] = NULL;
		s = ocb_suggest(name, names);
		ocb_fail("unknown key '%s.%s' of policy %s (%s%s%s%s)", p->ops->name, name, p->ops->name,
			 n ? "expected " : "it has no keys", sb.buf, s ? "; did you mean " : "", s ? s : "");
		strbuf_release(&sb);
		return -1;
	}
	return policy_param_parse(&p->ops->params[i], value, &p->param[i]);
}

void policy_actions_clear(struct policy_actions *a)
{
	for (size_t i = 0; i < POLICY_MAX_GUESTS; i++)
		a->balloon_mib[i] = a->clamped_from[i] = POLICY_UNKNOWN;
	a->ksm_run = -1;
	a->ksm_pages_to_scan = a->ksm_sleep_ms = -1;
}

void policy_tick(struct policy *p, const struct policy_obs *o, struct policy_actions *a)
{
	policy_actions_clear(a);
	p->ops->tick(p, o, a);
	for (size_t i = 0; i < o->n; i++) {
		const struct policy_guest_obs *g = &o->g[i];
		double t = a->balloon_mib[i], c = t;

		if (t < 0)
			continue;
		if (c < g->floor_mib)
			c = g->floor_mib;
		if (g->max_mib > 0 && c > g->max_mib)
			c = g->max_mib;
		if (c != t) {
			a->clamped_from[i] = t;
			a->balloon_mib[i] = c;
		}
	}
}

void policy_fini(struct policy *p)
{
	if (p->ops && p->ops->fini)
		p->ops->fini(p);
	free(p->state);
	p->state = NULL;
}

double policy_host_total_mib(const struct policy_obs *o)
{
	return o->cg_limit_mib > 0 ? o->cg_limit_mib : o->mem_total_mib;
}

static double pos(double v)
{
	return v > 0 ? v : 0;
}

double policy_host_free_mib(const struct policy_obs *o)
{
	if (o->cg_limit_mib > 0)
		return o->cg_current_mib >= 0 ? pos(o->cg_limit_mib - o->cg_current_mib) : POLICY_UNKNOWN;
	if (o->mem_free_mib < 0)
		return POLICY_UNKNOWN;
	return o->mem_free_mib + pos(o->buffers_mib) + pos(o->cached_mib);
}

double policy_host_used_mib(const struct policy_obs *o)
{
	if (o->cg_limit_mib > 0)
		return o->cg_current_mib;
	if (o->mem_total_mib < 0 || o->mem_available_mib < 0)
		return POLICY_UNKNOWN;
	return o->mem_total_mib - o->mem_available_mib;
}
