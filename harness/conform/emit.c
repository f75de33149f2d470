/* conform-emit.c — see conform-emit.h. */
#include "conform/emit.h"
#include "results/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *status_word(enum conform_status s)
{
	switch (s) {
	case CONFORM_PASS: return "PASS";
	case CONFORM_FAIL: return "FAIL";
	case CONFORM_SKIP: return "SKIP";
	default: return "ERROR";
	}
}

static void counts_line(const struct conform_report *rep, struct strbuf *out)
{
	size_t p, f, s, e;

	conform_report_counts(rep, &p, &f, &s, &e);
	strbuf_addf(out, "%zu passed, %zu failed, %zu skipped, %zu errors in %.1f s (accel %s: %s)", p, f, s, e,
		    rep->wall_s, rep->accel, rep->accel_reason);
}

/* ---- text --------------------------------------------------------------- */

static void emit_text(const struct conform_report *rep, struct strbuf *out)
{
	strbuf_addf(out, "%-9s %-6s %-62s %7s  %s\n", "ID", "RESULT", "TITLE", "TIME", "EVIDENCE / REASON");
	for (size_t i = 0; i < rep->n; i++) {
		const struct conform_result *r = &rep->r[i];
		const char *what = r->status == CONFORM_PASS ? r->summary : r->reason;

		strbuf_addf(out, "%-9s %-6s %-62.62s %6.1fs  %s\n", r->check->id, status_word(r->status),
			    r->check->title, r->seconds, what);
		if (r->status == CONFORM_FAIL && r->summary[0])
			strbuf_addf(out, "%-9s %-6s %-62s %7s  %s\n", "", "", "", "", r->summary);
	}
	strbuf_adds(out, "conform: ");
	counts_line(rep, out);
	strbuf_addch(out, '\n');
}

const struct conform_emitter conform_emit_text = { "text", emit_text };

/* ---- JUnit XML ---------------------------------------------------------- */

void xml_escape(const char *s, struct strbuf *out)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '&': strbuf_adds(out, "&amp;"); break;
		case '<': strbuf_adds(out, "&lt;"); break;
		case '>': strbuf_adds(out, "&gt;"); break;
		case '"': strbuf_adds(out, "&quot;"); break;
		case '\'': strbuf_adds(out, "&apos;"); break;
		case '\n': strbuf_adds(out, "&#10;"); break;
		case '\t': strbuf_adds(out, "&#9;"); break;
		default:
			/* XML 1.0 has no other control characters at all. */
			if (*p >= 0x20)
				strbuf_addch(out, (char)*p);
		}
	}
}

static void evidence_text(const struct conform_result *r, struct strbuf *out)
{
	char *j = json_dumps(r->evidence, JSON_INDENT(2) | JSON_SORT_KEYS);

	xml_escape(j ? j : "{}", out);
	free(j);
}

static void junit_case(const struct conform_result *r, struct strbuf *out)
{
	strbuf_adds(out, "    <testcase classname=\"ocbench.conform.");
	xml_escape(r->check->suite, out);
	strbuf_adds(out, "\" name=\"");
	xml_escape(r->check->id, out);
	strbuf_adds(out, " ");
	xml_escape(r->check->title, out);
	strbuf_addf(out, "\" time=\"%.3f\">\n", r->seconds);
	if (r->status == CONFORM_SKIP || r->status == CONFORM_FAIL || r->status == CONFORM_ERROR) {
		const char *tag = r->status == CONFORM_SKIP ? "skipped" : r->status == CONFORM_FAIL ? "failure" : "error";

		strbuf_addf(out, "      <%s message=\"", tag);
		xml_escape(r->reason, out);
		strbuf_adds(out, "\"");
		if (r->status == CONFORM_SKIP) {
			strbuf_adds(out, "/>\n");
		} else {
			strbuf_addf(out, " type=\"%s\">", r->status == CONFORM_FAIL ? "check-failed" : "check-error");
			evidence_text(r, out);
			strbuf_addf(out, "</%s>\n", tag);
		}
	}
	strbuf_adds(out, "      <system-out>");
	if (r->summary[0]) {
		xml_escape(r->summary, out);
		strbuf_adds(out, "&#10;");
	}
	evidence_text(r, out);
	strbuf_adds(out, "</system-out>\n    </testcase>\n");
}

