/* balloon-diagnose.h — why a guest's balloon does not move, seen from
 * inside the guest through its agent, in the shape of host/diagnosis.h:
 * no virtio-balloon device in the guest (no /sys/bus/virtio/devices/virtioN
 * whose device id is 0x0005), no virtio_balloon driver, the driver not
 * bound to the device (/sys/bus/virtio/drivers/virtio_balloon), or the
 * device's interrupt never delivered (its line in /proc/interrupts counts
 * 0: the guest never hears of a new target).
 *
 * conform's balloon checks call it when the balloon stays put, and so may
 * `ocbench run`.  It needs the guest agent (ls and file reads).
 */
#ifndef OCB_BALLOON_DIAGNOSE_H
#define OCB_BALLOON_DIAGNOSE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct vm;

/* {"virtio_devices": {"virtio0": "0x0005", ...}, "balloon_device":
 *  "virtio0"|null, "driver_bound": bool, "interrupts": {"irq", "count",
 *  "line"}, "findings": [...]}.  Never NULL; what the agent could not
 *  read is an "unknown" finding. */
json_t *balloon_diagnose(struct vm *vm, uint64_t timeout_ns);

/* The virtio-balloon feature bits (the virtio spec's numbers) that a
 * check of the reclaim suite relies on. */
#define BALLOON_F_DEFLATE_ON_OOM 2
#define BALLOON_F_REPORTING 5

/* Why a balloon feature does not act: the device and its driver as
 * balloon_diagnose finds them (not its interrupts: a balloon whose target
 * never changed counts none), then
 * what the guest negotiated (its /sys/bus/virtio/devices/virtioN/features,
 * one '0' or '1' a bit from bit 0) as "features" and
 * "feature": {"name", "bit", "negotiated"}; a cause
 * "feature-not-negotiated" when the bit is 0 (QEMU's device was not given
 * prop=on, or the guest's driver does not know it).  Never NULL. */
json_t *balloon_feature_diagnose(struct vm *vm, uint64_t timeout_ns, unsigned bit, const char *feature,
				 const char *prop);
/* Bit `bit` of a features string: 1, 0, or -1 when the string is shorter
 * or holds something else there. */
int balloon_feature_bit(const char *features, unsigned bit);

/* The interrupts counted for device dev ("virtio0") in /proc/interrupts
 * text: the sum over every CPU and every line named dev or dev-* (MSI-X
 * vectors); its IRQ ("10", "24,25") into irq.  -1 when no line names it. */
long long balloon_irq_count(const char *text, const char *dev, char *irq, size_t len);
/* 1 when a name the guest listed is a virtio device's ("virtio" and 1-6
 * digits), the only names the diagnosis puts into a path. */
int balloon_virtio_name_ok(const char *n);

#endif
