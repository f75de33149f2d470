/* remote-lock.h — one knob-changing ocbench per libvirt host.
 *
 * The local lock (hostlock.h) is a flock on this machine: it cannot stop
 * an ocbench on another machine from changing the same remote host's KSM
 * or hugepage knobs at the same time, each then "restoring" the other's
 * values.  The remote daemon holds this lock instead: a transient domain
 * named "ocbench-lock" (LVLOCK_DOMAIN), started paused with libvirt's
 * autodestroy flag on a connection of the lock's own.  Domain names are
 * unique on a host, so a second ocbench's create fails and it knows the
 * host is taken (the holder's pid, host and start time are in the
 * domain's <description>).  The daemon destroys the domain when the
 * holder's connection closes, however the holder dies (SIGKILL
 * included); release destroys it at once.  (libvirt's test driver takes
 * neither flag and gets a plain domain: its state lives in the client
 * process and dies with it anyway.)  Its cost: one paused QEMU
 * with 16 MiB of unused RAM (about 35 MiB RSS, 3-4 s to start under TCG
 * here) for as long as the knobs are changed.
 *
 * It is taken when the first knob is set over libvirt on that host (and
 * by `ocbench run` before anything starts when a run has [host] knobs,
 * like the local lock), and by `ocbench restore` for each host it puts
 * back.  The wait policy is the local lock's (hostlock_set_wait: --no-wait
 * fails at once).  Counted per URI within a process.
 */
#ifndef OCB_REMOTE_LOCK_H
#define OCB_REMOTE_LOCK_H

#define LVLOCK_DOMAIN "ocbench-lock"

/* Hold the lock of the libvirt host at uri (counted): 0, or -1 with a
 * message (held by another ocbench and not waiting, interrupted while
 * waiting, the daemon unreachable or refusing the domain). */
int lvlock_hold(const char *uri);
/* Drop one hold; the last destroys the domain and closes the connection. */
void lvlock_drop(const char *uri);
/* How many holds this process has on uri (tests). */
unsigned lvlock_held(const char *uri);

#endif
