/* accel.h — which accelerator QEMU should use, and why.
 *
 * KVM counts only when hardware virtualization is really there: /dev/kvm
 * opens, the CPU advertises vmx or svm, and kvm_intel or kvm_amd is
 * loaded.  A /dev/kvm provided by kvm_pvm (paravirtualized nested KVM,
 * no vmx/svm) does not count: stock guests hang under it without a word
 * on the console.  The reason for every decision is kept so results say
 * why a run used TCG.
 */
#ifndef OCB_ACCEL_H
#define OCB_ACCEL_H

#include <stddef.h>

/* ACCEL_NATIVE: no emulator at all (`ocbench run --native` baselines). */
enum accel_kind { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG, ACCEL_NATIVE };

struct accel_choice {
	enum accel_kind kind;	/* ACCEL_KVM or ACCEL_TCG after accel_choose() */
	char reason[256];
};

/* 1 when KVM is usable under ROOT ("/" on a real host; a fake tree in
 * tests), else 0 with the reason in why. */
int kvm_usable(const char *root, char *why, size_t len);
/* Parse "auto", "kvm" or "tcg"; -1 with a message otherwise. */
int accel_parse(const char *s, enum accel_kind *kind);
/* Decide.  Asking for kvm where it is unusable is an error (-1, message
 * says why); auto falls back to TCG and says why. */
int accel_choose(const char *root, enum accel_kind want, struct accel_choice *out);
const char *accel_name(enum accel_kind kind);

#endif
