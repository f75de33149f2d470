/* knobs.c — see knobs.h.  The table below is the single list of what
 * ocbench may change on a host. */
#include "knobs/knobs.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "host/hostinfo.h"
#include "host/hugetlb.h"
#include "knobs/journal.h"
#include "knobs/knobs-internal.h"
#include "knobs/modparam.h"
#include "knobs/swapknob.h"
#include "host/kvmparam.h"
#include "util/suggest.h"
#include "host/sysfs.h"
#include "util/units.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum knob_kind {
	K_UINT,		/* decimal in [min, max] */
	K_MAP,		/* words mapped to the value written (on -> 1) */
	K_CHOICE,	/* one of the words, written as is (choice files) */
	K_HUGETLB,	/* page count or memory amount; read back and compared */
	K_KVMPARAM,	/* module parameter: changing it reloads the module */
	K_TEXT,		/* free text of digits, spaces and signs (uksm.cpu_ratios) */
	K_SWAP,		/* a temporary swap file of that size (swapknob.h) */
};

struct knob_word {
	const char *word, *value;
};

struct knob {
	const char *name;
	const char *path;
	enum knob_kind kind;
	unsigned long long min, max;
	const struct knob_word *words;
	const char *help;
};

static const struct knob_word w_ksm_run[] = {
	{ "on", "1" }, { "off", "0" }, { "unmerge", "2" }, { "1", "1" }, { "0", "0" }, { "2", "2" },
	{ NULL, NULL }
};
static const struct knob_word w_bool[] = {
	{ "on", "1" }, { "off", "0" }, { "1", "1" }, { "0", "0" }, { NULL, NULL }
};
static const struct knob_word w_yn[] = {
	{ "on", "Y" }, { "off", "N" }, { "1", "Y" }, { "0", "N" }, { "Y", "Y" }, { "N", "N" },
	{ NULL, NULL }
};
static const struct knob_word w_overcommit[] = {
	{ "heuristic", "0" }, { "always", "1" }, { "never", "2" },
	{ "0", "0" }, { "1", "1" }, { "2", "2" }, { NULL, NULL }
};
static const struct knob_word w_thp[] = {
	{ "always", NULL }, { "madvise", NULL }, { "never", NULL }, { NULL, NULL }
};
static const struct knob_word w_thp_defrag[] = {
	{ "always", NULL }, { "defer", NULL }, { "defer+madvise", NULL }, { "madvise", NULL },
	{ "never", NULL }, { NULL, NULL }
};
static const struct knob_word w_shmem[] = {
	{ "always", NULL }, { "within_size", NULL }, { "advise", NULL }, { "never", NULL },
	{ "deny", NULL }, { "force", NULL }, { NULL, NULL }
};
static const struct knob_word w_advisor[] = {
	{ "none", NULL }, { "scan-time", NULL }, { NULL, NULL }
};
static const struct knob_word w_governor[] = {
	{ "full", NULL }, { "medium", NULL }, { "low", NULL }, { "quarter", NULL }, { NULL, NULL }
};

#define KSM "/sys/kernel/mm/ksm/"
#define UKSM "/sys/kernel/mm/uksm/"
#define THP "/sys/kernel/mm/transparent_hugepage/"
#define KHP THP "khugepaged/"
#define VM "/proc/sys/vm/"
#define U32 4294967295ull

