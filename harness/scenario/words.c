/* words.c — splitting values into words, and the message for a word we do
 * not know.  Both sit at the bottom of the folder: keys, timeline actions,
 * sections, guests and host knobs all name things people type, and every
 * one of them answers a typo the same way ("did you mean").
 */
#include "scenario/words.h"
#include "scenario/scenario-internal.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/suggest.h"

#include <ctype.h>
#include <stdlib.h>

int sc_valid_name(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
	return 1;
}

static void free_words(char **argv, size_t argc)
{
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

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
				argv = xgrow(argv, sizeof(*argv), argc + 2, &alloc);
				argv[argc++] = strbuf_detach(&w);
				if (!argv[argc - 1])
					argv[argc - 1] = xstrdup("");
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
				free_words(argv, argc);
				return ocb_fail("unterminated %c quote in '%s'", c, start);
			}
			p = q + 1;
			continue;
		}
		strbuf_addch(&w, c);
		p++;
	}
	argv = xgrow(argv, sizeof(*argv), argc + 1, &alloc);
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

void sc_add_name_list(struct strbuf *sb, const char *const *names, const char *sep_last)
{
	for (size_t i = 0; names[i]; i++) {
		if (i)
			strbuf_adds(sb, names[i + 1] ? ", " : sep_last);
		strbuf_adds(sb, names[i]);
	}
}

int sc_fail_unknown(const char *what, const char *word, const char *const *names)
{
	const char *s = ocb_suggest(word, names);
	struct strbuf sb = STRBUF_INIT;

	if (s) {
		ocb_fail("unknown %s '%s' (did you mean '%s'?)", what, word, s);
	} else {
		sc_add_name_list(&sb, names, " or ");
		ocb_fail("unknown %s '%s' (expected %s)", what, word, sb.len ? sb.buf : "none");
	}
	strbuf_release(&sb);
	return -1;
}
