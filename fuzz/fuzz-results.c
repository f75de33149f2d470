/* fuzz-results.c — libFuzzer target: the results reader of `ocbench
 * report` and `ocbench compare` (reports/resultset.c, reports/workload.c)
 * over a results directory made from the input.
 *
 * The input is a bundle of files, each after a line "=== NAME":
 *
 *   === run.json
 *   {"schema": "ocbench.run/1", ...}
 *   === samples.csv
 *   t_ms,source,series,value
 *   ...
 *
 * NAME is one of names[] below (a run directory, an index directory with
 * one run under it, a guest's workload.json and free.csv); other names are
 * ignored.  The files are written into a private directory, which is then
 * read the way report (with the series) and compare (without) read it.
 */
#include "reports/resultset.h"
#include "util/error.h"
#include "util/fsutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const names[] = {
	"run.json", "samples.csv", "events.jsonl", "index.json",
	"guests/g1/workload.json", "guests/g1/free.csv", "guests/g2/workload.json",
	"run-001/run.json", "run-001/samples.csv", "run-001/events.jsonl",
	"run-001/guests/g1/workload.json", "run-001/guests/g1/free.csv",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static const char *const dirs[] = {
	"guests/g1", "guests/g2", "guests", "run-001/guests/g1", "run-001/guests", "run-001", "",
};
#define NDIRS (sizeof(dirs) / sizeof(dirs[0]))

static char root[64];

static void remove_files(void)
{
	char p[256];

	for (size_t i = 0; i < NNAMES; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, names[i]);
		unlink(p);
	}
}

/* The directory goes when the fuzzer exits (dirs[] lists it innermost
 * first). */
static void tear_down(void)
{
	char p[256];

	remove_files();
	for (size_t i = 0; i < NDIRS; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
		rmdir(p);
	}
}

static void set_up(void)
{
	const char *tmp = getenv("TMPDIR");
	char p[256];

	snprintf(root, sizeof(root), "%s/ocb-fuzz-results-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		abort();
	for (size_t i = 0; i < NDIRS; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
		if (mkdir_p(p, 0700) < 0)
			abort();
	}
	atexit(tear_down);
}

static void put(size_t which, const uint8_t *data, size_t len)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, names[which]);
	f = fopen(p, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		abort();
}

/* Split the bundle: "=== NAME\n" at the start of a line opens a file. */
static void unbundle(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size, *p = data;
	long cur = -1;
	const uint8_t *body = NULL;

	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		const uint8_t *eol = nl ? nl : end;

		if (eol - p > 4 && !memcmp(p, "=== ", 4)) {
			if (cur >= 0)
				put((size_t)cur, body, (size_t)(p - body));
			cur = -1;
			for (size_t i = 0; i < NNAMES; i++)
				if ((size_t)(eol - p - 4) == strlen(names[i]) &&
				    !memcmp(p + 4, names[i], strlen(names[i])))
					cur = (long)i;
			body = nl ? nl + 1 : end;
		}
		p = nl ? nl + 1 : end;
	}
	if (cur >= 0)
		put((size_t)cur, body, (size_t)(end - body));
}

static void read_back(unsigned flags)
{
	struct result_set rs = RESULTSET_INIT;

	if (resultset_load(&rs, root, flags) == 0) {
		for (size_t i = 0; i < rs.n; i++) {
			const struct rs_run *r = &rs.runs[i];

			run_is_complete(r);
			run_metric(r, "boot_time");
			run_unmeasured(r, "ksm_merge_time");
			run_series(r, "host", "ksm_pages_sharing");
			for (size_t h = 0; h < HOST_NFIELDS; h++)
				free(run_host_field(r, host_field_names[h]));
			for (size_t g = 0; g < r->nguests; g++) {
				workload_ok(&r->guests[g].w);
				workload_hist(&r->guests[g].w, "latency");
			}
		}
	}
	ocb_err_clear();
	resultset_release(&rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!root[0])
		set_up();
	remove_files();
	unbundle(data, size);
	read_back(RESULTSET_SERIES);
	read_back(0);
	return 0;
}
