/* xalloc.h — allocation that cannot fail (git's wrapper.c idea).
 *
 * Every helper returns usable memory or does not return: on failure it
 * prints how many bytes it could not get and aborts.  Why abort and not
 * -1: ocbench allocates small bookkeeping (strings, tables of runs and
 * results, a few KiB); when even that fails the machine is deep in the
 * overcommit it is measuring, the OOM killer is choosing, and every error
 * path we could take would itself allocate.  An abort is a loud, immediate
 * stop with a core; a half-handled failure would be a wrong measurement or
 * a host knob left changed.  The knob journal is crash-safe for exactly
 * this case: `ocbench restore` undoes what the aborted run changed.
 *
 * Large guest-memory mappings are not allocated here (they fail softly
 * and are reported: workloads/lib/region.c).
 */
#ifndef OCB_XALLOC_H
#define OCB_XALLOC_H

#include <stddef.h>

/* A size of 0 is taken as 1, so the result is never NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
/* n * size bytes, uninitialized, with the multiplication checked. */
void *xmallocarray(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* n * size with the multiplication checked (an overflow aborts too). */
void *xreallocarray(void *p, size_t n, size_t size);
/* A copy of s; NULL stays NULL. */
char *xstrdup(const char *s);
/* The first n bytes of s (fewer when s is shorter), NUL-terminated. */
char *xstrndup(const char *s, size_t n);

/* Grow arr (element size elem, capacity *alloc) to hold at least nr
 * elements: the capacity doubles (from 8), so appending one at a time is
 * amortized O(1).  Returns the (possibly moved) array. */
void *xgrow(void *arr, size_t elem, size_t nr, size_t *alloc);
/* ALLOC_GROW(v, n + 1, alloc) before v[n++] = x (git's ALLOC_GROW). */
#define ALLOC_GROW(arr, nr, alloc) ((arr) = xgrow((arr), sizeof(*(arr)), (nr), &(alloc)))

#endif
