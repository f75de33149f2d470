/* knob-remote.c — see knob-remote.h. */
#include "knobs/remote.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "host/hugetlb.h"
#include "knobs/journal.h"
#include "knobs/knobs.h"
#include "knobs/remote-lock.h"
#include "host/libvirt-node.h"
#include "util/libvirt-conn.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIND_KSM "libvirt-ksm"		/* path URI, prev "ksm.pages_to_scan=100" */
#define KIND_PAGES "libvirt-pages"	/* path URI, prev "<size_kib> <cell> <pages>" */
#define JOURNAL_ROOT "libvirt"		/* the journal's root line: no local tree */

/* One connection per URI, opened on first use and kept for the restore. */
struct lv_conns {
	struct {
		char *uri;
		virConnectPtr conn;
	} *c;
	size_t n;
};

struct lvknob_set {
	struct journal *j;
	struct lv_conns conns;
	json_t *applied;
};

/* What a scenario key means over libvirt. */
struct lv_target {
	enum { T_NONE, T_KSM, T_PAGES } kind;
	unsigned size_kib;	/* T_PAGES */
	int cell;		/* T_PAGES: NUMA cell, -1 the host's pool */
	unsigned long long want;
};

static virConnectPtr conn_for(struct lv_conns *cs, const char *uri)
{
	virConnectPtr c;
	for (size_t i = 0; i < cs->n; i++) {
		if (strcmp(cs->c[i].uri, uri))
			continue;
		/* a daemon that restarted, or closed an idle connection: the
		 * restore at the end must still reach it */
		if (virConnectIsAlive(cs->c[i].conn) != 1) {
			c = lv_open(uri);
			if (!c)
				return NULL;
			virConnectClose(cs->c[i].conn);
			cs->c[i].conn = c;
		}
		return cs->c[i].conn;
	}
	c = lv_open(uri);
	if (!c)
		return NULL;
	/* the host's lock: nothing is read as "previous" before it */
	if (lvlock_hold(uri) < 0) {
		virConnectClose(c);
		return NULL;
	}
	cs->c = xreallocarray(cs->c, cs->n + 1, sizeof(*cs->c));
	cs->c[cs->n].uri = xstrdup(uri);
	cs->c[cs->n].conn = c;
	cs->n++;
	return c;
}

static void conns_close(struct lv_conns *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		virConnectClose(cs->c[i].conn);
		lvlock_drop(cs->c[i].uri);
		free(cs->c[i].uri);
	}
	free(cs->c);
	cs->c = NULL;
	cs->n = 0;
}

void lvknob_state_dir(const char *state_dir, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s", state_dir ? state_dir : journal_default_state_dir(), LVKNOB_SUBDIR);
}

/* ---- what a key is over libvirt ---------------------------------------- */

/* The NUMA cell of a hugetlb.<size>.node<N> path, -1 for the host's pool. */
static int pool_cell(const char *rel)
{
	unsigned node;

	if (sscanf(rel, NODE_DIR "/node%u/", &node) == 1)
		return (int)node;
	return -1;
}

/* Fill t for key=value (already validated by knob_validate).  T_NONE:
 * libvirt has no API for this knob. */
static int classify(const char *key, const char *value, struct lv_target *t)
{
	struct strbuf rel = STRBUF_INIT;
	unsigned long long kib = 0;
	int h;

	memset(t, 0, sizeof(*t));
	if (lvnode_ksm_param(key)) {
		t->kind = T_KSM;
		/* ksm.merge_across_nodes takes on/off like the local knob */
		if (!strcmp(value, "on"))
			t->want = 1;
		else if (!strcmp(value, "off"))
			t->want = 0;
		else
			t->want = strtoull(value, NULL, 10);
		return 0;
	}
	h = hugetlb_key_path(key, &rel, &kib);
	if (h > 0) {
		t->kind = T_PAGES;
		t->size_kib = (unsigned)kib;
		t->cell = pool_cell(rel.buf);
		h = hugetlb_parse_count(value, kib, &t->want);
	}
	strbuf_release(&rel);
	if (h < 0)
		return ocb_err_prefix("host knob '%s': ", key);
	return 0;
}

/* A KSM tunable now, as libvirt reports it: 0, 1 skip (message), -1. */
static int read_ksm(virConnectPtr conn, const char *uri, const char *key, unsigned long long *now)
{
	struct lv_ksm k;
	long long v;
	int rc = lvnode_ksm_get(conn, uri, &k);

	if (rc)
		return rc;
	if (!strcmp(key, "ksm.pages_to_scan"))
		v = k.pages_to_scan;
	else if (!strcmp(key, "ksm.sleep_millisecs"))
		v = k.sleep_millisecs;
	else
		v = k.merge_across_nodes;
	if (v < 0) {
		ocb_fail("libvirt at %s does not report %s (that host's kernel lacks the KSM knob)",
			 uri, lvnode_ksm_param(key));
		return 1;
	}
	*now = (unsigned long long)v;
	return 0;
}

