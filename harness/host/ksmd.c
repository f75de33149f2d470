/* ksmd.c — see ksmd.h. */
#include "host/ksmd.h"
#include "host/sysfs.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* /proc/PID/stat: "PID (COMM) STATE PPID ..." with COMM possibly holding
 * spaces or ')': fields are counted from the last ')'.  Field 4 is the
 * parent, 14 and 15 utime and stime in clock ticks. */
static int stat_fields(const char *root, pid_t pid, char *comm, size_t clen, long *ppid,
		       unsigned long long *ticks)
{
	struct strbuf rel = STRBUF_INIT, t = STRBUF_INIT;
	unsigned long long ut, st;
	char *open, *close;
	int rc = -1;

	strbuf_addf(&rel, "/proc/%ld/stat", (long)pid);
	if (sysfs_read(root, rel.buf, &t) < 0)
		goto out;
	open = strchr(t.buf, '(');
	close = strrchr(t.buf, ')');
	if (!open || !close || close < open)
		goto bad;
	snprintf(comm, clen, "%.*s", (int)(close - open - 1), open + 1);
	/* after ") ": state(3) ppid(4) pgrp session tty tpgid flags minflt
	 * cminflt majflt cmajflt utime(14) stime(15) */
	if (sscanf(close + 1, " %*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", ppid, &ut,
		   &st) != 3)
		goto bad;
	*ticks = ut + st;
	rc = 0;
	goto out;
bad:
	ocb_fail("%s: unexpected format", rel.buf);
out:
	strbuf_release(&rel);
	strbuf_release(&t);
	return rc;
}

pid_t ksmd_pid(const char *root)
{
	struct strbuf p = STRBUF_INIT;
	struct dirent *d;
	pid_t found = -1;
	DIR *dir;

	sysfs_path(root, "/proc", &p);
	dir = opendir(p.buf);
	strbuf_release(&p);
	if (!dir)
		return -1;
	while (found < 0 && (d = readdir(dir))) {
		char comm[64], *end;
		long pid = strtol(d->d_name, &end, 10), ppid;
		unsigned long long ticks;

		if (*end || pid <= 0)
			continue;
		if (stat_fields(root, (pid_t)pid, comm, sizeof(comm), &ppid, &ticks) == 0 &&
		    ppid == 2 && !strcmp(comm, "ksmd"))
			found = (pid_t)pid;
	}
	closedir(dir);
	ocb_err_clear();
	return found;
}

int proc_cpu_seconds(const char *root, pid_t pid, double *seconds)
{
	char comm[64];
	long ppid;
	unsigned long long ticks;
	long hz = sysconf(_SC_CLK_TCK);

	if (stat_fields(root, pid, comm, sizeof(comm), &ppid, &ticks) < 0)
		return -1;
	*seconds = (double)ticks / (double)(hz > 0 ? hz : 100);
	return 0;
}
