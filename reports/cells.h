/* cells.h — the matrix cells of a result set as the columns of the report's
 * tables: one per (scenario, matrix cell), in the order the runs first show
 * them (the order of the scenario's [matrix] lines, as `ocbench run`
 * numbers its runs), with how their runs ended.
 */
#ifndef OCB_REPORTS_CELLS_H
#define OCB_REPORTS_CELLS_H

#include "reports/resultset.h"
#include "util/strbuf.h"

struct cell_col {
	const char *scenario;	/* borrowed from the result set */
	const char *cell;
	char *label;		/* shown: the cell, "scenario: cell" when several */
	size_t recorded, complete, failed, incomplete;
	size_t first;		/* index of its first complete run, else its first run */
};

struct cells {
	struct cell_col *c;
	size_t n, alloc;
	int multi_scenario;
};

#define CELLS_INIT { NULL, 0, 0, 0 }

void cells_build(const struct result_set *rs, struct cells *cs);
/* The letter of cell c in tables and bars: "A" .. "Z", then "AA" ... */
void cells_letter(size_t c, char buf[4]);
/* "A: host.ksm=on" ("host.ksm=on" when there is one cell). */
void cells_heading(const struct cells *cs, size_t c, struct strbuf *out);

/* The column of a run. */
size_t cells_of(const struct cells *cs, const struct rs_run *r);
void cells_release(struct cells *cs);

#endif
