/* complete.c — see complete.h. */
#include "cli/complete.h"
#include "cli/commands.h"
#include "cli/run.h"
#include "conform/suites.h"
#include "policy/policies.h"
#include "reports/like.h"
#include "scenario/scenario.h"
#include "vm/backends.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* out holds line (a whole line, its '\n' included) already. */
static int has_line(const struct strbuf *out, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = strbuf_str(out); *p;) {
		if (!strncmp(p, line, n))
			return 1;
		p = strchr(p, '\n');
		p = p ? p + 1 : "";
	}
	return 0;
}

/* One candidate, when it begins with what was typed and is not there yet. */
static void offer(struct strbuf *out, const char *prefix, const char *word, const char *typed)
{
	struct strbuf line = STRBUF_INIT;

	strbuf_addf(&line, "%s%s\n", prefix, word);
	if (!strncmp(line.buf, typed, strlen(typed)) && !has_line(out, line.buf))
		strbuf_adds(out, line.buf);
	strbuf_release(&line);
}

/* The part of a comma list before the word being typed ("ksm," of
 * "ksm,ba"), and whether name is already in it. */
static int listed_before(const char *list, size_t len, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p < list + len;) {
		const char *c = memchr(p, ',', (size_t)(list + len - p));

		if (c && (size_t)(c - p) == n && !strncmp(p, name, n))
			return 1;
		p = c ? c + 1 : list + len;
	}
	return 0;
}

/* A comma list: every name not yet in it, after what is there. */
static void offer_list(struct strbuf *out, const char *const *names, const char *typed)
{
	const char *comma = strrchr(typed, ',');
	size_t plen = comma ? (size_t)(comma - typed + 1) : 0;
	char prefix[512];

	snprintf(prefix, sizeof(prefix), "%.*s", (int)plen, typed);
	for (size_t i = 0; names[i]; i++)
		if (!listed_before(typed, plen, names[i]))
			offer(out, prefix, names[i], typed);
}

struct key_offer {
	struct strbuf *out;
	const char *typed;
};

static void offer_key(const struct scenario_key_info *k, void *arg)
{
	struct key_offer *o = arg;

	offer(o->out, "", k->name, o->typed);
}

static void offer_keys(struct strbuf *out, const char *typed)
{
	struct key_offer o = { out, typed };

	scenario_each_key(run_scenario_hooks(), offer_key, &o);
	for (size_t i = 0; i < timeline_action_count(); i++)
		if (!strchr(timeline_action_at(i)->verb, ' '))
			offer(out, "", timeline_action_at(i)->verb, typed);
}

/* The check ids, or the suite names, as a NULL-terminated array. */
static const char **conform_names(int checks)
{
	const struct conform_suite *const *s = conform_suites();
	size_t n = 0, k = 0;
	const char **v;

	for (size_t i = 0; s[i]; i++)
		n += checks ? s[i]->n : 1;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; s[i]; i++)
		for (size_t c = 0; c < (checks ? s[i]->n : 1); c++)
			v[k++] = checks ? s[i]->checks[c].id : s[i]->name;
	return v;
}

static void offer_words(struct strbuf *out, const char *words, const char *typed)
{
	char w[64];

	for (const char *p = words; *p;) {
		size_t n = strcspn(p, " ");

		snprintf(w, sizeof(w), "%.*s", (int)n, p);
		offer(out, "", w, typed);
		p += n;
		p += *p == ' ';
	}
}

static void offer_values(struct strbuf *out, enum cli_values v, const char *words, const char *typed)
{
	const char **names = NULL;
	const char *fields[LIKE_NFIELDS + 1];

	switch (v) {
	case CLI_V_NONE: break;
	case CLI_V_FILE: strbuf_adds(out, "@file\n"); break;
	case CLI_V_DIR: strbuf_adds(out, "@dir\n"); break;
	case CLI_V_SCENARIO: strbuf_adds(out, "@ini\n"); break;
	case CLI_V_RESULTS: strbuf_adds(out, "@results\n"); break;
	case CLI_V_WORDS: offer_words(out, words, typed); break;
	case CLI_V_KEYS: offer_keys(out, typed); break;
	case CLI_V_POLICIES:
		for (size_t i = 0; i < policy_count(); i++)
			offer(out, "", policy_at(i)->name, typed);
		break;
	case CLI_V_BACKENDS:
		for (size_t i = 0; vm_backend_name(i); i++)
			offer(out, "", vm_backend_name(i), typed);
		break;
	case CLI_V_SUITES:
	case CLI_V_CHECKS:
		names = conform_names(v == CLI_V_CHECKS);
		if (names)
			offer_list(out, names, typed);
		free(names);
		break;
	case CLI_V_HOST_FIELDS:
		for (size_t i = 0; i < LIKE_NFIELDS; i++)
			fields[i] = like_fields[i].name;
		fields[LIKE_NFIELDS] = NULL;
		offer_list(out, fields, typed);
		break;
	}
}

/* The option a word names: "--output", "--output=DIR", "-o". */
static const struct cli_opt *word_option(const struct cli_doc *d, const char *w)
{
	char name[64];

	if (w[0] != '-')
		return NULL;
	if (w[1] != '-') {
		for (const struct cli_opt *o = d->opts; o->name; o++)
			if (o->key < CLI_LONG_ONLY && w[1] == o->key && !w[2])
				return o;
		return NULL;
	}
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(w + 2, "="), w + 2);
	return cli_opt_find(d, name);
}

static void offer_options(struct strbuf *out, const struct cli_doc *d, const char *typed)
{
	for (const struct cli_opt *o = d->opts; o->name; o++) {
		struct strbuf w = STRBUF_INIT;

		strbuf_addf(&w, "--%s", o->name);
		offer(out, "", w.buf, typed);
		strbuf_release(&w);
	}
}

void cli_complete(int cword, const char *const *words, int nwords, struct strbuf *out)
{
	const char *cur = cword < nwords ? words[cword] : "";
	const struct subcommand *c;
	const struct cli_opt *o;

	if (cword <= 1) {
		for (c = cli_commands(); c->doc; c++)
			offer(out, "", c->doc->name, cur);
		offer(out, "", "--help", cur);
		offer(out, "", "--version", cur);
		return;
	}
	c = cli_command_find(words[1]);
	if (!c)
		return;
	o = word_option(c->doc, cur);
	if (o && o->arg != CLI_NOARG && strchr(cur, '=')) {	/* --opt=VALUE: the value */
		offer_values(out, o->values, o->words, strchr(cur, '=') + 1);
		return;
	}
	o = cword - 1 < nwords ? word_option(c->doc, words[cword - 1]) : NULL;
	if (o && o->arg == CLI_ARG && !strchr(words[cword - 1], '=')) {
		offer_values(out, o->values, o->words, cur);
		return;
	}
	if (cur[0] == '-')
		offer_options(out, c->doc, cur);
	else if (c->doc->operands == CLI_V_WORDS && cword > 2)
		strbuf_adds(out, "@file\n");	/* after the action word: its file */
	else
		offer_values(out, c->doc->operands, c->doc->operand_words, cur);
}

int cmd_complete(int argc, char **argv)
{
	struct strbuf out = STRBUF_INIT;
	char *end;
	long cword;

	if (argc < 3)
		return 2;
	cword = strtol(argv[1], &end, 10);
	if (*end || cword < 0 || cword > argc - 2)
		return 2;
	cli_complete((int)cword, (const char *const *)argv + 2, argc - 2, &out);
	fputs(strbuf_str(&out), stdout);
	strbuf_release(&out);
	return 0;
}
