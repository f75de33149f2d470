/* scenario.h — scenario files: parse, validate, expand.
 *
 * A scenario file (INI; README "Scenarios" lists its keys) becomes a struct
 * scenario: plain data the runner consumes.  Loading parses the file with
 * inih into an ordered list of (section, key, value, line) records, then
 * builds the scenario from them; a [matrix] run (or --quick) is the same
 * build with some records' values substituted, so a substituted value is
 * validated exactly as if it were written in place and its error names the
 * [matrix]/[quick] line it came from.
 *
 * Every key of [scenario] and [guest NAME] is a row of one table
 * (keys.c), every timeline action a row of another (timeline.c): parsing,
 * defaults, "did you mean", validation and scenario_print_keys() all come
 * from them.  Host knobs and workload programs are not known here: the
 * caller passes hooks (the runner passes knob_validate/knob_names; tests
 * pass fakes).
 *
 * Errors: NULL / -1 with ocb_errmsg() set to "FILE:LINE: [SECTION] KEY:
 * what was wrong, what was expected".
 *
 * This header is the folder's public API: it includes the headers of the
 * files that make it up, bottom first:
 *
 *   words.h     splitting values into words (quotes)
 *   model.h     struct scenario and its queries
 *   timeline.h  the timeline actions (one table) and timeline entries
 *   keys.h      --list-keys
 *   build.h     scenario_free()
 *   matrix.h    a loaded scenario into its runs
 *   parse.h     scenario_load(): a file into a validated struct scenario
 *
 * scenario-internal.h is what those files share and nobody else sees.
 */
#ifndef OCB_SCENARIO_H
#define OCB_SCENARIO_H

#include "scenario/words.h"
#include "scenario/model.h"
#include "scenario/timeline.h"
#include "scenario/keys.h"
#include "scenario/build.h"
#include "scenario/matrix.h"
#include "scenario/parse.h"

#endif
