/* image-id.h — what run.json says a guest image *is*, not where it lies.
 *
 * `ocbench compare` refuses to compare runs of different guest images
 * (issue 14, like for like); a path proves nothing (the file behind it may
 * be rebuilt), so each run records, per guest, the guest kernel's release
 * (from the guest.json that guest-images/build-guest writes beside it, when
 * there is one), the SHA-256 of the kernel, the initramfs and the disk
 * image, and the kernel command line:
 *
 *   {"kernel_release": "6.1.0-57-amd64", "kernel_sha256": "9f…",
 *    "initrd_sha256": "3c…", "cmdline": "console=ttyS0 …"}
 *
 * Only the parts the guest boots from appear.  A file that cannot be read
 * gives "PART_error": "cannot read …" instead of its digest, so the run is
 * still recorded and two sides that cannot read the same file still match.
 * Digests are cached for the life of the process by path, device, inode,
 * size and modification time: the runs of one `ocbench run` read each
 * image once (a multi-GiB disk image costs a few seconds, before the run's
 * clock starts).  Not thread-safe (the runner is one thread).
 */
#ifndef OCB_RESULTS_IMAGE_ID_H
#define OCB_RESULTS_IMAGE_ID_H

#include <jansson.h>

/* Any path may be NULL or "" (not booted from); append may be NULL.  New
 * reference, never NULL. */
json_t *results_image_identity(const char *kernel, const char *initrd, const char *append,
			       const char *disk);

#endif
