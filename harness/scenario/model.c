/* model.c — what the model answers once built: guests by name or glob,
 * [host] values, the names of its enums, and whether the hooks know a host
 * key.  Building and freeing it are build.c's.
 */
#include "scenario/model.h"
#include "scenario/scenario-internal.h"
#include "scenario/words.h"
#include "util/error.h"

#include <fnmatch.h>
#include <string.h>

/* In enum order: `balloon =` and `backing =` parse into their index. */
const char *const sc_balloon_names[] = { "virtio", "none", NULL };
const char *const sc_backing_names[] = { "anonymous", "hugetlb-2M", "hugetlb-1G", "file", NULL };

size_t scenario_match_guests(const struct scenario *s, const char *glob,
			     const struct scenario_guest **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n_guests; i++) {
		if (fnmatch(glob, s->guests[i].name, 0) != 0)
			continue;
		if (out && n < max)
			out[n] = &s->guests[i];
		n++;
	}
	return n;
}

const struct scenario_guest *scenario_find_guest(const struct scenario *s, const char *name)
{
	for (size_t i = 0; i < s->n_guests; i++)
		if (strcmp(s->guests[i].name, name) == 0)
			return &s->guests[i];
	return NULL;
}

const char *scenario_host_value(const struct scenario *s, const char *key)
{
	for (size_t i = 0; i < s->n_host; i++)
		if (strcmp(s->host[i].key, key) == 0)
			return s->host[i].value;
	return NULL;
}

const char *scenario_balloon_name(enum scenario_balloon b)
{
	return (unsigned)b < 2 ? sc_balloon_names[b] : "?";
}

const char *scenario_backing_name(enum scenario_backing b)
{
	return (unsigned)b < 4 ? sc_backing_names[b] : "?";
}

int sc_validate_host(const struct scenario_hooks *hooks, const char *key, const char *value)
{
	const char *const *names = hooks && hooks->host_keys ? hooks->host_keys() : NULL;
	int known = 0;

	if (!*key)
		return ocb_fail("empty host key");
	for (size_t i = 0; names && names[i]; i++)
		if (strcmp(names[i], key) == 0)
			known = 1;
	if (!hooks || !hooks->validate_host)
		return names && !known ? sc_fail_unknown("host key", key, names) : 0;
	if (hooks->validate_host(key, value) == 0)
		return 0;
	/* The validator may accept patterns (hugetlb.2M.node0) that are not in
	 * the list; only a key it rejects and the list lacks is "unknown". */
	if (names && !known)
		return sc_fail_unknown("host key", key, names);
	return -1;
}
