/* verdict.c — see verdict.h. */
#include "reports/verdict.h"

#include <stdlib.h>
#include <string.h>

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_OK: return "ok";
	case VERDICT_REGRESSION: return "REGRESSION";
	case VERDICT_IMPROVEMENT: return "improvement";
	case VERDICT_INCONCLUSIVE: return "inconclusive";
	case VERDICT_INFO: return "info";
	case VERDICT_NEW: return "new";
	}
	return "?";
}

int compare_exit_code(const struct compare_result *res)
{
	if (res->incomparable)
		return COMPARE_EXIT_INCOMPARABLE;
	if (res->regressions || res->failure_regressions)
		return COMPARE_EXIT_REGRESSION;
	if (res->gaps.len && !res->allow_inconclusive)
		return COMPARE_EXIT_INCONCLUSIVE;
	return COMPARE_EXIT_OK;
}

const char *compare_verdict_word(const struct compare_result *res)
{
	if (res->incomparable)
		return "INCOMPARABLE";
	if (res->regressions || res->failure_regressions)
		return "REGRESSION";
	return res->gaps.len ? "INCONCLUSIVE" : "OK";
}

static size_t count_lines(const struct strbuf *sb)
{
	size_t n = 0;

	for (size_t i = 0; i < sb->len; i++)
		n += sb->buf[i] == '\n';
	return n;
}

/* The first line of sb, and how many more there are. */
static void first_line(const struct strbuf *sb, struct strbuf *out)
{
	const char *nl = memchr(sb->buf, '\n', sb->len);
	size_t more = count_lines(sb);

	strbuf_add(out, sb->buf, nl ? (size_t)(nl - sb->buf) : sb->len);
	if (more > 1)
		strbuf_addf(out, " (and %zu more)", more - 1);
}

static void first_failing_cell(const struct compare_result *res, struct strbuf *out)
{
	for (size_t i = 0; i < res->ncells; i++) {
		const struct compare_cell *c = &res->cells[i];

		if (!c->failure_regression)
			continue;
		strbuf_addf(out, "the candidate's runs fail more often in [%s]: candidate ",
			    cell_label(c->cell));
		tally_describe(&c->cand, out);
		strbuf_adds(out, ", baseline ");
		tally_describe(&c->base, out);
		if (res->failure_regressions > 1)
			strbuf_addf(out, " (and in %zu more cells)", res->failure_regressions - 1);
		return;
	}
}

/* "; allowed to differ: qemu_version, knobs": what like for like let
 * through, named on the verdict line itself. */
static void allowed_fields(const struct strbuf *allowed, struct strbuf *out)
{
	const char *sep = "; allowed to differ: ";

	for (const char *p = strbuf_str(allowed); *p;) {
		const char *end = strstr(p, " differs"), *nl = strchr(p, '\n');

		if (end && (!nl || end < nl)) {
			strbuf_addf(out, "%s%.*s", sep, (int)(end - p), p);
			sep = ", ";
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
}

void compare_headline(const struct compare_result *res, struct strbuf *out)
{
	int code = compare_exit_code(res);

	strbuf_addf(out, "verdict: %s", compare_verdict_word(res));
	if (!res->incomparable && !res->regressions && !res->failure_regressions && res->gaps.len &&
	    res->allow_inconclusive)
		strbuf_adds(out, ", allowed by --allow-inconclusive");
	strbuf_addf(out, " (exit %d): ", code);
	if (res->incomparable) {
		first_line(&res->problems, out);
		return;
	}
	if (res->failure_regressions) {
		first_failing_cell(res, out);
		if (res->regressions || res->gaps.len)
			strbuf_adds(out, "; ");
	}
	if (res->regressions)
		strbuf_addf(out, "%zu gated metric(s) regressed%s", res->regressions,
			    res->gaps.len ? "; " : "");
	if (res->gaps.len) {
		strbuf_adds(out, "missing evidence: ");
		first_line(&res->gaps, out);
	}
	if (!res->failure_regressions && !res->regressions && !res->gaps.len)
		strbuf_addf(out, "no regression in %zu gated metric(s), %zu improvement(s)",
			    res->n - res->informational - res->fresh, res->improvements);
	allowed_fields(&res->allowed, out);
}

void compare_release(struct compare_result *res)
{
	for (size_t i = 0; i < res->n; i++)
		free(res->rows[i].note);
	free(res->rows);
	free(res->cells);
	agg_release(&res->base_agg);
	agg_release(&res->cand_agg);
	tally_release(&res->base_tally);
	tally_release(&res->cand_tally);
	strbuf_release(&res->problems);
	strbuf_release(&res->gaps);
	strbuf_release(&res->allowed);
	strbuf_release(&res->notes);
	memset(res, 0, sizeof(*res));
}
