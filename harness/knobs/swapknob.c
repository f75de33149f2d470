/* swapknob.c — see swapknob.h. */
#include "knobs/swapknob.h"
#include "host/swapfile.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/units.h"

#include <limits.h>
#include <stdlib.h>

int swapknob_apply(struct journal *j, const char *root, uint64_t mib)
{
	struct strbuf path = STRBUF_INIT;
	char *dir = realpath(j->state_dir, NULL);
	int rc = -1;

	if (!dir)
		return ocb_fail_errno("swap: state directory %s", j->state_dir);
	strbuf_addf(&path, "%s/%s", dir, SWAPFILE_NAME);
	free(dir);
	if (path_exists(path.buf)) {
		ocb_fail("swap: %s exists already (one swap file a run; a killed run's is removed by "
			 "'ocbench restore')", path.buf);
		goto out;
	}
	/* journaled before the file exists: a crash from here on is undone */
	if (journal_append(j, SWAPKNOB_KIND, path.buf, "") < 0)
		goto out;
	rc = swapfile_create(root, path.buf, mib * MiB);
out:
	strbuf_release(&path);
	return rc;
}

int swapknob_undo(const char *root, const struct journal_entry *e)
{
	return swapfile_remove(root, e->path);
}
