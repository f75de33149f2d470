/* backends.c — see backends.h. */
#include "vm/backends.h"
#include "util/error.h"
#include "vm/libvirt.h"
#include "vm/native.h"
#include "vm/qemu.h"

#include <string.h>

static const struct vm_backend_ops *const backends[] = {
	&vm_qemu_ops,
	&vm_libvirt_ops,
	&vm_native_ops,
};

const struct vm_backend_ops *vm_backend_find(const char *name)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	ocb_fail("unknown backend '%s': expected qemu, libvirt or native", name);
	return NULL;
}

const char *vm_backend_name(size_t i)
{
	return i < sizeof(backends) / sizeof(backends[0]) ? backends[i]->name : NULL;
}

int vm_backend_known(const char *name)
{
	return vm_backend_find(name) != NULL;
}
