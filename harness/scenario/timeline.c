/* timeline.c — [timeline] lines: TIME = ACTION[, ACTION...], and the one
 * table of the actions a timeline can take (timeline.h says how a row's
 * usage reads).
 *
 * Parsed after the guests are known, so every GLOB is checked against
 * them: a glob that matches nothing, or a workload action on a guest
 * without a workload, is an error at the line that says so, not a surprise
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

/* ------------------------------------------------------------ arguments */

static int parse_size_arg(struct timeline_entry *e, char *const *args, size_t n,
			 const struct scenario_hooks *hooks)
{
	return parse_size(args[0], MiB, &e->size_bytes);
}

/* resize: 0 unplugs everything */
static int parse_resize(struct timeline_entry *e, char *const *args, size_t n,
			const struct scenario_hooks *hooks)
{
	if (!strcmp(args[0], "0")) {
		e->size_bytes = 0;
		return 0;
	}
	return parse_size(args[0], MiB, &e->size_bytes);
}

static int parse_host(struct timeline_entry *e, char *const *args, size_t n,
		      const struct scenario_hooks *hooks)
{
	if (sc_validate_host(hooks, args[0], args[1]) < 0)
		return ocb_err_prefix("host %s: ", args[0]);
	e->key = xstrdup(args[0]);
	e->value = xstrdup(args[1]);
	return 0;
}

static int parse_exec(struct timeline_entry *e, char *const *args, size_t n,
		      const struct scenario_hooks *hooks)
{
	e->argv = xcalloc(n + 1, sizeof(*e->argv));
	for (size_t i = 0; i < n; i++)
		e->argv[i] = xstrdup(args[i]);
	return 0;
}

/* [timeout DUR], and where partial is allowed a last [partial-ok]. */
static int wait_options(struct timeline_entry *e, char *const *args, size_t n, int partial)
{
	/* "partial-ok": a balloon that stops short (the guest holds its
	 * memory, or OOMs) is an outcome to record, not a failure. */
	if (partial && n > 0 && strcmp(args[n - 1], "partial-ok") == 0) {
		e->partial_ok = 1;
		n--;
	}
	if (n == 0)
		return 0;
	if (n != 2 || strcmp(args[0], "timeout") != 0)
		return ocb_fail("expected 'timeout DURATION'%s after '%s%s%s', got '%s'",
				partial ? " [partial-ok]" : "", e->action->verb, e->glob ? " " : "",
				e->glob ? e->glob : "", args[0]);
	if (parse_duration_ns(args[1], 0, &e->timeout_ns) < 0)
		return ocb_err_prefix("timeout: ");
	return 0;
}

static int parse_wait(struct timeline_entry *e, char *const *args, size_t n,
		      const struct scenario_hooks *hooks)
{
	return wait_options(e, args, n, 0);
}

static int parse_wait_balloon(struct timeline_entry *e, char *const *args, size_t n,
			      const struct scenario_hooks *hooks)
{
	return wait_options(e, args, n, 1);
}

/* ---------------------------------------------------------------- table */

/* Adding an action: one row here (with a parse function when its usage
 * has words besides the verb and GLOB) and one executor in the runner
 * (harness/run/).  Parsing, "did you mean", the guest checks (by flags)
 * and --list-keys follow from the row; README.md's list of actions gets
 * the row's line (test-scenario fails until it has it).  The runner finds
 * its executor by the verb, so a verb is renamed in both places or not at
 * all. */
static const struct timeline_action actions[] = {
	{ "balloon", "balloon GLOB SIZE", "set the balloon target (bare number: MiB)",
	  TLA_GUESTS | TLA_BALLOON, parse_size_arg },
	{ "workload start", "workload GLOB start", "start the guests' workload",
	  TLA_GUESTS | TLA_WORKLOAD, NULL },
	{ "workload stop", "workload GLOB stop", "stop the guests' workload",
	  TLA_GUESTS | TLA_WORKLOAD, NULL },
	{ "ksm on", "ksm on", "switch KSM on (run=1)", TLA_HOST, NULL },
	{ "ksm off", "ksm off", "switch KSM off; merged pages stay merged (run=0)", TLA_HOST, NULL },
	{ "ksm unmerge", "ksm unmerge", "switch KSM off and unmerge every page (run=2)", TLA_HOST,
	  NULL },
	{ "host", "host KEY VALUE", "set a host knob", TLA_HOST, parse_host },
	{ "wait balloon", "wait balloon GLOB [timeout DUR] [partial-ok]",
	  "until the balloons reach their targets (partial-ok: record a shortfall, do not fail)",
	  TLA_GUESTS | TLA_BALLOON, parse_wait_balloon },
	{ "wait ksm-settled", "wait ksm-settled [timeout DUR]",
	  "until KSM has settled: merged what is there (put it after the content is written; KSM cannot "
	  "tell a fill still being written from a settled one)", 0, parse_wait },
	{ "wait workload", "wait workload GLOB [timeout DUR]", "until the workloads have exited",
	  TLA_GUESTS | TLA_WORKLOAD, parse_wait },
	{ "resize", "resize GLOB SIZE",
	  "set the virtio-mem requested size (plug or unplug; bare number: MiB)",
	  TLA_GUESTS | TLA_VMEM, parse_resize },
	{ "free", "free GLOB", "sample `free -m` in the guests", TLA_GUESTS, NULL },
	{ "exec", "exec GLOB CMD ARGS...", "run a command in the guests (agent)", TLA_GUESTS,
	  parse_exec },
};

