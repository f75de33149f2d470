/* matrix.h — a loaded scenario into the runs it stands for. */
#ifndef OCB_SCENARIO_MATRIX_H
#define OCB_SCENARIO_MATRIX_H

#include <stddef.h>

struct scenario;

/* Above this many runs scenario_expand() refuses unless allow_many. */
#define SCENARIO_DEFAULT_MAX_RUNS 64

/* The runs of a loaded scenario: the cartesian product of the [matrix]
 * axes (first axis outermost, values in file order) times repeat, with
 * repeat outermost so the combinations are interleaved (drift of the host
 * over a sweep spreads over all of them): for repeat = 2 and axes a=1,2:
 * (a=1 #1) (a=2 #1) (a=1 #2) (a=2 #2).  Without a matrix: repeat runs.
 * More than max_runs runs (0: SCENARIO_DEFAULT_MAX_RUNS) is an error
 * "N runs ...; pass --yes" unless allow_many.  On success *runs is a
 * malloc'ed array of *n scenarios; release with scenario_free_runs(). */
int scenario_expand(const struct scenario *s, size_t max_runs, int allow_many,
		    struct scenario ***runs, size_t *n);
void scenario_free_runs(struct scenario **runs, size_t n);
/* Number of runs scenario_expand() would make (without building them). */
size_t scenario_count_runs(const struct scenario *s);

#endif
