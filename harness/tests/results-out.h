/* results-out.h — for unit tests that write through results/results.h:
 * one of the run's files as written so far (flushed first), to assert
 * on.  The caller frees it. */
#ifndef OCB_TEST_RESULTS_OUT_H
#define OCB_TEST_RESULTS_OUT_H

#include <stdio.h>

#include "results/results.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

static inline char *results_out_read(struct results_run *res, const char *dir, const char *name)
{
	char path[512];
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(results_flush(res), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(read_file(path, &sb), 0);
	return strbuf_detach(&sb);
}

#endif
