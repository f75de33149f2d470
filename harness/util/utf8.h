/* utf8.h — where one UTF-8 character ends (RFC 3629), for code that
 * passes on text it did not write (jsontext.c, printable.c). */
#ifndef OCB_UTF8_H
#define OCB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (1..4) of the valid UTF-8 sequence at s, of which left bytes
 * may be read, or 0 when it is not one (no overlongs, no surrogates,
 * nothing above U+10FFFF); *cp its code point when cp is not NULL. */
size_t utf8_seq_len(const unsigned char *s, size_t left, uint32_t *cp);

#endif
