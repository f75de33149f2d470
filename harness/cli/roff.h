/* roff.h — man(7) markup for the generated man pages (cli/man.c): text
 * escaped so that groff reads it as written.
 */
#ifndef OCB_CLI_ROFF_H
#define OCB_CLI_ROFF_H

#include "util/strbuf.h"

/* Prose: the lines of a paragraph joined with spaces, paragraphs (a blank
 * line between them in text) separated by .PP; backslashes escaped, a
 * line never starting with a control character. */
void roff_text(struct strbuf *sb, const char *text);
/* One word or name as written (options, keys, paths): '-' stays an ASCII
 * hyphen-minus (\-), so it can be copied into a shell. */
void roff_code(struct strbuf *sb, const char *text);
/* .TH and NAME: "ocbench-run", 1, "one line". */
void roff_header(struct strbuf *sb, const char *page, int section, const char *summary);
/* .SH TITLE */
void roff_section(struct strbuf *sb, const char *title);
/* A .TP item: its tag in bold code, then the body as prose. */
void roff_item(struct strbuf *sb, const char *tag, const char *body);

#endif
