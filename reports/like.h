/* like.h — like for like: what two runs must share to be compared.
 *
 * A change between baseline and candidate means something only when both
 * ran the same experiment on the same kind of host.  The fields compared,
 * by the names `--allow-host-change=FIELD,...` takes:
 *
 *   cpu.vendor, cpu.model_name, kernel, qemu_version
 *                 the stable host fingerprint (run.json "host"); a bare
 *                 --allow-host-change allows these four
 *   accel         the accelerator: kvm, tcg or native (run.json accel.name)
 *   backend       qemu, libvirt or native
 *   quick         a --quick run or a full one (absent: not quick)
 *   guest_image   per guest: kernel release, SHA-256 of kernel, initramfs
 *                 and disk image, kernel command line (run.json
 *                 "guest_image"; a run.json older than that field offers
 *                 only the image paths of "guests", which stand in for it)
 *   knobs         the host knobs the run applied, KEY = VALUE (run.json
 *                 "knobs"; the values found before are the host's state,
 *                 not the experiment's, and are left out)
 *
 * Every complete run of either side is held against the first complete
 * baseline run of its matrix cell (a matrix over host.* axes sets other
 * knobs in each cell by design).  Runs that did not complete are not:
 * they may have stopped before recording what they ran on, and their
 * failure is judged on its own (tally.h).
 */
#ifndef OCB_LIKE_H
#define OCB_LIKE_H

#include <jansson.h>

#include "reports/resultset.h"
#include "util/strbuf.h"

#define LIKE_NFIELDS 9

struct like_field {
	const char *name;
	int host;				/* allowed by a bare --allow-host-change */
	json_t *(*get)(const struct rs_run *r);	/* normalized value, new reference */
};

extern const struct like_field like_fields[LIKE_NFIELDS];

/* "cpu.vendor, cpu.model_name, ... or knobs" for messages. */
void like_field_list(struct strbuf *out);
/* Check a comma-separated list of field names: -1 naming the first
 * unknown one and the known ones. */
int like_check_names(const char *list);

struct like_opts {
	int allow_host;			/* bare --allow-host-change */
	const char *allow_fields;	/* comma list, may be NULL */
};

/* One line per differing field (its first difference) into refused, or
 * into allowed when the options allow it.  Returns how many were refused. */
size_t like_compare(const struct result_set *base, const struct result_set *cand,
		    const struct like_opts *o, struct strbuf *refused, struct strbuf *allowed);

#endif
