/* guestmem.h — the guest's view of its memory: `free -m` output.
 *
 * Parsed from the text procps and busybox both print:
 *                total   used   free  shared  buff/cache  available
 *   Mem:          1967     20   1930       0          16       1920
 * (older formats without "available" are accepted; it is then -1).
 */
#ifndef OCB_GUESTMEM_H
#define OCB_GUESTMEM_H

struct free_sample {
	long total, used, free, shared, buff_cache, available;	/* MiB */
};

/* -1 with a message quoting the text when it has no "Mem:" line. */
int free_parse(const char *text, struct free_sample *out);
/* "total,used,free,shared,buff_cache,available" for free.csv. */
#define FREE_CSV_HEADER "t_ms,total,used,free,shared,buff_cache,available"

#endif
