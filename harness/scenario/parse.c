/* scenario.c — the key table, parsing scenario files with inih into a doc,
 * and building a struct scenario from a doc.  See scenario.h; timelines
 * are in timeline.c, matrix expansion in matrix.c.
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
#include "scenario/scenario.h"
#include "scenario/scenario-internal.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/units.h"

#include <ctype.h>
#include <fnmatch.h>
#include <ini.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ keys */

enum key_type {
	KT_STRING,
	KT_UINT,	/* unsigned in [min, max] */
	KT_SIZE,	/* uint64_t bytes, bare number * unit */
	KT_DURATION,	/* uint64_t ns */
	KT_ENUM,	/* enum, index into allowed[] */
	KT_ONOFF,	/* int 1/0 */
	KT_WORKLOAD,	/* char *workload + char **workload_argv */
};

#define KEY_NO_AXIS 1	/* not allowed as a [matrix] axis */

struct key_def {
	enum sc_section section;	/* SC_SEC_SCENARIO or SC_SEC_GUEST */
	const char *name;
	enum key_type type;
	size_t offset;			/* in struct scenario / scenario_guest_spec */
	const char *def;		/* default as it would be written; NULL: unset */
	const char *def_text;		/* what --list-keys shows when def is NULL */
	const char *const *allowed;	/* KT_ENUM, in enum order */
	uint64_t min, max;		/* KT_UINT */
	uint64_t unit;			/* KT_SIZE: unit of a bare number */
	int allow_zero;			/* KT_DURATION */
	int flags;
	const char *metavar;		/* KT_STRING: what the value is */
	const char *help;
};

static const char *const balloon_names[] = { "virtio", "none", NULL };
static const char *const backing_names[] = { "anonymous", "hugetlb-2M", "hugetlb-1G", "file", NULL };
static const char *const onoff_names[] = { "off", "on", NULL };

#define SOFF(f) offsetof(struct scenario, f)
#define GOFF(f) offsetof(struct scenario_guest_spec, f)

