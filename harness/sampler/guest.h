/* guest.h — the sampler's sources that ask the guests: balloon actual
 * and guest-stats over QMP, `free -m` and /proc/meminfo through the guest
 * agent.  Only VMs that have booted are asked. */
#ifndef OCB_SAMPLER_GUEST_H
#define OCB_SAMPLER_GUEST_H

#include "sampler/source.h"

/* The agent and guest-stats sources sample at most this often, and one
 * agent question may take at most this long (a tick must not stall). */
#define SAMPLER_AGENT_HZ 1
#define SAMPLER_AGENT_TIMEOUT_NS (1000 * 1000000ull)

extern const struct sampler_source_ops sampler_balloon_source;
extern const struct sampler_source_ops sampler_balloonstats_source;
extern const struct sampler_source_ops sampler_guest_source;

#endif
