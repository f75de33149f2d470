/* parse.c — loading a scenario file: inih turns the text into a doc (the
 * records in file order, with their lines), then every [quick] and [matrix]
 * value is built once to be validated, then the scenario itself is built
 * (build.c).
 *
 * Line numbers: Debian's libinih is built without INI_HANDLER_LINENO, so
 * the handler is not told which line it is called for.  We feed inih
 * through ini_parse_stream() with our own reader over the file in memory:
 * inih calls the reader once per line and calls the handler for that line
 * before asking for the next, so the reader's line count is the handler's
 * line.  The reader hands out whole lines only (a line too long for inih's
 * buffer is an error, never silently split into two) and notices section
 * headers itself, which also lets an empty [guest NAME] section exist
 * (inih calls the handler only for KEY = VALUE lines).
 */
#include "scenario/parse.h"
#include "scenario/build.h"
#include "scenario/keys.h"
#include "scenario/matrix.h"
#include "scenario/model.h"
#include "scenario/scenario-internal.h"
#include "scenario/words.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/suggest.h"

#include <ctype.h>
#include <ini.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ parsing */

struct parse_ctx {
	struct scenario_doc *doc;
	const char *buf;
	size_t len, pos;
	unsigned lineno;
	enum sc_section sec;
	size_t guest;
	int failed;
};

static const char *const section_names[] = {
	"scenario", "host", "guest", "timeline", "matrix", "quick", "report", "policy", NULL
};
static const enum sc_section section_ids[] = {
	SC_SEC_SCENARIO, SC_SEC_HOST, SC_SEC_GUEST, SC_SEC_TIMELINE, SC_SEC_MATRIX, SC_SEC_QUICK,
	SC_SEC_REPORT, SC_SEC_POLICY,
};

static int parse_fail_at(struct parse_ctx *p)
{
	p->failed = 1;
	return ocb_err_prefix("%s:%u: ", p->doc->file, p->lineno);
}

/* [guest NAME]: a NAME that is new and makes good guest names (NAME-1). */
static int guest_section(struct parse_ctx *p, char **w, size_t nw, const char *inner)
{
	struct scenario_doc *d = p->doc;

	if (nw != 2)
		return ocb_fail("expected [guest NAME] with one NAME, got '[%s]'", inner);
	if (!sc_valid_name(w[1]))
		return ocb_fail("invalid guest name '%s': " SC_NAME_RULE, w[1]);
	for (size_t i = 0; i < d->n_guests; i++)
		if (strcmp(d->guests[i].name, w[1]) == 0)
			return ocb_fail("duplicate guest '%s' (first defined on line %u)", w[1],
					d->guests[i].line);
	d->guests = xgrow(d->guests, sizeof(*d->guests), d->n_guests + 1, &d->a_guests);
	d->guests[d->n_guests].name = xstrdup(w[1]);
	d->guests[d->n_guests].line = p->lineno;
	p->guest = d->n_guests++;
	return 0;
}

/* Switch to the section the words of a header name (inner: as written). */
static int enter_section(struct parse_ctx *p, char **w, size_t nw, const char *inner)
{
	size_t i;

	if (nw == 0)
		return ocb_fail("empty section header '[]'");
	for (i = 0; section_names[i]; i++)
		if (strcmp(w[0], section_names[i]) == 0)
			break;
	if (!section_names[i]) {
		const char *s = ocb_suggest(w[0], section_names);

		if (s)
			return ocb_fail("unknown section '[%s]' (did you mean '[%s%s]'?)", inner, s,
					strcmp(s, "guest") == 0 ? " NAME" : "");
		return ocb_fail("unknown section '[%s]' (expected [scenario], [host], [guest NAME], "
				"[timeline], [matrix], [quick], [report] or [policy])", inner);
	}
	p->sec = section_ids[i];
	if (p->sec == SC_SEC_GUEST)
		return guest_section(p, w, nw, inner);
	if (nw != 1)
		return ocb_fail("section [%s] takes no name (got '%s')", w[0], inner);
	return 0;
}

/* A "[...]" line: switch sections.  inih parses the same line right after
 * (and rejects a header without ']'). */
static int section_header(struct parse_ctx *p, const char *line)
{
	const char *end, *after;
	char **w = NULL;
	size_t nw;
	char *inner;
	int rc;

	while (isspace((unsigned char)*line))
		line++;
	if (*line != '[')
		return 0;
	end = strchr(line, ']');
	if (!end)
		return 0;
	for (after = end + 1; isspace((unsigned char)*after); after++)
		;
	if (*after && *after != ';' && *after != '#') {
		size_t n = strlen(after);

		while (n && isspace((unsigned char)after[n - 1]))
			n--;
		return ocb_fail("unexpected text '%.*s' after the section header", (int)n, after);
	}
	inner = xstrndup(line + 1, (size_t)(end - line - 1));
	rc = scenario_split_argv(inner, &w, &nw) < 0 ? -1 : enter_section(p, w, nw, inner);
	scenario_argv_free(w);
	free(inner);
	return rc;
}

