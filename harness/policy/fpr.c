/* fpr.c — free page reporting only: no balloon targets; every guest's
 * virtio-balloon runs with free-page-reporting=on, so the guest kernel
 * reports the pages it frees (in blocks of pageblock_order, 2 MiB on
 * x86-64) and QEMU discards them: freed memory goes back to the host
 * without a controller.  The source is the virtio specification's
 * VIRTIO_BALLOON_F_REPORTING and Linux's mm/page_reporting.c. */
#include "policy/fpr.h"

static void fpr_tick(struct policy *p, const struct policy_obs *o, struct policy_actions *a)
{
}

const struct policy_ops policy_fpr_only = {
	.name = "fpr-only",
	.help = "no balloon control; free page reporting on (the guests return freed memory themselves)",
	.source = "virtio-balloon VIRTIO_BALLOON_F_REPORTING (Linux mm/page_reporting.c)",
	.flags = POLICY_F_FPR,
	.interval_s = 15,
	.tick = fpr_tick,
};
