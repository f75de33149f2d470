/* jsontext.c — see jsontext.h. */
#include "util/jsontext.h"
#include "util/strbuf.h"

#include <stdint.h>

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	size_t n;
	uint32_t cp, min;

	if (s[0] < 0x80)
		return 1;
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
	return n;
}

json_t *json_text(const char *s, size_t len)
{
	struct strbuf out = STRBUF_INIT;
	json_t *j = json_stringn(s ? s : "", s ? len : 0);

	if (j)
		return j;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq((const unsigned char *)s + i, len - i);

		if (n == 0) {
			strbuf_adds(&out, "\xEF\xBF\xBD");	/* U+FFFD */
			i += 1;
			continue;
		}
		strbuf_add(&out, s + i, n);
		i += n;
	}
	j = json_stringn(out.buf ? out.buf : "", out.len);
	strbuf_release(&out);
	return j ? j : json_string("");
}
