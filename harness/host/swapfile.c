/* swapfile.c — see swapfile.h. */
#include "host/swapfile.h"
#include "host/sysfs.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOOL_TIMEOUT_NS (120ull * 1000000000ull)

int swapfile_active(const char *root, const char *path)
{
	struct strbuf sw = STRBUF_INIT, p = STRBUF_INIT;
	int found = 0;

	sysfs_path(root, "/proc/swaps", &p);
	if (read_file(p.buf, &sw) < 0) {
		strbuf_release(&p);
		strbuf_release(&sw);
		return -1;
	}
	/* "Filename Type Size Used Priority", the name first on each line */
	for (char *line = sw.buf, *next; line && *line && !found; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		found = !strncmp(line, path, strlen(path)) &&
			(line[strlen(path)] == ' ' || line[strlen(path)] == '\t');
	}
	strbuf_release(&p);
	strbuf_release(&sw);
	return found;
}

/* mkswap|swapon|swapoff PATH, or $OCBENCH_SWAP_TOOL VERB PATH. */
static int swap_tool(const char *root, const char *verb, const char *path)
{
	const char *tool = getenv("OCBENCH_SWAP_TOOL");
	struct strvec argv = STRVEC_INIT;
	int rc;

	if (!tool || !*tool) {
		if (root && strcmp(root, "/"))
			return ocb_fail("refusing to run the real %s for the fake root %s (set "
					"OCBENCH_SWAP_TOOL)", verb, root);
	} else {
		strvec_push(&argv, tool);
	}
	strvec_push(&argv, verb);
	strvec_push(&argv, path);
	rc = run_checked((const char *const *)argv.v, TOOL_TIMEOUT_NS);
	strvec_clear(&argv);
	return rc;
}

static int name_ok(const char *path)
{
	const char *base = strrchr(path, '/');

	return path[0] == '/' && base && !strcmp(base + 1, SWAPFILE_NAME);
}

int swapfile_create(const char *root, const char *path, uint64_t bytes)
{
	int fd, e;

	if (!name_ok(path))
		return ocb_fail("swap file %s: not an absolute path named %s", path, SWAPFILE_NAME);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return ocb_fail_errno("cannot create swap file %s", path);
	/* swapon wants every block allocated: no holes */
	e = posix_fallocate(fd, 0, (off_t)bytes);
	if (e) {
		close(fd);
		errno = e;
		return ocb_fail_errno("cannot allocate %llu MiB for swap file %s",
				      (unsigned long long)(bytes >> 20), path);
	}
	if (fsync(fd) < 0 || close(fd) < 0)
		return ocb_fail_errno("cannot write swap file %s", path);
	if (swap_tool(root, "mkswap", path) < 0 || swap_tool(root, "swapon", path) < 0)
		return -1;
	if (swapfile_active(root, path) != 1)
		return ocb_fail("swapon %s succeeded but /proc/swaps does not list it", path);
	return 0;
}

int swapfile_remove(const char *root, const char *path)
{
	int a;

	if (!name_ok(path))
		return ocb_fail("journal record for swap file %s: not a file ocbench made (%s), "
				"left alone", path, SWAPFILE_NAME);
	a = swapfile_active(root, path);
	if (a < 0)
		return ocb_err_prefix("swap file %s: reading /proc/swaps: ", path);
	if (a && swap_tool(root, "swapoff", path) < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT)
		return ocb_fail_errno("cannot remove swap file %s", path);
	return 0;
}
