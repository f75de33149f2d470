/* diagnose.c — see diagnose.h. */
#include "conform/diagnose.h"
#include "conform/fixture.h"
#include "host/diagnosis.h"
#include "host/ksm-diagnose.h"
#include "host/thp-diagnose.h"
#include "vm/balloon-diagnose.h"
#include "vm/vm.h"

json_t *conform_ksm_diagnosis(struct conform_ctx *c, struct vm *const *vms, size_t n)
{
	struct ksm_diag_guest g[CONFORM_MAX_GUESTS];

	if (n > CONFORM_MAX_GUESTS)
		n = CONFORM_MAX_GUESTS;
	for (size_t i = 0; i < n; i++) {
		g[i].name = vms[i]->cfg.name;
		g[i].pid = vms[i]->ops->pid(vms[i]);	/* -1 when not a process here */
		g[i].ram_bytes = vms[i]->cfg.memory_bytes;
	}
	return ksm_diagnose(c->opt.root, g, n);
}

json_t *conform_thp_diagnosis(struct conform_ctx *c, struct vm *vm)
{
	return thp_diagnose(c->opt.root, vm->cfg.name, vm->ops->pid(vm), vm->cfg.memory_bytes);
}

json_t *conform_balloon_diagnosis(struct conform_ctx *c, struct vm *vm)
{
	return balloon_diagnose(vm, c->opt.cmd_timeout_ns);
}

json_t *conform_balloon_feature_diagnosis(struct conform_ctx *c, struct vm *vm, unsigned bit,
					  const char *feature, const char *prop)
{
	return balloon_feature_diagnose(vm, c->opt.cmd_timeout_ns, bit, feature, prop);
}

size_t conform_diagnosis_note(json_t *ev, json_t *diag, struct strbuf *out)
{
	size_t causes;

	strbuf_adds(out, "diagnosis: ");
	causes = diag_text(diag, out);
	json_object_set_new(ev, "diagnosis", diag);
	return causes;
}
