/* stop.h — SIGTERM/SIGINT as "stop now, write what you have".
 *
 * The handler only stores the signal number; every loop polls wl_stop and
 * the program writes its results, marked partial, on its normal way out.
 * Installed without SA_RESTART so a blocking sleep or wait returns EINTR.
 */
#ifndef OCB_WL_STOP_H
#define OCB_WL_STOP_H

#include <signal.h>

/* The signal that asked us to stop, or 0.  An int written by the handler;
 * volatile so the loops reread it. */
extern volatile sig_atomic_t wl_stop;

void stop_install(void);
/* "SIGTERM", "SIGINT" or NULL when not stopped. */
const char *stop_reason(void);

#endif
