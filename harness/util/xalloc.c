/* xalloc.c — see xalloc.h for why failing to allocate aborts. */
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Straight to stderr, not ocb_fail(): the process aborts next, and only
 * what reached stderr outlives it. */
static void die_oom(size_t n, size_t size)
{
	if (n == 1)
		fprintf(stderr, "ocbench: out of memory allocating %zu bytes\n", size);
	else
		fprintf(stderr, "ocbench: out of memory allocating %zu x %zu bytes\n", n, size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die_oom(1, size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die_oom(n, size);
	return p;
}

void *xmallocarray(size_t n, size_t size)
{
	return xreallocarray(NULL, n, size);
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (!q)
		die_oom(1, size);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n ? n : 1, size ? size : 1);

	if (!q)
		die_oom(n, size);
	return q;
}

char *xstrdup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		die_oom(1, strlen(s) + 1);
	return d;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		die_oom(1, strnlen(s, n) + 1);
	return d;
}

void *xgrow(void *arr, size_t elem, size_t nr, size_t *alloc)
{
	size_t want;

	if (nr <= *alloc)
		return arr;
	want = *alloc ? *alloc * 2 : 8;
	if (want < nr)
		want = nr;
	arr = xreallocarray(arr, want, elem);
	*alloc = want;
	return arr;
}
