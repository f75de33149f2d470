/* compare-emit.h — a compare_result (verdict.h) as text, Markdown or JSON.
 *
 * All three say the same things in the same order: the verdict line
 * first (failing runs before metrics), the runs of every matrix cell, the
 * allowed like-for-like differences, one table of metrics per cell (n of
 * each side against the cell's complete runs), the gaps that make the
 * verdict inconclusive, what is incomparable, notes, and the verdict line
 * again last (where a CI log's tail shows it).
 */
#ifndef OCB_COMPARE_EMIT_H
#define OCB_COMPARE_EMIT_H

#include <jansson.h>

#include "reports/verdict.h"
#include "util/strbuf.h"

/* The schema of compare --format json. */
#define COMPARE_SCHEMA "ocbench.compare/2"

void compare_format_text(const struct compare_result *res, struct strbuf *out);
void compare_format_md(const struct compare_result *res, struct strbuf *out);
/* The JSON document (schema "ocbench.compare/2"); caller decrefs. */
json_t *compare_to_json(const struct compare_result *res);

#endif
