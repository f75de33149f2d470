/* roff.c — see roff.h. */
#include "cli/roff.h"
#include "cli/version.h"

#include <ctype.h>
#include <string.h>

/* A UTF-8 sequence at p as groff's \[uXXXX] (groff reads its input as
 * Latin-1 without preconv); the bytes it took. */
static size_t put_utf8(struct strbuf *sb, const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : u[0] >= 0xc0 ? 2 : 1;
	unsigned long cp = u[0] & (0x3f >> (n - 1));

	if (n == 1) {
		strbuf_addch(sb, '?');	/* a continuation byte alone */
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			strbuf_addch(sb, '?');	/* not UTF-8: the byte shown as ? */
			return 1;
		}
		cp = cp << 6 | (u[i] & 0x3f);
	}
	strbuf_addf(sb, "\\[u%04lX]", cp);
	return n;
}

/* One character of text; *bol: at the beginning of an output line. */
static void put_char(struct strbuf *sb, char c, int code, int *bol)
{
	if (*bol && (c == '.' || c == '\''))
		strbuf_adds(sb, "\\&");
	*bol = 0;
	if (c == '\\')
		strbuf_adds(sb, "\\e");
	else if (c == '-' && code)
		strbuf_adds(sb, "\\-");
	else
		strbuf_addch(sb, c);
}

void roff_code(struct strbuf *sb, const char *text)
{
	int bol = !sb->len || sb->buf[sb->len - 1] == '\n';

	for (const char *p = text; *p;) {
		if ((unsigned char)*p >= 0x80) {
			p += put_utf8(sb, p);
			bol = 0;
			continue;
		}
		put_char(sb, *p++, 1, &bol);
	}
}

void roff_text(struct strbuf *sb, const char *text)
{
	const char *p = text;
	int bol = 1;

	if (sb->len && sb->buf[sb->len - 1] != '\n')
		strbuf_addch(sb, '\n');
	while (*p) {
		if (*p == '\n' && p[1] == '\n') {	/* a new paragraph */
			strbuf_adds(sb, "\n.PP\n");
			bol = 1;
			for (p++; *p == '\n'; p++)
				;
			continue;
		}
		if (*p == '\n' || (bol && isspace((unsigned char)*p))) {
			if (!bol && *p == '\n')
				strbuf_addch(sb, ' ');
			p++;
			continue;
		}
		if ((unsigned char)*p >= 0x80) {
			p += put_utf8(sb, p);
			bol = 0;
			continue;
		}
		put_char(sb, *p++, 0, &bol);
	}
	strbuf_addch(sb, '\n');
}

static void upper(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		put_char(sb, (char)toupper((unsigned char)*s), 1, &(int){ 0 });
}

void roff_header(struct strbuf *sb, const char *page, int section, const char *summary)
{
	strbuf_adds(sb, ".TH ");
	upper(sb, page);
	strbuf_addf(sb, " %d \"\" \"ocbench %s\" \"ocbench manual\"\n", section, ocb_version());
	roff_section(sb, "NAME");
	roff_code(sb, page);
	strbuf_adds(sb, " \\- ");
	roff_text(sb, summary);
}

void roff_section(struct strbuf *sb, const char *title)
{
	if (sb->len && sb->buf[sb->len - 1] != '\n')
		strbuf_addch(sb, '\n');
	strbuf_addf(sb, ".SH \"%s\"\n", title);
}

void roff_item(struct strbuf *sb, const char *tag, const char *body)
{
	if (sb->len && sb->buf[sb->len - 1] != '\n')
		strbuf_addch(sb, '\n');
	strbuf_adds(sb, ".TP\n.B ");
	roff_code(sb, tag);
	strbuf_addch(sb, '\n');
	roff_text(sb, body);
}
