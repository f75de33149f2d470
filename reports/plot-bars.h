/* plot-bars.h — the headline's primary metrics as bars with error bars: one
 * panel per metric (its own unit), one bar per matrix cell (mean ± sd,
 * cell k always in palette colour k, "missing" where a cell has no value),
 * the cells lettered A, B, ... as in the Results table.
 */
#ifndef OCB_PLOT_BARS_H
#define OCB_PLOT_BARS_H

#include "reports/cells.h"
#include "reports/headline.h"

int plot_headline(const char *dir, const char *name, const struct headline *h,
		  const struct cells *cs);

#endif
