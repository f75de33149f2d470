/* observe.c — see observe.h. */
#include "policy/observe.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static void guest_unknown(struct policy_guest_obs *g)
{
	char name[POLICY_NAME_MAX];

	memcpy(name, g->name, sizeof(name));
	g->max_mib = g->floor_mib = g->actual_mib = POLICY_UNKNOWN;
	g->avail_mib = g->free_mib = g->caches_mib = g->total_mib = POLICY_UNKNOWN;
	g->oom_kills = g->alloc_stalls = g->psi_some_us = g->psi_full_us = POLICY_UNKNOWN;
	g->rss_mib = POLICY_UNKNOWN;
	memcpy(g->name, name, sizeof(name));
}

void policy_observer_init(struct policy_observer *ob, double floor_frac, int add_guests)
{
	struct policy_obs *o = &ob->obs;

	memset(ob, 0, sizeof(*ob));
	ob->floor_frac = floor_frac;
	ob->add_guests = add_guests;
	o->mem_total_mib = o->mem_free_mib = o->mem_available_mib = POLICY_UNKNOWN;
	o->buffers_mib = o->cached_mib = o->swap_in_pages = o->swap_out_pages = POLICY_UNKNOWN;
	o->psi_some_us = o->psi_full_us = o->cg_limit_mib = o->cg_current_mib = POLICY_UNKNOWN;
	o->ksm_run = o->ksm_pages_to_scan = o->ksm_sleep_ms = o->ksm_pages_sharing = POLICY_UNKNOWN;
}

static void set_max(struct policy_observer *ob, struct policy_guest_obs *g, double max_mib)
{
	g->max_mib = max_mib;
	g->floor_mib = max_mib > 0 ? max_mib * ob->floor_frac : POLICY_UNKNOWN;
}

static struct policy_guest_obs *find(struct policy_observer *ob, const char *name, size_t len)
{
	struct policy_obs *o = &ob->obs;
	struct policy_guest_obs *g;

	for (size_t i = 0; i < o->n; i++)
		if (strlen(o->g[i].name) == len && !strncmp(o->g[i].name, name, len))
			return &o->g[i];
	if (!ob->add_guests || o->n == POLICY_MAX_GUESTS || len >= POLICY_NAME_MAX)
		return NULL;
	g = &o->g[o->n++];
	snprintf(g->name, sizeof(g->name), "%.*s", (int)len, name);
	guest_unknown(g);
	return g;
}

int policy_observer_guest(struct policy_observer *ob, const char *name, double max_mib)
{
	int add = ob->add_guests;
	struct policy_guest_obs *g;

	ob->add_guests = 1;
	g = find(ob, name, strlen(name));
	ob->add_guests = add;
	if (!g)
		return -1;
	set_max(ob, g, max_mib);
	return (int)(g - ob->obs.g);
}

struct field {
	const char *source, *series;
	size_t offset;
};

#define HO(f) offsetof(struct policy_obs, f)
#define GO(f) offsetof(struct policy_guest_obs, f)

static const struct field host_fields[] = {
	{ "host", "MemTotal_mib", HO(mem_total_mib) }, { "host", "MemFree_mib", HO(mem_free_mib) },
	{ "host", "MemAvailable_mib", HO(mem_available_mib) }, { "host", "Buffers_mib", HO(buffers_mib) },
	{ "host", "Cached_mib", HO(cached_mib) }, { "host", "pswpin", HO(swap_in_pages) },
	{ "host", "pswpout", HO(swap_out_pages) }, { "host", "psi_some_us", HO(psi_some_us) },
	{ "host", "psi_full_us", HO(psi_full_us) },
	{ "cgroup", "memory_current_mib", HO(cg_current_mib) }, { "cgroup", "limit_mib", HO(cg_limit_mib) },
	{ "ksm", "run", HO(ksm_run) }, { "ksm", "pages_to_scan", HO(ksm_pages_to_scan) },
	{ "ksm", "sleep_millisecs", HO(ksm_sleep_ms) }, { "ksm", "pages_sharing", HO(ksm_pages_sharing) },
};

static const struct field guest_fields[] = {
	{ "balloon", "actual_mib", GO(actual_mib) },
	{ "balloonstats", "stat-available-memory_mib", GO(avail_mib) },
	{ "balloonstats", "stat-free-memory_mib", GO(free_mib) },
	{ "balloonstats", "stat-disk-caches_mib", GO(caches_mib) },
	{ "balloonstats", "stat-total-memory_mib", GO(total_mib) },
	{ "balloonstats", "stat-oom-kills", GO(oom_kills) },
	{ "balloonstats", "stat-alloc-stalls", GO(alloc_stalls) },
	{ "guest", "psi_some_us", GO(psi_some_us) }, { "guest", "psi_full_us", GO(psi_full_us) },
	{ "qemu", "rss_mib", GO(rss_mib) },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void put_guest(struct policy_observer *ob, const char *source, const char *series,
		      double value)
{
	const char *dot = strchr(series, '.');
	struct policy_guest_obs *g;

	if (!dot)
		return;
	for (size_t i = 0; i < N_OF(guest_fields); i++) {
		if (strcmp(guest_fields[i].source, source) || strcmp(guest_fields[i].series, dot + 1))
			continue;
		if (!(g = find(ob, series, (size_t)(dot - series))))
			return;
		memcpy((char *)g + guest_fields[i].offset, &value, sizeof(value));
		return;
	}
	if (!strcmp(source, "balloon") && !strcmp(dot + 1, "max_mib") &&
	    (g = find(ob, series, (size_t)(dot - series))))
		set_max(ob, g, value);
}

void policy_observer_put(struct policy_observer *ob, double t_ms, const char *source,
			 const char *series, double value)
{
	if (t_ms / 1000.0 > ob->obs.t_s)
		ob->obs.t_s = t_ms / 1000.0;
	for (size_t i = 0; i < N_OF(host_fields); i++) {
		if (!strcmp(host_fields[i].source, source) && !strcmp(host_fields[i].series, series)) {
			memcpy((char *)&ob->obs + host_fields[i].offset, &value, sizeof(value));
			return;
		}
	}
	put_guest(ob, source, series, value);
}
