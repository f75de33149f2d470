/* meminfo.c — see meminfo.h.  stdio only: the programs are static and
 * run in a bare initramfs. */
#include "meminfo.h"
#include "util/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int64_t meminfo_field(const char *path, const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	int64_t v = -1;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		long long kb;

		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		if (sscanf(line + klen + 1, "%lld", &kb) == 1)
			v = strstr(line, "kB") ? kb * 1024 : kb;
		break;
	}
	fclose(f);
	return v;
}

int meminfo_check_fits(uint64_t bytes)
{
	int64_t total = meminfo_field("/proc/meminfo", "MemTotal");
	int64_t swap = meminfo_field("/proc/meminfo", "SwapTotal");

	if (total < 0)
		return 0;	/* no /proc: let mmap decide */
	if (swap < 0)
		swap = 0;
	if (bytes > (uint64_t)total + (uint64_t)swap)
		return ocb_fail("size %" PRIu64 " MiB is larger than this machine's memory "
				"(MemTotal %" PRId64 " MiB + SwapTotal %" PRId64 " MiB): "
				"expected a size that can fit",
				bytes >> 20, total >> 20, swap >> 20);
	return 0;
}

void meminfo_prefer_oom_kill(void)
{
	FILE *f = fopen("/proc/self/oom_score_adj", "we");

	if (!f)
		return;
	fputs("1000\n", f);
	fclose(f);
}

int meminfo_read_line(const char *path, char *buf, int len)
{
	FILE *f = fopen(path, "re");
	char *nl;

	if (!f)
		return -1;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

int64_t meminfo_ksm_merging_pages(void)
{
	char buf[64];
	long long v;

	if (meminfo_read_line("/proc/self/ksm_merging_pages", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%lld", &v) != 1)
		return -1;
	return v;
}
