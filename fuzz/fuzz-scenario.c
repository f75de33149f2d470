/* fuzz-scenario.c — libFuzzer target: a whole scenario file through the
 * real parse path of `ocbench run` (scenario_load: inih, the key
 * table, [matrix], [quick], [timeline] with every action's parser), with
 * the hooks `ocbench run` passes (the knob table's validation, the list of
 * workloads), then the checks and the matrix expansion a run does next.
 */
#include "knobs/knobs.h"
#include "guest/workload.h"
#include "scenario/scenario.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static const struct scenario_hooks hooks = {
	.validate_host = knob_validate,
	.host_keys = knob_names,
	.host_help = knob_help,
	.validate_workload = workload_validate,	/* what runner_validate_workload() asks */
};

static void load(const char *path, int quick)
{
	struct scenario *s = scenario_load(path, &hooks, quick), **runs = NULL;
	size_t n = 0;

	if (!s)
		return;
	if (scenario_check_runnable(s) == 0 && scenario_expand(s, 64, 0, &runs, &n) == 0)
		scenario_free_runs(runs, n);
	scenario_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a file (a memfd), so that it takes the path of a file
 * read from disk, NUL bytes and all. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];

	if (fd < 0) {
		fd = memfd_create("fuzz.ini", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	load(path, 0);
	load(path, 1);
	return 0;
}