/* The value now: 0, 1 skip (message), -1 error. */
static int read_now(virConnectPtr conn, const char *uri, const char *key, const struct lv_target *t,
		    unsigned long long *now)
{
	if (t->kind == T_PAGES)
		return lvnode_hugepages_get(conn, uri, t->size_kib, t->cell, NULL, now);
	return read_ksm(conn, uri, key, now);
}

static int write_value(virConnectPtr conn, const char *uri, const char *key,
		       const struct lv_target *t, unsigned long long v)
{
	if (t->kind == T_PAGES)
		return lvnode_hugepages_set(conn, uri, t->size_kib, t->cell, v);
	return lvnode_ksm_set(conn, uri, key, v);
}

static void journal_value(const char *key, const struct lv_target *t, unsigned long long prev,
			  struct strbuf *out)
{
	strbuf_reset(out);
	if (t->kind == T_PAGES)
		strbuf_addf(out, "%u %d %llu", t->size_kib, t->cell, prev);
	else
		strbuf_addf(out, "%s=%llu", key, prev);
}

/* ---- the session ------------------------------------------------------- */

struct lvknob_set *lvknob_set_begin(const char *state_dir, int force)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	struct lvknob_set *s = NULL;
	size_t n = 0;

	lvknob_state_dir(state_dir, &dir);
	journal_file_path(dir.buf, &path);
	if (force && path_exists(path.buf) && lvknob_restore_journal(state_dir, &n) < 0) {
		ocb_err_prefix("--force: restoring the knobs a killed run changed over libvirt: ");
		goto out;
	}
	s = xcalloc(1, sizeof(*s));
	s->j = journal_create(dir.buf, JOURNAL_ROOT);
	if (!s->j) {
		/* journal.c's advice (--state-dir DIR/libvirt) would point
		 * restore at the wrong directory: say it for this one. */
		if (path_exists(path.buf) && !strstr(ocb_errmsg(), "another ocbench"))
			ocb_fail("host knobs changed over libvirt by a killed ocbench run are recorded "
				 "in %s: run 'ocbench restore --state-dir %s' first, or pass --force",
				 path.buf, state_dir ? state_dir : journal_default_state_dir());
		free(s);
		s = NULL;
		goto out;
	}
	s->applied = json_array();
out:
	strbuf_release(&dir);
	strbuf_release(&path);
	return s;
}

json_t *lvknob_set_applied(const struct lvknob_set *s)
{
	return s->applied;
}

/* Values as the host holds them (pages, 0/1), like the local record. */
static void record_applied(struct lvknob_set *s, const char *uri, const char *key,
			   unsigned long long value, unsigned long long prev)
{
	char v[32], p[32], via[1100];

	snprintf(v, sizeof(v), "%llu", value);
	snprintf(p, sizeof(p), "%llu", prev);
	snprintf(via, sizeof(via), "libvirt %s", uri);
	json_array_append_new(s->applied, json_pack("{s:s, s:s, s:s, s:s}", "knob", key, "value",
						    v, "previous", p, "via", via));
}

/* After the set: does the host read what we asked?  A hugepage pool may
 * legitimately get fewer pages (fragmentation): say so in numbers. */
static int check_readback(virConnectPtr conn, const char *uri, const char *key,
			  const struct lv_target *t)
{
	unsigned long long now = 0;
	int rc = read_now(conn, uri, key, t, &now);

	if (rc)
		return rc < 0 ? -1 : ocb_err_prefix("reading %s back: ", key);
	if (now == t->want)
		return 0;
	if (t->kind == T_PAGES)
		return ocb_fail("host knob '%s' at %s: requested %llu pages, got %llu (memory too "
				"fragmented or too small there)", key, uri, t->want, now);
	return ocb_fail("host knob '%s' at %s: set %llu through libvirt but it reads back %llu",
			key, uri, t->want, now);
}

/* Skip: the reason is the message of what failed (it names the URI). */
static int skipped(const char *key, char *skip_reason, size_t len)
{
	snprintf(skip_reason, len, "%s: %s", key, ocb_errmsg());
	return 1;
}

