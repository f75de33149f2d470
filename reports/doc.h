/* doc.h — the report as one document written twice, HTML and Markdown,
 * by the same calls, so the two keep the same sections in the same order.
 *
 * HTML: every section is a <section id=...> whose first child is its <h2>;
 * tables are real tables with classes for numbers, the best cell and
 * missing values; <details> collapses what a reader may skip.  Markdown:
 * the same headings, pipe tables (the header row right-aligned where the
 * column holds numbers), images as links to the PNGs, and the <details>
 * blocks as raw HTML (GitHub and GitLab render them in issues).
 */
#ifndef OCB_REPORTS_DOC_H
#define OCB_REPORTS_DOC_H

#include "util/strbuf.h"

#include <stddef.h>

struct doc {
	struct strbuf html, md;
	size_t nfigs;
	int in_section;
};

#define DOC_INIT { STRBUF_INIT, STRBUF_INIT, 0, 0 }

void doc_html_esc(struct strbuf *sb, const char *s);
void doc_md_esc(struct strbuf *sb, const char *s);

/* The <h1> (a Markdown "# "). */
void doc_title(struct doc *d, const char *text);
/* Close the open section (if any) and open <section id> with its <h2>. */
void doc_section(struct doc *d, const char *id, const char *title);
/* Close the open section. */
void doc_end(struct doc *d);
/* A heading inside a section (level 3 or more). */
void doc_heading(struct doc *d, int level, const char *text);
/* A paragraph; cls (may be NULL) is its HTML class. */
void doc_para(struct doc *d, const char *cls, const char *text);
/* DIR/NAME.svg in HTML (with links to the PNG and the gnuplot script),
 * NAME.png in Markdown.  id "fig-NAME". */
void doc_figure(struct doc *d, const char *name, const char *caption);
void doc_details(struct doc *d, const char *summary);
void doc_details_end(struct doc *d);

/* A table: cells left to right, dt_row() after each row, the first row
 * its header. */
enum {
	DT_NUM = 1,		/* a number: right-aligned, tabular digits */
	DT_BEST = 2,		/* the best of its row: marked ★ and bold */
	DT_MISSING = 4,		/* no value: greyed */
	DT_KEY = 8,		/* a row's name */
	/* a verdict, coloured by its class (v-pass, v-fail, v-skip, v-error) */
	DT_PASS = 16, DT_FAIL = 32, DT_SKIP = 64, DT_ERROR = 128,
};
#define DT_VERDICTS (DT_PASS | DT_FAIL | DT_SKIP | DT_ERROR)

struct doc_table {
	struct strbuf html, md;
	unsigned head[64];	/* the header's flags, for Markdown alignment */
	int ncells, nrows;
};

#define DOC_TABLE_INIT { STRBUF_INIT, STRBUF_INIT, { 0 }, 0, 0 }

void dt_cell(struct doc_table *t, unsigned flags, const char *text);
void dt_row(struct doc_table *t);
/* Append the table (class cls, may be NULL) to d and release it. */
void dt_emit(struct doc *d, struct doc_table *t, const char *cls);

void doc_release(struct doc *d);

#endif
