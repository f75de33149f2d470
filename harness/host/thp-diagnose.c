/* thp-diagnose.c — see thp-diagnose.h. */
#include "host/thp-diagnose.h"
#include "host/diagnosis.h"
#include "host/smaps.h"
#include "host/sysfs.h"
#include "host/thp.h"
#include "util/error.h"
#include "util/meminfo.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

/* enabled / defrag (the selected word), khugepaged's pages_to_scan. */
static void settings(const char *root, json_t *diag, char enabled[16], char defrag[24], long long *scan)
{
	struct strbuf v = STRBUF_INIT;
	unsigned long long n;
	json_t *s = json_object();

	enabled[0] = defrag[0] = '\0';
	if (sysfs_read(root, THP_DIR "/enabled", &v) == 0)
		snprintf(enabled, 16, "%s", v.buf);
	strbuf_reset(&v);
	if (sysfs_read(root, THP_DIR "/defrag", &v) == 0)
		snprintf(defrag, 24, "%s", v.buf);
	*scan = sysfs_read_u64(root, THP_DIR "/khugepaged/pages_to_scan", &n) == 0 ? (long long)n : -1;
	ocb_err_clear();
	json_object_set_new(s, "enabled", json_string(enabled));
	json_object_set_new(s, "defrag", json_string(defrag));
	if (*scan >= 0)
		json_object_set_new(s, "khugepaged_pages_to_scan", json_integer(*scan));
	json_object_set_new(diag, "settings", s);
	strbuf_release(&v);
}

/* THP_enabled of /proc/PID/status: 0 after prctl(PR_SET_THP_DISABLE);
 * -1 when the kernel does not say. */
static int process_thp(const char *root, pid_t pid)
{
	struct strbuf rel = STRBUF_INIT, text = STRBUF_INIT;
	long long v = -1;

	strbuf_addf(&rel, "/proc/%ld/status", (long)pid);
	if (sysfs_read_raw(root, rel.buf, &text) < 0 || meminfo_text_field(text.buf, "THP_enabled", &v) < 0)
		v = -1;
	ocb_err_clear();
	strbuf_release(&rel);
	strbuf_release(&text);
	return (int)v;
}

static void mapping(json_t *diag, const char *name, pid_t pid, const struct smaps_mapping *m, const char *enabled)
{
	if (smaps_is_hugetlb(m))
		diag_add(diag, DIAG_CAUSE, "ram-hugetlb", name,
			 "%s: QEMU's guest RAM is hugetlbfs-backed (%s): transparent huge pages do not apply to it",
			 name, m->path);
	else if (!smaps_is_anonymous(m))
		diag_add(diag, DIAG_CAUSE, "ram-not-anonymous", name,
			 "%s: QEMU's guest RAM is not anonymous memory: its %llu MiB mapping at 0x%llx in /proc/%ld/smaps "
			 "maps the file %s, and transparent huge pages back anonymous memory only", name,
			 m->size_kib >> 10, m->start, (long)pid, m->path);
	if (smaps_flag(m, "nh"))
		diag_add(diag, DIAG_CAUSE, "ram-nohugepage", name,
			 "%s: QEMU's guest RAM is madvised MADV_NOHUGEPAGE ('nh' in its VmFlags: %s)", name, m->vmflags);
	else if (!strcmp(enabled, "madvise") && !smaps_flag(m, "hg") && smaps_is_anonymous(m))
		diag_add(diag, DIAG_CAUSE, "ram-not-madvised", name,
			 "%s: THP is madvise-only and QEMU's guest RAM is not madvised MADV_HUGEPAGE (no 'hg' in its "
			 "VmFlags: %s)", name, m->vmflags);
}

json_t *thp_diagnose(const char *root, const char *name, pid_t pid, unsigned long long ram_bytes)
{
	json_t *diag = diag_new();
	char enabled[16], defrag[24];
	long long scan;
	struct smaps_mapping m;
	int proc;

	settings(root, diag, enabled, defrag, &scan);
	if (!enabled[0])
		diag_add(diag, DIAG_CAUSE, "thp-absent", NULL, "this kernel has no transparent huge pages (%s)", THP_DIR);
	else if (!strcmp(enabled, "never"))
		diag_add(diag, DIAG_CAUSE, "thp-never", NULL, "THP is off host-wide: %s/enabled is never", THP_DIR);
	if (pid <= 0) {
		diag_add(diag, DIAG_UNKNOWN, "ram-not-inspected", name,
			 "%s: its QEMU is not a process on this host: its RAM mapping was not inspected", name);
		return diag;
	}
	proc = process_thp(root, pid);
	if (proc >= 0)
		json_object_set_new(diag, "thp_enabled_for_process", json_boolean(proc));
	if (proc == 0)
		diag_add(diag, DIAG_CAUSE, "thp-disabled-process", name,
			 "%s: THP is disabled for its QEMU (THP_enabled: 0 in /proc/%ld/status: prctl PR_SET_THP_DISABLE)",
			 name, (long)pid);
	if (smaps_guest_ram(root, pid, ram_bytes, &m) < 0) {
		diag_add(diag, DIAG_UNKNOWN, "ram-not-found", name, "%s: %s", name, ocb_errmsg());
	} else {
		json_object_set_new(diag, "ram_mapping", smaps_mapping_json(&m));
		mapping(diag, name, pid, &m, enabled);
	}
	if (scan == 0)
		diag_add(diag, DIAG_FACTOR, "khugepaged-off", NULL,
			 "khugepaged collapses nothing (khugepaged/pages_to_scan is 0): memory that got no huge page "
			 "when faulted in stays in small pages");
	if (!strcmp(defrag, "never"))
		diag_add(diag, DIAG_FACTOR, "defrag-never", NULL,
			 "defrag is never: a fault gets a huge page only when one is free at once");
	return diag;
}