int lvknob_apply(struct lvknob_set *s, const char *uri, const char *key, const char *value,
		 char *skip_reason, size_t reason_len)
{
	struct strbuf rec = STRBUF_INIT;
	struct lv_target t;
	unsigned long long prev = 0;
	virConnectPtr conn;
	int rc;

	if (knob_validate(key, value) < 0 || classify(key, value, &t) < 0)
		return -1;
	if (t.kind == T_NONE) {
		snprintf(skip_reason, reason_len, "%s: not available over libvirt (remote URI %s)%s", key,
			 uri, !strcmp(key, "ksm") ? "; libvirt sets KSM's scan rate, not run/stop" : "");
		return 1;
	}
	if (!s || !s->j)
		return ocb_fail("host knob '%s' at %s: no open libvirt knob session", key, uri);
	conn = conn_for(&s->conns, uri);
	if (!conn)
		return ocb_err_prefix("host knob '%s': ", key);
	rc = read_now(conn, uri, key, &t, &prev);
	if (rc)
		return rc < 0 ? ocb_err_prefix("host knob '%s': ", key) : skipped(key, skip_reason, reason_len);
	if (prev != t.want) {
		journal_value(key, &t, prev, &rec);
		rc = journal_append(s->j, t.kind == T_PAGES ? KIND_PAGES : KIND_KSM, uri, rec.buf);
		strbuf_release(&rec);
		if (rc < 0)
			return ocb_err_prefix("host knob '%s' at %s: ", key, uri);
		rc = write_value(conn, uri, key, &t, t.want);
		if (rc > 0)
			return skipped(key, skip_reason, reason_len);
		if (rc < 0 || check_readback(conn, uri, key, &t) < 0)
			return strstr(ocb_errmsg(), key) ? -1 : ocb_err_prefix("host knob '%s': ", key);
	}
	record_applied(s, uri, key, t.want, prev);
	return 0;
}

/* ---- undo (the end of a run, and `ocbench restore`) --------------------- */

/* Put one journal record back.  Trusted only as far as the keys libvirt
 * may set: anything else is left alone and reported. */
static int undo_entry(const char *root, const struct journal_entry *e, void *arg)
{
	struct lv_conns *cs = arg;
	struct lv_target t;
	char key[64] = "";
	unsigned long long prev, now = 0;
	virConnectPtr conn;
	int rc;

	(void)root;
	memset(&t, 0, sizeof(t));
	if (!strcmp(e->kind, KIND_KSM) && sscanf(e->prev, "%63[^=]=%llu", key, &prev) == 2 &&
	    lvnode_ksm_param(key)) {
		t.kind = T_KSM;
	} else if (!strcmp(e->kind, KIND_PAGES) &&
		   sscanf(e->prev, "%u %d %llu", &t.size_kib, &t.cell, &prev) == 3) {
		t.kind = T_PAGES;
		snprintf(key, sizeof(key), "hugetlb pool of %u KiB pages", t.size_kib);
	} else {
		return ocb_fail("journal record '%s %s %s': not a knob ocbench sets over libvirt, left "
				"alone", e->kind, e->path, e->prev);
	}
	conn = conn_for(cs, e->path);
	if (!conn)
		return ocb_err_prefix("restoring %s: ", key);
	/* Already as it was (the set never happened, or was undone): done. */
	if (read_now(conn, e->path, key, &t, &now) == 0 && now == prev)
		return 0;
	rc = write_value(conn, e->path, key, &t, prev);
	if (rc == 0) {
		t.want = prev;
		rc = check_readback(conn, e->path, key, &t);
	}
	return rc ? ocb_err_prefix("restoring %s = %llu at %s: ", key, prev, e->path) : 0;
}

int lvknob_set_restore(struct lvknob_set *s)
{
	if (!s || !s->j)
		return 0;
	if (journal_undo_all(s->j, JOURNAL_ROOT, undo_entry, &s->conns) < 0)
		return -1;
	journal_free(s->j);	/* removed: a second call has nothing to do */
	s->j = NULL;
	return 0;
}

void lvknob_set_free(struct lvknob_set *s)
{
	if (!s)
		return;
	journal_free(s->j);	/* keeps the file if not restored: ocbench restore */
	conns_close(&s->conns);
	json_decref(s->applied);
	free(s);
}

int lvknob_restore_journal(const char *state_dir, size_t *n)
{
	struct strbuf dir = STRBUF_INIT;
	struct lv_conns cs = { NULL, 0 };
	struct journal *j = NULL;
	int rc;

	*n = 0;
	lvknob_state_dir(state_dir, &dir);
	rc = journal_load(dir.buf, &j);
	strbuf_release(&dir);
	if (rc <= 0)
		return rc;
	*n = j->n;
	/* a journal without records (killed before its first change) is
	 * removed and counts as nothing to do */
	rc = journal_undo_all(j, JOURNAL_ROOT, undo_entry, &cs) < 0 ? -1 : *n ? 1 : 0;
	journal_free(j);
	conns_close(&cs);
	return rc;
}
