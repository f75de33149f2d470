/* timeline.c — [timeline] lines: TIME = ACTION[, ACTION...].
 *
 * Parsed after the guests are known, so every GLOB is checked against
 * them: a glob that matches nothing, a balloon action on a guest without a
 * balloon or a target above its memory, a workload action on a guest
 * without a workload are errors at the line that says so, not surprises
 * half way through a run.
 */
#include "scenario/timeline.h"
#include "scenario/model.h"
#include "scenario/scenario-internal.h"
#include "scenario/words.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/units.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const action_names[] = {
	[TL_BALLOON] = "balloon",
	[TL_WORKLOAD_START] = "workload start",
	[TL_WORKLOAD_STOP] = "workload stop",
	[TL_KSM_ON] = "ksm on",
	[TL_KSM_OFF] = "ksm off",
	[TL_KSM_UNMERGE] = "ksm unmerge",
	[TL_HOST] = "host",
	[TL_WAIT_BALLOON] = "wait balloon",
	[TL_WAIT_KSM_SETTLED] = "wait ksm-settled",
	[TL_WAIT_WORKLOAD] = "wait workload",
	[TL_FREE] = "free",
	[TL_EXEC] = "exec",
};

const char *timeline_action_name(enum timeline_action a)
{
	return (unsigned)a < sizeof(action_names) / sizeof(action_names[0]) ? action_names[a] : "?";
}

static const char *const verbs[] = { "balloon", "workload", "ksm", "host", "wait", "free", "exec",
				     NULL };

static int fail_word(const char *what, const char *word, const char *const *names,
		     const char *expected)
{
	const char *s = ocb_suggest(word, names);

	if (s)
		return ocb_fail("unknown %s '%s' (did you mean '%s'?)", what, word, s);
	return ocb_fail("unknown %s '%s' (expected %s)", what, word, expected);
}

static int want_args(size_t argc, size_t n, const char *usage)
{
	if (argc != n)
		return ocb_fail("expected '%s', got %zu word%s", usage, argc, argc == 1 ? "" : "s");
	return 0;
}

/* The glob must match some guest, and every guest it matches must be
 * able to take the action. */
static int check_glob(const struct scenario *s, struct timeline_entry *e)
{
	const struct scenario_guest **m;
	size_t n = scenario_match_guests(s, e->glob, NULL, 0);
	int rc = 0;

	if (n == 0) {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < s->n_guests && i < 12; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", s->guests[i].name);
		if (s->n_guests > 12)
			strbuf_adds(&sb, ", ...");
		ocb_fail("'%s' matches no guest (guests: %s)", e->glob,
			 s->n_guests ? sb.buf : "none defined");
		strbuf_release(&sb);
		return -1;
	}
	m = sc_xcalloc(n, sizeof(*m));
	scenario_match_guests(s, e->glob, m, n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct scenario_guest_spec *g = m[i]->spec;

		switch (e->action) {
		/* Balloon targets above guest memory and guests without a
		 * balloon device are not rejected here: they are seed
		 * behaviours the runner reproduces (clamped, said so; QEMU's
		 * DeviceNotActive error naming the guest). */
		case TL_WORKLOAD_START:
		case TL_WORKLOAD_STOP:
		case TL_WAIT_WORKLOAD:
			if (!g->workload_argv)
				rc = ocb_fail("guest %s has no workload (narrow the glob)",
					      m[i]->name);
			break;
		default:
			break;
		}
	}
	free(m);
	return rc;
}

/* "wait X GLOB [timeout DUR]" / "wait ksm-settled [timeout DUR]" */
static int parse_wait(char **w, size_t argc, struct timeline_entry *e)
{
	static const char *const what[] = { "balloon", "ksm-settled", "workload", NULL };
	size_t rest;

	if (argc < 2)
		return ocb_fail("expected 'wait balloon GLOB', 'wait ksm-settled' or "
				"'wait workload GLOB'");
	if (strcmp(w[1], "ksm-settled") == 0) {
		e->action = TL_WAIT_KSM_SETTLED;
		rest = 2;
	} else if (strcmp(w[1], "balloon") == 0 || strcmp(w[1], "workload") == 0) {
		e->action = w[1][0] == 'b' ? TL_WAIT_BALLOON : TL_WAIT_WORKLOAD;
		if (argc < 3)
			return ocb_fail("expected 'wait %s GLOB [timeout DUR]'", w[1]);
		e->glob = sc_xstrdup(w[2]);
		rest = 3;
	} else {
		return fail_word("wait", w[1], what, "balloon, ksm-settled or workload");
	}
	/* "partial-ok": a balloon that stops short (the guest holds its
	 * memory, or OOMs) is an outcome to record, not a failure. */
	if (e->action == TL_WAIT_BALLOON && argc > rest && strcmp(w[argc - 1], "partial-ok") == 0) {
		e->partial_ok = 1;
		argc--;
	}
	if (argc == rest)
		return 0;
	if (argc != rest + 2 || strcmp(w[rest], "timeout") != 0)
		return ocb_fail("expected 'timeout DURATION'%s after 'wait %s%s%s', got '%s'",
				e->action == TL_WAIT_BALLOON ? " [partial-ok]" : "", w[1],
				e->glob ? " " : "", e->glob ? e->glob : "", w[rest]);
	if (parse_duration_ns(w[rest + 1], 0, &e->timeout_ns) < 0)
		return ocb_err_prefix("timeout: ");
	return 0;
}

