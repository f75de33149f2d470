/* build.c — a struct scenario's life: built from the parsed doc with a
 * list of overrides (none, the [quick] values, one [matrix] combination),
 * and freed with everything it owns, the doc included.
 *
 * Values are parsed and validated here, not when the file is read: a
 * [matrix] or [quick] value replaces the record it overrides before it is
 * parsed, so it is checked exactly as if written in place, and its error
 * names the line it came from.
 */
#include "scenario/build.h"
#include "policy/policies.h"
#include "scenario/keys.h"
#include "scenario/model.h"
#include "scenario/scenario-internal.h"
#include "scenario/timeline.h"
#include "scenario/words.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct build {
	struct scenario *s;
	const struct scenario_doc *doc;
	const struct scenario_hooks *hooks;
	const struct sc_override *ov;
	size_t n_ov;
	char *ov_used;
	unsigned *lines;	/* [(1 + n_specs) * sc_key_count()]: line a key was set on */
};

static unsigned *key_line(struct build *b, enum sc_section sec, size_t guest,
			  const struct sc_key *k)
{
	size_t row = sec == SC_SEC_GUEST ? guest + 1 : 0;

	return &b->lines[row * sc_key_count() + sc_key_index(k)];
}

static void add_setting(struct scenario *s, struct scenario_setting **v, size_t *n, const char *key,
			const char *value, unsigned line)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].key = xstrdup(key);
	(*v)[*n].value = xstrdup(value);
	(*v)[*n].file = s->file;
	(*v)[*n].line = line;
	++*n;
}

/* Apply one value; origin NULL for a line of the file, else the
 * [matrix]/[quick] override whose line the message names. */
static int apply(struct build *b, enum sc_section sec, size_t guest, const char *key,
		 const char *value, unsigned line, const struct sc_override *o)
{
	struct scenario *s = b->s;
	const struct sc_key *k;
	char lb[128];
	int rc;

	if (sec == SC_SEC_HOST) {
		rc = sc_validate_host(b->hooks, key, value);
		if (rc == 0)
			add_setting(s, &s->host, &s->n_host, key, value, line);
	} else if (sec == SC_SEC_POLICY && !sc_key_find(sec, key)) {
		rc = policy_check_param(key, value);
		if (rc == 0)
			add_setting(s, &s->policy_params, &s->n_policy_params, key, value, line);
	} else {
		k = sc_key_find(sec, key);
		if (!k)
			return ocb_fail("internal error: key '%s' vanished", key);
		rc = sc_key_set(k, sec == SC_SEC_GUEST ? (void *)&s->specs[guest] : (void *)s, value,
			     b->hooks);
		if (rc == 0)
			*key_line(b, sec, guest, k) = line;
	}
	if (rc == 0)
		return 0;
	if (o)
		return ocb_err_prefix("%s:%u: [%s] %s: ", s->file, line, o->origin, o->axis->axis);
	return ocb_err_prefix("%s:%u: [%s] %s: ", s->file, line,
			      sc_section_label(b->doc, sec, guest, lb, sizeof(lb)), key);
}

/* The last override of (sec, guest, key), marking all of them used. */
static const struct sc_override *find_override(struct build *b, enum sc_section sec,
					       size_t guest, const char *key)
{
	const struct sc_override *found = NULL;

	for (size_t i = 0; i < b->n_ov; i++) {
		const struct sc_axis *a = b->ov[i].axis;

		if (a->section == sec && (sec != SC_SEC_GUEST || a->guest == guest) &&
		    strcmp(a->key, key) == 0) {
			found = &b->ov[i];
			b->ov_used[i] = 1;
		}
	}
	return found;
}

static int apply_records(struct build *b)
{
	const struct scenario_doc *d = b->doc;

	for (size_t i = 0; i < d->n_recs; i++) {
		const struct sc_record *r = &d->recs[i];
		const struct sc_override *o;

		if (r->section == SC_SEC_TIMELINE)
			continue;
		o = find_override(b, r->section, r->guest, r->key);
		if (apply(b, r->section, r->guest, r->key, o ? o->value : r->value,
			  o ? o->axis->line : r->line, o) < 0)
			return -1;
	}
	/* overrides of keys the file does not set, in override order */
	for (size_t i = 0; i < b->n_ov; i++) {
		const struct sc_axis *a = b->ov[i].axis;
		const struct sc_override *o;

		if (b->ov_used[i] || a->section == SC_SEC_TIMELINE)
			continue;
		o = find_override(b, a->section, a->guest, a->key);
		if (apply(b, a->section, a->guest, a->key, o->value, a->line, o) < 0)
			return -1;
	}
	return 0;
}

