/* qualify.h — the cross-host qualification matrix: several `ocbench
 * conform --json` documents (each carries the fingerprint of the host it
 * ran on), one column per document named by that host's fingerprint, one
 * row per check id (every id any document has), the verdicts coloured,
 * and the host settings that differ between the columns listed.
 * Written as OUT/qualification.html (self-contained) and
 * OUT/qualification.md by `ocbench report A.json B.json ...`.
 */
#ifndef OCB_REPORTS_QUALIFY_H
#define OCB_REPORTS_QUALIFY_H

#include <stddef.h>

struct qualify_info {
	size_t hosts, checks, differing;	/* columns, rows, differing settings */
};

/* 1 when path is a conform --json document (a file whose "schema" is
 * CONFORM_SCHEMA), else 0. */
int qualify_is_conform_json(const char *path);
/* The matrix of the documents at paths into outdir: 0, or -1 with a
 * message naming the file that could not be read or written. */
int qualify_write(const char *const *paths, size_t n, const char *outdir, struct qualify_info *info);

#endif
