/* printable.h — text from elsewhere (a guest's output, a file, a peer's
 * error) made safe to show on a terminal.
 *
 * A guest decides what its workloads print, and that text reaches error
 * messages, conform reasons and progress lines.  Written raw, an escape
 * sequence in it would act on the user's terminal (move the cursor,
 * rewrite earlier lines, set the title), as git's sideband code guards
 * against for a remote's messages.  Here every byte a terminal would act
 * on is written as \xNN instead: the text survives, the damage is
 * visible, and nothing is dropped.  Valid UTF-8 stays as it is.
 * Written by hand: it is a bounded copy over utf8_seq_len() (utf8.h), and
 * no library we use offers it.
 */
#ifndef OCB_PRINTABLE_H
#define OCB_PRINTABLE_H

#include <stdarg.h>
#include <stddef.h>

/* Copies src to dst (dstlen bytes, always terminated when dstlen > 0),
 * writing as \xNN every C0 control but newline and tab, DEL, every C1
 * control (U+0080..U+009F) and every byte of invalid UTF-8.  Truncates
 * at a whole character or escape, never inside one.  Returns the length
 * written. */
size_t printable_copy(char *dst, size_t dstlen, const char *src);

/* vsnprintf into dst, then printable_copy() of the result. */
size_t printable_vformat(char *dst, size_t dstlen, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif
