/* vm.c — the struct vm life cycle (the backends by name: backends.c). */
#include "vm/vm.h"
#include "util/libvirt-conn.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *vm_host_uri(const struct vm *vm)
{
	if (!vm_can(vm, VM_CAP_REMOTE_HOST))
		return NULL;
	return vm->cfg.uri[0] ? vm->cfg.uri : LV_DEFAULT_URI;
}

void vm_config_init(struct vm_config *cfg, const char *name, const struct vm_setup *setup)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->name, sizeof(cfg->name), "%s", name);
	if (setup->image) {
		snprintf(cfg->kernel, sizeof(cfg->kernel), "%s", setup->image->kernel);
		snprintf(cfg->initrd, sizeof(cfg->initrd), "%s", setup->image->initrd);
		snprintf(cfg->append, sizeof(cfg->append), "%s", setup->image->append);
		snprintf(cfg->disk, sizeof(cfg->disk), "%s", setup->image->disk);
	}
	snprintf(cfg->qemu_binary, sizeof(cfg->qemu_binary), "%s",
		 setup->qemu_binary ? setup->qemu_binary : "");
	if (setup->uri)
		snprintf(cfg->uri, sizeof(cfg->uri), "%s", setup->uri);
	cfg->accel = setup->accel;
	snprintf(cfg->rundir, sizeof(cfg->rundir), "%s", setup->rundir);
	snprintf(cfg->outdir, sizeof(cfg->outdir), "%s/guests/%s", setup->results_dir, name);
	cfg->boot_timeout_ns = setup->boot_timeout_ns;
	cfg->cmd_timeout_ns = setup->cmd_timeout_ns;
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
