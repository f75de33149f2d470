/* cgroup.c — see cgroup.h. */
#include "host/cgroup.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "host/sysfs.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RMDIR_RETRY_NS (20 * 1000000ull)

struct cgroup {
	char dir[4096];
	char procs[4200];
	int version;
	uint64_t limit;
};

/* 1 when word is one of the comma- or blank-separated words of list. */
static int has_word(const char *list, const char *word, const char *seps)
{
	size_t n = strlen(word);

	for (const char *p = list; *p; ) {
		size_t len = strcspn(p, seps);

		if (len == n && !strncmp(p, word, n))
			return 1;
		p += len;
		p += strspn(p, seps);
	}
	return 0;
}

/* Does a cgroup2 mount offer the memory controller? */
static int v2_has_memory(const char *mount)
{
	struct strbuf path = STRBUF_INIT, c = STRBUF_INIT;
	int ok;

	strbuf_addf(&path, "%s/cgroup.controllers", mount);
	ok = read_file_trim(path.buf, &c) == 0 && has_word(c.buf, "memory", " ");
	strbuf_release(&path);
	strbuf_release(&c);
	ocb_err_clear();
	return ok;
}

/* Walk the mount table: a cgroup2 mount with memory wins, else a v1
 * hierarchy with the memory option. */
