/* qemu-probe.c — see qemu-probe.h. */
#include "vm/qemu-probe.h"
#include "util/error.h"
#include "util/runcmd.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

#define PROBE_TIMEOUT_NS (30ull * 1000000000ull)

/* line starts with the words of what (after leading blanks) */
static int listed(const char *text, const char *what)
{
	size_t n = strlen(what);

	for (const char *l = text; l; l = strchr(l, '\n')) {
		l += strspn(l, " \t\n");
		if (!strncmp(l, what, n))
			return 1;
	}
	return 0;
}

int qemu_probe_device(const char *qemu, const char *dev, const char *prop, char *why, size_t len)
{
	struct strbuf out = STRBUF_INIT, arg = STRBUF_INIT, want = STRBUF_INIT;
	int rc;

	/* -device help: 'name "virtio-mem-pci", bus PCI'; -device D,help:
	 * '  free-page-reporting=<bool> - on/off (default: false)' */
	strbuf_addf(&arg, "%s%s", prop ? dev : "help", prop ? ",help" : "");
	if (prop)
		strbuf_addf(&want, "%s=", prop);
	else
		strbuf_addf(&want, "name \"%s\"", dev);
	{
		const char *argv[] = { qemu, "-nodefaults", "-machine", "none", "-device", arg.buf, NULL };

		rc = run_capture(argv, &out, PROBE_TIMEOUT_NS);
	}
	if (rc > 0 && prop && strstr(strbuf_str(&out), "not found")) {
		/* "-device D,help: Device 'D' not found" */
		snprintf(why, len, "needs the %s device: %s does not have it", dev, qemu);
		rc = 0;
	} else if (rc != 0) {
		snprintf(why, len, "cannot ask %s for %s: '%s -device %s' %s%s%.200s", qemu,
			 prop ? prop : dev, qemu, arg.buf, rc < 0 ? ocb_errmsg() : "failed",
			 rc < 0 ? "" : ": ", rc < 0 ? "" : strbuf_str(&out));
		rc = -1;
	} else if (listed(strbuf_str(&out), want.buf)) {
		rc = 1;
	} else {
		if (prop)
			snprintf(why, len, "needs %s's %s property: %s does not have it ('-device %s' does "
				 "not list it)", dev, prop, qemu, arg.buf);
		else
			snprintf(why, len, "needs the %s device: %s does not have it ('-device help' does not "
				 "list it)", dev, qemu);
		rc = 0;
	}
	strbuf_release(&out);
	strbuf_release(&arg);
	strbuf_release(&want);
	return rc;
}
