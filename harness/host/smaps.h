/* smaps.h — the guest RAM mapping of a VM process, read from
 * /proc/PID/smaps: where it is, how big, what backs it (anonymous memory,
 * a file, hugetlbfs), its VmFlags (mg: KSM may merge it; hg/nh: THP
 * madvised on/off; ht: hugetlb) and its huge page counts.  The KSM and
 * THP diagnoses (ksm-diagnose.h, thp-diagnose.h) read it. */
#ifndef OCB_SMAPS_H
#define OCB_SMAPS_H

#include <jansson.h>
#include <sys/types.h>

struct smaps_mapping {
	unsigned long long start, end;
	unsigned long long size_kib, rss_kib, anon_kib, anon_huge_kib, kernel_page_kib;
	char path[512];		/* "" anonymous, "[heap]", or the file */
	char vmflags[192];	/* "rd wr mr mw me dc ac hg mg" */
};

/* The guest RAM of size ram_bytes in smaps text: the smallest mapping of
 * at least that size that is not executable.  QEMU maps each RAM block
 * on its own, exactly its size; the other big mapping of a TCG QEMU is
 * its code buffer, which is executable.  0 found, -1 none (message). */
int smaps_find_ram(const char *text, unsigned long long ram_bytes, struct smaps_mapping *m);
/* The same in ROOT/proc/PID/smaps; -1 with a message naming the file. */
int smaps_guest_ram(const char *root, pid_t pid, unsigned long long ram_bytes, struct smaps_mapping *m);
/* 1 when VmFlags lists flag ("mg"). */
int smaps_flag(const struct smaps_mapping *m, const char *flag);
/* hugetlbfs-backed: VmFlags "ht", or pages bigger than 4 KiB. */
int smaps_is_hugetlb(const struct smaps_mapping *m);
/* Anonymous memory: no file behind it ("" or a "[...]" name). */
int smaps_is_anonymous(const struct smaps_mapping *m);
/* {"start":"0x7f..","size_kib":..,"backing":"anonymous|file|hugetlbfs",
 *  "path":..,"vmflags":..,"rss_kib":..,"anon_huge_kib":..} */
json_t *smaps_mapping_json(const struct smaps_mapping *m);

#endif