static const char *fmt_size(uint64_t v, char *buf, size_t n)
{
	if (v % GiB == 0)
		snprintf(buf, n, "%llu GiB", (unsigned long long)(v / GiB));
	else if (v % MiB == 0)
		snprintf(buf, n, "%llu MiB", (unsigned long long)(v / MiB));
	else
		snprintf(buf, n, "%llu bytes", (unsigned long long)v);
	return buf;
}

/* The line a guest key was set on, else the section's. */
static unsigned spec_line(struct build *b, size_t gi, const char *key)
{
	unsigned l = *key_line(b, SC_SEC_GUEST, gi, sc_key_find(SC_SEC_GUEST, key));

	return l ? l : b->s->specs[gi].line;
}

/* balloon.* features need the balloon; virtio_mem's sizes are whole
 * blocks of a power-of-two block size QEMU and Linux both take (Linux
 * plugs virtio-mem memory in pageblocks: 2 MiB on x86). */
static int check_reclaim(struct build *b, size_t gi)
{
	static const char *const bkeys[] = { "balloon.free_page_reporting",
		"balloon.free_page_hint", "balloon.deflate_on_oom" };
	struct scenario_guest_spec *g = &b->s->specs[gi];
	const int on[] = { g->free_page_reporting, g->free_page_hint, g->deflate_on_oom };
	uint64_t bs = g->vmem_block_bytes;
	const char *f = b->s->file;
	char sz[32], bz[32], vz[32];

	for (size_t i = 0; i < 3; i++)
		if (on[i] && g->balloon == SCENARIO_BALLOON_NONE)
			return ocb_fail("%s:%u: [guest %s] %s: needs balloon = virtio (this guest has "
					"balloon = none)", f, spec_line(b, gi, bkeys[i]), g->name, bkeys[i]);
	if (bs < 2 * MiB || (bs & (bs - 1)))
		return ocb_fail("%s:%u: [guest %s] virtio_mem.block_size: %s is not a power of two "
				"of at least 2 MiB", f, spec_line(b, gi, "virtio_mem.block_size"),
				g->name, fmt_size(bs, sz, sizeof(sz)));
	if (!g->vmem_bytes) {
		if (g->vmem_requested)
			return ocb_fail("%s:%u: [guest %s] virtio_mem.requested: needs virtio_mem = "
					"SIZE (this guest has no virtio-mem device)", f,
					spec_line(b, gi, "virtio_mem.requested"), g->name);
		return 0;
	}
	if (g->backing != SCENARIO_BACKING_ANONYMOUS)
		return ocb_fail("%s:%u: [guest %s] virtio_mem: needs backing = anonymous (this guest "
				"has backing = %s)", f, spec_line(b, gi, "virtio_mem"), g->name,
				scenario_backing_name(g->backing));
	if (g->vmem_bytes % bs)
		return ocb_fail("%s:%u: [guest %s] virtio_mem: %s is not a whole number of "
				"virtio_mem.block_size %s", f, spec_line(b, gi, "virtio_mem"), g->name,
				fmt_size(g->vmem_bytes, sz, sizeof(sz)), fmt_size(bs, bz, sizeof(bz)));
	if (g->vmem_requested > g->vmem_bytes || g->vmem_requested % bs)
		return ocb_fail("%s:%u: [guest %s] virtio_mem.requested: %s is not a whole number of "
				"blocks of %s up to virtio_mem %s", f,
				spec_line(b, gi, "virtio_mem.requested"), g->name,
				fmt_size(g->vmem_requested, sz, sizeof(sz)),
				fmt_size(bs, bz, sizeof(bz)), fmt_size(g->vmem_bytes, vz, sizeof(vz)));
	return 0;
}