static void emit_junit(const struct conform_report *rep, struct strbuf *out)
{
	size_t p, f, s, e;

	conform_report_counts(rep, &p, &f, &s, &e);
	strbuf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	strbuf_addf(out, "<testsuites name=\"ocbench conform\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		    "skipped=\"%zu\" time=\"%.3f\">\n", rep->n, f, e, s, rep->wall_s);
	strbuf_addf(out, "  <testsuite name=\"ocbench.conform\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		    "skipped=\"%zu\" time=\"%.3f\">\n", rep->n, f, e, s, rep->wall_s);
	strbuf_adds(out, "    <properties>\n      <property name=\"accel\" value=\"");
	xml_escape(rep->accel, out);
	strbuf_adds(out, "\"/>\n      <property name=\"accel_reason\" value=\"");
	xml_escape(rep->accel_reason, out);
	strbuf_adds(out, "\"/>\n      <property name=\"backend\" value=\"");
	xml_escape(rep->backend, out);
	strbuf_adds(out, "\"/>\n    </properties>\n");
	for (size_t i = 0; i < rep->n; i++)
		junit_case(&rep->r[i], out);
	strbuf_adds(out, "  </testsuite>\n</testsuites>\n");
}

const struct conform_emitter conform_emit_junit = { "junit", emit_junit };

/* ---- TAP 13 ------------------------------------------------------------- */

/* A description or directive stays on one line and '#' would start a
 * directive: escaped as the TAP spec says. */
static void tap_text(const char *s, struct strbuf *out)
{
	for (; s && *s; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t')
			strbuf_addch(out, ' ');
		else if (*s == '#' || *s == '\\')
			strbuf_addf(out, "\\%c", *s);
		else
			strbuf_addch(out, *s);
	}
}

/* JSON is YAML 1.2: a flow mapping in the YAML block. */
static void tap_yaml(const struct conform_result *r, struct strbuf *out)
{
	char *j = json_dumps(r->evidence, JSON_COMPACT | JSON_SORT_KEYS);
	json_t *msg = json_string(r->reason);
	char *m = json_dumps(msg, JSON_ENCODE_ANY);

	strbuf_adds(out, "  ---\n");
	strbuf_addf(out, "  result: %s\n", conform_status_name(r->status));
	if (r->reason[0])
		strbuf_addf(out, "  message: %s\n", m ? m : "\"\"");
	strbuf_addf(out, "  duration_ms: %.0f\n", r->seconds * 1000.0);
	strbuf_addf(out, "  evidence: %s\n", j ? j : "{}");
	strbuf_adds(out, "  ...\n");
	free(j);
	free(m);
	json_decref(msg);
}

static void emit_tap(const struct conform_report *rep, struct strbuf *out)
{
	strbuf_addf(out, "TAP version 13\n1..%zu\n", rep->n);
	for (size_t i = 0; i < rep->n; i++) {
		const struct conform_result *r = &rep->r[i];

		strbuf_addf(out, "%s %zu - ", r->status == CONFORM_PASS || r->status == CONFORM_SKIP ? "ok" : "not ok",
			    i + 1);
		tap_text(r->check->id, out);
		strbuf_addch(out, ' ');
		tap_text(r->check->title, out);
		if (r->status == CONFORM_SKIP) {
			strbuf_adds(out, " # SKIP ");
			tap_text(r->reason, out);
		}
		strbuf_addch(out, '\n');
		tap_yaml(r, out);
	}
	strbuf_adds(out, "# conform: ");
	counts_line(rep, out);
	strbuf_addch(out, '\n');
}

const struct conform_emitter conform_emit_tap = { "tap", emit_tap };

/* ---- JSON --------------------------------------------------------------- */

static void emit_json(const struct conform_report *rep, struct strbuf *out)
{
	json_t *checks = json_array(), *doc;
	size_t p, f, s, e;
	char *text;

	conform_report_counts(rep, &p, &f, &s, &e);
	for (size_t i = 0; i < rep->n; i++) {
		const struct conform_result *r = &rep->r[i];

		json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:O}", "id", r->check->id,
							"suite", r->check->suite, "title", r->check->title, "result",
							conform_status_name(r->status), "reason", r->reason, "summary",
							r->summary, "seconds", r->seconds, "evidence", r->evidence));
	}
	doc = json_pack("{s:s, s:f, s:b, s:{s:s, s:s}, s:s, s:{s:I, s:I, s:I, s:I}, s:o}", "schema",
			RESULTS_SCHEMA_CONFORM, "wall_s", rep->wall_s, "interrupted", rep->interrupted, "accel", "name",
			rep->accel, "reason", rep->accel_reason, "backend", rep->backend, "counts", "pass",
			(json_int_t)p, "fail", (json_int_t)f, "skip", (json_int_t)s, "error", (json_int_t)e, "checks",
			checks);
	if (rep->host)
		json_object_set(doc, "host", rep->host);	/* whose verdicts these are */
	if (rep->hosts)
		json_object_set(doc, "hosts", rep->hosts);
	text = json_dumps(doc, JSON_INDENT(2));
	strbuf_adds(out, text ? text : "{}");
	strbuf_addch(out, '\n');
	free(text);
	json_decref(doc);
}

const struct conform_emitter conform_emit_json = { "json", emit_json };
