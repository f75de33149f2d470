/* profile.c — see profile.h. */
#include "profile.h"
#include "util/error.h"
#include "util/units.h"

#include <stdlib.h>
#include <string.h>

static const char *const names[] = { "ramp", "hold", "release" };

const char *profile_step_name(enum step_kind k)
{
	return names[k];
}

static int parse_target(const char *s, uint64_t size, uint64_t *out)
{
	size_t len = strlen(s);

	if (len && s[len - 1] == '%') {
		char num[32];
		uint64_t pct;

		if (len >= sizeof(num))
			return ocb_fail("invalid target '%s': expected a size or a percentage", s);
		memcpy(num, s, len - 1);
		num[len - 1] = '\0';
		if (parse_u64_range(num, 0, 100, &pct) < 0)
			return ocb_fail("invalid target '%s': expected a percentage 0..100%% of SIZE", s);
		*out = size / 100 * pct;
		return 0;
	}
	if (parse_size(s, 1, out) < 0)
		return -1;
	if (*out > size)
		return ocb_fail("target '%s' is larger than SIZE (%llu bytes): expected at most SIZE", s,
				(unsigned long long)size);
	return 0;
}

/* One "STEP:DUR[:TARGET]" (modified in place). */
static int parse_step(char *s, uint64_t size, struct profile_step *st)
{
	char *dur = strchr(s, ':'), *tgt;
	int k;

	if (!dur)
		return ocb_fail("step '%s' has no duration: expected STEP:DUR[:TARGET]", s);
	*dur++ = '\0';
	for (k = 0; k < 3 && strcmp(s, names[k]); k++)
		;
	if (k == 3)
		return ocb_fail("unknown step '%s': expected ramp, hold or release", s);
	st->kind = (enum step_kind)k;
	tgt = strchr(dur, ':');
	if (tgt)
		*tgt++ = '\0';
	if (parse_duration_ns(dur, 1, &st->dur_ns) < 0)
		return -1;
	st->has_target = tgt != NULL;
	st->target = st->kind == STEP_RAMP ? size : 0;
	if (tgt && st->kind == STEP_HOLD)
		return ocb_fail("hold takes no target ('%s'): expected hold:DUR", tgt);
	return tgt ? parse_target(tgt, size, &st->target) : 0;
}

int profile_parse(const char *text, uint64_t size, struct profile *p)
{
	char buf[1024], *save = NULL, *tok;

	if (strlen(text) >= sizeof(buf))
		return ocb_fail("profile is too long: expected under %zu characters", sizeof(buf));
	memcpy(buf, text, strlen(text) + 1);
	p->n = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (p->n == PROFILE_MAX_STEPS)
			return ocb_fail("profile has more than %d steps", PROFILE_MAX_STEPS);
		if (parse_step(tok, size, &p->step[p->n]) < 0)
			return ocb_err_prefix("profile step %d: ", p->n + 1);
		p->n++;
	}
	if (!p->n)
		return ocb_fail("empty profile: expected steps like ramp:5s,hold:10s,release:5s");
	return 0;
}