static int check_spec(struct build *b, size_t gi)
{
	struct scenario_guest_spec *g = &b->s->specs[gi];
	unsigned sp = *key_line(b, SC_SEC_GUEST, gi, sc_key_find(SC_SEC_GUEST, "balloon.stats_period"));
	unsigned ml = *key_line(b, SC_SEC_GUEST, gi, sc_key_find(SC_SEC_GUEST, "memory"));
	uint64_t page = g->backing == SCENARIO_BACKING_HUGETLB_2M ? 2 * MiB :
			g->backing == SCENARIO_BACKING_HUGETLB_1G ? GiB : 0;
	char sz[32];

	if (g->balloon == SCENARIO_BALLOON_NONE) {
		if (sp && g->stats_period_ns)
			return ocb_fail("%s:%u: [guest %s] balloon.stats_period: needs balloon = "
					"virtio (this guest has balloon = none)", b->s->file, sp,
					g->name);
		g->stats_period_ns = 0;
	}
	if (page && g->memory_bytes % page)
		return ocb_fail("%s:%u: [guest %s] memory: %s is not a whole number of the %s "
				"pages of backing = %s", b->s->file, ml ? ml : g->line, g->name,
				fmt_size(g->memory_bytes, sz, sizeof(sz)),
				page == GiB ? "1 GiB" : "2 MiB", scenario_backing_name(g->backing));
	return 0;
}

static int make_guests(struct build *b)
{
	struct scenario *s = b->s;
	size_t n = 0, k = 0;

	for (size_t i = 0; i < s->n_specs; i++) {
		if (check_spec(b, i) < 0 || check_reclaim(b, i) < 0)
			return -1;
		n += s->specs[i].count;
	}
	s->guests = xcalloc(n, sizeof(*s->guests));
	for (size_t i = 0; i < s->n_specs; i++) {
		for (unsigned j = 1; j <= s->specs[i].count; j++, k++) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addf(&sb, "%s-%u", s->specs[i].name, j);
			s->guests[k].name = strbuf_detach(&sb);
			s->guests[k].index = j;
			s->guests[k].spec = &s->specs[i];
		}
	}
	s->n_guests = n;
	/* names cannot collide ("a" count 11 gives a-11, "a-1" gives a-1-1),
	 * but make sure: the runner keys results directories by them */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(s->guests[i].name, s->guests[j].name) == 0)
				return ocb_fail("%s:%u: guest name '%s' is used twice", s->file,
						s->guests[j].spec->line, s->guests[j].name);
	return 0;
}

/* [policy]: a known policy (and KSM policy), and a balloon to drive on
 * every guest when the policy drives balloons: refused here, before any
 * guest boots. */
static int check_policy(struct build *b)
{
	struct scenario *s = b->s;
	unsigned nl = *key_line(b, SC_SEC_POLICY, 0, sc_key_find(SC_SEC_POLICY, "name"));
	unsigned kl = *key_line(b, SC_SEC_POLICY, 0, sc_key_find(SC_SEC_POLICY, "ksm"));
	const struct policy_ops *ops;

	if (s->policy_ksm && strcmp(s->policy_ksm, "none") &&
	    policy_check_name(s->policy_ksm, POLICY_F_KSM) < 0)
		return ocb_err_prefix("%s:%u: [policy] ksm: ", s->file, kl);
	if (!s->policy_name)
		return 0;
	if (policy_check_name(s->policy_name, 0) < 0)
		return ocb_err_prefix("%s:%u: [policy] name: ", s->file, nl);
	ops = policy_find(s->policy_name);
	for (size_t i = 0; (ops->flags & POLICY_F_BALLOON) && i < s->n_specs; i++)
		if (s->specs[i].balloon == SCENARIO_BALLOON_NONE)
			return ocb_fail("%s:%u: [policy] name: policy %s drives the balloon, but [guest %s] "
					"has balloon = none (expected balloon = virtio, or a policy that "
					"needs no balloon: static, fpr-only, ksmtuned)", s->file, nl,
					s->policy_name, s->specs[i].name);
	return 0;
}

/* The [timeline] lines, or the [quick] timeline.TIME lines instead when
 * there are any. */
static int add_timeline(struct build *b)
{
	const struct scenario_doc *d = b->doc;
	int quick_tl = 0;
	char where[128];

	for (size_t i = 0; i < b->n_ov; i++) {
		const struct sc_axis *a = b->ov[i].axis;

		if (a->section != SC_SEC_TIMELINE)
			continue;
		quick_tl = 1;
		snprintf(where, sizeof(where), "[%s] %s", b->ov[i].origin, a->axis);
		if (sc_timeline_add(b->s, where, a->key, b->ov[i].value, a->line) < 0)
			return -1;
	}
	for (size_t i = 0; i < d->n_recs && !quick_tl; i++) {
		const struct sc_record *r = &d->recs[i];

		snprintf(where, sizeof(where), "[timeline] %s", r->key);
		if (r->section == SC_SEC_TIMELINE &&
		    sc_timeline_add(b->s, where, r->key, r->value, r->line) < 0)
			return -1;
	}
	sc_timeline_sort(b->s);
	return 0;
}

