/* units.c — see units.h.  Written by hand because the suffix grammar is
 * ours (it must match the scenario files and the workloads' options) and
 * is a dozen lines of strtod. */
#include "util/units.h"
#include "util/error.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct suffix {
	const char *name;
	double mult;
};

static const struct suffix size_suffixes[] = {
	{ "B", 1 }, { "K", 1024.0 }, { "KB", 1024.0 }, { "KiB", 1024.0 },
	{ "M", 1048576.0 }, { "MB", 1048576.0 }, { "MiB", 1048576.0 },
	{ "G", 1073741824.0 }, { "GB", 1073741824.0 }, { "GiB", 1073741824.0 },
	{ "T", 1099511627776.0 }, { "TB", 1099511627776.0 }, { "TiB", 1099511627776.0 },
};

static const struct suffix duration_suffixes[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	{ "m", 60e9 }, { "min", 60e9 }, { "h", 3600e9 },
};

/* Split "  1.5 GiB " into a number and a suffix; the number must be
 * there and nothing may follow the suffix. */
static int split_number(const char *s, const char *what, double *num, const char **suffix)
{
	char *end;

	if (!s)
		return ocb_fail("missing %s", what);
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-' || *s == '+')
		return ocb_fail("invalid %s '%s': expected a positive number with an optional unit", what, s);
	if (!isdigit((unsigned char)*s) && *s != '.')
		return ocb_fail("invalid %s '%s': expected a number with an optional unit", what, s);
	errno = 0;
	*num = strtod(s, &end);
	if (errno || end == s || !isfinite(*num))
		return ocb_fail("invalid %s '%s': not a number", what, s);
	while (isspace((unsigned char)*end))
		end++;
	*suffix = end;
	return 0;
}

static int lookup_suffix(const struct suffix *tab, size_t n, const char *suffix,
			 size_t *len_out, double *mult)
{
	size_t len = strlen(suffix);

	while (len && isspace((unsigned char)suffix[len - 1]))
		len--;
	*len_out = len;
	for (size_t i = 0; i < n; i++) {
		if (strlen(tab[i].name) == len && strncasecmp(tab[i].name, suffix, len) == 0) {
			/* "m" is minutes, "M" is mebibytes: durations are
			 * case-sensitive for m/ms so 5M is not five minutes. */
			if (tab == duration_suffixes && strncmp(tab[i].name, suffix, len) != 0)
				continue;
			*mult = tab[i].mult;
			return 0;
		}
	}
	return -1;
}

int parse_size(const char *s, uint64_t default_unit, uint64_t *bytes)
{
	const char *suffix;
	double num, mult = (double)default_unit, v;
	size_t len;

	if (split_number(s, "size", &num, &suffix) < 0)
		return -1;
	if (*suffix && lookup_suffix(size_suffixes, sizeof(size_suffixes) / sizeof(size_suffixes[0]),
				     suffix, &len, &mult) < 0)
		return ocb_fail("invalid size '%s': unknown unit '%s' (expected B, K, M, G or T, optionally with iB)",
				s, suffix);
	v = num * mult;
	if (v < 1)
		return ocb_fail("invalid size '%s': must be at least 1 byte", s);
	if (v >= 18446744073709551616.0)
		return ocb_fail("invalid size '%s': too large", s);
	if (v != floor(v))
		return ocb_fail("invalid size '%s': not a whole number of bytes", s);
	*bytes = (uint64_t)v;
	return 0;
}

int parse_duration_ns(const char *s, int allow_zero, uint64_t *ns)
{
	const char *suffix;
	double num, mult = 1e9, v;
	size_t len;

	if (split_number(s, "duration", &num, &suffix) < 0)
		return -1;
	if (*suffix && lookup_suffix(duration_suffixes,
				     sizeof(duration_suffixes) / sizeof(duration_suffixes[0]),
				     suffix, &len, &mult) < 0)
		return ocb_fail("invalid duration '%s': unknown unit '%s' (expected ns, us, ms, s, m or h)",
				s, suffix);
	v = num * mult;
	if (v == 0 && !allow_zero)
		return ocb_fail("invalid duration '%s': must be greater than zero", s);
	if (v >= 1.8e19)
		return ocb_fail("invalid duration '%s': too large", s);
	*ns = (uint64_t)llround(v);
	return 0;
}

int parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s)
		return ocb_fail("missing number (expected %llu..%llu)",
				(unsigned long long)min, (unsigned long long)max);
	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return ocb_fail("invalid number '%s': expected an integer in %llu..%llu", s,
				(unsigned long long)min, (unsigned long long)max);
	errno = 0;
	v = strtoull(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (errno || *end)
		return ocb_fail("invalid number '%s': expected an integer in %llu..%llu", s,
				(unsigned long long)min, (unsigned long long)max);
	if (v < min || v > max)
		return ocb_fail("number %llu out of range: expected %llu..%llu", v,
				(unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}