static const struct knob knobs[] = {
	{ "ksm", KSM "run", K_MAP, 0, 0, w_ksm_run, "KSM: run (on), stop (off), or unmerge everything" },
	{ "ksm.pages_to_scan", KSM "pages_to_scan", K_UINT, 0, 100000000, NULL, "KSM: pages scanned per wake-up" },
	{ "ksm.sleep_millisecs", KSM "sleep_millisecs", K_UINT, 0, U32, NULL, "KSM: sleep between scans (ms)" },
	{ "ksm.merge_across_nodes", KSM "merge_across_nodes", K_MAP, 0, 0, w_bool, "KSM: merge pages of different NUMA nodes (only while nothing is merged)" },
	{ "ksm.use_zero_pages", KSM "use_zero_pages", K_MAP, 0, 0, w_bool, "KSM: merge empty pages with the zero page" },
	{ "ksm.max_page_sharing", KSM "max_page_sharing", K_UINT, 2, U32, NULL, "KSM: most sharers of one KSM page" },
	{ "ksm.stable_node_chains_prune_millisecs", KSM "stable_node_chains_prune_millisecs", K_UINT, 0, U32, NULL, "KSM: stale stable node scan interval (ms)" },
	{ "ksm.smart_scan", KSM "smart_scan", K_MAP, 0, 0, w_bool, "KSM: skip pages that did not merge recently (6.7+)" },
	{ "ksm.advisor_mode", KSM "advisor_mode", K_CHOICE, 0, 0, w_advisor, "KSM: pages_to_scan auto-tuning (6.8+)" },
	{ "ksm.advisor_max_cpu", KSM "advisor_max_cpu", K_UINT, 1, 100, NULL, "KSM advisor: CPU percent ceiling" },
	{ "ksm.advisor_min_pages_to_scan", KSM "advisor_min_pages_to_scan", K_UINT, 1, U32, NULL, "KSM advisor: the pages_to_scan it starts from (not a floor)" },
	{ "ksm.advisor_max_pages_to_scan", KSM "advisor_max_pages_to_scan", K_UINT, 1, U32, NULL, "KSM advisor: upper pages_to_scan bound" },
	{ "ksm.advisor_target_scan_time", KSM "advisor_target_scan_time", K_UINT, 1, U32, NULL, "KSM advisor: target full-scan time (s)" },
	{ "uksm", UKSM "run", K_MAP, 0, 0, w_bool, "UKSM: run (on) or stop (off)" },
	{ "uksm.cpu_governor", UKSM "cpu_governor", K_CHOICE, 0, 0, w_governor, "UKSM: CPU usage governor" },
	{ "uksm.max_cpu_percentage", UKSM "max_cpu_percentage", K_UINT, 1, 100, NULL, "UKSM: CPU percent ceiling" },
	{ "uksm.cpu_ratios", UKSM "cpu_ratios", K_TEXT, 0, 0, NULL, "UKSM: per-level CPU ratios (e.g. \"-20 -20 -20 -20\")" },
	{ "uksm.eval_intervals", UKSM "eval_intervals", K_UINT, 1, U32, NULL, "UKSM: evaluation interval" },
	{ "uksm.abundant_threshold", UKSM "abundant_threshold", K_UINT, 0, 100, NULL, "UKSM: abundant threshold (%)" },
	{ "uksm.hash_strength", UKSM "hash_strength", K_UINT, 0, U32, NULL, "UKSM: hash strength" },
	{ "thp", THP "enabled", K_CHOICE, 0, 0, w_thp, "THP for anonymous memory" },
	{ "thp.defrag", THP "defrag", K_CHOICE, 0, 0, w_thp_defrag, "THP: direct compaction on fault" },
	{ "thp.shmem_enabled", THP "shmem_enabled", K_CHOICE, 0, 0, w_shmem, "THP for shmem/tmpfs" },
	{ "thp.use_zero_page", THP "use_zero_page", K_MAP, 0, 0, w_bool, "THP: huge zero page on read faults" },
	{ "thp.khugepaged.defrag", KHP "defrag", K_MAP, 0, 0, w_bool, "khugepaged: compaction to collapse" },
	{ "thp.khugepaged.pages_to_scan", KHP "pages_to_scan", K_UINT, 1, U32, NULL, "khugepaged: pages per pass" },
	{ "thp.khugepaged.scan_sleep_millisecs", KHP "scan_sleep_millisecs", K_UINT, 0, U32, NULL, "khugepaged: sleep between passes (ms)" },
	{ "thp.khugepaged.alloc_sleep_millisecs", KHP "alloc_sleep_millisecs", K_UINT, 0, U32, NULL, "khugepaged: sleep after an allocation failure (ms)" },
	{ "thp.khugepaged.max_ptes_none", KHP "max_ptes_none", K_UINT, 0, 511, NULL, "khugepaged: empty PTEs allowed in a collapse" },
	{ "thp.khugepaged.max_ptes_swap", KHP "max_ptes_swap", K_UINT, 0, 511, NULL, "khugepaged: swapped PTEs allowed in a collapse" },
	{ "thp.khugepaged.max_ptes_shared", KHP "max_ptes_shared", K_UINT, 0, 511, NULL, "khugepaged: shared PTEs allowed in a collapse" },
	{ "hugetlb.2M", HUGETLB_DIR "/hugepages-2048kB/nr_hugepages", K_HUGETLB, 0, 0, NULL, "hugetlb: 2 MiB pool (pages, or memory such as 1G); hugetlb.2M.node<N> for one node" },
	{ "hugetlb.1G", HUGETLB_DIR "/hugepages-1048576kB/nr_hugepages", K_HUGETLB, 0, 0, NULL, "hugetlb: 1 GiB pool (pages, or memory such as 4G); hugetlb.1G.node<N> for one node" },
	{ "ept", "/sys/module/kvm_intel/parameters/ept", K_KVMPARAM, 0, 0, w_yn, "kvm_intel: extended page tables (module reload)" },
	{ "vpid", "/sys/module/kvm_intel/parameters/vpid", K_KVMPARAM, 0, 0, w_yn, "kvm_intel: virtual processor ids (module reload)" },
	{ "npt", "/sys/module/kvm_amd/parameters/npt", K_KVMPARAM, 0, 0, w_yn, "kvm_amd: nested page tables (module reload)" },
	{ "swap", "", K_SWAP, 0, 0, NULL, "a temporary swap file of this size (e.g. 4G), swapped on for the run, off and removed after" },
	{ "swappiness", VM "swappiness", K_UINT, 0, 200, NULL, "vm.swappiness" },
	{ "overcommit_memory", VM "overcommit_memory", K_MAP, 0, 0, w_overcommit, "vm.overcommit_memory: heuristic (0), always (1), never (2)" },
	{ "overcommit_ratio", VM "overcommit_ratio", K_UINT, 0, 10000, NULL, "vm.overcommit_ratio (%), used when overcommit_memory = never" },
};
#define NKNOBS (sizeof(knobs) / sizeof(knobs[0]))

/* ---- lookup and validation (no host access) ---- */

static const struct knob *find_knob(const char *key)
{
	for (size_t i = 0; i < NKNOBS; i++)
		if (!strcmp(knobs[i].name, key))
			return &knobs[i];
	return NULL;
}

const char *const *knob_names(void)
{
	static const char *names[NKNOBS + 1];

	if (!names[0])
		for (size_t i = 0; i < NKNOBS; i++)
			names[i] = knobs[i].name;
	return names;
}

const char *knob_suggest(const char *key)
{
	return ocb_suggest(key, knob_names());
}

static int unknown_knob(const char *key)
{
	const char *s = knob_suggest(key);

	if (s)
		return ocb_fail("unknown host knob '%s' (did you mean '%s'?)", key, s);
	return ocb_fail("unknown host knob '%s' ('ocbench host --knobs' lists them)", key);
}

/* The table entry for key; hugetlb.<size>[.node<N>] keys share one entry
 * per size-less kind and get their path in rel. */
static const struct knob *resolve(const char *key, struct strbuf *rel, unsigned long long *size_kib)
{
	static const struct knob hugetlb_any = {
		"hugetlb.<size>", NULL, K_HUGETLB, 0, 0, NULL, "hugetlb pool (pages, or memory)"
	};
	const struct knob *k = find_knob(key);
	int h;

	*size_kib = 0;
	h = hugetlb_key_path(key, rel, size_kib);
	if (h < 0)
		return NULL;
	if (h > 0)
		return k ? k : &hugetlb_any;
	if (!k) {
		unknown_knob(key);
		return NULL;
	}
	strbuf_reset(rel);
	strbuf_adds(rel, k->path);
	return k;
}

