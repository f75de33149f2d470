/* Unit tests: checking a workload's result document (guest/workload-doc.c)
 * on the document the real programs write, and on the ways a guest could
 * get it wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest/workload-doc.h"
#include "util/fsutil.h"
#include "util/runcmd.h"

#define T (60 * 1000000000ull)

/* memtouch's real document, run on the host: what a guest sends. */
static json_t *real_doc(void)
{
	const char *build = getenv("OCB_BUILD") ? getenv("OCB_BUILD") : "build";
	char prog[1024], out[] = "/tmp/ocb-wldoc-XXXXXX";
	struct strbuf text = STRBUF_INIT;
	json_error_t jerr;
	json_t *doc;
	int fd = mkstemp(out);

	assert_true(fd >= 0);
	close(fd);
	snprintf(prog, sizeof(prog), "%s/workloads/memtouch", build);
	{
		const char *argv[] = { prog, "--size", "4M", "--json", out, NULL };

		assert_int_equal(run_capture(argv, &text, T), 0);
	}
	strbuf_release(&text);
	doc = json_load_file(out, 0, &jerr);
	unlink(out);
	assert_non_null(doc);
	return doc;
}

static json_t *first_metric(json_t *doc)
{
	void *it = json_object_iter(json_object_get(doc, "metrics"));

	assert_non_null(it);
	return json_object_iter_value(it);
}

static void expect_rejected(json_t *doc, const char *needle)
{
	char why[256] = "";

	assert_int_equal(workload_doc_check(doc, why, sizeof(why)), -1);
	if (!strstr(why, needle))
		fail_msg("expected '%s' in '%s'", needle, why);
	json_decref(doc);
}

static void test_real_document_passes(void **state)
{
	char why[256] = "";
	json_t *doc = real_doc();

	(void)state;
	assert_true(json_object_size(json_object_get(doc, "metrics")) > 0);
	assert_int_equal(workload_doc_check(doc, why, sizeof(why)), 0);
	json_decref(doc);
}

static void test_value_not_a_number(void **state)
{
	json_t *doc = real_doc();

	(void)state;
	json_object_set_new(first_metric(doc), "value", json_string("12"));
	expect_rejected(doc, "not a finite number");
}

static void test_unknown_unit(void **state)
{
	json_t *doc = real_doc();

	(void)state;
	json_object_set_new(first_metric(doc), "unit", json_string("furlongs"));
	expect_rejected(doc, "unit 'furlongs'");
}

static void test_bad_direction(void **state)
{
	json_t *doc = real_doc();

	(void)state;
	json_object_set_new(first_metric(doc), "better", json_string("sideways"));
	expect_rejected(doc, "expected higher or lower");
}

static void test_bad_name_and_schema(void **state)
{
	json_t *doc = real_doc();

	(void)state;
	json_object_set_new(json_object_get(doc, "metrics"), "../../etc",
			    json_pack("{s:f, s:s, s:s}", "value", 1.0, "unit", "ns", "better", "lower"));
	expect_rejected(doc, "is not 1-64 characters");
	doc = real_doc();
	json_object_set_new(doc, "schema", json_string("ocbench.workload/99"));
	expect_rejected(doc, "expected 'ocbench.workload/1'");
	expect_rejected(json_array(), "not a JSON object");
}

static void test_too_many_metrics(void **state)
{
	json_t *doc = real_doc();
	char name[32];

	(void)state;
	for (int i = 0; i <= WORKLOAD_DOC_MAX_METRICS; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		json_object_set_new(json_object_get(doc, "metrics"), name,
				    json_pack("{s:f, s:s, s:s}", "value", 1.0, "unit", "ns", "better", "lower"));
	}
	expect_rejected(doc, "more than the 256");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_document_passes),
		cmocka_unit_test(test_value_not_a_number),
		cmocka_unit_test(test_unknown_unit),
		cmocka_unit_test(test_bad_direction),
		cmocka_unit_test(test_bad_name_and_schema),
		cmocka_unit_test(test_too_many_metrics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
