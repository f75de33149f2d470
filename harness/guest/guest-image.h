/* guest-image.h — where a guest's kernel, initramfs or disk come from.
 *
 * The default guest is built by guest-images/build-guest into build/guest
 * (or PREFIX/share/ocbench/guest once installed).  A scenario's `image =`
 * or `ocbench run --image PATH` names either a directory holding a kernel
 * (vmlinux preferred: PVH boot, no decompression; else vmlinuz/bzImage)
 * and an initramfs, or a disk image file.  Any image works as long as it
 * runs qemu-guest-agent on the virtio-serial port org.qemu.guest_agent.0.
 */
#ifndef OCB_GUEST_IMAGE_H
#define OCB_GUEST_IMAGE_H

#include <stddef.h>

struct guest_image {
	char dir[4096];		/* where it was found (empty for a disk) */
	char kernel[4096];
	char initrd[4096];
	char disk[4096];
	char append[2048];	/* kernel command line */
	int is_default;		/* the ocbench-built guest */
};

/* The default guest: $OCBENCH_GUEST_DIR, else build/guest beside the
 * ocbench binary, else the installed data directory.  The error message
 * says how to build it. */
int guest_image_default(struct guest_image *gi);
/* A user image: directory or disk file.  Its paths are made absolute: a
 * libvirt daemon opens them from its own working directory. */
int guest_image_from_path(const char *path, struct guest_image *gi);
/* path made absolute in place when it names an existing file (left as it
 * is otherwise, for the error of whoever opens it). */
void guest_path_absolute(char *path, size_t len);
/* Where the workload programs are on the host (native baselines):
 * $OCBENCH_WORKLOAD_DIR, else build/workloads beside the ocbench binary,
 * else the installed libexec directory. */
int host_workload_dir(char *out, size_t len);
/* The installed data directory (PREFIX/share/ocbench: guest/, scenarios/,
 * schemas/) and workload directory (PREFIX/libexec/ocbench) this binary
 * was built for. */
const char *guest_data_dir(void);
const char *guest_libexec_dir(void);
/* An ELF vmlinux: both backends boot it through PVH with the qboot
 * firmware (no decompression, no SeaBIOS); anything else (bzImage, disk)
 * goes through the default firmware. */
int guest_kernel_boots_pvh(const char *kernel);
/* A guest with a virtio-mem device boots through SeaBIOS with ACPI, not
 * qboot with acpi=off: with qboot the device's memory region leaves the
 * guest unable to read any virtio device's features (measured with the
 * default guest: "device uses modern interface but does not have
 * VIRTIO_F_VERSION_1" for all of them).  This is append without the
 * word acpi=off, into out. */
void guest_append_acpi_on(const char *append, char *out, size_t len);
/* A disk image's format as QEMU and libvirt name it: "qcow2" by its magic,
 * else "raw" (the two formats ocbench supports for --image DISK). */
const char *guest_disk_format(const char *disk);
/* Where the guest's virtio devices sit on the q35 root bus, the same for
 * both backends (same guest hardware).  The default guest boots with
 * acpi=off through qboot, whose MP table has no PCI interrupt entries:
 * Linux then takes the legacy interrupt line qboot wrote into each device,
 * which matches QEMU's q35 INTx routing on even slots only (measured: 2, 4
 * and 6 interrupt, 3 and 5 never do).  virtio-serial and virtio-blk use
 * MSI-X, but virtio-balloon has no MSI-X vectors and needs its INTx: so
 * it is on slot 2, and the others on slots whose INTx would work too. */
#define GUEST_PCI_SLOT_SERIAL "0x04"
#define GUEST_PCI_SLOT_BALLOON "0x02"
#define GUEST_PCI_SLOT_DISK "0x06"
/* virtio-mem (virtio_mem = SIZE): MSI-X, on an even slot all the same */
#define GUEST_PCI_SLOT_VMEM "0x08"

/* The default guest's kernel command line, beside its kernel. */
#define GUEST_CMDLINE_FILE "cmdline"
/* The tuned command line of the default guest in dir: the parameters of
 * dir/cmdline (guest-images/cmdline says why each one: every one shortens
 * TCG boot or balloon time; all are recorded), then acpi=off when `pvh`
 * (the kernel boots through PVH + qboot, see guest_image_default_append()
 * and the slots above) and the host's tsc_early_khz.  -1 (message) when
 * dir has no cmdline. */
int guest_image_default_append(const char *dir, char *buf, size_t len, int pvh);

#endif
