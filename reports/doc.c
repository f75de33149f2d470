/* doc.c — see doc.h. */
#include "reports/doc.h"

#include <string.h>

void doc_html_esc(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': strbuf_adds(sb, "&lt;"); break;
		case '>': strbuf_adds(sb, "&gt;"); break;
		case '&': strbuf_adds(sb, "&amp;"); break;
		case '"': strbuf_adds(sb, "&quot;"); break;
		default: strbuf_addch(sb, *s);
		}
	}
}

void doc_md_esc(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (strchr("|\\*_`<>[]", *s))
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *s == '\n' ? ' ' : *s);
	}
}

void doc_title(struct doc *d, const char *text)
{
	strbuf_adds(&d->html, "<h1>");
	doc_html_esc(&d->html, text);
	strbuf_adds(&d->html, "</h1>\n");
	strbuf_adds(&d->md, "# ");
	doc_md_esc(&d->md, text);
	strbuf_adds(&d->md, "\n\n");
}

void doc_end(struct doc *d)
{
	if (d->in_section)
		strbuf_adds(&d->html, "</section>\n");
	d->in_section = 0;
}

void doc_section(struct doc *d, const char *id, const char *title)
{
	doc_end(d);
	strbuf_addf(&d->html, "<section id=\"%s\">\n<h2>", id);
	doc_html_esc(&d->html, title);
	strbuf_adds(&d->html, "</h2>\n");
	strbuf_adds(&d->md, "## ");
	doc_md_esc(&d->md, title);
	strbuf_adds(&d->md, "\n\n");
	d->in_section = 1;
}

void doc_heading(struct doc *d, int level, const char *text)
{
	strbuf_addf(&d->html, "<h%d>", level);
	doc_html_esc(&d->html, text);
	strbuf_addf(&d->html, "</h%d>\n", level);
	for (int i = 0; i < level; i++)
		strbuf_addch(&d->md, '#');
	strbuf_addch(&d->md, ' ');
	doc_md_esc(&d->md, text);
	strbuf_adds(&d->md, "\n\n");
}

void doc_para(struct doc *d, const char *cls, const char *text)
{
	if (cls)
		strbuf_addf(&d->html, "<p class=\"%s\">", cls);
	else
		strbuf_adds(&d->html, "<p>");
	doc_html_esc(&d->html, text);
	strbuf_adds(&d->html, "</p>\n");
	doc_md_esc(&d->md, text);
	strbuf_adds(&d->md, "\n\n");
}

void doc_figure(struct doc *d, const char *name, const char *caption)
{
	strbuf_addf(&d->html, "<figure class=\"plot\" id=\"fig-%s\"><img src=\"%s.svg\" alt=\"", name,
		    name);
	doc_html_esc(&d->html, caption);
	strbuf_adds(&d->html, "\"><figcaption>");
	doc_html_esc(&d->html, caption);
	strbuf_addf(&d->html, " (<a href=\"%s.png\">PNG</a>, <a href=\"gnuplot/%s.gp\">gnuplot "
			      "script</a>)</figcaption></figure>\n", name, name);
	strbuf_adds(&d->md, "![");
	doc_md_esc(&d->md, caption);
	strbuf_addf(&d->md, "](%s.png)\n\n", name);
	d->nfigs++;
}

void doc_details(struct doc *d, const char *summary)
{
	strbuf_adds(&d->html, "<details><summary>");
	doc_html_esc(&d->html, summary);
	strbuf_adds(&d->html, "</summary>\n");
	strbuf_adds(&d->md, "<details><summary>");
	doc_html_esc(&d->md, summary);
	strbuf_adds(&d->md, "</summary>\n\n");
}

void doc_details_end(struct doc *d)
{
	strbuf_adds(&d->html, "</details>\n");
	strbuf_adds(&d->md, "</details>\n\n");
}

void dt_cell(struct doc_table *t, unsigned flags, const char *text)
{
	int head = t->nrows == 0;
	const char *tag = head ? "th" : flags & DT_KEY ? "th scope=\"row\"" : "td";
	int classes = flags & (DT_NUM | DT_BEST | DT_MISSING) && (!head || flags & DT_NUM);

	if (head && t->ncells < 64)
		t->head[t->ncells] = flags;
	if (!t->ncells) {
		strbuf_adds(&t->html, "<tr>");
		strbuf_adds(&t->md, "|");
	}
	strbuf_addf(&t->html, "<%s", tag);
	if (classes && head)
		strbuf_adds(&t->html, " class=\"num\"");
	else if (classes)
		strbuf_addf(&t->html, " class=\"%s%s%s\"", flags & DT_NUM ? "num" : "",
			    flags & DT_BEST ? " best" : "", flags & DT_MISSING ? " missing" : "");
	if (!head && (flags & DT_VERDICTS))
		strbuf_addf(&t->html, " class=\"%s\"", flags & DT_PASS ? "v-pass" : flags & DT_FAIL ? "v-fail" :
			    flags & DT_SKIP ? "v-skip" : "v-error");
	strbuf_adds(&t->html, ">");
	strbuf_adds(&t->md, " ");
	if (!head && (flags & DT_BEST)) {
		strbuf_adds(&t->html, "★ ");
		strbuf_adds(&t->md, "**★ ");
	}
	doc_html_esc(&t->html, text);
	doc_md_esc(&t->md, text);
	if (!head && (flags & DT_BEST))
		strbuf_adds(&t->md, "**");
	strbuf_addf(&t->html, "</%s>", head ? "th" : flags & DT_KEY ? "th" : "td");
	strbuf_adds(&t->md, " |");
	t->ncells++;
}

void dt_row(struct doc_table *t)
{
	strbuf_adds(&t->html, "</tr>\n");
	strbuf_addch(&t->md, '\n');
	if (t->nrows == 0) {
		strbuf_adds(&t->md, "|");
		for (int i = 0; i < t->ncells; i++)
			strbuf_adds(&t->md, i < 64 && (t->head[i] & DT_NUM) ? "---:|" : "---|");
		strbuf_addch(&t->md, '\n');
	}
	t->nrows++;
	t->ncells = 0;
}

void dt_emit(struct doc *d, struct doc_table *t, const char *cls)
{
	if (cls)
		strbuf_addf(&d->html, "<div class=\"table\"><table class=\"%s\">\n", cls);
	else
		strbuf_adds(&d->html, "<div class=\"table\"><table>\n");
	strbuf_adds(&d->html, t->html.buf ? t->html.buf : "");
	strbuf_adds(&d->html, "</table></div>\n");
	strbuf_adds(&d->md, t->md.buf ? t->md.buf : "");
	strbuf_addch(&d->md, '\n');
	strbuf_release(&t->html);
	strbuf_release(&t->md);
	memset(t, 0, sizeof(*t));
}

void doc_release(struct doc *d)
{
	strbuf_release(&d->html);
	strbuf_release(&d->md);
	memset(d, 0, sizeof(*d));
}
