/* qemu-argv.c — see qemu-argv.h. */
#include "vm/qemu-argv.h"
#include "guest/guest-image.h"
#include "util/units.h"

/* QEMU splits option lists at ',': a comma inside a value (a path: the
 * results directory, an image) is written ",,".  Returns sb's string. */
static const char *opt_value(struct strbuf *sb, const char *v)
{
	strbuf_reset(sb);
	for (; *v; v++) {
		if (*v == ',')
			strbuf_addch(sb, ',');
		strbuf_addch(sb, *v);
	}
	return strbuf_str(sb);
}

/* The emulator, the machine and the accelerator; the firmware when the
 * kernel boots through PVH. */
static void machine_args(const struct vm_config *c, struct strvec *a)
{
	strvec_push(a, c->qemu_binary);
	strvec_pushf(a, "-name");
	strvec_pushf(a, "%s,process=ocbench-%s", c->name, c->name);
	strvec_push(a, "-machine");
	strvec_pushf(a, "q35,mem-merge=%s%s", c->mem_merge ? "on" : "off",
		     c->backing == BACKING_ANONYMOUS ? "" : ",memory-backend=ram0");
	strvec_push(a, "-accel");
	strvec_push(a, c->accel.kind == ACCEL_KVM ? "kvm" : "tcg");
	if (c->accel.kind == ACCEL_KVM) {
		strvec_push(a, "-cpu");
		strvec_push(a, "host");
	}
	/* qboot boots an ELF vmlinux through PVH in a few ms; a bzImage or a
	 * disk image goes through the default firmware (SeaBIOS). */
	if (c->kernel[0] && !c->vmem_bytes && guest_kernel_boots_pvh(c->kernel)) {
		strvec_push(a, "-bios");
		strvec_push(a, "/usr/share/qemu/qboot.rom");
	}
}

/* Size, vCPUs, and the backend of the guest RAM unless it is anonymous. */
static void memory_args(const struct vm_config *c, struct strvec *a, struct strbuf *v)
{
	uint64_t mib = c->memory_bytes / MiB;

	strvec_push(a, "-m");
	/* a virtio-mem device needs room beside the boot memory: one slot and
	 * maxmem boot + device (its memory is its own backend's, below) */
	if (c->vmem_bytes)
		strvec_pushf(a, "%llu,slots=1,maxmem=%lluM", (unsigned long long)mib,
			     (unsigned long long)((c->memory_bytes + c->vmem_bytes) / MiB));
	else
		strvec_pushf(a, "%llu", (unsigned long long)mib);
	strvec_push(a, "-smp");
	strvec_pushf(a, "%u", c->vcpus ? c->vcpus : 1);
	if (c->backing == BACKING_ANONYMOUS)
		return;
	strvec_push(a, "-object");
	if (c->backing == BACKING_FILE)
		strvec_pushf(a, "memory-backend-file,id=ram0,size=%lluM,mem-path=%s/ram,share=off,merge=%s",
			     (unsigned long long)mib, opt_value(v, c->rundir), c->mem_merge ? "on" : "off");
	else
		strvec_pushf(a, "memory-backend-file,id=ram0,size=%lluM,mem-path=%s,prealloc=on,share=off,merge=%s",
			     (unsigned long long)mib,
			     opt_value(v, c->mem_path[0] ? c->mem_path :
				       c->backing == BACKING_HUGETLB_1G ? "/dev/hugepages1G" :
				       "/dev/hugepages"),
			     c->mem_merge ? "on" : "off");
}

/* Nothing but what we add, and the serial console into the results. */
static void console_args(const struct vm_config *c, struct strvec *a, struct strbuf *v)
{
	strvec_push(a, "-nodefaults");
	strvec_push(a, "-no-user-config");
	strvec_push(a, "-no-reboot");
	strvec_push(a, "-display");
	strvec_push(a, "none");
	strvec_push(a, "-chardev");
	strvec_pushf(a, "file,id=con0,path=%s/console.log", opt_value(v, c->outdir));
	strvec_push(a, "-serial");
	strvec_push(a, "chardev:con0");
}

