/* sha256.h — SHA-256 (FIPS 180-4), for the identity of a guest image.
 *
 * run.json records digests of the guest kernel, initramfs and disk image
 * so that `ocbench compare` can tell one image from another whatever its
 * path.  No library of the build has a digest (jansson, inih, libvirt), and
 * a page of C is cheaper than a new dependency.
 */
#ifndef OCB_RESULTS_SHA256_H
#define OCB_RESULTS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 64

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;			/* message length so far */
	unsigned char block[64];
	size_t fill;			/* bytes in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* The digest as lower-case hex into hex[SHA256_HEX_LEN + 1]. */
void sha256_final_hex(struct sha256 *s, char hex[SHA256_HEX_LEN + 1]);
/* The digest of a file's content; -1 with "cannot read PATH: reason". */
int sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1]);

#endif
