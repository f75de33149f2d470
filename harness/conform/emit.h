/* conform-emit.h — output formats of `ocbench conform` as an ops table
 * over the same results (fio's stat.c emitters): the human table, JUnit
 * XML, TAP 13 and JSON.  Each writes the whole document into a strbuf;
 * the caller decides where it goes (stdout, or a file written
 * atomically). */
#ifndef OCB_CONFORM_EMIT_H
#define OCB_CONFORM_EMIT_H

#include "conform/conform.h"
#include "util/strbuf.h"

struct conform_emitter {
	const char *name;	/* "text", "junit", "tap", "json" */
	void (*emit)(const struct conform_report *rep, struct strbuf *out);
};

extern const struct conform_emitter conform_emit_text;
extern const struct conform_emitter conform_emit_junit;
extern const struct conform_emitter conform_emit_tap;
extern const struct conform_emitter conform_emit_json;

/* Exposed for tests: XML attribute/text escaping (drops bytes XML 1.0
 * cannot carry). */
void xml_escape(const char *s, struct strbuf *out);

#endif
