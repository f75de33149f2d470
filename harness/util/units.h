/* units.h — sizes and durations as people write them ("512M", "2GiB",
 * "1.5s", "250ms").  Shared by the harness, the scenario parser and the
 * workloads (which link this file statically), so "512M" means the same
 * thing everywhere.
 *
 * Sizes are binary (K = 1024).  A bare number is bytes unless the caller
 * gives a default unit (scenario memory keys default to MiB, as QEMU's -m
 * does).  Zero, negative, fractional-byte and overflowing values are
 * rejected with a message naming the value and what was expected.
 */
#ifndef OCB_UNITS_H
#define OCB_UNITS_H

#include <stdint.h>

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

/* Parse SIZE into bytes.  default_unit multiplies a bare number (1 for
 * bytes, MiB for memory keys).  Returns 0, or -1 with ocb_errmsg() set. */
int parse_size(const char *s, uint64_t default_unit, uint64_t *bytes);
/* Parse a duration ("90s", "250ms", "2m", "1h", "500us"; a bare number is
 * seconds) into nanoseconds.  Zero is allowed only when allow_zero. */
int parse_duration_ns(const char *s, int allow_zero, uint64_t *ns);
/* Parse a non-negative decimal integer that must fit in [min, max]. */
int parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif
