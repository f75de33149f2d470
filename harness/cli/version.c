/* version.c — see version.h. */
#include "cli/version.h"
#include "guest/guest-image.h"
#include "guest/workload-doc.h"
#include "host/hostinfo.h"
#include "reports/compare-emit.h"
#include "results/results.h"

#include <jansson.h>
#include <libcpuid/libcpuid.h>
#include <libvirt/libvirt.h>

#ifndef OCB_VERSION
#define OCB_VERSION OCB_VERSION_FALLBACK
#endif
#ifndef OCB_SANITIZE
#define OCB_SANITIZE ""
#endif

static const struct ocb_schema schemas[] = {
	{ "run.json", RESULTS_SCHEMA_RUN, "run.schema.json" },
	{ "index.json", RESULTS_SCHEMA_INDEX, NULL },
	{ "workload.json", WORKLOAD_SCHEMA, NULL },
	{ "host --json", HOSTINFO_SCHEMA, NULL },
	{ "conform --json", RESULTS_SCHEMA_CONFORM, NULL },
	{ "compare --format json", COMPARE_SCHEMA, NULL },
	{ NULL, NULL, NULL },
};

const char *ocb_version(void)
{
	return OCB_VERSION;
}

const struct ocb_schema *ocb_schemas(void)
{
	return schemas;
}

static void print_features(FILE *f)
{
	unsigned long lv = LIBVIR_VERSION_NUMBER;

	/* the libvirt backend and libvirt knobs are always built in */
	fprintf(f, "features: libvirt on (built with %lu.%lu.%lu), jansson %s, libcpuid %s, "
		   "sanitizers %s\n", lv / 1000000, lv / 1000 % 1000, lv % 1000, JANSSON_VERSION,
		cpuid_lib_version(), *OCB_SANITIZE ? OCB_SANITIZE : "off");
}

void ocb_print_version(FILE *f)
{
	fprintf(f, "ocbench %s\n", ocb_version());
	for (const struct ocb_schema *s = schemas; s->document; s++)
		fprintf(f, "schema: %-22s %s%s%s\n", s->document, s->id, s->file ? " " : "",
			s->file ? s->file : "");
	print_features(f);
	fprintf(f, "data: %s (default guest %s/guest, scenarios, schemas), workloads %s\n",
		guest_data_dir(), guest_data_dir(), guest_libexec_dir());
}
