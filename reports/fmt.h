/* fmt.h — numbers as the report's tables show them: a few significant
 * digits, no exponent below 10^9 (a report is read, not parsed; the JSON
 * and CSV files keep every digit), "±" held to its numbers by no-break
 * spaces so a narrow column wraps between values, not inside one. */
#ifndef OCB_REPORTS_FMT_H
#define OCB_REPORTS_FMT_H

#include "util/strbuf.h"

#include <stddef.h>

/* v with digits significant digits (at least the integer part). */
void fmt_num(struct strbuf *sb, double v, int digits);
/* "698 ± 120" (the sd only when n >= 2), both divided by divisor. */
void fmt_mean_sd(struct strbuf *sb, double mean, double sd, size_t n, double divisor);
/* 24683620 KiB -> "23.5 GiB" */
void fmt_kib(struct strbuf *sb, double kib);

#endif