#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

size_t timeline_action_count(void)
{
	return N_ACTIONS;
}

const struct timeline_action *timeline_action_at(size_t i)
{
	return i < N_ACTIONS ? &actions[i] : NULL;
}

const struct timeline_action *timeline_action_find(const char *verb)
{
	for (size_t i = 0; i < N_ACTIONS; i++)
		if (strcmp(actions[i].verb, verb) == 0)
			return &actions[i];
	return NULL;
}

const char *timeline_action_name(const struct timeline_action *a)
{
	return a ? a->verb : "?";
}

/* --------------------------------------------------------------- usages */

/* A usage read as timeline.h says: its required words (up to the first
 * '[', without a last NAME...), and whether more may follow. */
struct usage {
	struct {
		const char *s;
		size_t n;
	} w[12];
	size_t n;
	int more;
};

static void usage_of(const struct timeline_action *a, struct usage *u)
{
	const char *p = a->usage;

	u->n = 0;
	u->more = 0;
	for (;;) {
		size_t len;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p == '[') {
			u->more = 1;
			break;
		}
		len = strcspn(p, " ");
		if (u->n == sizeof(u->w) / sizeof(u->w[0]))
			abort();	/* a usage this long is a bug of the table */
		u->w[u->n].s = p;
		u->w[u->n].n = len;
		u->n++;
		p += len;
	}
	if (u->n && u->w[u->n - 1].n > 3 && strncmp(u->w[u->n - 1].s + u->w[u->n - 1].n - 3,
						     "...", 3) == 0) {
		u->n--;
		u->more = 1;
	}
}

static int usage_word_is(const struct usage *u, size_t i, const char *word)
{
	return strlen(word) == u->w[i].n && strncmp(u->w[i].s, word, u->w[i].n) == 0;
}

static int usage_word_literal(const struct usage *u, size_t i)
{
	return islower((unsigned char)u->w[i].s[0]);
}

/* Every lowercase word of the usage is where the action has it. */
static int usage_matches(const struct usage *u, char *const *w, size_t argc)
{
	for (size_t i = 0; i < u->n; i++)
		if (usage_word_literal(u, i) && (i >= argc || !usage_word_is(u, i, w[i])))
			return 0;
	return 1;
}

#define WORD_MAX 32	/* longest word of a usage, NUL included */

static const char *usage_word(const struct usage *u, size_t i, char *buf)
{
	snprintf(buf, WORD_MAX, "%.*s", (int)u->w[i].n, u->w[i].s);
	return buf;
}

/* The distinct first words of the rows ("balloon", "workload", ...),
 * NULL-terminated in out, spelled out in buf. */
static size_t first_words(const char **out, char (*buf)[WORD_MAX])
{
	size_t n = 0;

	for (size_t i = 0; i < N_ACTIONS; i++) {
		struct usage u;
		size_t j;

		usage_of(&actions[i], &u);
		for (j = 0; j < n && !usage_word_is(&u, 0, out[j]); j++)
			;
		if (j == n) {
			out[n] = usage_word(&u, 0, buf[n]);
			n++;
		}
	}
	out[n] = NULL;
	return n;
}

/* w[0] starts rows ("wait") but none of them matches: name them all, and
 * the word of the action that should have picked one. */
