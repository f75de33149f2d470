/* compare-html.h — a compare_result (verdict.h) as one self-contained HTML
 * page (`ocbench compare --format html`, ci/gate's compare.html).
 *
 * The verdict first: the verdict line, coloured by its outcome, the counts
 * (regressions, improvements, cells whose runs fail more often,
 * inconclusive metrics) and every reason (incomparable, the gaps in the
 * evidence).  Then the runs of every matrix cell, then per cell each gated
 * metric with baseline and candidate (mean ± sd, n), the change as a bar
 * around 0 with the limit marked (worse in vermillion, better in blue:
 * colour-blind safe, and the sign is written beside it), the p-value and
 * the verdict; the informational metrics in a table of their own; allowed
 * differences and notes last.  No script, no image, nothing fetched.
 */
#ifndef OCB_COMPARE_HTML_H
#define OCB_COMPARE_HTML_H

#include "reports/verdict.h"
#include "util/strbuf.h"

void compare_format_html(const struct compare_result *res, struct strbuf *out);

#endif
