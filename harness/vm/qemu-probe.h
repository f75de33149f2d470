/* qemu-probe.h — what an emulator binary offers, asked of the binary:
 * `QEMU -device help` lists its devices, `QEMU -device DEV,help` a
 * device's properties.  A check that needs a device or a property an
 * older QEMU lacks then skips naming it, instead of an ERROR when that
 * QEMU refuses the command line. */
#ifndef OCB_QEMU_PROBE_H
#define OCB_QEMU_PROBE_H

#include <stddef.h>

/* 1 when the emulator has device dev (prop NULL) or dev's property prop,
 * 0 when it does not (why says which, naming the binary), -1 when it
 * could not be asked (why says so). */
int qemu_probe_device(const char *qemu, const char *dev, const char *prop, char *why, size_t len);

#endif
