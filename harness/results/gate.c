/* gate.c — see gate.h. */
#include "results/gate.h"

#include <fnmatch.h>
#include <stddef.h>

/* fnmatch(3) patterns over the whole metric name ("guest-1.x" included:
 * '*' matches dots).  First match wins. */
static const struct {
	const char *pattern;
	const char *why;
} informational[] = {
	{ "sampler_*", "measures ocbench itself (its sampler's cost and output)" },
	{ "harness_*", "measures ocbench itself (the harness process's own cost)" },
	{ "timeline_late*", "measures ocbench itself (how late the harness ran its timeline)" },
	{ "guest_memory_declared_mib", "the scenario's own setting (declared guest memory)" },
	{ "overcommit_declared", "the scenario's own setting (declared memory over the cap)" },
	{ "cgroup_limit_mib", "the scenario's own setting (host_memory_limit)" },
	{ "policy_cpu_ms", "measures ocbench itself (the policy controller's CPU time)" },
	{ "policy_ticks", "the scenario's own setting (how often its policy ran)" },
};

const char *results_metric_info_reason(const char *name)
{
	for (size_t i = 0; i < sizeof(informational) / sizeof(informational[0]); i++)
		if (fnmatch(informational[i].pattern, name, 0) == 0)
			return informational[i].why;
	return NULL;
}

int results_metric_gated(const char *name)
{
	return results_metric_info_reason(name) == NULL;
}