static const struct key_def keys[] = {
	{ .section = SC_SEC_SCENARIO, .name = "name", .type = KT_STRING, .offset = SOFF(name),
	  .def_text = "file name without .ini", .flags = KEY_NO_AXIS, .metavar = "TEXT",
	  .help = "name of the scenario in results and reports" },
	{ .section = SC_SEC_SCENARIO, .name = "description", .type = KT_STRING,
	  .offset = SOFF(description), .def_text = "none", .metavar = "TEXT",
	  .help = "what the scenario reproduces (shown in reports)" },
	{ .section = SC_SEC_SCENARIO, .name = "repeat", .type = KT_UINT, .offset = SOFF(repeat),
	  .def = "1", .min = 1, .max = 1000, .flags = KEY_NO_AXIS,
	  .help = "runs of every matrix combination" },
	{ .section = SC_SEC_SCENARIO, .name = "duration", .type = KT_DURATION,
	  .offset = SOFF(duration_ns), .def = "0", .allow_zero = 1,
	  .help = "length of a run; 0: until the timeline has completed" },
	{ .section = SC_SEC_SCENARIO, .name = "host_memory_limit", .type = KT_SIZE,
	  .offset = SOFF(host_memory_limit), .def_text = "no limit", .unit = MiB,
	  .help = "cgroup memory cap on all QEMU processes of a run" },
	{ .section = SC_SEC_SCENARIO, .name = "sample_rate", .type = KT_UINT,
	  .offset = SOFF(sample_rate), .def = "10", .min = 1, .max = 1000,
	  .help = "sampler frequency in Hz (guest-agent sources sample at 1 Hz)" },
	{ .section = SC_SEC_SCENARIO, .name = "boot_timeout", .type = KT_DURATION,
	  .offset = SOFF(boot_timeout_ns), .def = "60s",
	  .help = "time a guest may take until its agent answers" },

	{ .section = SC_SEC_GUEST, .name = "count", .type = KT_UINT, .offset = GOFF(count),
	  .def = "1", .min = 1, .max = 256,
	  .help = "number of guests, named NAME-1..NAME-N" },
	{ .section = SC_SEC_GUEST, .name = "memory", .type = KT_SIZE, .offset = GOFF(memory_bytes),
	  .def = "2048M", .unit = MiB, .help = "guest RAM" },
	{ .section = SC_SEC_GUEST, .name = "vcpus", .type = KT_UINT, .offset = GOFF(vcpus),
	  .def = "1", .min = 1, .max = 256, .help = "virtual CPUs" },
	{ .section = SC_SEC_GUEST, .name = "balloon", .type = KT_ENUM, .offset = GOFF(balloon),
	  .def = "virtio", .allowed = balloon_names, .help = "balloon device" },
	{ .section = SC_SEC_GUEST, .name = "balloon.stats_period", .type = KT_DURATION,
	  .offset = GOFF(stats_period_ns), .def = "1s", .allow_zero = 1,
	  .help = "balloon guest-stats polling interval; 0 = off" },
	{ .section = SC_SEC_GUEST, .name = "backing", .type = KT_ENUM, .offset = GOFF(backing),
	  .def = "anonymous", .allowed = backing_names, .help = "guest RAM backing" },
	{ .section = SC_SEC_GUEST, .name = "mem_merge", .type = KT_ONOFF, .offset = GOFF(mem_merge),
	  .def = "on", .allowed = onoff_names, .help = "let KSM merge the guest's RAM (madvise)" },
	{ .section = SC_SEC_GUEST, .name = "image", .type = KT_STRING, .offset = GOFF(image),
	  .def_text = "the built guest", .metavar = "PATH",
	  .help = "directory with vmlinuz/vmlinux + initramfs, or a disk image" },
	{ .section = SC_SEC_GUEST, .name = "kernel", .type = KT_STRING, .offset = GOFF(kernel),
	  .def_text = "from image", .metavar = "PATH", .help = "kernel (overrides image's)" },
	{ .section = SC_SEC_GUEST, .name = "initrd", .type = KT_STRING, .offset = GOFF(initrd),
	  .def_text = "from image", .metavar = "PATH", .help = "initramfs (overrides image's)" },
	{ .section = SC_SEC_GUEST, .name = "append", .type = KT_STRING, .offset = GOFF(append),
	  .def_text = "from image", .metavar = "CMDLINE", .help = "kernel command line" },
	{ .section = SC_SEC_GUEST, .name = "workload", .type = KT_WORKLOAD,
	  .offset = GOFF(workload), .def_text = "none",
	  .help = "PROGRAM ARGS run in the guest ('...' and \"...\" quote)" },
	{ .section = SC_SEC_GUEST, .name = "uri", .type = KT_STRING, .offset = GOFF(uri),
	  .def_text = "--uri", .metavar = "URI", .help = "libvirt connection URI of this guest" },
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

static const struct key_def *key_find(enum sc_section sec, const char *name)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (keys[i].section == sec && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* NULL-terminated names of a section's keys (static storage). */
static const char *const *key_names(enum sc_section sec)
{
	static const char *names[2][N_KEYS + 1];
	const char **v = names[sec == SC_SEC_GUEST];
	size_t n = 0;

	for (size_t i = 0; i < N_KEYS; i++)
		if (keys[i].section == sec)
			v[n++] = keys[i].name;
	v[n] = NULL;
	return v;
}

static void add_name_list(struct strbuf *sb, const char *const *names, const char *sep_last)
{
	for (size_t i = 0; names[i]; i++) {
		if (i)
			strbuf_adds(sb, names[i + 1] ? ", " : sep_last);
		strbuf_adds(sb, names[i]);
	}
}

/* "unknown key 'memroy' (did you mean 'memory'?)" or a list of them. */
static int fail_unknown(const char *what, const char *word, const char *const *names)
{
	const char *s = ocb_suggest(word, names);
	struct strbuf sb = STRBUF_INIT;

	if (s) {
		ocb_fail("unknown %s '%s' (did you mean '%s'?)", what, word, s);
	} else {
		add_name_list(&sb, names, " or ");
		ocb_fail("unknown %s '%s' (expected %s)", what, word, sb.len ? sb.buf : "none");
	}
	strbuf_release(&sb);
	return -1;
}

static int parse_enum(const char *value, const char *const *allowed, int *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	for (int i = 0; allowed[i]; i++) {
		if (strcasecmp(value, allowed[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	add_name_list(&sb, allowed, " or ");
	s = ocb_suggest(value, allowed);
	if (s)
		ocb_fail("invalid value '%s': expected %s (did you mean '%s'?)", value, sb.buf, s);
	else
		ocb_fail("invalid value '%s': expected %s", value, sb.buf);
	strbuf_release(&sb);
	return -1;
}

static int set_workload(struct scenario_guest_spec *g, const char *value,
			const struct scenario_hooks *hooks)
{
	char **argv;
	size_t argc;

	if (scenario_split_argv(value, &argv, &argc) < 0)
		return -1;
	if (argc == 0) {
		scenario_argv_free(argv);
		return ocb_fail("empty workload: expected PROGRAM ARGS...");
	}
	if (hooks && hooks->validate_workload && hooks->validate_workload(argv[0]) < 0) {
		scenario_argv_free(argv);
		return -1;
	}
	free(g->workload);
	scenario_argv_free(g->workload_argv);
	g->workload = sc_xstrdup(value);
	g->workload_argv = argv;
	return 0;
}

/* Parse value into the field k describes in base.  Unprefixed message. */
static int key_set(const struct key_def *k, void *base, const char *value,
		   const struct scenario_hooks *hooks)
{
	void *field = (char *)base + k->offset;
	uint64_t v;
	int e;

	switch (k->type) {
	case KT_STRING:
		free(*(char **)field);
		*(char **)field = sc_xstrdup(value);
		return 0;
	case KT_UINT:
		if (parse_u64_range(value, k->min, k->max, &v) < 0)
			return -1;
		*(unsigned *)field = (unsigned)v;
		return 0;
	case KT_SIZE:
		if (parse_size(value, k->unit, &v) < 0)
			return -1;
		*(uint64_t *)field = v;
		return 0;
	case KT_DURATION:
		if (parse_duration_ns(value, k->allow_zero, &v) < 0)
			return -1;
		*(uint64_t *)field = v;
		return 0;
	case KT_ENUM:
	case KT_ONOFF:
		if (parse_enum(value, k->allowed, &e) < 0)
			return -1;
		*(int *)field = e;
		return 0;
	case KT_WORKLOAD:
		return set_workload(base, value, hooks);
	}
	return ocb_fail("internal error: key '%s' has no type", k->name);
}

static void set_defaults(enum sc_section sec, void *base)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (keys[i].section == sec && keys[i].def &&
		    key_set(&keys[i], base, keys[i].def, NULL) < 0)
			abort();	/* a bad default is a bug of this table */
}

/* ----------------------------------------------------------- word split */

int sc_split_words(const char **pp, int stop_at_comma, char ***argv_out, size_t *argc_out)
{
	const char *p = *pp, *start = *pp;
	struct strbuf w = STRBUF_INIT;
	char **argv = NULL;
	size_t argc = 0, alloc = 0;
	int in_word = 0;

	for (;;) {
		char c = *p;

		if (c == '\0' || (stop_at_comma && c == ',') || isspace((unsigned char)c)) {
			if (in_word) {
				argv = sc_grow(argv, sizeof(*argv), argc + 2, &alloc);
				argv[argc++] = strbuf_detach(&w);
				if (!argv[argc - 1])
					argv[argc - 1] = sc_xstrdup("");
				in_word = 0;
			}
			if (c == '\0')
				break;
			p++;
			if (c == ',')
				break;
			continue;
		}
		in_word = 1;
		if (c == '\'' || c == '"') {
			const char *q = p + 1;

			while (*q && *q != c) {
				if (c == '"' && *q == '\\' && (q[1] == '"' || q[1] == '\\'))
					q++;
				strbuf_addch(&w, *q);
				q++;
			}
			if (!*q) {
				strbuf_release(&w);
				for (size_t i = 0; i < argc; i++)
					free(argv[i]);
				free(argv);
				return ocb_fail("unterminated %c quote in '%s'", c, start);
			}
			p = q + 1;
			continue;
		}
		strbuf_addch(&w, c);
		p++;
	}
	argv = sc_grow(argv, sizeof(*argv), argc + 1, &alloc);
	argv[argc] = NULL;
	*argv_out = argv;
	*argc_out = argc;
	*pp = p;
	return 0;
}

int scenario_split_argv(const char *s, char ***argv, size_t *argc)
{
	return sc_split_words(&s, 0, argv, argc);
}

void scenario_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* ---------------------------------------------------------------- host */

int sc_validate_host(const struct scenario_hooks *hooks, const char *key, const char *value)
{
	const char *const *names = hooks && hooks->host_keys ? hooks->host_keys() : NULL;
	int known = 0;

	if (!*key)
		return ocb_fail("empty host key");
	for (size_t i = 0; names && names[i]; i++)
		if (strcmp(names[i], key) == 0)
			known = 1;
	if (!hooks || !hooks->validate_host)
		return names && !known ? fail_unknown("host key", key, names) : 0;
	if (hooks->validate_host(key, value) == 0)
		return 0;
	/* The validator may accept patterns (hugetlb.2M.node0) that are not in
	 * the list; only a key it rejects and the list lacks is "unknown". */
	if (names && !known)
		return fail_unknown("host key", key, names);
	return -1;
}

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
	"scenario", "host", "guest", "timeline", "matrix", "quick", NULL
};
static const enum sc_section section_ids[] = {
	SC_SEC_SCENARIO, SC_SEC_HOST, SC_SEC_GUEST, SC_SEC_TIMELINE, SC_SEC_MATRIX, SC_SEC_QUICK
};

static int parse_fail_at(struct parse_ctx *p)
{
	p->failed = 1;
	return ocb_err_prefix("%s:%u: ", p->doc->file, p->lineno);
}

static int valid_guest_name(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
	return 1;
}

/* A "[...]" line: switch sections.  inih parses the same line right after
 * (and rejects a header without ']'). */
static int section_header(struct parse_ctx *p, const char *line)
{
	struct scenario_doc *d = p->doc;
	const char *end, *after;
	char **w = NULL;
	size_t nw, i;
	char *inner;
	int rc = -1;

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
	inner = strndup(line + 1, (size_t)(end - line - 1));
	if (!inner)
		abort();
	if (scenario_split_argv(inner, &w, &nw) < 0)
		goto out;
	if (nw == 0) {
		ocb_fail("empty section header '[]'");
		goto out;
	}
	for (i = 0; section_names[i]; i++)
		if (strcmp(w[0], section_names[i]) == 0)
			break;
	if (!section_names[i]) {
		const char *s = ocb_suggest(w[0], section_names);

		if (s)
			ocb_fail("unknown section '[%s]' (did you mean '[%s%s]'?)", inner, s,
				 strcmp(s, "guest") == 0 ? " NAME" : "");
		else
			ocb_fail("unknown section '[%s]' (expected [scenario], [host], [guest NAME], "
				 "[timeline], [matrix] or [quick])", inner);
		goto out;
	}
	p->sec = section_ids[i];
	if (p->sec != SC_SEC_GUEST) {
		if (nw != 1) {
			ocb_fail("section [%s] takes no name (got '%s')", w[0], inner);
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (nw != 2) {
		ocb_fail("expected [guest NAME] with one NAME, got '[%s]'", inner);
		goto out;
	}
	if (!valid_guest_name(w[1])) {
		ocb_fail("invalid guest name '%s': expected letters, digits, '-' and '_', "
			 "starting with a letter or digit", w[1]);
		goto out;
	}
	for (i = 0; i < d->n_guests; i++) {
		if (strcmp(d->guests[i].name, w[1]) == 0) {
			ocb_fail("duplicate guest '%s' (first defined on line %u)", w[1],
				 d->guests[i].line);
			goto out;
		}
	}
	d->guests = sc_grow(d->guests, sizeof(*d->guests), d->n_guests + 1, &d->a_guests);
	d->guests[d->n_guests].name = sc_xstrdup(w[1]);
	d->guests[d->n_guests].line = p->lineno;
	p->guest = d->n_guests++;
	rc = 0;
out:
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
	const struct key_def *k;
	struct sc_record *r;

	switch (p->sec) {
	case SC_SEC_NONE:
		return ocb_fail("'%s' outside of a section (expected [scenario], [host], "
				"[guest NAME], [timeline], [matrix] or [quick] first)", name);
	case SC_SEC_MATRIX:
	case SC_SEC_QUICK:
		d->raw = sc_grow(d->raw, sizeof(*d->raw), d->n_raw + 1, &d->a_raw);
		d->raw[d->n_raw].section = p->sec;
		d->raw[d->n_raw].key = sc_xstrdup(name);
		d->raw[d->n_raw].value = sc_xstrdup(value);
		d->raw[d->n_raw].line = p->lineno;
		d->n_raw++;
		return 0;
	case SC_SEC_SCENARIO:
	case SC_SEC_GUEST:
		k = key_find(p->sec, name);
		if (!k)
			return fail_unknown(p->sec == SC_SEC_GUEST ? "guest key" : "scenario key",
					    name, key_names(p->sec));
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
	d->recs = sc_grow(d->recs, sizeof(*d->recs), d->n_recs + 1, &d->a_recs);
	r = &d->recs[d->n_recs++];
	r->section = p->sec;
	r->guest = p->sec == SC_SEC_GUEST ? p->guest : 0;
	r->key = sc_xstrdup(name);
	r->value = sc_xstrdup(value);
	r->line = p->lineno;
	return 0;
}

static const char *sec_label(const struct scenario_doc *d, enum sc_section sec, size_t guest,
			     char *buf, size_t size)
{
	switch (sec) {
	case SC_SEC_GUEST:
		snprintf(buf, size, "guest %s", d->guests[guest].name);
		return buf;
	case SC_SEC_SCENARIO: return "scenario";
	case SC_SEC_HOST: return "host";
	case SC_SEC_TIMELINE: return "timeline";
	case SC_SEC_MATRIX: return "matrix";
	case SC_SEC_QUICK: return "quick";
	case SC_SEC_NONE: break;
	}
	return "";
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
				       sec_label(p->doc, p->sec, p->guest, lb, sizeof(lb)));
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
	char *s = strndup(p, len);
	if (!s)
		abort();
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

/* "SECTION.KEY" of a [matrix]/[quick] line to its target.  Unprefixed. */
static int resolve_target(const struct scenario_doc *d, const struct scenario_hooks *hooks,
			  const struct sc_raw_axis *r, struct sc_axis *a)
{
	static const char *const targets[] = { "scenario", "host", "guest", NULL };
	const char *what = r->section == SC_SEC_MATRIX ? "matrix axis" : "quick override";
	const char *dot = strchr(r->key, '.'), *rest;
	size_t seclen;

	if (!dot || !dot[1])
		return ocb_fail("%s '%s': expected SECTION.KEY (scenario.KEY, host.KEY or "
				"guest.NAME.KEY)", what, r->key);
	seclen = (size_t)(dot - r->key);
	rest = dot + 1;
	if (seclen == 8 && strncmp(r->key, "scenario", 8) == 0) {
		const struct key_def *k = key_find(SC_SEC_SCENARIO, rest);

		a->section = SC_SEC_SCENARIO;
		if (!k)
			return fail_unknown("scenario key", rest, key_names(SC_SEC_SCENARIO));
		if ((k->flags & KEY_NO_AXIS) && r->section == SC_SEC_MATRIX)
			return ocb_fail("scenario.%s cannot be a matrix axis", rest);
	} else if (seclen == 4 && strncmp(r->key, "host", 4) == 0) {
		const char *const *names = hooks && hooks->host_keys ? hooks->host_keys() : NULL;
		int known = !names;

		a->section = SC_SEC_HOST;
		for (size_t i = 0; names && names[i]; i++)
			known |= strcmp(names[i], rest) == 0;
		/* pattern keys are left to validate_host when the values are built */
		if (!known && !(hooks && hooks->validate_host))
			return fail_unknown("host key", rest, names);
	} else if (seclen == 5 && strncmp(r->key, "guest", 5) == 0) {
		const char *kdot = strchr(rest, '.');
		const char *gnames[d->n_guests + 1];
		size_t i;

		if (!kdot || kdot == rest || !kdot[1])
			return ocb_fail("%s '%s': expected guest.NAME.KEY", what, r->key);
		for (i = 0; i < d->n_guests; i++) {
			gnames[i] = d->guests[i].name;
			if (strlen(gnames[i]) == (size_t)(kdot - rest) &&
			    strncmp(gnames[i], rest, (size_t)(kdot - rest)) == 0)
				break;
		}
		if (i == d->n_guests) {
			char name[256];

			gnames[d->n_guests] = NULL;
			snprintf(name, sizeof(name), "%.*s", (int)(kdot - rest), rest);
			return fail_unknown("guest", name, gnames);
		}
		a->section = SC_SEC_GUEST;
		a->guest = i;
		rest = kdot + 1;
		if (!key_find(SC_SEC_GUEST, rest))
			return fail_unknown("guest key", rest, key_names(SC_SEC_GUEST));
	} else {
		char sec[64];

		snprintf(sec, sizeof(sec), "%.*s", (int)seclen, r->key);
		if (strcmp(sec, "timeline") == 0 && r->section == SC_SEC_MATRIX)
			return ocb_fail("%s '%s': timeline lines cannot be matrix axes", what, r->key);
		if (strcmp(sec, "timeline") == 0) {
			/* [quick] timeline.TIME = ACTIONS: its lines replace the
			 * whole [timeline] (a quick run is shorter) */
			a->section = SC_SEC_TIMELINE;
		} else {
			return fail_unknown("section", sec, targets);
		}
	}
	a->key = sc_xstrdup(rest);
	return 0;
}

static void add_value(struct sc_axis *a, const char *v, size_t n)
{
	while (n && isspace((unsigned char)*v)) {
		v++;
		n--;
	}
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	a->values = sc_xrealloc(a->values, (a->n_values + 1) * sizeof(*a->values));
	a->values[a->n_values] = strndup(v, n);
	if (!a->values[a->n_values])
		abort();
	a->n_values++;
}

static int resolve_axis(const struct scenario_doc *d, const struct scenario_hooks *hooks,
			const struct sc_raw_axis *r, struct sc_axis *a)
{
	if (resolve_target(d, hooks, r, a) < 0)
		return -1;
	a->axis = sc_xstrdup(r->key);
	a->line = r->line;
	if (r->section == SC_SEC_QUICK) {
		add_value(a, r->value, strlen(r->value));
		return 0;
	}
	for (const char *p = r->value;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		add_value(a, p, n);
		if (!*a->values[a->n_values - 1])
			return ocb_fail("empty value in '%s' (expected v1, v2, ...)", r->value);
		for (size_t i = 0; i + 1 < a->n_values; i++)
			if (strcmp(a->values[i], a->values[a->n_values - 1]) == 0)
				return ocb_fail("value '%s' listed twice", a->values[i]);
		if (!c)
			break;
		p = c + 1;
	}
	return 0;
}

static int resolve_axes(struct scenario_doc *d, const struct scenario_hooks *hooks)
{
	d->matrix = sc_xcalloc(d->n_raw, sizeof(*d->matrix));
	d->quick = sc_xcalloc(d->n_raw, sizeof(*d->quick));
	for (size_t i = 0; i < d->n_raw; i++) {
		const struct sc_raw_axis *r = &d->raw[i];
		int m = r->section == SC_SEC_MATRIX;
		struct sc_axis *list = m ? d->matrix : d->quick;
		size_t *n = m ? &d->n_matrix : &d->n_quick;

		for (size_t j = 0; j < *n; j++)
			if (list[j].section != SC_SEC_TIMELINE && strcmp(list[j].axis, r->key) == 0)
				return ocb_fail("%s:%u: [%s] %s: listed twice (first on line %u)",
						d->file, r->line, m ? "matrix" : "quick", r->key,
						list[j].line);
		(*n)++;
		if (resolve_axis(d, hooks, r, &list[*n - 1]) < 0)
			return ocb_err_prefix("%s:%u: [%s] ", d->file, r->line,
					      m ? "matrix" : "quick");
	}
	return 0;
}

static char *default_name(const char *file)
{
	const char *b = strrchr(file, '/');
	size_t n;

	b = b ? b + 1 : file;
	n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".ini") == 0)
		n -= 4;
	char *s = strndup(b, n);
	if (!s)
		abort();
	return s;
}

static struct scenario_doc *doc_parse(const char *buf, size_t len, const char *file,
				      const struct scenario_hooks *hooks)
{
	struct scenario_doc *d = sc_xcalloc(1, sizeof(*d));
	struct parse_ctx p = { .doc = d, .buf = buf, .len = len };
	struct ini_opts o;
	int rc;

	d->file = sc_xstrdup(file);
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
	if (resolve_axes(d, hooks) < 0)
		goto fail;
	return d;
fail:
	sc_doc_free(d);
	return NULL;
}

/* ------------------------------------------------------------- build */

struct build {
	struct scenario *s;
	const struct scenario_doc *doc;
	const struct scenario_hooks *hooks;
	const struct sc_override *ov;
	size_t n_ov;
	char *ov_used;
	unsigned *lines;	/* [(1 + n_specs) * N_KEYS]: line a key was set on */
};

static unsigned *key_line(struct build *b, enum sc_section sec, size_t guest,
			  const struct key_def *k)
{
	size_t row = sec == SC_SEC_GUEST ? guest + 1 : 0;

	return &b->lines[row * N_KEYS + (size_t)(k - keys)];
}

static void add_host(struct scenario *s, const char *key, const char *value, unsigned line)
{
	s->host = sc_xrealloc(s->host, (s->n_host + 1) * sizeof(*s->host));
	s->host[s->n_host].key = sc_xstrdup(key);
	s->host[s->n_host].value = sc_xstrdup(value);
	s->host[s->n_host].file = s->file;
	s->host[s->n_host].line = line;
	s->n_host++;
}

/* Apply one value; origin NULL for a line of the file, else the
 * [matrix]/[quick] override whose line the message names. */
static int apply(struct build *b, enum sc_section sec, size_t guest, const char *key,
		 const char *value, unsigned line, const struct sc_override *o)
{
	struct scenario *s = b->s;
	const struct key_def *k;
	char lb[128];
	int rc;

	if (sec == SC_SEC_HOST) {
		rc = sc_validate_host(b->hooks, key, value);
		if (rc == 0)
			add_host(s, key, value, line);
	} else {
		k = key_find(sec, key);
		if (!k)
			return ocb_fail("internal error: key '%s' vanished", key);
		rc = key_set(k, sec == SC_SEC_GUEST ? (void *)&s->specs[guest] : (void *)s, value,
			     b->hooks);
		if (rc == 0)
			*key_line(b, sec, guest, k) = line;
	}
	if (rc == 0)
		return 0;
	if (o)
		return ocb_err_prefix("%s:%u: [%s] %s: ", s->file, line, o->origin, o->axis->axis);
	return ocb_err_prefix("%s:%u: [%s] %s: ", s->file, line,
			      sec_label(b->doc, sec, guest, lb, sizeof(lb)), key);
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

static int check_spec(struct build *b, size_t gi)
{
	struct scenario_guest_spec *g = &b->s->specs[gi];
	unsigned sp = *key_line(b, SC_SEC_GUEST, gi, key_find(SC_SEC_GUEST, "balloon.stats_period"));
	unsigned ml = *key_line(b, SC_SEC_GUEST, gi, key_find(SC_SEC_GUEST, "memory"));
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
		if (check_spec(b, i) < 0)
			return -1;
		n += s->specs[i].count;
	}
	s->guests = sc_xcalloc(n, sizeof(*s->guests));
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
	struct scenario *s = sc_xcalloc(1, sizeof(*s));
	struct build b = { .s = s, .doc = d, .hooks = hooks, .ov = ov, .n_ov = n_ov };

	s->file = sc_xstrdup(d->file);
	if (hooks)
		s->hooks = *hooks;
	s->quick = quick;
	set_defaults(SC_SEC_SCENARIO, s);
	s->name = sc_xstrdup(d->default_name);
	s->specs = sc_xcalloc(d->n_guests, sizeof(*s->specs));
	s->n_specs = d->n_guests;
	for (size_t i = 0; i < d->n_guests; i++) {
		s->specs[i].name = sc_xstrdup(d->guests[i].name);
		s->specs[i].line = d->guests[i].line;
		set_defaults(SC_SEC_GUEST, &s->specs[i]);
	}
	b.ov_used = sc_xcalloc(n_ov, 1);
	b.lines = sc_xcalloc((1 + d->n_guests) * N_KEYS, sizeof(*b.lines));
	if (apply_records(&b) < 0 || make_guests(&b) < 0 || add_timeline(&b) < 0) {
		scenario_free(s);
		s = NULL;
	}
	free(b.ov_used);
	free(b.lines);
	return s;
}

/* ------------------------------------------------------------- load */

/* Every [quick] override as a list (quick first, so matrix values that
 * follow win). */
static size_t quick_overrides(const struct scenario_doc *d, struct sc_override *ov)
{
	for (size_t i = 0; i < d->n_quick; i++) {
		ov[i].axis = &d->quick[i];
		ov[i].value = d->quick[i].values[0];
		ov[i].origin = "quick";
	}
	return d->n_quick;
}

static struct scenario *load_doc(struct scenario_doc *d, const struct scenario_hooks *hooks,
				 int quick)
{
	struct sc_override *ov = sc_xcalloc(d->n_quick + 1, sizeof(*ov));
	size_t nq = quick_overrides(d, ov);
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
			size_t n = quick ? quick_overrides(d, m) : 0;

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

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_host; i++) {
		free(s->host[i].key);
		free(s->host[i].value);
	}
	free(s->host);
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
	free(s->file);
	free(s);
}

/* ------------------------------------------------------------- queries */

size_t scenario_match_guests(const struct scenario *s, const char *glob,
			     const struct scenario_guest **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n_guests; i++) {
		if (fnmatch(glob, s->guests[i].name, 0) != 0)
			continue;
		if (out && n < max)
			out[n] = &s->guests[i];
		n++;
	}
	return n;
}

const struct scenario_guest *scenario_find_guest(const struct scenario *s, const char *name)
{
	for (size_t i = 0; i < s->n_guests; i++)
		if (strcmp(s->guests[i].name, name) == 0)
			return &s->guests[i];
	return NULL;
}

const char *scenario_host_value(const struct scenario *s, const char *key)
{
	for (size_t i = 0; i < s->n_host; i++)
		if (strcmp(s->host[i].key, key) == 0)
			return s->host[i].value;
	return NULL;
}

const char *scenario_balloon_name(enum scenario_balloon b)
{
	return (unsigned)b < 2 ? balloon_names[b] : "?";
}

const char *scenario_backing_name(enum scenario_backing b)
{
	return (unsigned)b < 4 ? backing_names[b] : "?";
}

/* ------------------------------------------------------------- --list-keys */

static void key_value_text(const struct key_def *k, struct strbuf *sb)
{
	switch (k->type) {
	case KT_STRING:
		strbuf_adds(sb, k->metavar ? k->metavar : "TEXT");
		break;
	case KT_UINT:
		strbuf_addf(sb, "N (%llu..%llu)", (unsigned long long)k->min,
			    (unsigned long long)k->max);
		break;
	case KT_SIZE:
		strbuf_adds(sb, k->unit == MiB ? "SIZE (bare number: MiB)" : "SIZE");
		break;
	case KT_DURATION:
		strbuf_adds(sb, k->allow_zero ? "DURATION (0 allowed)" : "DURATION");
		break;
	case KT_ENUM:
	case KT_ONOFF:
		for (size_t i = 0; k->allowed[i]; i++)
			strbuf_addf(sb, "%s%s", i ? "|" : "", k->allowed[i]);
		break;
	case KT_WORKLOAD:
		strbuf_adds(sb, "PROGRAM ARGS...");
		break;
	}
}

void scenario_print_keys(FILE *f, const struct scenario_hooks *hooks)
{
	const char *const *hk = hooks && hooks->host_keys ? hooks->host_keys() : NULL;
	static const char *const host_help = "host knob (applied, restored after the run)";
	struct strbuf v[N_KEYS];
	int wk = (int)strlen("KNOB"), wv = (int)strlen("VALUE"), wd = (int)strlen("unchanged");

	/* columns as wide as their longest cell */
	for (size_t i = 0; i < N_KEYS; i++) {
		const char *d = keys[i].def ? keys[i].def : keys[i].def_text;

		v[i] = (struct strbuf)STRBUF_INIT;
		key_value_text(&keys[i], &v[i]);
		if ((int)strlen(keys[i].name) > wk)
			wk = (int)strlen(keys[i].name);
		if ((int)v[i].len > wv)
			wv = (int)v[i].len;
		if ((int)strlen(d) > wd)
			wd = (int)strlen(d);
	}
	for (size_t i = 0; hk && hk[i]; i++)
		if ((int)strlen(hk[i]) > wk)
			wk = (int)strlen(hk[i]);
	fprintf(f, "%-12s  %-*s  %-*s  %-*s  %s\n", "SECTION", wk, "KEY", wv, "VALUE", wd,
		"DEFAULT", "DESCRIPTION");
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct key_def *k = &keys[i];

		fprintf(f, "%-12s  %-*s  %-*s  %-*s  %s\n",
			k->section == SC_SEC_GUEST ? "[guest NAME]" : "[scenario]", wk, k->name, wv,
			v[i].buf, wd, k->def ? k->def : k->def_text, k->help);
		strbuf_release(&v[i]);
	}
	for (size_t i = 0; hk && hk[i]; i++) {
		const char *help = hooks->host_help ? hooks->host_help(hk[i]) : NULL;

		fprintf(f, "%-12s  %-*s  %-*s  %-*s  %s\n", "[host]", wk, hk[i], wv, "VALUE", wd,
			"unchanged", help ? help : host_help);
	}
	if (!hk)
		fprintf(f, "%-12s  %-*s  %-*s  %-*s  %s\n", "[host]", wk, "KNOB", wv, "VALUE", wd,
			"unchanged", host_help);
	fprintf(f, "\n[timeline]  TIME = ACTION[, ACTION...]   (TIME from the start of the run; "
		"GLOB matches guest names, e.g. light-*)\n");
	fprintf(f, "  balloon GLOB SIZE                 set the balloon target (bare number: MiB)\n"
		"  workload GLOB start|stop          start or stop the guests' workload\n"
		"  ksm on|off|unmerge                switch KSM (unmerge: run=2)\n"
		"  host KEY VALUE                    set a host knob\n"
		"  wait balloon GLOB [timeout DUR] [partial-ok]\n"
		"                                    until the balloons reach their targets\n"
		"                                    (partial-ok: record a shortfall, do not fail)\n"
		"  wait ksm-settled [timeout DUR]    until KSM has settled\n"
		"  wait workload GLOB [timeout DUR]  until the workloads have exited\n"
		"  free GLOB                         sample `free -m` in the guests\n"
		"  exec GLOB CMD ARGS...             run a command in the guests (agent)\n");
	fprintf(f, "\n[matrix]  SECTION.KEY = V1, V2, ...   one run per combination "
		"(scenario.KEY, host.KEY, guest.NAME.KEY)\n"
		"[quick]   SECTION.KEY = VALUE          applied with --quick, before [matrix];\n"
		"          timeline.TIME = ACTIONS      lines that replace the whole [timeline]\n");
}
