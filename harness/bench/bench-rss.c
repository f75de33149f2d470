/* bench-rss — `make bench`: does the harness's memory stay flat?
 *
 * Eight guests (256 MiB each, idle but for `free -m` every 30 s) under
 * `ocbench run` for OCB_BENCH_RSS_S seconds (default 600: the ten minutes
 * issue 14 asks for) with the sampler at 10 Hz; the ocbench process's
 * VmRSS is read from /proc every 5 s.  The CSVs are streamed and the QMP
 * event queue is bounded, so the RSS should stop growing once every guest
 * is up.  Prints the RSS at each quarter and its growth over the second
 * half; targets < 50 MiB and no growth over the second half.  Figures,
 * not assertions.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/meminfo.h"
#include "util/runcmd.h"

#define GUESTS 8
#define PERIOD_NS (5 * 1000000000ull)
#define MAX_POINTS 1024

static const char scenario_fmt[] =
	"[scenario]\n"
	"name = bench-rss\n"
	"sample_rate = 10\n"
	"duration = %ds\n"
	"boot_timeout = 300s\n"
	"[guest g]\n"
	"count = %d\n"
	"memory = 256M\n"
	"[timeline]\n"
	"0s = free *\n";

static double rss_mib(pid_t pid)
{
	char path[64];
	long long kib;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	return meminfo_file_field(path, "VmRSS", &kib) < 0 ? -1 : (double)kib / 1024.0;
}

int main(void)
{
	const char *ocbench = getenv("OCBENCH") ? getenv("OCBENCH") : "build/ocbench";
	int secs = getenv("OCB_BENCH_RSS_S") ? atoi(getenv("OCB_BENCH_RSS_S")) : 600;
	char tmp[] = "/tmp/ocbench-bench-rss-XXXXXX", ini[256], out[256], text[1024];
	double rss[MAX_POINTS];
	struct child c = CHILD_INIT;
	uint64_t t0;
	int n = 0, st = 0, rc;

	if (secs < 20 || !mkdtemp(tmp))
		return 1;
	snprintf(ini, sizeof(ini), "%s/rss.ini", tmp);
	snprintf(out, sizeof(out), "%s/out", tmp);
	snprintf(text, sizeof(text), scenario_fmt, secs, GUESTS);
	if (write_file_atomic(ini, text, strlen(text), 0644) < 0)
		return 1;
	strvec_push(&c.args, ocbench);
	strvec_push(&c.args, "run");
	strvec_push(&c.args, ini);
	strvec_push(&c.args, "-o");
	strvec_push(&c.args, out);
	c.stdout_path = "/dev/null";
	c.die_with_parent = 1;
	if (child_start(&c) < 0) {
		fprintf(stderr, "bench-rss: %s\n", ocb_errmsg());
		return 1;
	}
	t0 = mono_ns();
	while ((rc = child_poll(&c, &st)) == 0 && n < MAX_POINTS) {
		if (mono_ns() - t0 >= (uint64_t)n * PERIOD_NS)
			rss[n++] = rss_mib(c.pid);
		sleep_ns(100000000ull, NULL);
	}
	if (rc == 0)
		child_kill(&c);
	child_release(&c);
	remove_tree(tmp);
	if (rc < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || n < 8) {
		fprintf(stderr, "bench-rss: the run did not complete (%d samples)\n", n);
		return 1;
	}
	/* the last sample may be taken while the run writes its end */
	n--;
	printf("ocbench VmRSS, %d guests x 256 MiB, %d s at 10 Hz (every 5 s):\n", GUESTS, secs);
	for (int q = 1; q <= 4; q++)
		printf("  at %3d %%  %6.1f MiB\n", 25 * q, rss[(n * q) / 4 - (q == 4)]);
	printf("  growth over the second half: %+.1f MiB   (targets: < 50 MiB, no growth)\n",
	       rss[n - 1] - rss[n / 2]);
	return 0;
}
