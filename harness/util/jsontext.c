/* jsontext.c — see jsontext.h. */
#include "util/jsontext.h"
#include "util/strbuf.h"
#include "util/utf8.h"

json_t *json_text(const char *s, size_t len)
{
	struct strbuf out = STRBUF_INIT;
	json_t *j = json_stringn(s ? s : "", s ? len : 0);

	if (j)
		return j;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len((const unsigned char *)s + i, len - i, NULL);

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