int cgroup_memory_find(const char *root, char *mount, size_t len, int *version)
{
	struct strbuf path = STRBUF_INIT, mounts = STRBUF_INIT, v1 = STRBUF_INIT;
	char *save = NULL;
	int found = 0;

	sysfs_path(root, "/proc/self/mounts", &path);
	if (read_file(path.buf, &mounts) < 0) {
		strbuf_release(&path);
		return ocb_err_prefix("cannot look for the memory cgroup controller: ");
	}
	for (char *line = mounts.buf ? strtok_r(mounts.buf, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char dev[256], dir[2048], type[64], opts[1024];
		struct strbuf full = STRBUF_INIT;

		if (sscanf(line, "%255s %2047s %63s %1023s", dev, dir, type, opts) != 4)
			continue;
		sysfs_path(root, dir, &full);
		if (!strcmp(type, "cgroup2") && v2_has_memory(full.buf)) {
			snprintf(mount, len, "%s", full.buf);
			*version = 2;
			found = 1;
		} else if (!strcmp(type, "cgroup") && has_word(opts, "memory", ",") && !v1.len) {
			strbuf_adds(&v1, full.buf);
		}
		strbuf_release(&full);
	}
	if (!found && v1.len) {
		snprintf(mount, len, "%s", v1.buf);
		*version = 1;
		found = 1;
	}
	strbuf_release(&path);
	strbuf_release(&mounts);
	strbuf_release(&v1);
	if (!found)
		return ocb_fail("host_memory_limit needs the memory cgroup controller, and this host has "
				"none: no cgroup2 mount lists 'memory' in cgroup.controllers and no cgroup v1 "
				"hierarchy is mounted with the memory option (see /proc/self/mounts)");
	return 0;
}

/* ocbench's own group in the hierarchy of that version ("/" if unknown). */
static void own_group(const char *root, int version, struct strbuf *out)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	char *save = NULL;

	sysfs_path(root, "/proc/self/cgroup", &path);
	if (read_file(path.buf, &text) == 0) {
		for (char *line = text.buf ? strtok_r(text.buf, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

			if (!c2)
				continue;
			*c2 = '\0';
			if (version == 2 ? (!strcmp(line, "0") && c1[1] == '\0')
					 : has_word(c1 + 1, "memory", ",")) {
				strbuf_adds(out, c2 + 1);
				break;
			}
		}
	}
	ocb_err_clear();
	if (!out->len)
		strbuf_adds(out, "/");
	strbuf_release(&path);
	strbuf_release(&text);
}

/* Where ocbench-<pid> goes: under our own group when the controller can
 * be used there, else under the hierarchy's root. */
static void choose_parent(const char *root, const char *mount, int version, struct strbuf *out)
{
	struct strbuf own = STRBUF_INIT, dir = STRBUF_INIT, ctl = STRBUF_INIT;
	struct stat st;

	own_group(root, version, &own);
	strbuf_addf(&dir, "%s%s", mount, strcmp(own.buf, "/") ? own.buf : "");
	if (stat(dir.buf, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (version == 1) {
			strbuf_adds(out, dir.buf);
		} else {
			/* v2: children get memory only if the parent hands it down,
			 * which a group holding processes (ours) cannot do. */
			struct strbuf p = STRBUF_INIT;

			strbuf_addf(&p, "%s/cgroup.subtree_control", dir.buf);
			if (read_file_trim(p.buf, &ctl) == 0 && has_word(ctl.buf, "memory", " "))
				strbuf_adds(out, dir.buf);
			strbuf_release(&p);
			ocb_err_clear();
		}
	}
	if (!out->len)
		strbuf_adds(out, mount);
	strbuf_release(&own);
	strbuf_release(&dir);
	strbuf_release(&ctl);
}

/* cgroupfs files take one write of the value; the kernel's errno is
 * the message (EINVAL: a limit below what is charged, and so on). */
static int write_value(const char *dir, const char *file, const char *value)
{
	struct strbuf p = STRBUF_INIT;
	int fd, rc = 0;

	strbuf_addf(&p, "%s/%s", dir, file);
	fd = open(p.buf, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		rc = ocb_fail_errno("writing %s to %s", value, p.buf);
	if (fd >= 0)
		close(fd);
	strbuf_release(&p);
	return rc;
}

struct cgroup *cgroup_create(const char *root, uint64_t limit_bytes)
{
	struct strbuf parent = STRBUF_INIT;
	struct cgroup *cg;
	char mount[4096], value[32];
	int version;

	if (cgroup_memory_find(root, mount, sizeof(mount), &version) < 0)
		return NULL;
	if (geteuid() != 0) {
		ocb_fail("host_memory_limit needs root: creating a memory cgroup under %s (cgroup v%d) "
			 "is not allowed for uid %ld", mount, version, (long)geteuid());
		return NULL;
	}
	cg = calloc(1, sizeof(*cg));
	if (!cg) {
		ocb_fail("out of memory");
		return NULL;
	}
	cg->version = version;
	cg->limit = limit_bytes;
	choose_parent(root, mount, version, &parent);
	snprintf(cg->dir, sizeof(cg->dir), "%s/ocbench-%ld", parent.buf, (long)getpid());
	snprintf(cg->procs, sizeof(cg->procs), "%s/cgroup.procs", cg->dir);
	strbuf_release(&parent);
	if (mkdir(cg->dir, 0755) < 0 && errno != EEXIST) {
		ocb_fail_errno("cannot create the memory cgroup %s (cgroup v%d)", cg->dir, version);
		free(cg);
		return NULL;
	}
	snprintf(value, sizeof(value), "%llu", (unsigned long long)limit_bytes);
	if (write_value(cg->dir, version == 2 ? "memory.max" : "memory.limit_in_bytes", value) < 0) {
		ocb_err_prefix("cannot set host_memory_limit = %llu bytes: ",
			       (unsigned long long)limit_bytes);
		rmdir(cg->dir);
		free(cg);
		return NULL;
	}
	return cg;
}

const char *cgroup_dir(const struct cgroup *cg)
{
	return cg->dir;
}

const char *cgroup_procs_path(const struct cgroup *cg)
{
	return cg->procs;
}

int cgroup_version(const struct cgroup *cg)
{
	return cg->version;
}

/* A number file of the group; "max" (v2) is UINT64_MAX. */
static int read_num(const char *dir, const char *file, uint64_t *v)
{
	struct strbuf p = STRBUF_INIT, t = STRBUF_INIT;
	int rc = -1;

	strbuf_addf(&p, "%s/%s", dir, file);
	if (read_file_trim(p.buf, &t) == 0) {
		char *end;

		rc = 0;
		if (!strcmp(t.buf, "max"))
			*v = UINT64_MAX;
		else if ((*v = strtoull(t.buf, &end, 10)), end == t.buf)
			rc = ocb_fail("%s: expected a number, read '%s'", p.buf, t.buf);
	}
	strbuf_release(&p);
	strbuf_release(&t);
	return rc;
}

/* The value of KEY in a "key value" per line file; 0 when absent. */
static uint64_t keyed(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ' ')
			return strtoull(p + n + 1, NULL, 10);
	return 0;
}

static int read_keyed_file(const char *dir, const char *file, struct strbuf *out)
{
	struct strbuf p = STRBUF_INIT;
	int rc;

	strbuf_addf(&p, "%s/%s", dir, file);
	rc = read_file(p.buf, out);
	strbuf_release(&p);
	return rc;
}

static int stats_v2(const char *dir, struct cgroup_stats *st)
{
	struct strbuf ev = STRBUF_INIT;

	st->version = 2;
	if (read_num(dir, "memory.current", &st->current) < 0 ||
	    read_num(dir, "memory.max", &st->limit) < 0 ||
	    read_keyed_file(dir, "memory.events", &ev) < 0) {
		strbuf_release(&ev);
		return -1;
	}
	st->max_events = keyed(ev.buf, "max");
	st->oom_events = keyed(ev.buf, "oom");
	st->oom_kill = keyed(ev.buf, "oom_kill");
	strbuf_release(&ev);
	if (read_num(dir, "memory.peak", &st->peak) < 0) {
		st->peak = 0;	/* before Linux 5.19: the sampler's peak stands */
		ocb_err_clear();
	}
	return 0;
}

static int stats_v1(const char *dir, struct cgroup_stats *st)
{
	struct strbuf oc = STRBUF_INIT;

	st->version = 1;
	if (read_num(dir, "memory.usage_in_bytes", &st->current) < 0 ||
	    read_num(dir, "memory.limit_in_bytes", &st->limit) < 0 ||
	    read_num(dir, "memory.max_usage_in_bytes", &st->peak) < 0 ||
	    read_num(dir, "memory.failcnt", &st->max_events) < 0 ||
	    read_keyed_file(dir, "memory.oom_control", &oc) < 0) {
		strbuf_release(&oc);
		return -1;
	}
	/* v1 reports "no limit" as the largest page-aligned long */
	if (st->limit >= (UINT64_C(1) << 62))
		st->limit = UINT64_MAX;
	st->oom_kill = keyed(oc.buf, "oom_kill");
	st->oom_events = st->oom_kill;
	strbuf_release(&oc);
	return 0;
}

int cgroup_read_stats(const char *dir, struct cgroup_stats *st)
{
	struct strbuf p = STRBUF_INIT;
	int v2;

	memset(st, 0, sizeof(*st));
	strbuf_addf(&p, "%s/memory.current", dir);
	v2 = path_exists(p.buf);
	strbuf_release(&p);
	if ((v2 ? stats_v2(dir, st) : stats_v1(dir, st)) < 0)
		return ocb_err_prefix("memory cgroup %s: ", dir);
	return 0;
}

/* PIDs in the group, space-separated, into out; how many. */
static int list_procs(const struct cgroup *cg, struct strbuf *out)
{
	struct strbuf t = STRBUF_INIT;
	int n = 0;
	char *save = NULL;

	if (read_file(cg->procs, &t) < 0) {
		strbuf_release(&t);
		return -1;
	}
	for (char *l = t.buf ? strtok_r(t.buf, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		if (out)
			strbuf_addf(out, "%s%s", n ? " " : "", l);
		n++;
	}
	strbuf_release(&t);
	return n;
}

int cgroup_nprocs(const struct cgroup *cg)
{
	return list_procs(cg, NULL);
}

json_t *cgroup_describe(const struct cgroup *cg)
{
	struct cgroup_stats st;
	json_t *o = json_pack("{s:s, s:i, s:f}", "path", cg->dir, "version", cg->version, "limit_mib",
			      (double)cg->limit / 1048576.0);

	if (cgroup_read_stats(cg->dir, &st) == 0) {
		if (st.peak)
			json_object_set_new(o, "peak_mib", json_real((double)st.peak / 1048576.0));
		json_object_set_new(o, "max_events", json_integer((json_int_t)st.max_events));
		json_object_set_new(o, "oom_events", json_integer((json_int_t)st.oom_events));
		json_object_set_new(o, "oom_kill", json_integer((json_int_t)st.oom_kill));
	} else {
		json_object_set_new(o, "error", json_string(ocb_errmsg()));
	}
	return o;
}

int cgroup_destroy(struct cgroup *cg, uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	int rc = 0;

	if (!cg)
		return 0;
	/* Processes that were killed leave the group only once they are
	 * gone, and rmdir says EBUSY until then: retry briefly. */
	for (;;) {
		if (rmdir(cg->dir) == 0 || errno == ENOENT)
			break;
		if ((errno != EBUSY && errno != EINTR) || mono_ns() >= deadline) {
			struct strbuf pids = STRBUF_INIT;
			int err = errno;

			if (list_procs(cg, &pids) > 0)
				rc = ocb_fail("cannot remove the memory cgroup %s: processes %s are still "
					      "in it", cg->dir, pids.buf);
			else {
				errno = err;
				rc = ocb_fail_errno("cannot remove the memory cgroup %s", cg->dir);
			}
			strbuf_release(&pids);
			break;
		}
		sleep_ns(RMDIR_RETRY_NS, NULL);
	}
	free(cg);
	return rc;
}

int cgroup_remove_stale(const char *root)
{
	struct strbuf parent = STRBUF_INIT, dir = STRBUF_INIT;
	char mount[4096];
	struct dirent *e;
	int version, removed = 0;
	DIR *d;

	if (cgroup_memory_find(root, mount, sizeof(mount), &version) < 0)
		return 0;	/* no memory controller: ocbench never made a group */
	choose_parent(root, mount, version, &parent);
	d = opendir(parent.buf);
	while (d && (e = readdir(d))) {
		char *end;
		long pid;

		if (strncmp(e->d_name, "ocbench-", 8))
			continue;
		pid = strtol(e->d_name + 8, &end, 10);
		if (*end || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;	/* not ours, or its ocbench still runs */
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%s/%s", parent.buf, e->d_name);
		/* rmdir refuses a group that still holds a process: never forced */
		if (rmdir(dir.buf) == 0)
			removed++;
		else
			fprintf(stderr, "ocbench: cannot remove the stale memory cgroup %s: %s\n", dir.buf,
				strerror(errno));
	}
	if (d)
		closedir(d);
	strbuf_release(&parent);
	strbuf_release(&dir);
	return removed;
}