static void allowed_phrase(const struct knob *k, struct strbuf *out)
{
	size_t n = 0;

	strbuf_reset(out);
	switch (k->kind) {
	case K_UINT:
		strbuf_addf(out, "an integer from %llu to %llu", k->min, k->max);
		return;
	case K_HUGETLB:
		strbuf_adds(out, "a page count (512) or an amount of memory (1G)");
		return;
	case K_TEXT:
		strbuf_adds(out, "integers separated by spaces");
		return;
	case K_SWAP:
		strbuf_adds(out, "an amount of memory (4G; a bare number is MiB)");
		return;
	default:
		break;
	}
	while (k->words[n].word)
		n++;
	for (size_t i = 0; i < n; i++)
		strbuf_addf(out, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", k->words[i].word);
}

void knob_allowed(const char *key, struct strbuf *out)
{
	struct strbuf rel = STRBUF_INIT;
	unsigned long long kib;
	const struct knob *k = resolve(key, &rel, &kib);

	strbuf_release(&rel);
	if (k)
		allowed_phrase(k, out);
	else
		strbuf_reset(out);
}

const char *knob_help(const char *key)
{
	const struct knob *k = find_knob(key);

	if (!k && !strncmp(key, "hugetlb.", 8))
		return "hugetlb pool of that page size (pages, or memory such as 1G)";
	return k ? k->help : NULL;
}

static int bad_value(const struct knob *k, const char *key, const char *value)
{
	struct strbuf a = STRBUF_INIT;

	allowed_phrase(k, &a);
	ocb_fail("invalid value '%s' for host knob '%s': expected %s", value, key, a.buf);
	strbuf_release(&a);
	return -1;
}

/* The string to write for value, into out. */
static int normalize(const struct knob *k, const char *key, const char *value,
		     unsigned long long size_kib, struct strbuf *out)
{
	uint64_t v;

	strbuf_reset(out);
	switch (k->kind) {
	case K_UINT:
		if (parse_u64_range(value, k->min, k->max, &v) < 0)
			return bad_value(k, key, value);
		strbuf_addf(out, "%llu", (unsigned long long)v);
		return 0;
	case K_HUGETLB: {
		unsigned long long pages;

		if (hugetlb_parse_count(value, size_kib, &pages) < 0)
			return ocb_err_prefix("host knob '%s': ", key);
		strbuf_addf(out, "%llu", pages);
		return 0;
	}
	case K_SWAP:
		if (parse_size(value, MiB, &v) < 0 || v % MiB)
			return bad_value(k, key, value);
		strbuf_addf(out, "%llu", (unsigned long long)(v / MiB));
		return 0;
	case K_TEXT:
		if (!*value || strspn(value, "0123456789 -+") != strlen(value))
			return bad_value(k, key, value);
		strbuf_adds(out, value);
		return 0;
	default:
		for (size_t i = 0; k->words[i].word; i++) {
			if (strcmp(k->words[i].word, value))
				continue;
			strbuf_adds(out, k->words[i].value ? k->words[i].value : value);
			return 0;
		}
		return bad_value(k, key, value);
	}
}

int knob_validate(const char *key, const char *value)
{
	struct strbuf rel = STRBUF_INIT, want = STRBUF_INIT;
	unsigned long long kib;
	const struct knob *k = resolve(key, &rel, &kib);
	int rc = k ? normalize(k, key, value, kib, &want) : -1;

	strbuf_release(&rel);
	strbuf_release(&want);
	return rc;
}

int knob_path_allowed(const char *rel)
{
	unsigned long long kib;
	unsigned node;
	int end = 0;

	for (size_t i = 0; i < NKNOBS; i++)
		if (!strcmp(knobs[i].path, rel))
			return 1;
	if (sscanf(rel, HUGETLB_DIR "/hugepages-%llukB/nr_hugepages%n", &kib, &end) == 1 &&
	    end && !rel[end])
		return 1;
	end = 0;
	if (sscanf(rel, NODE_DIR "/node%u/hugepages/hugepages-%llukB/nr_hugepages%n",
		   &node, &kib, &end) == 2 && end && !rel[end])
		return 1;
	return 0;
}

/* ---- reading the host ---- */

static void missing_reason(const struct knob *k, const char *key, const char *root,
			   const char *rel, char *why, size_t len)
{
	if (!strncmp(rel, UKSM, strlen(UKSM)) && !sysfs_exists(root, "/sys/kernel/mm/uksm"))
		snprintf(why, len, "%s: UKSM is not in this kernel (no /sys/kernel/mm/uksm)", key);
	else if (!strncmp(rel, KSM, strlen(KSM)) && !sysfs_exists(root, "/sys/kernel/mm/ksm"))
		snprintf(why, len, "%s: KSM is not in this kernel (no /sys/kernel/mm/ksm)", key);
	else if (!strncmp(rel, THP, strlen(THP)) && !sysfs_exists(root, THP "enabled"))
		snprintf(why, len, "%s: THP is not in this kernel (no %s)", key, THP);
	else if (k->kind == K_HUGETLB)
		snprintf(why, len, "%s: no such hugetlb pool on this host (%s does not exist)",
			 key, rel);
	else
		snprintf(why, len, "%s: %s does not exist on this kernel", key, rel);
}

int knob_read(const char *root, const char *key, struct strbuf *out)
{
	struct strbuf rel = STRBUF_INIT;
	unsigned long long kib;
	const struct knob *k = resolve(key, &rel, &kib);
	char why[512];
	int rc = -1;

	strbuf_reset(out);
	if (!k)
		goto out;
	if (k->kind == K_SWAP) {	/* nothing to read: a file ocbench makes */
		strbuf_adds(out, "none");
		rc = 0;
		goto out;
	}
	if (!sysfs_exists(root, rel.buf)) {
		missing_reason(k, key, root, rel.buf, why, sizeof(why));
		strbuf_adds(out, why);
		rc = 1;
		goto out;
	}
	rc = sysfs_read(root, rel.buf, out);
out:
	strbuf_release(&rel);
	return rc;
}

json_t *knob_host_fingerprint(const char *root)
{
	struct strbuf v = STRBUF_INIT;
	json_t *o = hostinfo_collect(root), *unw = json_array();

	if (knob_unwritable(root, &v) > 0) {
		char *save = NULL;

		for (char *t = strtok_r(v.buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
			json_array_append_new(unw, json_string(t));
	}
	json_object_set_new(o, "unwritable_knobs", unw);
	strbuf_release(&v);
	return o;
}

int knob_unwritable(const char *root, struct strbuf *out)
{
	struct strbuf p = STRBUF_INIT;
	int n = 0;

	strbuf_reset(out);
	for (size_t i = 0; i < NKNOBS; i++) {
		/* module parameters are read-only files: reloading needs root */
		int needs = knobs[i].kind == K_KVMPARAM ? geteuid() != 0 : 0;

		sysfs_path(root, knobs[i].path, &p);
		if (knobs[i].kind == K_SWAP || !path_exists(p.buf))
			continue;
		if (knobs[i].kind != K_KVMPARAM)
			needs = faccessat(AT_FDCWD, p.buf, W_OK, AT_EACCESS) != 0;
		if (!needs)
			continue;
		strbuf_addf(out, "%s%s", n ? ", " : "", knobs[i].name);
		n++;
	}
	strbuf_release(&p);
	return n;
}

/* ---- the journaled session ---- */


static int same_bytes(const char *root, const char *rel, const char *raw)
{
	struct strbuf cur = STRBUF_INIT;
	int same = sysfs_read_raw(root, rel, &cur) == 0 && !strcmp(strbuf_str(&cur), raw);

	strbuf_release(&cur);
	return same;
}

/* Put one journal record back.  Shared by knob_set_restore() and
 * `ocbench restore`: the record is trusted only as far as the whitelist. */
static int undo_entry(const char *root, const struct journal_entry *e, void *arg)
{
	struct strbuf now = STRBUF_INIT, want = STRBUF_INIT;
	int rc = -1;

	(void)arg;
	if (!strcmp(e->kind, SWAPKNOB_KIND))
		return swapknob_undo(root, e);
	if (!knob_path_allowed(e->path))
		return ocb_fail("journal record for %s: not a path ocbench may write, left alone",
				e->path);
	sysfs_selected(e->prev, &want);
	if (!strcmp(e->kind, "modparam")) {
		const char *param = strrchr(e->path, '/') + 1;

		if (sysfs_read(root, e->path, &now) == 0 && !strcmp(now.buf, want.buf))
			rc = 0;
		else
			rc = kvmparam_reload(root, param, want.buf);
		if (rc < 0)
			ocb_err_prefix("restoring %s=%s: ", param, want.buf);
		goto out;
	}
	if (strcmp(e->kind, "set")) {
		rc = ocb_fail("journal record of unknown kind '%s' for %s", e->kind, e->path);
		goto out;
	}
	if (!sysfs_exists(root, e->path)) {
		rc = 0;	/* the setting no longer exists (module unloaded): nothing to put back */
		goto out;
	}
	if (sysfs_read(root, e->path, &now) == 0 && !strcmp(now.buf, want.buf) &&
	    (sysfs_is_kernel_file(root, e->path) || same_bytes(root, e->path, e->prev))) {
		rc = 0;	/* already as it was (the write never happened, or undone before) */
		goto out;
	}
	strbuf_reset(&now);
	if (sysfs_restore_raw(root, e->path, e->prev) < 0)
		goto out;
	if (sysfs_read(root, e->path, &now) < 0)
		goto out;
	if (strcmp(now.buf, want.buf)) {
		struct strbuf p = STRBUF_INIT;

		sysfs_path(root, e->path, &p);
		ocb_fail("%s: wrote back '%s' but it reads '%s'", p.buf, want.buf, now.buf);
		strbuf_release(&p);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&now);
	strbuf_release(&want);
	return rc;
}

static char *dup_root(const char *root)
{
	return xstrdup(root && *root ? root : "/");
}

/* --force: restore a killed run's journal, or set it aside. */
static void force_past_journal(const char *state_dir)
{
	struct strbuf p = STRBUF_INIT, aside = STRBUF_INIT;

	if (knob_restore_journal(NULL, state_dir) == 0)
		goto out;
	journal_file_path(state_dir, &p);
	strbuf_addf(&aside, "%s.abandoned-%ld", p.buf, (long)time(NULL));
	fprintf(stderr, "ocbench: warning: --force: %s; moving the journal to %s\n",
		ocb_errmsg(), aside.buf);
	if (rename(p.buf, aside.buf) < 0)
		fprintf(stderr, "ocbench: warning: cannot rename %s: %s\n", p.buf, strerror(errno));
out:
	strbuf_release(&p);
	strbuf_release(&aside);
}

struct knob_set *knob_set_begin(const char *root, const char *state_dir, int force)
{
	struct knob_set *ks;

	if (!state_dir)
		state_dir = journal_default_state_dir();
	if (force)
		force_past_journal(state_dir);
	ks = xcalloc(1, sizeof(*ks));
	ks->root = dup_root(root);
	ks->j = journal_create(state_dir, ks->root);
	if (!ks->j) {
		free(ks->root);
		free(ks);
		return NULL;
	}
	ks->applied = json_object();
	return ks;
}

void knob_set_allow_module_reload(struct knob_set *ks, int allow)
{
	ks->allow_module_reload = allow;
}

json_t *knob_set_applied(const struct knob_set *ks)
{
	return ks->applied;
}

static void record_applied(struct knob_set *ks, const char *key, const char *value,
			   const char *prev)
{
	json_t *o = json_object();

	json_object_set_new(o, "value", json_string(value));
	json_object_set_new(o, "previous", json_string(prev));
	json_object_set_new(ks->applied, key, o);
}

/* After a write: does the knob read what we asked?  hugetlb is the case
 * where the kernel legitimately gives less; say so in numbers. */
static int check_readback(struct knob_set *ks, const struct knob *k, const char *key,
			  const char *rel, const char *want)
{
	struct strbuf now = STRBUF_INIT, p = STRBUF_INIT;
	int rc = -1;

	if (sysfs_read(ks->root, rel, &now) < 0)
		goto out;
	if (!strcmp(now.buf, want)) {
		rc = 0;
		goto out;
	}
	sysfs_path(ks->root, rel, &p);
	if (k->kind == K_HUGETLB)
		ocb_fail("host knob '%s': requested %s pages, got %s (%s; memory too fragmented "
			 "or too small)", key, want, now.buf, p.buf);
	else
		ocb_fail("host knob '%s': wrote '%s' to %s but it reads back '%s'", key, want,
			 p.buf, now.buf);
out:
	strbuf_release(&now);
	strbuf_release(&p);
	return rc;
}

int knob_apply(struct knob_set *ks, const char *key, const char *value,
	       char *skip_reason, size_t reason_len)
{
	struct strbuf rel = STRBUF_INIT, want = STRBUF_INIT, raw = STRBUF_INIT, prev = STRBUF_INIT;
	unsigned long long kib;
	const struct knob *k = resolve(key, &rel, &kib);
	int rc = -1;

	if (!k || normalize(k, key, value, kib, &want) < 0)
		goto out;
	if (!ks || !ks->j) {
		ocb_fail("host knob '%s': no open knob session", key);
		goto out;
	}
	if (k->kind == K_SWAP) {
		rc = swapknob_apply(ks->j, ks->root, strtoull(want.buf, NULL, 10));
		if (rc == 0)
			record_applied(ks, key, want.buf, "none");
		goto err;
	}
	if (k->kind == K_KVMPARAM) {
		char why[256];

		if (kvmparam_unusable(ks->root, key, why, sizeof(why))) {
			snprintf(skip_reason, reason_len, "%s: %s", key, why);
			rc = 1;
			goto out;
		}
	}
	if (!sysfs_exists(ks->root, rel.buf)) {
		missing_reason(k, key, ks->root, rel.buf, skip_reason, reason_len);
		rc = 1;
		goto out;
	}
	if (sysfs_read_raw(ks->root, rel.buf, &raw) < 0)
		goto err;
	if (k->kind != K_KVMPARAM && !sysfs_writable(ks->root, rel.buf)) {
		struct strbuf p = STRBUF_INIT;

		sysfs_path(ks->root, rel.buf, &p);
		ocb_fail("host knob '%s': %s is not writable%s", key, p.buf,
			 geteuid() ? " (needs root)" : "");
		strbuf_release(&p);
		goto out;
	}
	sysfs_selected(raw.buf, &prev);
	if (!strcmp(prev.buf, want.buf)) {
		rc = 0;		/* already so: nothing to write, nothing to undo */
	} else if (k->kind == K_KVMPARAM) {
		rc = knob_apply_modparam(ks, key, rel.buf, want.buf, raw.buf, prev.buf);
	} else if (journal_append(ks->j, "set", rel.buf, raw.buf) == 0 &&
		   sysfs_write(ks->root, rel.buf, want.buf) == 0) {
		rc = check_readback(ks, k, key, rel.buf, want.buf);
	}
	if (rc == 0)
		record_applied(ks, key, want.buf, prev.buf);
err:
	if (rc < 0 && strncmp(ocb_errmsg(), "host knob", 9))
		ocb_err_prefix("host knob '%s': ", key);
out:
	strbuf_release(&rel);
	strbuf_release(&want);
	strbuf_release(&raw);
	strbuf_release(&prev);
	return rc;
}

int knob_set_restore(struct knob_set *ks)
{
	if (!ks || !ks->j)
		return 0;
	if (journal_undo_all(ks->j, ks->root, undo_entry, NULL) < 0)
		return -1;
	journal_free(ks->j);	/* removed: a second call has nothing to do */
	ks->j = NULL;
	return 0;
}

void knob_set_free(struct knob_set *ks)
{
	if (!ks)
		return;
	journal_free(ks->j);	/* keeps the file if not restored: ocbench restore */
	json_decref(ks->applied);
	free(ks->root);
	free(ks);
}

int knob_restore_journal(const char *root, const char *state_dir)
{
	struct journal *j = NULL;
	int rc;

	if (!state_dir)
		state_dir = journal_default_state_dir();
	rc = journal_load(state_dir, &j);
	if (rc <= 0)
		return rc;
	if (root && j->n && j->root && strcmp(root, j->root)) {
		char *a = realpath(root, NULL), *b = realpath(j->root, NULL);
		int same = a && b && !strcmp(a, b);

		free(a);
		free(b);
		if (!same) {
			ocb_fail("journal %s was written for root %s, not %s", j->path, j->root, root);
			journal_free(j);
			return -1;
		}
	}
	rc = journal_undo_all(j, root, undo_entry, NULL);
	journal_free(j);
	return rc;
}
