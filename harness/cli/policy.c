/* policy.c — see policy.h. */
#include "cli/policy.h"
#include "cli/opts.h"
#include "cli/cli.h"
#include "policy/policies.h"
#include "policy/trace.h"
#include "util/error.h"
#include "util/units.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define SIM_MAX_SETS 32

enum { O_POLICY = CLI_LONG_ONLY, O_KSM, O_SET, O_INTERVAL, O_FLOOR };

static const struct cli_opt policy_opts[] = {
	{ "policy", O_POLICY, CLI_ARG, "NAME", CLI_V_POLICIES, NULL,
	  "static, mom, pve, psi, fpr-only or ksmtuned" },
	{ "ksm", O_KSM, CLI_ARG, "ksmtuned", CLI_V_WORDS, "ksmtuned",
	  "a KSM policy beside a balloon policy" },
	{ "set", O_SET, CLI_ARG, "KEY=VALUE", CLI_V_NONE, NULL,
	  "a policy key as in [policy], e.g. mom.pressure_threshold=0.3" },
	{ "interval", O_INTERVAL, CLI_ARG, "DUR", CLI_V_NONE, NULL,
	  "the cycle (default: the policy's published one)" },
	{ "floor", O_FLOOR, CLI_ARG, "PCT", CLI_V_NONE, NULL,
	  "least balloon size, % of a guest's memory (default 25)" },
	{ "help", 'h', CLI_NOARG, NULL, CLI_V_NONE, NULL, "print this help" },
	{ NULL, 0, CLI_NOARG, NULL, CLI_V_NONE, NULL, NULL },
};

const struct cli_doc policy_doc = {
	.name = "policy",
	.summary = "automatic balloon/KSM policies: list them, replay a run's samples through one",
	.synopsis = "list | simulate TRACE --policy NAME [--ksm ksmtuned] [--set KEY=VALUE]...\n"
		    "                      [--interval DUR] [--floor PCT]",
	.description =
		"list: the automatic balloon/KSM policies, their published source and their keys.\n"
		"\n"
		"simulate: replay a recorded run's samples through a policy without booting\n"
		"guests and print the actions it would have taken at each of its ticks.\n"
		"TRACE is a samples.csv (t_ms,source,series,value) of a run; the series read are\n"
		"host MemTotal_mib MemFree_mib MemAvailable_mib Buffers_mib Cached_mib pswpin\n"
		"pswpout psi_some_us; cgroup memory_current_mib limit_mib; ksm run pages_to_scan\n"
		"sleep_millisecs; balloon GUEST.actual_mib GUEST.max_mib; balloonstats\n"
		"GUEST.stat-free-memory_mib stat-available-memory_mib; guest GUEST.psi_some_us;\n"
		"qemu GUEST.rss_mib.  Open loop: the sizes are the recording's, not what the\n"
		"printed actions would have led to.",
	.opts = policy_opts,
	.operands = CLI_V_WORDS,
	.operand_words = "list simulate",
	.exit_status = "0 listed or simulated, 2 usage error or an unreadable trace.",
};

static void list_policies(void)
{
	for (size_t i = 0; i < policy_count(); i++) {
		const struct policy_ops *o = policy_at(i);

		printf("%s — %s\n  every %g s; source: %s\n", o->name, o->help, o->interval_s, o->source);
		for (size_t k = 0; o->params && o->params[k].name; k++)
			printf("  %s.%-22s default %-8g %s\n", o->name, o->params[k].name, o->params[k].def,
			       o->params[k].help);
	}
}

static void print_tick(void *opaque, const struct policy *p, const struct policy_obs *o,
		       const struct policy_actions *a)
{
	unsigned *acts = opaque;
	int any = 0;

	printf("t=%.1fs %s:", o->t_s, p->ops->name);
	for (size_t i = 0; i < o->n; i++) {
		if (a->balloon_mib[i] < 0)
			continue;
		printf(" balloon %s %.0f -> %.1f MiB", o->g[i].name, o->g[i].actual_mib, a->balloon_mib[i]);
		if (a->clamped_from[i] >= 0)
			printf(" (asked %.1f, clamped to [%.0f, %.0f])", a->clamped_from[i], o->g[i].floor_mib,
			       o->g[i].max_mib);
		printf(";");
		any = 1;
	}
	if (a->ksm_run >= 0) {
		printf(" ksm run=%d", a->ksm_run);
		if (a->ksm_pages_to_scan >= 0)
			printf(" pages_to_scan=%ld sleep_millisecs=%ld", a->ksm_pages_to_scan, a->ksm_sleep_ms);
		printf(";");
		any = 1;
	}
	printf("%s\n", any ? "" : " (no action)");
	*acts += any;
}

