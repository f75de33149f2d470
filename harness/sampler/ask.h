/* ask.h — the sampler's per-guest questions to the VMMs, pipelined.
 *
 * A round (the source's sample, at its rate) asks every ready guest at
 * once (vm_backend_ops.query_send) and returns; the answers are taken as
 * they come, at every sampler_tick(), without waiting (the source's
 * collect).  Each guest's sample of a round is kept when its answer has
 * come by the source's next round, and missed otherwise
 * (sampler_guest_tick()): a slow or silent QEMU costs its own samples,
 * never a stall of the loop nor the other guests'.  A guest whose last
 * question is still out is not asked again (a starved QEMU's monitor
 * must not pile up questions): its rounds are missed until it answers,
 * and that late answer is dropped (its round was counted missed).  The
 * rows of an answer carry the time its round asked.  A backend without
 * the query ops is asked the waiting way (balloon_get, ...), one guest
 * after the other. */
#ifndef OCB_SAMPLER_ASK_H
#define OCB_SAMPLER_ASK_H

#include "sampler/source.h"
#include "vm/vm.h"

struct ask_kind {
	enum vm_query what;
	const char *label;		/* for messages: "balloon actual" */
	/* the guest has what is asked (its balloon, its virtio-mem) */
	int (*wants)(const struct vm *vm);
	/* the waiting form, for a backend without query_send */
	int (*wait)(struct vm *vm, struct vm_answer *a);
	/* the rows of one answer (sampler_putf) */
	void (*put)(struct sampler *s, struct vm *vm, const struct vm_answer *a);
};

struct ask;

/* A source's init: 0 with *state (ask_new) when a guest wants k, else
 * 1 with none as the reason the source is skipped. */
int ask_init(struct sampler *s, void **state, const struct ask_kind *k, char *why, size_t len,
	     const char *none);
/* The state of a source asking k of the sampler's guests (k borrowed);
 * the three calls below take it as the source's state, so they are its
 * ops' sample, collect and fini. */
struct ask *ask_new(struct sampler *s, const struct ask_kind *k);
/* A round: settle the last one, ask again.  -1 when a guest failed
 * (the last failure's message set), the others were asked anyway. */
int ask_round(struct sampler *s, void *ask);
/* Take the answers that have come; never waits.  -1 as ask_round. */
int ask_collect(struct sampler *s, void *ask);
void ask_free(void *ask);

#endif
