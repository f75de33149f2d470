/* fuzz-values.c — libFuzzer target: the value parsers every scenario key,
 * [matrix] value, timeline argument and workload option goes through.
 *
 * The first byte picks the parser, the rest is the value: sizes (bytes,
 * or MiB by default as memory keys), durations (with and without zero),
 * bounded integers, command lines split into words (`workload =`,
 * timeline actions), host KEY=VALUE through the knob table's validation
 * (percentages, enums, hugepage counts, per-node paths), a workload name,
 * one timeline line TIME=ACTIONS and a [matrix] axis=values line (each as
 * a one-guest scenario), and the workloads' own values: pressure's
 * --profile (steps, durations, sizes and percentages) and the option
 * setters of workloads/lib/wlopt.c that are not units.c's (fractions,
 * counts).
 */
#include "guest/workload.h"
#include "knobs/knobs.h"
#include "scenario/scenario.h"
#include "util/strbuf.h"
#include "util/units.h"
#include "workloads/lib/profile.h"
#include "workloads/lib/wlopt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void split_key_value(const char *s, void (*fn)(const char *k, const char *v))
{
	const char *eq = strchr(s, '=');
	char *key;

	if (!eq)
		return;
	key = strndup(s, (size_t)(eq - s));
	if (key)
		fn(key, eq + 1);
	free(key);
}

static void host_kv(const char *k, const char *v)
{
	knob_validate(k, v);
}

/* s inside a one-guest scenario, after head (a section header). */
static void in_scenario(const char *head, const char *s)
{
	struct strbuf t = STRBUF_INIT;
	struct scenario *sc;

	strbuf_addf(&t, "[scenario]\nname = v\n[guest g]\nmemory = 64M\n%s\n", head);
	strbuf_adds(&t, s);
	strbuf_addch(&t, '\n');
	sc = scenario_load_string(t.buf, "fuzz.ini", NULL, 0);
	scenario_free(sc);
	strbuf_release(&t);
}

static void parse_value(unsigned which, const char *s)
{
	uint64_t v;
	double d;
	struct profile prof;
	char **argv = NULL;
	size_t argc;

	switch (which % 13) {
	case 0: parse_size(s, 1, &v); break;
	case 1: parse_size(s, UINT64_C(1) << 20, &v); break;
	case 2: parse_duration_ns(s, 0, &v); break;
	case 3: parse_duration_ns(s, 1, &v); break;
	case 4: parse_u64_range(s, 1, 1000000, &v); break;
	case 5:
		if (scenario_split_argv(s, &argv, &argc) == 0)
			scenario_argv_free(argv);
		break;
	case 6: split_key_value(s, host_kv); break;
	case 7: workload_validate(s); break;
	case 8: in_scenario("[timeline]", s); break;
	case 9: in_scenario("[matrix]", s); break;
	case 10: profile_parse(s, UINT64_C(1) << 30, &prof); break;
	case 11: wlopt_set_fraction(&d, s); break;
	default: wlopt_set_count(&v, s); break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	s = strndup((const char *)data + 1, size - 1);	/* a value is text: up to a NUL */
	if (!s)
		return 0;
	parse_value(data[0], s);
	free(s);
	return 0;
}
