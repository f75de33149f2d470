/* workload-doc.c — see workload-doc.h. */
#include "guest/workload-doc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The units workloads/ reports in; a new one is added here with the
 * workload that needs it (reports and compare print them as they are). */
static const char *const units[] = {
	"ns", "us", "ms", "s", "B", "KiB", "MiB", "GiB", "MiB/s", "GiB/s", "pages", "%", "count",
	"events", NULL,
};

int workload_unit_known(const char *unit)
{
	for (size_t i = 0; units[i]; i++)
		if (!strcmp(units[i], unit))
			return 1;
	return 0;
}

static int name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64)
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static int check_metric(const char *name, json_t *m, char *why, size_t len)
{
	json_t *v = json_object_get(m, "value");
	const char *unit = json_string_value(json_object_get(m, "unit"));
	const char *better = json_string_value(json_object_get(m, "better"));

	if (!name_ok(name)) {
		snprintf(why, len, "metric name '%.80s' is not 1-64 characters of [A-Za-z0-9_.-]", name);
		return -1;
	}
	if (!json_is_object(m) || !json_is_number(v) || !isfinite(json_number_value(v))) {
		snprintf(why, len, "metric '%s': \"value\" is not a finite number", name);
		return -1;
	}
	if (!unit || !workload_unit_known(unit)) {
		snprintf(why, len, "metric '%s': unit '%.40s' is not one ocbench knows", name,
			 unit ? unit : "(missing)");
		return -1;
	}
	if (!better || (strcmp(better, "higher") && strcmp(better, "lower"))) {
		snprintf(why, len, "metric '%s': \"better\" is '%.40s', expected higher or lower", name,
			 better ? better : "(missing)");
		return -1;
	}
	return 0;
}

int workload_doc_check(json_t *doc, char *why, size_t len)
{
	const char *schema = json_string_value(json_object_get(doc, "schema"));
	json_t *metrics = json_object_get(doc, "metrics"), *m;
	const char *name;

	if (!json_is_object(doc)) {
		snprintf(why, len, "the document is not a JSON object");
		return -1;
	}
	if (!schema || strcmp(schema, WORKLOAD_SCHEMA)) {
		snprintf(why, len, "schema is '%.60s', expected '%s'", schema ? schema : "(missing)",
			 WORKLOAD_SCHEMA);
		return -1;
	}
	if (!json_is_object(metrics)) {
		snprintf(why, len, "\"metrics\" is missing or not an object");
		return -1;
	}
	if (json_object_size(metrics) > WORKLOAD_DOC_MAX_METRICS) {
		snprintf(why, len, "%zu metrics, more than the %d a workload may report",
			 json_object_size(metrics), WORKLOAD_DOC_MAX_METRICS);
		return -1;
	}
	json_object_foreach(metrics, name, m)
		if (check_metric(name, m, why, len) < 0)
			return -1;
	return 0;
}
