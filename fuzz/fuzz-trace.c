/* fuzz-trace.c — libFuzzer target: a samples.csv replayed through every
 * policy (`ocbench policy simulate`'s reader, policy/trace.c), with the
 * observations it builds (policy/observe.c) and each policy's tick on
 * whatever numbers the file holds.
 */
#include "policy/policies.h"
#include "policy/trace.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	for (size_t i = 0; i < policy_count(); i++) {
		struct policy p, *pp = &p;

		memcpy(text, data, size);
		text[size] = '\0';
		if (policy_init(&p, policy_at(i)) < 0)
			continue;
		p.interval_s = 1;
		/* at most 1000 ticks an input: the cap is the reader's, the
		 * value the fuzzer's (a million is for real traces) */
		policy_replay_text("fuzz.csv", text, &pp, 1, 0.25, 1000, NULL, NULL);
		policy_fini(&p);
	}
	free(text);
	return 0;
}
