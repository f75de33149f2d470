/* meminfo.h — the one reader of the kernel's "Key:   123 kB" files:
 * /proc/meminfo (host and guest), a NUMA node's meminfo ("Node 0 MemFree:
 * ..."), /proc/PID/status and smaps_rollup.  The guest-side workloads keep
 * their own stdio copy (workloads/lib/meminfo.c): they are static programs
 * built without the harness.
 *
 * Values are as written (kB for sizes, counts for HugePages_*), signed:
 * some fields of the same format can go below zero (ksm_process_profit).
 */
#ifndef OCB_MEMINFO_H
#define OCB_MEMINFO_H

/* The number after "KEY:" at the start of a line of text (after a node
 * meminfo's "Node N " prefix).  The key is whole: "Pss" is not "SwapPss"
 * nor "Pss_Anon".  0, or -1 with a message when no such line holds a
 * number (text may be NULL: then -1 too). */
int meminfo_text_field(const char *text, const char *key, long long *value);
/* The same field of the file at path (read whole); -1 with a message
 * naming the file when it cannot be read or lacks the field. */
int meminfo_file_field(const char *path, const char *key, long long *value);

#endif
