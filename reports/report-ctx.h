/* report-ctx.h — what the sections of a report share while it is written
 * (report.c and the report-*.c sections; nothing else includes it). */
#ifndef OCB_REPORT_CTX_H
#define OCB_REPORT_CTX_H

#include "reports/cells.h"
#include "reports/doc.h"
#include "reports/report-opts.h"
#include "reports/resultset.h"

/* Tables with a column per matrix cell hold at most this many cells; more
 * cells make more tables (A-F, G-L, ...), so no table outgrows the page. */
#define REPORT_CELLS_PER_TABLE 6

struct report_ctx {
	const struct result_set *rs;
	const struct cells *cs;
	const struct report_opts *opts;
	const char *outdir;
	struct doc *d;
	const char *const *inputs;	/* the RESULTS paths given */
	size_t ninputs;
};

#endif
