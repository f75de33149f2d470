/* interrupt.h — SIGINT/SIGTERM as a request to stop cleanly.
 *
 * The handler only records the signal; the run loop notices, marks the run
 * incomplete, stops guests and restores host knobs on its normal exit
 * path.  A second signal while stopping kills every child at once (the
 * user means it) and exits 130.  Registered children also die with the
 * harness through PR_SET_PDEATHSIG, so even SIGKILL leaves no QEMU.
 */
#ifndef OCB_INTERRUPT_H
#define OCB_INTERRUPT_H

#include <signal.h>

extern volatile sig_atomic_t ocb_interrupted;	/* the signal number, or 0 */

void interrupt_install(void);
/* "interrupted by SIGINT" for results and messages. */
const char *interrupt_reason(void);

#endif
