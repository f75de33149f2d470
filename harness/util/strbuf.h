/* strbuf.h — growable string (the idea of git's strbuf).
 *
 * Invariant: buf is always NUL-terminated and len is its true length, so a
 * strbuf can be handed to any C string function at any time.  A zeroed
 * struct (STRBUF_INIT) is a valid empty string.  Allocation failure aborts:
 * a benchmark harness that cannot allocate a few bytes of text has nothing
 * sensible left to do.
 */
#ifndef OCB_STRBUF_H
#define OCB_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void strbuf_reset(struct strbuf *sb);
/* Drop the first n bytes (consumed input of a stream buffer). */
void strbuf_remove_front(struct strbuf *sb, size_t n);
/* Give the buffer to the caller (free() it); sb becomes empty. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* The string, "" for a never-written strbuf. */
const char *strbuf_str(const struct strbuf *sb);
void strbuf_rtrim(struct strbuf *sb);

#endif
