/* workload.c — see workload.h. */
#include "guest/workload.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "workloads/workloads.h"

#include <string.h>

#define NAME_OF(name, help) #name,
#define HELP_OF(name, help) help,

static const char *const names[] = { OCB_WORKLOADS(NAME_OF) NULL };
static const char *const helps[] = { OCB_WORKLOADS(HELP_OF) NULL };

const char *const *workload_names(void)
{
	return names;
}

const char *workload_help(const char *name)
{
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(name, names[i]))
			return helps[i];
	return NULL;
}

int workload_validate(const char *program)
{
	struct strbuf expected = STRBUF_INIT;
	const char *s;

	if (workload_help(program) || program[0] == '/')
		return 0;
	for (size_t i = 0; names[i]; i++)
		strbuf_addf(&expected, "%s%s", i ? ", " : "", names[i]);
	s = ocb_suggest(program, names);
	if (s)
		ocb_fail("unknown workload '%s' (did you mean '%s'? expected one of %s, or an "
			 "absolute path in the guest)", program, s, expected.buf);
	else
		ocb_fail("unknown workload '%s' (expected one of %s, or an absolute path in the "
			 "guest)", program, expected.buf);
	strbuf_release(&expected);
	return -1;
}
