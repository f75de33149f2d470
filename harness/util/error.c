/* error.c — see error.h. */
#include "util/error.h"
#include "util/printable.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Messages quote what guests and peers said: stored printable
 * (printable.h), so whoever prints one cannot hand a terminal an escape
 * sequence. */
static _Thread_local char err_buf[OCB_ERR_MAX];

int ocb_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printable_vformat(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
	return -1;
}

int ocb_fail_errno(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	len = printable_vformat(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
	snprintf(err_buf + len, sizeof(err_buf) - len, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

int ocb_err_prefix(const char *fmt, ...)
{
	char old[OCB_ERR_MAX];
	va_list ap;
	size_t n;

	memcpy(old, err_buf, sizeof(old));
	va_start(ap, fmt);
	n = printable_vformat(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
	snprintf(err_buf + n, sizeof(err_buf) - n, "%s", old);	/* old: printable already */
	return -1;
}

const char *ocb_errmsg(void)
{
	return err_buf[0] ? err_buf : "unknown error";
}

void ocb_err_clear(void)
{
	err_buf[0] = '\0';
}
