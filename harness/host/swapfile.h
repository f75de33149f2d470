/* swapfile.h — a temporary swap file on this host (the `[host] swap =
 * SIZE` knob): made, formatted and switched on, then switched off and
 * removed.  So a host without swap can reproduce swap-backed overcommit.
 *
 * mkswap, swapon and swapoff are spawned from an argv (never a shell).
 * $OCBENCH_SWAP_TOOL, when set, is run instead as `TOOL mkswap|swapon|
 * swapoff PATH` (the unit tests' fake); the real tools are refused for a
 * fake root.  Whether a file is in use is read from ROOT/proc/swaps.
 */
#ifndef OCB_SWAPFILE_H
#define OCB_SWAPFILE_H

#include <stdint.h>

/* The only file name ocbench makes swap of (restore trusts no other). */
#define SWAPFILE_NAME "ocbench-swap.img"

/* 1 when path is listed in ROOT/proc/swaps, 0 when not, -1 unreadable. */
int swapfile_active(const char *root, const char *path);
/* Create path (it must not exist: O_EXCL), allocate bytes, mkswap, swapon,
 * and check /proc/swaps lists it.  -1 with the step that failed (the
 * caller's undo removes what was made). */
int swapfile_create(const char *root, const char *path, uint64_t bytes);
/* swapoff when active, then unlink; a file already gone is fine.  Refuses
 * a path whose name is not SWAPFILE_NAME. */
int swapfile_remove(const char *root, const char *path);

#endif
