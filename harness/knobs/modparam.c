/* modparam.c — see modparam.h. */
#include "knobs/modparam.h"
#include "host/kvmparam.h"
#include "host/sysfs.h"
#include "knobs/journal.h"
#include "util/error.h"
#include "util/strbuf.h"

#include <string.h>

int knob_apply_modparam(struct knob_set *ks, const char *key, const char *rel,
			const char *want, const char *raw, const char *prev)
{
	struct strbuf now = STRBUF_INIT;
	int rc = -1;

	if (!ks->allow_module_reload)
		return ocb_fail("host knob '%s': changing %s from %s to %s reloads %s; pass "
				"--allow-module-reload (and stop every VM)", key, key, prev, want,
				kvmparam_module(key));
	if (journal_append(ks->j, "modparam", rel, raw) < 0)
		return -1;
	if (kvmparam_reload(ks->root, key, want) < 0)
		goto out;
	if (sysfs_read(ks->root, rel, &now) < 0)
		goto out;
	if (strcmp(now.buf, want)) {
		ocb_fail("host knob '%s': reloaded with %s=%s but it reads %s", key, key, want,
			 now.buf);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&now);
	return rc;
}
