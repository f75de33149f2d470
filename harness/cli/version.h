/* version.h — `ocbench --version`: the version of this build, the schemas
 * of everything it writes, and what it was built with.
 *
 * The version is set at build time (the Makefile's OCB_VERSION: `git
 * describe` of the tree, the package's version when built by `make deb`,
 * OCB_VERSION_FALLBACK outside both).
 */
#ifndef OCB_CLI_VERSION_H
#define OCB_CLI_VERSION_H

#include <stdio.h>

#define OCB_VERSION_FALLBACK "0.1"

struct ocb_schema {
	const char *document;	/* "run.json" */
	const char *id;		/* "ocbench.run/1": the document's "schema" field */
	const char *file;	/* its JSON Schema under share/ocbench/schemas, or NULL */
};

const char *ocb_version(void);
/* Every document ocbench writes, ending with a NULL document. */
const struct ocb_schema *ocb_schemas(void);
/* The whole --version text. */
void ocb_print_version(FILE *f);

#endif
