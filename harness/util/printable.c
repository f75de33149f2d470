/* printable.c — see printable.h. */
#include "util/printable.h"
#include "util/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A terminal acts on it: C0 controls but newline and tab, DEL, C1. */
static int is_control(uint32_t cp)
{
	return (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

size_t printable_copy(char *dst, size_t dstlen, const char *src)
{
	const unsigned char *s = (const unsigned char *)(src ? src : "");
	size_t left = strlen((const char *)s), out = 0;

	if (dstlen == 0)
		return 0;
	while (left > 0) {
		uint32_t cp = 0;
		size_t n = utf8_seq_len(s, left, &cp);

		if (n > 0 && !is_control(cp)) {
			if (out + n >= dstlen)
				break;
			memcpy(dst + out, s, n);
			out += n;
		} else {
			/* an invalid byte, or each byte of a control */
			size_t k = n > 0 ? n : 1;

			if (out + 4 * k >= dstlen)
				break;
			for (size_t i = 0; i < k; i++, out += 4)
				snprintf(dst + out, 5, "\\x%02x", s[i]);
			n = k;
		}
		s += n;
		left -= n;
	}
	dst[out] = '\0';
	return out;
}

size_t printable_vformat(char *dst, size_t dstlen, const char *fmt, va_list ap)
{
	char raw[4096];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	return printable_copy(dst, dstlen, raw);
}