/* inih's reader: the next whole line of the buffer into str. */
static char *reader(char *str, int num, void *stream)
{
	struct parse_ctx *p = stream;
	const char *start, *nl;
	size_t n;

	if (p->failed || p->pos >= p->len)
		return NULL;
	start = p->buf + p->pos;
	nl = memchr(start, '\n', p->len - p->pos);
	n = nl ? (size_t)(nl - start) + 1 : p->len - p->pos;
	p->pos += n;
	p->lineno++;
	if (memchr(start, '\0', n)) {
		ocb_fail("NUL byte in the line");
		parse_fail_at(p);
		return NULL;
	}
	if (num < 2 || n > (size_t)num - 1) {
		ocb_fail("line too long (%zu bytes; at most %d)", n, num - 2);
		parse_fail_at(p);
		return NULL;
	}
	memcpy(str, start, n);
	str[n] = '\0';
	if (p->lineno == 1 && n >= 3 && memcmp(str, "\xEF\xBB\xBF", 3) == 0) {
		if (section_header(p, str + 3) < 0)
			goto fail;
	} else if (section_header(p, str) < 0) {
		goto fail;
	}
	return str;
fail:
	parse_fail_at(p);
	return NULL;
}

static int record(struct parse_ctx *p, const char *name, const char *value)
{
	struct scenario_doc *d = p->doc;
	const struct sc_key *k;
	struct sc_record *r;

	switch (p->sec) {
	case SC_SEC_NONE:
		return ocb_fail("'%s' outside of a section (expected [scenario], [host], "
				"[guest NAME], [timeline], [matrix], [quick], [report] or [policy] first)", name);
	case SC_SEC_MATRIX:
	case SC_SEC_QUICK:
		d->raw = xgrow(d->raw, sizeof(*d->raw), d->n_raw + 1, &d->a_raw);
		d->raw[d->n_raw].section = p->sec;
		d->raw[d->n_raw].key = xstrdup(name);
		d->raw[d->n_raw].value = xstrdup(value);
		d->raw[d->n_raw].line = p->lineno;
		d->n_raw++;
		return 0;
	case SC_SEC_SCENARIO:
	case SC_SEC_GUEST:
	case SC_SEC_REPORT:
		k = sc_key_find(p->sec, name);
		if (!k)
			return sc_fail_unknown(p->sec == SC_SEC_GUEST ? "guest key" :
					       p->sec == SC_SEC_REPORT ? "report key" : "scenario key",
					       name, sc_key_names(p->sec));
		break;
	case SC_SEC_POLICY:
		/* POLICY.KEY is checked against the policy's keys when built */
		if (!sc_key_find(p->sec, name) && !strchr(name, '.'))
			return sc_fail_unknown("policy key (or POLICY.KEY, e.g. mom.pressure_threshold)",
					       name, sc_key_names(p->sec));
		break;
	case SC_SEC_HOST:
		if (!*name)
			return ocb_fail("empty host key");
		break;
	case SC_SEC_TIMELINE:
		break;
	}
	if (p->sec != SC_SEC_TIMELINE) {
		for (size_t i = 0; i < d->n_recs; i++) {
			r = &d->recs[i];
			if (r->section == p->sec && (p->sec != SC_SEC_GUEST || r->guest == p->guest) &&
			    strcmp(r->key, name) == 0)
				return ocb_fail("duplicate key '%s' (already set on line %u)", name,
						r->line);
		}
	}
	d->recs = xgrow(d->recs, sizeof(*d->recs), d->n_recs + 1, &d->a_recs);
	r = &d->recs[d->n_recs++];
	r->section = p->sec;
	r->guest = p->sec == SC_SEC_GUEST ? p->guest : 0;
	r->key = xstrdup(name);
	r->value = xstrdup(value);
	r->line = p->lineno;
	return 0;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *p = user;
	char lb[128];

	(void)section;	/* ours is p->sec: inih truncates names at 50 bytes */
	if (p->failed)
		return 0;
	if (record(p, name, value ? value : "") < 0) {
		if (p->sec == SC_SEC_NONE)
			parse_fail_at(p);
		else {
			p->failed = 1;
			ocb_err_prefix("%s:%u: [%s] ", p->doc->file, p->lineno,
				       sc_section_label(p->doc, p->sec, p->guest, lb, sizeof(lb)));
		}
		return 0;
	}
	return 1;
}

