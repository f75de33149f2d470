/* hostlock.h — one knob-changing ocbench per host.
 *
 * The journal's lock (journal.h) is per state directory, so two ocbench
 * processes with different --state-dir could change the same host knobs
 * at once and each "restore" the other's values as its previous ones.
 * This lock is per host: LOCK_DIR/host.lock (LOCK_DIR is
 * $OCBENCH_LOCK_DIR, else /run/ocbench: /run is this boot's, so the lock
 * never outlives the machine's state it guards).  It is flocked before
 * any knob is read as "previous" (every journal_create/journal_load takes
 * it) and the kernel drops it when the holder dies, however it dies.  The
 * holder writes its pid into the file for the message of whoever waits.
 *
 * Within one process the lock is counted (a run's local and libvirt
 * journals, a --force restore before the session), so a process never
 * waits for itself.  Tests with private state directories point
 * OCBENCH_LOCK_DIR at a private directory to run in parallel.
 */
#ifndef OCB_HOSTLOCK_H
#define OCB_HOSTLOCK_H

#define HOSTLOCK_DEFAULT_DIR "/run/ocbench"
#define HOSTLOCK_NAME "host.lock"

/* $OCBENCH_LOCK_DIR, else HOSTLOCK_DEFAULT_DIR. */
const char *hostlock_dir(void);
/* 1 (the default): wait for the holder, saying so once on stderr; 0
 * (--no-wait): fail at once with a message naming the holder's pid. */
void hostlock_set_wait(int wait);
/* The policy set (1 wait, 0 fail at once): the remote hosts' locks
 * (remote-lock.h) follow it too. */
int hostlock_wait_policy(void);

/* Take DIR/host.lock on a descriptor of its own (the directory is made
 * 0755 when missing).  Returns the descriptor, or -1 with a message: the
 * lock is held and !wait, a signal came while waiting, or the file cannot
 * be opened.  Two takes in one process exclude each other like two
 * processes (flock is per open file). */
int hostlock_take(const char *dir, int wait);
/* Release a taken lock (close its descriptor; -1 is fine). */
void hostlock_release(int fd);

/* The process's counted hold of the lock in hostlock_dir(), with the
 * hostlock_set_wait() policy: 0, or -1 with a message. */
int hostlock_hold(void);
void hostlock_drop(void);

#endif
