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
	static const char *const order[] = { DIAG_CAUSE, DIAG_FACTOR, DIAG_UNKNOWN };
	json_t *fs = json_object_get(diag, "findings"), *f;
	size_t i, n = 0;

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		json_array_foreach(fs, i, f) {
			if (strcmp(json_string_value(json_object_get(f, "kind")), order[k]))
				continue;
			strbuf_addf(out, "%s%s", n++ ? "; " : "", json_string_value(json_object_get(f, "text")));
		}
	if (!n)
		strbuf_adds(out, "no cause found");
	return diag_count(diag, DIAG_CAUSE);
}