/* The text of line n (1-based) of buf, for messages. */
static char *line_text(const char *buf, size_t len, unsigned n)
{
	const char *p = buf, *end = buf + len, *nl;

	while (--n && p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	while (len && isspace((unsigned char)*p)) {
		p++;
		len--;
	}
	char *s = xstrndup(p, len);
	return s;
}

/* inih's options are process globals in Debian's build: set ours for the
 * parse and put the caller's back.  Continuation lines are off, so an
 * indented KEY = VALUE is just that; the line buffer is a VLA of
 * ini_max_line bytes. */
struct ini_opts {
	bool multiline, bom, inline_comments, stop, no_value;
	char *start_prefixes, *inline_prefixes;
	int max_line;
};

static void ini_opts_push(struct ini_opts *o)
{
	o->multiline = ini_allow_multiline;
	o->bom = ini_allow_bom;
	o->inline_comments = ini_allow_inline_comments;
	o->stop = ini_stop_on_first_error;
	o->no_value = ini_allow_no_value;
	o->start_prefixes = ini_start_comment_prefixes;
	o->inline_prefixes = ini_inline_comment_prefixes;
	o->max_line = ini_max_line;
	ini_allow_multiline = false;
	ini_allow_bom = true;
	ini_allow_inline_comments = true;
	ini_stop_on_first_error = true;
	ini_allow_no_value = false;
	ini_start_comment_prefixes = (char *)";#";
	ini_inline_comment_prefixes = (char *)";";
	if (ini_use_stack)
		ini_max_line = 4096;
}

static void ini_opts_pop(const struct ini_opts *o)
{
	ini_allow_multiline = o->multiline;
	ini_allow_bom = o->bom;
	ini_allow_inline_comments = o->inline_comments;
	ini_stop_on_first_error = o->stop;
	ini_allow_no_value = o->no_value;
	ini_start_comment_prefixes = o->start_prefixes;
	ini_inline_comment_prefixes = o->inline_prefixes;
	ini_max_line = o->max_line;
}

static char *default_name(const char *file)
{
	const char *b = strrchr(file, '/');
	size_t n;

	b = b ? b + 1 : file;
	n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".ini") == 0)
		n -= 4;
	char *s = xstrndup(b, n);
	return s;
}

static struct scenario_doc *doc_parse(const char *buf, size_t len, const char *file,
				      const struct scenario_hooks *hooks)
{
	struct scenario_doc *d = xcalloc(1, sizeof(*d));
	struct parse_ctx p = { .doc = d, .buf = buf, .len = len };
	struct ini_opts o;
	int rc;

	d->file = xstrdup(file);
	d->default_name = default_name(file);
	ini_opts_push(&o);
	rc = ini_parse_stream(reader, &p, handler, &p);
	ini_opts_pop(&o);
	if (p.failed)
		goto fail;
	if (rc > 0) {
		char *t = line_text(buf, len, (unsigned)rc);

		if (t[0] == '[')
			ocb_fail("%s:%d: malformed section header '%s': expected [SECTION] or "
				 "[guest NAME]", file, rc, t);
		else
			ocb_fail("%s:%d: malformed line '%s': expected KEY = VALUE, [SECTION] "
				 "or a comment", file, rc, t);
		free(t);
		goto fail;
	}
	if (rc < 0) {
		ocb_fail("%s: inih failed (%d)", file, rc);
		goto fail;
	}
	if (sc_resolve_axes(d, hooks) < 0)
		goto fail;
	return d;
fail:
	sc_doc_free(d);
	return NULL;
}

/* ------------------------------------------------------------- load */

static struct scenario *load_doc(struct scenario_doc *d, const struct scenario_hooks *hooks,
				 int quick)
{
	struct sc_override *ov = xcalloc(d->n_quick + 1, sizeof(*ov));
	size_t nq = sc_quick_overrides(d, ov);
	struct scenario *s = NULL, *t;

	/* [quick] is checked even when not used: CI runs it */
	if (nq && !quick) {
		t = sc_build(d, hooks, ov, nq, 1);
		if (!t)
			goto out;
		scenario_free(t);
	}
	/* every matrix value, one at a time, as written in place */
	for (size_t i = 0; i < d->n_matrix; i++) {
		for (size_t j = 0; j < d->matrix[i].n_values; j++) {
			struct sc_override m[d->n_quick + 1];
			size_t n = quick ? sc_quick_overrides(d, m) : 0;

			m[n].axis = &d->matrix[i];
			m[n].value = d->matrix[i].values[j];
			m[n].origin = "matrix";
			t = sc_build(d, hooks, m, n + 1, quick);
			if (!t)
				goto out;
			scenario_free(t);
		}
	}
	s = sc_build(d, hooks, ov, quick ? nq : 0, quick);
	if (s)
		s->doc = d;
out:
	free(ov);
	if (!s)
		sc_doc_free(d);
	return s;
}

struct scenario *scenario_load_string(const char *text, const char *name,
				      const struct scenario_hooks *hooks, int quick)
{
	struct scenario_doc *d;

	if (!name || !*name)
		name = "scenario";
	d = doc_parse(text, strlen(text), name, hooks);
	return d ? load_doc(d, hooks, quick) : NULL;
}

struct scenario *scenario_load(const char *path, const struct scenario_hooks *hooks, int quick)
{
	struct strbuf sb = STRBUF_INIT;
	struct scenario_doc *d;

	if (read_file(path, &sb) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	d = doc_parse(strbuf_str(&sb), sb.len, path, hooks);
	strbuf_release(&sb);
	return d ? load_doc(d, hooks, quick) : NULL;
}