struct sim_opts {
	const char *name, *ksm, *sets[SIM_MAX_SETS];
	size_t n_sets;
	double interval_s, floor;
};

/* The policies of opts, their keys set; n policies in pols. */
static int make_policies(const struct sim_opts *so, struct policy *pols, size_t *n)
{
	const char *names[2] = { so->name, so->ksm };

	*n = 0;
	for (size_t i = 0; i < 2 && names[i]; i++) {
		if (policy_check_name(names[i], i ? POLICY_F_KSM : 0) < 0 ||
		    policy_init(&pols[*n], policy_find(names[i])) < 0)
			return -1;
		if (so->interval_s > 0)
			pols[*n].interval_s = so->interval_s;
		++*n;
	}
	for (size_t k = 0; k < so->n_sets; k++) {
		const char *eq = strchr(so->sets[k], '='), *dot = strchr(so->sets[k], '.');
		size_t i;

		if (!eq || !dot || dot > eq)
			return ocb_fail("--set %s: expected POLICY.KEY=VALUE", so->sets[k]);
		for (i = 0; i < *n; i++)
			if (strlen(pols[i].ops->name) == (size_t)(dot - so->sets[k]) &&
			    !strncmp(pols[i].ops->name, so->sets[k], (size_t)(dot - so->sets[k])))
				break;
		if (i == *n)
			return ocb_fail("--set %s: not a key of the simulated policies", so->sets[k]);
		{
			char key[128];

			snprintf(key, sizeof(key), "%.*s", (int)(eq - dot - 1), dot + 1);
			if (policy_set(&pols[i], key, eq + 1) < 0)
				return ocb_err_prefix("--set %s: ", so->sets[k]);
		}
	}
	return 0;
}

static int simulate(const char *trace, const struct sim_opts *so)
{
	struct policy pols[2], *pp[2] = { &pols[0], &pols[1] };
	unsigned acts = 0;
	size_t n = 0;
	int rc;

	memset(pols, 0, sizeof(pols));
	rc = make_policies(so, pols, &n);
	if (rc == 0)
		rc = policy_replay_file(trace, pp, n, so->floor / 100.0, print_tick, &acts);
	for (size_t i = 0; i < n; i++)
		policy_fini(&pols[i]);
	if (rc < 0) {
		fprintf(stderr, "ocbench policy simulate: %s\n", ocb_errmsg());
		return OCB_EXIT_USAGE;
	}
	printf("%u tick(s) with actions\n", acts);
	return OCB_EXIT_OK;
}

static int parse_sim(int argc, char **argv, struct sim_opts *so)
{
	struct cli_getopt g;
	uint64_t v;
	int c;

	cli_getopt_init(&g, &policy_doc);
	while ((c = cli_getopt_next(&g, argc, argv)) != -1) {
		switch (c) {
		case O_POLICY: so->name = optarg; break;
		case O_KSM: so->ksm = optarg; break;
		case O_SET:
			if (so->n_sets == SIM_MAX_SETS)
				return ocb_fail("at most %d --set", SIM_MAX_SETS);
			so->sets[so->n_sets++] = optarg;
			break;
		case O_INTERVAL:
			if (parse_duration_ns(optarg, 0, &v) < 0)
				return ocb_err_prefix("--interval: ");
			so->interval_s = (double)v / 1e9;
			break;
		case O_FLOOR:
			if (parse_u64_range(optarg, 0, 100, &v) < 0)
				return ocb_err_prefix("--floor: ");
			so->floor = (double)v;
			break;
		case 'h': cli_usage(stdout, &policy_doc); return 1;
		default: return ocb_fail("bad option (see ocbench policy --help)");
		}
	}
	if (optind + 1 != argc || !so->name)
		return ocb_fail("expected TRACE and --policy NAME (see ocbench policy --help)");
	return 0;
}

int cmd_policy(int argc, char **argv, struct cmd_env *env)
{
	struct sim_opts so = { .floor = 25 };
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_usage(argc < 2 ? stderr : stdout, &policy_doc);
		return argc < 2 ? OCB_EXIT_USAGE : OCB_EXIT_OK;
	}
	if (!strcmp(argv[1], "list")) {
		list_policies();
		return OCB_EXIT_OK;
	}
	if (strcmp(argv[1], "simulate")) {
		fprintf(stderr, "ocbench policy: unknown action '%s' (expected list or simulate)\n", argv[1]);
		return OCB_EXIT_USAGE;
	}
	optind = 1;
	rc = parse_sim(argc - 1, argv + 1, &so);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "ocbench policy simulate: %s\n", ocb_errmsg());
		return rc < 0 ? OCB_EXIT_USAGE : OCB_EXIT_OK;
	}
	return simulate(argv[1 + optind], &so);
}