struct scenario *sc_build(const struct scenario_doc *d, const struct scenario_hooks *hooks,
			  const struct sc_override *ov, size_t n_ov, int quick)
{
	struct scenario *s = xcalloc(1, sizeof(*s));
	struct build b = { .s = s, .doc = d, .hooks = hooks, .ov = ov, .n_ov = n_ov };

	s->file = xstrdup(d->file);
	if (hooks)
		s->hooks = *hooks;
	s->quick = quick;
	sc_key_defaults(SC_SEC_SCENARIO, s);
	sc_key_defaults(SC_SEC_POLICY, s);
	s->name = xstrdup(d->default_name);
	s->specs = xcalloc(d->n_guests, sizeof(*s->specs));
	s->n_specs = d->n_guests;
	for (size_t i = 0; i < d->n_guests; i++) {
		s->specs[i].name = xstrdup(d->guests[i].name);
		s->specs[i].line = d->guests[i].line;
		sc_key_defaults(SC_SEC_GUEST, &s->specs[i]);
	}
	b.ov_used = xcalloc(n_ov, 1);
	b.lines = xcalloc((1 + d->n_guests) * sc_key_count(), sizeof(*b.lines));
	if (apply_records(&b) < 0 || check_policy(&b) < 0 || make_guests(&b) < 0 ||
	    add_timeline(&b) < 0) {
		scenario_free(s);
		s = NULL;
	}
	free(b.ov_used);
	free(b.lines);
	return s;
}

int scenario_check_runnable(const struct scenario *s)
{
	if (s->n_guests == 0)
		return ocb_fail("%s: nothing to run: no [guest] section (expected at least one "
				"[guest NAME] with its keys)", s->file);
	return 0;
}

/* ------------------------------------------------------------- free */

static void axis_release(struct sc_axis *a)
{
	free(a->axis);
	free(a->key);
	for (size_t i = 0; i < a->n_values; i++)
		free(a->values[i]);
	free(a->values);
}

void sc_doc_free(struct scenario_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_recs; i++) {
		free(d->recs[i].key);
		free(d->recs[i].value);
	}
	free(d->recs);
	for (size_t i = 0; i < d->n_guests; i++)
		free(d->guests[i].name);
	free(d->guests);
	for (size_t i = 0; i < d->n_raw; i++) {
		free(d->raw[i].key);
		free(d->raw[i].value);
	}
	free(d->raw);
	for (size_t i = 0; i < d->n_matrix; i++)
		axis_release(&d->matrix[i]);
	free(d->matrix);
	for (size_t i = 0; i < d->n_quick; i++)
		axis_release(&d->quick[i]);
	free(d->quick);
	free(d->file);
	free(d->default_name);
	free(d);
}

static void settings_free(struct scenario_setting *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	settings_free(s->host, s->n_host);
	settings_free(s->policy_params, s->n_policy_params);
	free(s->policy_name);
	free(s->policy_ksm);
	for (size_t i = 0; i < s->n_specs; i++) {
		struct scenario_guest_spec *g = &s->specs[i];

		free(g->name);
		free(g->image);
		free(g->kernel);
		free(g->initrd);
		free(g->append);
		free(g->uri);
		free(g->workload);
		scenario_argv_free(g->workload_argv);
	}
	free(s->specs);
	for (size_t i = 0; i < s->n_guests; i++)
		free(s->guests[i].name);
	free(s->guests);
	for (size_t i = 0; i < s->n_timeline; i++)
		sc_timeline_entry_release(&s->timeline[i]);
	free(s->timeline);
	for (size_t i = 0; i < s->n_axes; i++) {
		free(s->axes[i].axis);
		free(s->axes[i].value);
	}
	free(s->axes);
	sc_doc_free(s->doc);
	free(s->name);
	free(s->description);
	free(s->report_headline);
	free(s->file);
	free(s);
}
