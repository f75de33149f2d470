/* smaps.c — see smaps.h. */
#include "host/smaps.h"
#include "host/sysfs.h"
#include "util/error.h"
#include "util/strbuf.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "7f..-7f.. rw-p 00000000 00:00 0   /path": the start of a mapping. */
static int header(const char *line, struct smaps_mapping *m)
{
	int path_at = 0;

	memset(m, 0, sizeof(*m));
	/* No blank after the last field: it would skip the newline of a
	 * mapping without a path and take the next line for one. */
	if (sscanf(line, "%llx-%llx %*s %*s %*s %*s%n", &m->start, &m->end, &path_at) < 2 || m->end < m->start)
		return 0;
	m->size_kib = (m->end - m->start) / 1024;
	if (path_at > 0) {
		const char *p = line + path_at + strspn(line + path_at, " \t");
		size_t n = strcspn(p, "\n");

		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		snprintf(m->path, sizeof(m->path), "%.*s", (int)n, p);
	}
	return 1;
}

/* "Key:   N kB" and "VmFlags: ..." lines of the current mapping. */
static void field(const char *line, struct smaps_mapping *m)
{
	static const struct {
		const char *key;
		size_t off;
	} kib[] = {
		{ "Rss:", offsetof(struct smaps_mapping, rss_kib) },
		{ "Anonymous:", offsetof(struct smaps_mapping, anon_kib) },
		{ "AnonHugePages:", offsetof(struct smaps_mapping, anon_huge_kib) },
		{ "KernelPageSize:", offsetof(struct smaps_mapping, kernel_page_kib) },
	};

	if (!strncmp(line, "VmFlags:", 8)) {
		const char *p = line + 8;
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, "\n");
		while (n && p[n - 1] == ' ')
			n--;
		snprintf(m->vmflags, sizeof(m->vmflags), "%.*s", (int)n, p);
		return;
	}
	for (size_t i = 0; i < sizeof(kib) / sizeof(kib[0]); i++)
		if (!strncmp(line, kib[i].key, strlen(kib[i].key)))
			*(unsigned long long *)((char *)m + kib[i].off) = strtoull(line + strlen(kib[i].key), NULL, 10);
}

/* Keep cur when it is a better guest RAM candidate than best. */
static void consider(const struct smaps_mapping *cur, unsigned long long ram_kib, struct smaps_mapping *best,
		     int *found)
{
	if (cur->size_kib < ram_kib || smaps_flag(cur, "ex"))
		return;
	if (!*found || cur->size_kib < best->size_kib) {
		*best = *cur;
		*found = 1;
	}
}

int smaps_find_ram(const char *text, unsigned long long ram_bytes, struct smaps_mapping *m)
{
	struct smaps_mapping cur;
	unsigned long long ram_kib = ram_bytes / 1024;
	int in = 0, found = 0;

	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		struct smaps_mapping next;

		if (header(line, &next)) {
			if (in)
				consider(&cur, ram_kib, m, &found);
			cur = next;
			in = 1;
		} else if (in) {
			field(line, &cur);
		}
		line = nl ? nl + 1 : NULL;
	}
	if (in)
		consider(&cur, ram_kib, m, &found);
	if (!found)
		return ocb_fail("no mapping of at least %llu MiB that is not executable (the guest RAM)",
				ram_bytes >> 20);
	return 0;
}

int smaps_guest_ram(const char *root, pid_t pid, unsigned long long ram_bytes, struct smaps_mapping *m)
{
	struct strbuf rel = STRBUF_INIT, text = STRBUF_INIT;
	int rc;

	strbuf_addf(&rel, "/proc/%ld/smaps", (long)pid);
	rc = sysfs_read_raw(root, rel.buf, &text);
	if (rc == 0 && smaps_find_ram(text.buf, ram_bytes, m) < 0)
		rc = ocb_err_prefix("%s: ", rel.buf);
	strbuf_release(&rel);
	strbuf_release(&text);
	return rc;
}

int smaps_flag(const struct smaps_mapping *m, const char *flag)
{
	size_t n = strlen(flag);

	for (const char *p = m->vmflags; (p = strstr(p, flag)); p += n)
		if ((p == m->vmflags || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

int smaps_is_hugetlb(const struct smaps_mapping *m)
{
	return smaps_flag(m, "ht") || m->kernel_page_kib > 4;
}

int smaps_is_anonymous(const struct smaps_mapping *m)
{
	return m->path[0] == '\0' || m->path[0] == '[';
}

json_t *smaps_mapping_json(const struct smaps_mapping *m)
{
	char start[32];

	snprintf(start, sizeof(start), "0x%llx", m->start);
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:I}", "start", start, "size_kib",
			 (json_int_t)m->size_kib, "backing",
			 smaps_is_hugetlb(m) ? "hugetlbfs" : smaps_is_anonymous(m) ? "anonymous" : "file",
			 "path", m->path, "vmflags", m->vmflags, "rss_kib", (json_int_t)m->rss_kib,
			 "anon_huge_kib", (json_int_t)m->anon_huge_kib, "kernel_page_kib",
			 (json_int_t)m->kernel_page_kib);
}