static int fail_family(char *const *w, size_t argc)
{
	const struct timeline_action *rows[N_ACTIONS];
	const char *picks[N_ACTIONS + 1], *s;
	char buf[N_ACTIONS][WORD_MAX];
	struct strbuf sb = STRBUF_INIT;
	size_t nr = 0, np = 0, at = 0;

	for (size_t i = 0; i < N_ACTIONS; i++) {
		struct usage u;

		usage_of(&actions[i], &u);
		if (!usage_word_is(&u, 0, w[0]))
			continue;
		rows[nr++] = &actions[i];
		/* the picking word: the first row's second lowercase word */
		if (!at)
			for (at = 1; at < u.n && !usage_word_literal(&u, at); at++)
				;
		if (at < u.n && usage_word_literal(&u, at)) {
			picks[np] = usage_word(&u, at, buf[np]);
			np++;
		}
	}
	picks[np] = NULL;
	for (size_t i = 0; i < nr; i++)
		strbuf_addf(&sb, "%s'%s'", i == 0 ? "" : i + 1 < nr ? ", " : " or ", rows[i]->usage);
	if (at >= argc)
		ocb_fail("expected %s, got %zu word%s", sb.buf, argc, argc == 1 ? "" : "s");
	else if ((s = ocb_suggest(w[at], picks)))
		ocb_fail("invalid value '%s': expected %s (did you mean '%s'?)", w[at], sb.buf, s);
	else
		ocb_fail("invalid value '%s': expected %s", w[at], sb.buf);
	strbuf_release(&sb);
	return -1;
}

static int fail_no_action(char *const *w, size_t argc)
{
	char buf[N_ACTIONS][WORD_MAX];
	const char *firsts[N_ACTIONS + 1];
	size_t n = first_words(firsts, buf);

	for (size_t i = 0; i < n; i++)
		if (strcmp(firsts[i], w[0]) == 0)
			return fail_family(w, argc);
	return sc_fail_unknown("timeline action", w[0], firsts);
}

/* ---------------------------------------------------------------- guests */

/* The glob must match some guest, and every guest it matches must be
 * able to take the action, as its flags say.  TLA_BALLOON asks nothing
 * here: see timeline_entry.glob. */
static int check_guests(const struct scenario *s, const struct timeline_entry *e)
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
	if (!(e->action->flags & (TLA_WORKLOAD | TLA_VMEM)))
		return 0;
	m = xcalloc(n, sizeof(*m));
	scenario_match_guests(s, e->glob, m, n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct scenario_guest_spec *g = m[i]->spec;

		if ((e->action->flags & TLA_WORKLOAD) && !g->workload_argv)
			rc = ocb_fail("guest %s has no workload (narrow the glob)", m[i]->name);
		else if ((e->action->flags & TLA_VMEM) && !g->vmem_bytes)
			rc = ocb_fail("guest %s has no virtio-mem device (set virtio_mem = SIZE, or "
				      "narrow the glob)", m[i]->name);
		else if ((e->action->flags & TLA_VMEM) &&
			 (e->size_bytes > g->vmem_bytes || e->size_bytes % g->vmem_block_bytes))
			rc = ocb_fail("guest %s: %llu MiB is not a whole number of %llu MiB blocks up "
				      "to its virtio_mem %llu MiB", m[i]->name,
				      (unsigned long long)(e->size_bytes / MiB),
				      (unsigned long long)(g->vmem_block_bytes / MiB),
				      (unsigned long long)(g->vmem_bytes / MiB));
	}
	free(m);
	return rc;
}

/* --------------------------------------------------------------- actions */

/* The words of one action into e: the row they match, then its words. */
static int parse_action(const struct scenario *s, char *const *w, size_t argc,
			struct timeline_entry *e)
{
	const struct timeline_action *a = NULL;
	struct usage u;
	char *args[argc];
	size_t n = 0;

	for (size_t i = 0; i < N_ACTIONS && !a; i++) {
		usage_of(&actions[i], &u);
		if (usage_matches(&u, w, argc))
			a = &actions[i];
	}
	if (!a)
		return fail_no_action(w, argc);
	if (argc < u.n || (argc > u.n && !u.more))
		return ocb_fail("expected '%s', got %zu word%s", a->usage, argc, argc == 1 ? "" : "s");
	e->action = a;
	for (size_t i = 0; i < argc; i++) {
		if (i < u.n && usage_word_literal(&u, i))
			continue;
		if (i < u.n && usage_word_is(&u, i, "GLOB"))
			e->glob = xstrdup(w[i]);
		else
			args[n++] = w[i];
	}
	if (a->parse && a->parse(e, args, n, &s->hooks) < 0)
		return -1;
	return a->flags & TLA_GUESTS ? check_guests(s, e) : 0;
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
	char *s = xstrndup(a, (size_t)(b - a));
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
		s->timeline = xrealloc(s->timeline, (s->n_timeline + 1) * sizeof(*s->timeline));
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
