/* diagnosis.c — see diagnosis.h. */
#include "host/diagnosis.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

json_t *diag_new(void)
{
	return json_pack("{s:[]}", "findings");
}

void diag_add(json_t *diag, const char *kind, const char *code, const char *guest, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	json_t *f;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	f = json_pack("{s:s, s:s, s:s}", "kind", kind, "code", code, "text", text);
	if (guest)
		json_object_set_new(f, "guest", json_string(guest));
	json_array_append_new(json_object_get(diag, "findings"), f);
}

size_t diag_count(const json_t *diag, const char *kind)
{
	json_t *fs = json_object_get(diag, "findings"), *f;
	size_t i, n = 0;

	json_array_foreach(fs, i, f)
		if (!kind || !strcmp(json_string_value(json_object_get(f, "kind")), kind))
			n++;
	return n;
}

int diag_has(const json_t *diag, const char *code)
{
	json_t *fs = json_object_get(diag, "findings"), *f;
	size_t i;

	json_array_foreach(fs, i, f)
		if (!strcmp(json_string_value(json_object_get(f, "code")), code))
			return 1;
	return 0;
}

size_t diag_text(const json_t *diag, struct strbuf *out)
{
	static const char *const rest[] = { DIAG_FACTOR, DIAG_UNKNOWN };
	json_t *fs = json_object_get(diag, "findings"), *f;
	size_t i, causes = diag_count(diag, DIAG_CAUSE), n = 0;

	/* A cause explains it all: the factors (max_page_sharing reached by
	 * some other process's pages...) would only blur it; they stay in the
	 * diagnosis object. */
	for (size_t k = 0; k < (causes ? 1 : 1 + sizeof(rest) / sizeof(rest[0])); k++)
		json_array_foreach(fs, i, f) {
			const char *kind = json_string_value(json_object_get(f, "kind"));

			if (strcmp(kind, k == 0 ? DIAG_CAUSE : rest[k - 1]))
				continue;
			if (!n++ && !causes)
				strbuf_adds(out, "no cause found");
			strbuf_addf(out, "%s%s", n > 1 || !causes ? "; " : "",
				    json_string_value(json_object_get(f, "text")));
		}
	if (!n)
		strbuf_adds(out, "no cause found");
	return causes;
}