/* A kernel (+initrd, command line) booted directly, and/or a disk. */
static void boot_args(const struct vm_config *c, struct strvec *a, struct strbuf *v)
{
	if (c->kernel[0]) {
		strvec_push(a, "-kernel");
		strvec_push(a, c->kernel);
		if (c->initrd[0]) {
			strvec_push(a, "-initrd");
			strvec_push(a, c->initrd);
		}
		if (c->append[0]) {
			char acpi[sizeof(c->append)];

			guest_append_acpi_on(c->append, acpi, sizeof(acpi));
			strvec_push(a, "-append");
			strvec_push(a, c->vmem_bytes ? acpi : c->append);
		}
	}
	if (c->disk[0]) {
		/* snapshot=on: a vendor's image is never modified by a run.  The
		 * format is named, not probed (QEMU warns that a probed raw
		 * image cannot be trusted with block 0). */
		strvec_push(a, "-drive");
		strvec_pushf(a, "file=%s,format=%s,if=none,id=disk0,snapshot=on", opt_value(v, c->disk),
			     guest_disk_format(c->disk));
		strvec_push(a, "-device");
		strvec_pushf(a, "virtio-blk-pci,drive=disk0,addr=%s", GUEST_PCI_SLOT_DISK);
	}
}

/* QMP and the guest agent on our sockets. */
static void channel_args(const char *qmp_path, const char *qga_path, struct strvec *a,
			 struct strbuf *v)
{
	strvec_push(a, "-chardev");
	strvec_pushf(a, "socket,id=qmp0,path=%s,server=on,wait=off", opt_value(v, qmp_path));
	strvec_push(a, "-mon");
	strvec_push(a, "chardev=qmp0,mode=control");
	strvec_push(a, "-chardev");
	strvec_pushf(a, "socket,id=qga0,path=%s,server=on,wait=off", opt_value(v, qga_path));
	strvec_push(a, "-device");
	strvec_pushf(a, "virtio-serial-pci,id=vser0,addr=%s", GUEST_PCI_SLOT_SERIAL);
	strvec_push(a, "-device");
	strvec_push(a, "virtserialport,bus=vser0.0,chardev=qga0,name=org.qemu.guest_agent.0");
}

/* The balloon with the features asked for (QEMU's own property names;
 * each off by default, so only an "on" is written), and the virtio-mem
 * device on its own memory backend. */
static void reclaim_args(const struct vm_config *c, struct strvec *a)
{
	/* QEMU 7.2 runs free page hinting in an iothread of its own and
	 * refuses free-page-hint=on without one */
	if (c->balloon && c->free_page_hint) {
		strvec_push(a, "-object");
		strvec_push(a, "iothread,id=balloon-io0");
	}
	if (c->balloon) {
		strvec_push(a, "-device");
		strvec_pushf(a, "virtio-balloon-pci,id=balloon0,addr=%s%s%s%s", GUEST_PCI_SLOT_BALLOON,
			     c->free_page_reporting ? ",free-page-reporting=on" : "",
			     c->free_page_hint ? ",free-page-hint=on,iothread=balloon-io0" : "",
			     c->deflate_on_oom ? ",deflate-on-oom=on" : "");
	}
	if (!c->vmem_bytes)
		return;
	strvec_push(a, "-object");
	strvec_pushf(a, "memory-backend-ram,id=" QEMU_VMEM_MEMDEV ",size=%lluM,merge=%s",
		     (unsigned long long)(c->vmem_bytes / MiB), c->mem_merge ? "on" : "off");
	strvec_push(a, "-device");
	strvec_pushf(a, "virtio-mem-pci,id=" QEMU_VMEM_ID ",memdev=" QEMU_VMEM_MEMDEV
		     ",block-size=%lluM,requested-size=%lluM,addr=%s",
		     (unsigned long long)(c->vmem_block_bytes / MiB),
		     (unsigned long long)(c->vmem_requested / MiB), GUEST_PCI_SLOT_VMEM);
}

void qemu_build_argv(const struct vm_config *c, const char *qmp_path, const char *qga_path,
		     struct strvec *a)
{
	struct strbuf v = STRBUF_INIT;	/* opt_value's buffer */

	machine_args(c, a);
	memory_args(c, a, &v);
	console_args(c, a, &v);
	boot_args(c, a, &v);
	channel_args(qmp_path, qga_path, a, &v);
	reclaim_args(c, a);
	strbuf_release(&v);
}
