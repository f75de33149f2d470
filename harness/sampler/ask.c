/* ask.c — see ask.h. */
#include "sampler/ask.h"
#include "util/error.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ask_guest {
	int out;		/* a question is out */
	int late;		/* ... and its round was counted missed */
	uint64_t t_ms;		/* when its round asked: the rows' time */
};

struct ask {
	const struct ask_kind *k;
	size_t n;
	struct ask_guest *g;
};

struct ask *ask_new(struct sampler *s, const struct ask_kind *k)
{
	struct ask *a = xcalloc(1, sizeof(*a));

	a->k = k;
	a->n = sampler_nvms(s);
	a->g = xcalloc(a->n ? a->n : 1, sizeof(*a->g));
	return a;
}

int ask_init(struct sampler *s, void **state, const struct ask_kind *k, char *why, size_t len,
	     const char *none)
{
	for (size_t i = 0; i < sampler_nvms(s); i++) {
		if (k->wants(sampler_vm(s, i))) {
			*state = ask_new(s, k);
			return 0;
		}
	}
	snprintf(why, len, "%s", none);
	return 1;
}

void ask_free(void *ask)
{
	struct ask *a = ask;

	if (!a)
		return;
	free(a->g);
	free(a);
}

static int asks(const struct ask *a, const struct vm *vm)
{
	return a->k->wants(vm) && sampler_vm_ready(vm);
}

/* The answer of guest i (or its failure, r < 0): rows when it is in time. */
static int settle(struct sampler *s, struct ask *a, size_t i, int r, struct vm_answer *ans)
{
	struct ask_guest *g = &a->g[i];
	struct vm *vm = sampler_vm(s, i);
	int late = g->late;

	g->out = g->late = 0;
	if (r < 0) {
		if (!late)
			sampler_guest_tick(s, i, 0);
		return ocb_err_prefix("%s: %s: ", vm->cfg.name, a->k->label);
	}
	if (!late) {
		sampler_set_row_t_ms(s, g->t_ms);
		a->k->put(s, vm, ans);
		sampler_guest_tick(s, i, 1);
	}
	json_decref(ans->stats);
	return 0;
}

int ask_collect(struct sampler *s, void *ask)
{
	struct ask *a = ask;
	int rc = 0;

	for (size_t i = 0; i < a->n; i++) {
		struct vm *vm = sampler_vm(s, i);
		struct vm_answer ans;
		int r;

		if (!a->g[i].out)
			continue;
		memset(&ans, 0, sizeof(ans));
		r = vm->ops->query_answer(vm, a->k->what, &ans);
		if (r != 0 && settle(s, a, i, r, &ans) < 0)
			rc = -1;
	}
	return rc;
}

/* Ask guest i; the waiting way when its backend cannot pipeline. */
static int ask_one(struct sampler *s, struct ask *a, size_t i)
{
	struct vm *vm = sampler_vm(s, i);
	struct ask_guest *g = &a->g[i];
	struct vm_answer ans;

	g->t_ms = sampler_row_t_ms(s);
	if (!vm->ops->query_send) {
		memset(&ans, 0, sizeof(ans));
		return settle(s, a, i, a->k->wait(vm, &ans) < 0 ? -1 : 1, &ans);
	}
	if (vm->ops->query_send(vm, a->k->what) < 0) {
		sampler_guest_tick(s, i, 0);
		return ocb_err_prefix("%s: %s: ", vm->cfg.name, a->k->label);
	}
	g->out = 1;
	return 0;
}

int ask_round(struct sampler *s, void *ask)
{
	struct ask *a = ask;
	uint64_t t_ms = sampler_row_t_ms(s);
	int rc = ask_collect(s, a);

	for (size_t i = 0; i < a->n; i++) {
		struct ask_guest *g = &a->g[i];

		if (!asks(a, sampler_vm(s, i)))
			continue;
		sampler_set_row_t_ms(s, t_ms);
		if (g->out) {
			if (!g->late)	/* the last round: no answer by now */
				sampler_guest_tick(s, i, 0);
			g->late = 1;
			/* this round: not asked, its question is still out */
			sampler_guest_tick(s, i, 0);
			continue;
		}
		if (ask_one(s, a, i) < 0)
			rc = -1;
	}
	sampler_set_row_t_ms(s, t_ms);
	return rc;
}
