/* test-wlopt.c — the common option parser and pressure's profile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/error.h"
#include "profile.h"
#include "region.h"
#include "util/units.h"
#include "wlopt.h"

#include <string.h>

static int flag;
static struct region_opts ropts;

static const struct wlopt extra[] = {
	{ "flag", NULL, "a flag", wlopt_set_flag, &flag },
	{ "thp", "on|off", "THP", region_opt_thp, &ropts.thp },
	{ "hugetlb", "2M|1G", "hugetlb", region_opt_hugetlb, &ropts.hugetlb },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct wl_program prog = {
	.name = "testprog", .summary = "a test", .default_size = 16 * MiB, .opts = extra,
};

#define PARSE(c, ...) ({ char *argv_[] = { "testprog", __VA_ARGS__, NULL }; \
	flag = 0; memset(&ropts, 0, sizeof(ropts)); \
	wl_parse(&prog, (int)(sizeof(argv_) / sizeof(argv_[0])) - 1, argv_, (c)); })

static void test_defaults(void **state)
{
	struct wl_common c;
	char *argv[] = { "testprog", NULL };

	assert_int_equal(wl_parse(&prog, 1, argv, &c), WLOPT_OK);
	assert_int_equal(c.size, 16 * MiB);
	assert_int_equal(c.seed, 1);
	assert_int_equal(c.duration_ns, 0);
	assert_null(c.json_path);
}

static void test_common_and_own(void **state)
{
	struct wl_common c;

	assert_int_equal(PARSE(&c, "--size", "1.5G", "--duration", "250ms", "--json", "/tmp/x.json",
			       "--seed", "7", "--flag", "--thp", "off", "--hugetlb", "1G"), WLOPT_OK);
	assert_int_equal(c.size, 3 * GiB / 2);
	assert_int_equal(c.duration_ns, 250000000);
	assert_string_equal(c.json_path, "/tmp/x.json");
	assert_int_equal(c.seed, 7);
	assert_int_equal(flag, 1);
	assert_int_equal(ropts.thp, REGION_THP_OFF);
	assert_int_equal(ropts.hugetlb, GiB);
}

static void test_usage_errors(void **state)
{
	struct wl_common c;

	assert_int_equal(PARSE(&c, "--size", "12X"), WLOPT_USAGE);
	assert_non_null(strstr(ocb_errmsg(), "--size"));
	assert_int_equal(PARSE(&c, "--nope"), WLOPT_USAGE);
	assert_int_equal(PARSE(&c, "--size"), WLOPT_USAGE);
	assert_int_equal(PARSE(&c, "stray"), WLOPT_USAGE);
	assert_int_equal(PARSE(&c, "--duration", "1s", "--iterations", "3"), WLOPT_USAGE);
	assert_int_equal(PARSE(&c, "--iterations", "0"), WLOPT_USAGE);
	assert_int_equal(PARSE(&c, "--thp", "maybe"), WLOPT_USAGE);
	assert_int_equal(PARSE(&c, "--hugetlb", "4M"), WLOPT_USAGE);
	assert_int_equal(PARSE(&c, "--help"), WLOPT_HELP);
	assert_int_equal(PARSE(&c, "-h"), WLOPT_HELP);
}

static void test_profile(void **state)
{
	struct profile p;

	assert_int_equal(profile_parse("ramp:5s,hold:10s,release:5s", 100 * MiB, &p), 0);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.step[0].kind, STEP_RAMP);
	assert_int_equal(p.step[0].target, 100 * MiB);
	assert_int_equal(p.step[1].dur_ns, 10000000000ull);
	assert_int_equal(p.step[2].target, 0);
	assert_int_equal(profile_parse("ramp:1s:50%,release:2s:10M", 100 * MiB, &p), 0);
	assert_int_equal(p.step[0].target, 50 * MiB);
	assert_int_equal(p.step[1].target, 10 * MiB);
	assert_int_equal(profile_parse("ramp:1s,jump:2s", MiB, &p), -1);
	assert_non_null(strstr(ocb_errmsg(), "step 2"));
	assert_int_equal(profile_parse("ramp", MiB, &p), -1);
	assert_int_equal(profile_parse("hold:1s:5M", 100 * MiB, &p), -1);
	assert_int_equal(profile_parse("ramp:1s:2G", MiB, &p), -1);
	assert_int_equal(profile_parse("ramp:1s:150%", MiB, &p), -1);
	assert_int_equal(profile_parse("", MiB, &p), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_common_and_own),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_profile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
