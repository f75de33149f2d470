/* fmt.c — see fmt.h. */
#include "reports/fmt.h"

#include <math.h>

#define NBSP "\xc2\xa0"

void fmt_num(struct strbuf *sb, double v, int digits)
{
	double a = fabs(v);

	if (!isfinite(v))
		strbuf_adds(sb, isnan(v) ? "-" : v > 0 ? "inf" : "-inf");
	else if (a >= 1e9 || (a > 0 && a < 1e-3))
		strbuf_addf(sb, "%.*g", digits, v);
	else if (a >= pow(10, digits - 1))
		strbuf_addf(sb, "%.0f", v);	/* the integer part is significant */
	else
		strbuf_addf(sb, "%.*g", digits, v);
}

void fmt_mean_sd(struct strbuf *sb, double mean, double sd, size_t n, double divisor)
{
	fmt_num(sb, mean / divisor, 3);
	if (n >= 2) {
		strbuf_adds(sb, NBSP "±" NBSP);
		fmt_num(sb, sd / divisor, 2);
	}
}

void fmt_kib(struct strbuf *sb, double kib)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (kib >= 1024 && u < 3) {
		kib /= 1024;
		u++;
	}
	fmt_num(sb, kib, 3);
	strbuf_addf(sb, " %s", unit[u]);
}