static int parse_action(struct scenario *s, char **w, size_t argc, struct timeline_entry *e)
{
	const char *v = w[0];

	if (strcmp(v, "balloon") == 0) {
		if (want_args(argc, 3, "balloon GLOB SIZE") < 0)
			return -1;
		e->action = TL_BALLOON;
		e->glob = sc_xstrdup(w[1]);
		if (parse_size(w[2], MiB, &e->size_bytes) < 0)
			return -1;
	} else if (strcmp(v, "workload") == 0) {
		if (want_args(argc, 3, "workload GLOB start|stop") < 0)
			return -1;
		if (strcmp(w[2], "start") == 0)
			e->action = TL_WORKLOAD_START;
		else if (strcmp(w[2], "stop") == 0)
			e->action = TL_WORKLOAD_STOP;
		else
			return ocb_fail("invalid value '%s': expected 'workload GLOB start|stop'", w[2]);
		e->glob = sc_xstrdup(w[1]);
	} else if (strcmp(v, "ksm") == 0) {
		if (want_args(argc, 2, "ksm on|off|unmerge") < 0)
			return -1;
		if (strcmp(w[1], "on") == 0)
			e->action = TL_KSM_ON;
		else if (strcmp(w[1], "off") == 0)
			e->action = TL_KSM_OFF;
		else if (strcmp(w[1], "unmerge") == 0)
			e->action = TL_KSM_UNMERGE;
		else
			return ocb_fail("invalid value '%s': expected 'ksm on|off|unmerge'", w[1]);
	} else if (strcmp(v, "host") == 0) {
		if (want_args(argc, 3, "host KEY VALUE") < 0)
			return -1;
		e->action = TL_HOST;
		if (sc_validate_host(&s->hooks, w[1], w[2]) < 0)
			return ocb_err_prefix("host %s: ", w[1]);
		e->key = sc_xstrdup(w[1]);
		e->value = sc_xstrdup(w[2]);
	} else if (strcmp(v, "wait") == 0) {
		if (parse_wait(w, argc, e) < 0)
			return -1;
	} else if (strcmp(v, "free") == 0) {
		if (want_args(argc, 2, "free GLOB") < 0)
			return -1;
		e->action = TL_FREE;
		e->glob = sc_xstrdup(w[1]);
	} else if (strcmp(v, "exec") == 0) {
		if (argc < 3)
			return ocb_fail("expected 'exec GLOB CMD ARGS...'");
		e->action = TL_EXEC;
		e->glob = sc_xstrdup(w[1]);
		e->argv = sc_xcalloc(argc - 1, sizeof(*e->argv));
		for (size_t i = 2; i < argc; i++)
			e->argv[i - 2] = sc_xstrdup(w[i]);
	} else {
		return fail_word("timeline action", v, verbs,
				 "balloon, workload, ksm, host, wait, free or exec");
	}
	return e->glob ? check_glob(s, e) : 0;
}

void sc_timeline_entry_release(struct timeline_entry *e)
{
	free(e->glob);
	free(e->key);
	free(e->value);
	scenario_argv_free(e->argv);
	free(e->text);
	memset(e, 0, sizeof(*e));
}

static char *trimmed(const char *a, const char *b)
{
	while (a < b && isspace((unsigned char)*a))
		a++;
	while (b > a && (isspace((unsigned char)b[-1]) || b[-1] == ','))
		b--;
	char *s = strndup(a, (size_t)(b - a));
	if (!s)
		abort();
	return s;
}

static const char *fmt_ns(uint64_t ns, char *buf, size_t n)
{
	snprintf(buf, n, "%gs", (double)ns / 1e9);
	return buf;
}

int sc_timeline_add(struct scenario *s, const char *where, const char *key, const char *value,
		    unsigned line)
{
	const char *p = value;
	uint64_t t;
	char b[32];

	if (parse_duration_ns(key, 1, &t) < 0)
		return ocb_err_prefix("%s:%u: %s: expected TIME = ACTION[, ACTION...]: ",
				      s->file, line, where);
	if (s->duration_ns && t > s->duration_ns)
		return ocb_fail("%s:%u: %s: after the end of the run (duration = %s)",
				s->file, line, where, fmt_ns(s->duration_ns, b, sizeof(b)));
	if (!*p)
		return ocb_fail("%s:%u: %s: no action (expected ACTION[, ACTION...])",
				s->file, line, where);
	while (*p) {
		const char *start = p;
		struct timeline_entry e = { .t_ns = t, .file = s->file, .line = line };
		char **w;
		size_t argc;

		if (sc_split_words(&p, 1, &w, &argc) < 0)
			return ocb_err_prefix("%s:%u: %s: ", s->file, line, where);
		e.text = trimmed(start, p);
		if (argc == 0) {
			ocb_fail("%s:%u: %s: empty action in '%s'", s->file, line, where, value);
			goto fail;
		}
		if (parse_action(s, w, argc, &e) < 0) {
			ocb_err_prefix("%s:%u: %s: %s: ", s->file, line, where, e.text);
			goto fail;
		}
		scenario_argv_free(w);
		s->timeline = sc_xrealloc(s->timeline, (s->n_timeline + 1) * sizeof(*s->timeline));
		s->timeline[s->n_timeline++] = e;
		if (p > start && p[-1] == ',' && !*p) {
			ocb_fail("%s:%u: %s: empty action after the last ','", s->file, line,
				 where);
			return -1;
		}
		continue;
fail:
		scenario_argv_free(w);
		sc_timeline_entry_release(&e);
		return -1;
	}
	return 0;
}

/* Stable: equal times keep file order.  Timelines are short, so an
 * insertion sort is enough. */
void sc_timeline_sort(struct scenario *s)
{
	for (size_t i = 1; i < s->n_timeline; i++) {
		struct timeline_entry e = s->timeline[i];
		size_t j = i;

		while (j > 0 && s->timeline[j - 1].t_ns > e.t_ns) {
			s->timeline[j] = s->timeline[j - 1];
			j--;
		}
		s->timeline[j] = e;
	}
}
