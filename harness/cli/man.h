/* man.h — the man pages, generated from the tables that drive the
 * program (`ocbench __man`): ocbench(1) from the command table,
 * ocbench-COMMAND(1) from each command's cli_doc (and conform's check
 * registry), ocbench-scenario(5) from the scenario keys, the host knobs,
 * the timeline actions and the workloads (cli/man-scenario.c).  `make`
 * writes them into build/man/; nothing is written by hand, so a page
 * cannot drift from --help, --list-keys or --list.
 */
#ifndef OCB_CLI_MAN_H
#define OCB_CLI_MAN_H

#include "util/strbuf.h"

#include <stddef.h>

/* Page i (0..count-1) as "ocbench-run.1"; 0 past the end. */
int man_page_file(size_t i, struct strbuf *file);
/* The roff of page ("ocbench-run", or "ocbench-run.1"): -1 with a message
 * for a page there is not. */
int man_render(const char *page, struct strbuf *out);

/* ocbench __man PAGE | --list | --write DIR */
int cmd_man(int argc, char **argv);

#endif
