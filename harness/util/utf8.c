/* utf8.c — see utf8.h. */
#include "util/utf8.h"

size_t utf8_seq_len(const unsigned char *s, size_t left, uint32_t *cp_out)
{
	size_t n;
	uint32_t cp, min;

	if (left == 0)
		return 0;
	if (s[0] < 0x80) {
		n = 1, cp = s[0];
		goto done;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2, cp = s[0] & 0x1F, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3, cp = s[0] & 0x0F, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4, cp = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
done:
	if (cp_out)
		*cp_out = cp;
	return n;
}
