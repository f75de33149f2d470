/* error.h — the "last error" of the calling thread.
 *
 * libvirt-style: the function that detects a failure formats a message that
 * names what failed, on what, and what was expected, stores it here and
 * returns -1.  Callers either pass the -1 up unchanged or add context with
 * ocb_err_prefix() ("guest-1: " + "balloon: ...").  Whoever finally handles
 * the failure prints ocb_errmsg() once.  One buffer per thread, fixed size:
 * reporting an error never allocates.
 */
#ifndef OCB_ERROR_H
#define OCB_ERROR_H

#include <stdarg.h>

#define OCB_ERR_MAX 1024

/* Store a formatted message; always returns -1 so callers can
 * `return ocb_fail("...")`. */
int ocb_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like ocb_fail() with ": strerror(errno)" appended. */
int ocb_fail_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prepend context to the stored message; returns -1. */
int ocb_err_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *ocb_errmsg(void);
void ocb_err_clear(void);

#endif
