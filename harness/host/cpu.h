/* cpu.h — what the CPU is and which virtualization features it has.
 *
 * libcpuid identifies the processor (vendor, brand, family/model/stepping,
 * cores, caches); /proc/cpuinfo is what the kernel enabled, and is the
 * only source for ept/vpid/npt/pdpe1gb (libcpuid does not decode them).
 * Where both say something (vendor, vmx/svm, threads) the report records a
 * disagreement instead of picking one: a hypervisor can hide vmx from
 * the kernel while CPUID still shows it, and that is exactly the
 * difference between "KVM usable" and not.
 */
#ifndef OCB_CPU_H
#define OCB_CPU_H

#include <jansson.h>

/* 1 when the "flags" line of ROOT/proc/cpuinfo lists flag, 0 when not,
 * -1 when cpuinfo cannot be read. */
int cpu_flag(const char *root, const char *flag);
/* {"vendor","model_name","family","model","stepping","cores","threads",
 *  "caches":{...},"flags":{"vmx":false,...},"cross_check":[...]}.  With a
 * root other than "/" (a fake tree) libcpuid is not asked: it would
 * describe this machine, not the tree. */
json_t *cpu_info(const char *root);

#endif
