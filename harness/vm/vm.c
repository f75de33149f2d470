/* vm.c — the struct vm life cycle (the backends by name: backends.c). */
#include "vm/vm.h"
#include "util/libvirt-conn.h"
#include "util/error.h"

#include <stdlib.h>

const char *vm_host_uri(const struct vm *vm)
{
	if (!vm_can(vm, VM_CAP_REMOTE_HOST))
		return NULL;
	return vm->cfg.uri[0] ? vm->cfg.uri : LV_DEFAULT_URI;
}

struct vm *vm_new(const struct vm_backend_ops *ops, const struct vm_config *cfg)
{
	struct vm *vm = calloc(1, sizeof(*vm));

	if (!vm) {
		ocb_fail("out of memory");
		return NULL;
	}
	vm->ops = ops;
	vm->cfg = *cfg;
	return vm;
}

void vm_free(struct vm *vm)
{
	if (!vm)
		return;
	vm->ops->kill(vm);
	if (vm->ops->free_priv)
		vm->ops->free_priv(vm);
	free(vm);
}
