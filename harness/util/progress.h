/* progress.h — what a run is doing, for the person or the CI log.
 *
 * On a terminal: one status line per run, rewritten in place (run i/N,
 * matrix values, elapsed time, guests up, the latest phase), then a final
 * table.  In CI (CI=true) or when stdout is not a terminal: plain lines,
 * each stamped with the wall-clock time and the run's elapsed time, so a
 * log can be read after the fact.
 */
#ifndef OCB_PROGRESS_H
#define OCB_PROGRESS_H

#include <stddef.h>

/* Decide the mode once (terminal or plain). */
void progress_init(void);
int progress_is_tty(void);
/* A new run: i of n, its matrix values ("host.ksm=on thp=never" or ""). */
void progress_run(size_t i, size_t n, const char *matrix);
void progress_guests(size_t up, size_t total);
/* The latest phase at t seconds into the run. */
void progress_phase(double t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line that must stay (summaries, errors): clears the status line. */
void progress_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* End of the run's status line. */
void progress_end_run(void);

#endif
