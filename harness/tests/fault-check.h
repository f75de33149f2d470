/* fault-check.h — what test-int-faults requires after every injected
 * fault: the host knobs byte for byte as before, every result file
 * parsing (or absent), no QEMU process or libvirt domain of the run left.
 * Header-only, beside int-util.h. */
#ifndef OCB_FAULT_CHECK_H
#define OCB_FAULT_CHECK_H

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/error.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "util/strbuf.h"
#include "int-util.h"

/* ---- host knobs --------------------------------------------------------- */

/* The trees whose writable files are the knobs a run may change (KSM,
 * THP with khugepaged, hugetlb pools) and the overcommit sysctls. */
static const char *const knob_trees[] = {
	"/sys/kernel/mm/ksm", "/sys/kernel/mm/transparent_hugepage", "/sys/kernel/mm/hugepages",
	"/proc/sys/vm/overcommit_memory", "/proc/sys/vm/overcommit_ratio",
	"/proc/sys/vm/nr_overcommit_hugepages", NULL,
};

static int knob_line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every writable regular file under path as "PATH=CONTENT" lines. */
static void knob_walk(const char *path, struct strvec *lines, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (depth > 4 || lstat(path, &st) < 0)
		return;
	if (S_ISREG(st.st_mode)) {
		struct strbuf v = STRBUF_INIT;

		if (!(st.st_mode & S_IWUSR))
			return;	/* a counter, not a knob */
		if (read_file(path, &v) < 0)
			strbuf_addf(&v, "(unreadable: %s)", ocb_errmsg());
		strvec_pushf(lines, "%s=%s", path, strbuf_str(&v));
		strbuf_release(&v);
		return;
	}
	if (!S_ISDIR(st.st_mode) || !(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		char sub[1024];

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		knob_walk(sub, lines, depth + 1);
	}
	closedir(d);
}

/* The knobs now, sorted, one "PATH=VALUE" per line. */
static inline void knob_snapshot(struct strbuf *out)
{
	struct strvec lines = STRVEC_INIT;

	strbuf_reset(out);
	for (size_t i = 0; knob_trees[i]; i++)
		knob_walk(knob_trees[i], &lines, 0);
	if (lines.n)
		qsort(lines.v, lines.n, sizeof(*lines.v), knob_line_cmp);
	for (size_t i = 0; i < lines.n; i++) {
		strbuf_adds(out, lines.v[i]);
		if (!out->len || out->buf[out->len - 1] != '\n')
			strbuf_addch(out, '\n');
	}
	strvec_clear(&lines);
}

/* 1 when after is before byte for byte; else 0, the first changed line
 * of each in why. */
static inline int knob_same(const struct strbuf *before, const struct strbuf *after, char *why,
			    size_t len)
{
	size_t i = 0, a, b;

	if (before->len == after->len && !memcmp(before->buf, after->buf, before->len))
		return 1;
	while (i < before->len && i < after->len && before->buf[i] == after->buf[i])
		i++;
	while (i > 0 && before->buf[i - 1] != '\n')
		i--;
	for (a = i; a < before->len && before->buf[a] != '\n'; a++)
		;
	for (b = i; b < after->len && after->buf[b] != '\n'; b++)
		;
	snprintf(why, len, "was '%.*s', now '%.*s'", (int)(a - i), before->buf + i, (int)(b - i),
		 after->buf + i);
	return 0;
}

/* ---- result files --------------------------------------------------------- */

/* A CSV: a header, then rows of the header's width, whole lines only. */
static int csv_valid(const char *path, const char *text, size_t len, char *why, size_t wlen)
{
	size_t cols = 0, line = 0;
	const char *p = text, *end = text + len;

	if (len && text[len - 1] != '\n') {
		snprintf(why, wlen, "%s: last line cut short (no newline)", path);
		return 0;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t c = 1;

		for (const char *q = p; q < nl; q++)
			c += *q == ',';
		if (!line++)
			cols = c;
		else if (c != cols) {
			snprintf(why, wlen, "%s:%zu: %zu fields, the header has %zu", path, line, c, cols);
			return 0;
		}
		p = nl + 1;
	}
	return 1;
}

/* JSON lines: each a JSON object. */
static int jsonl_valid(const char *path, const char *text, size_t len, char *why, size_t wlen)
{
	const char *p = text, *end = text + len;
	size_t line = 0;

	if (len && text[len - 1] != '\n') {
		snprintf(why, wlen, "%s: last line cut short (no newline)", path);
		return 0;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		json_error_t err;
		json_t *doc = json_loadb(p, (size_t)(nl - p), 0, &err);

		line++;
		if (!json_is_object(doc)) {
			snprintf(why, wlen, "%s:%zu: %s", path, line, doc ? "not an object" : err.text);
			json_decref(doc);
			return 0;
		}
		json_decref(doc);
		p = nl + 1;
	}
	return 1;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && !strcmp(s + a - b, suf);
}

/* Every .json, .jsonl and .csv under dir parses; counts them in *n.
 * 1 valid, 0 with the first bad file in why. */
static inline int results_valid(const char *dir, size_t *n, char *why, size_t wlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int ok = 1;

	if (!d)
		return 1;	/* absent is valid */
	while (ok && (e = readdir(d))) {
		char path[4096];
		struct strbuf text = STRBUF_INIT;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			ok = results_valid(path, n, why, wlen);
			continue;
		}
		if (!has_suffix(path, ".json") && !has_suffix(path, ".jsonl") && !has_suffix(path, ".csv"))
			continue;
		if (read_file(path, &text) < 0) {
			snprintf(why, wlen, "%s: %s", path, ocb_errmsg());
			ok = 0;
		} else if (has_suffix(path, ".csv")) {
			ok = csv_valid(path, text.buf, text.len, why, wlen);
		} else if (has_suffix(path, ".jsonl")) {
			ok = jsonl_valid(path, text.buf, text.len, why, wlen);
		} else {
			json_error_t err;
			json_t *doc = json_loadb(text.buf, text.len, 0, &err);

			if (!doc)
				snprintf(why, wlen, "%s:%d: %s", path, err.line, err.text);
			ok = doc != NULL;
			json_decref(doc);
		}
		(*n)++;
		strbuf_release(&text);
	}
	closedir(d);
	return ok;
}

/* ---- orphans (processes: int_procs_with() of int-util.h) ------------------- */

static void fault_quiet(void *opaque, virErrorPtr err)
{
	(void)opaque;
	(void)err;
}

/* libvirt domains named ocbench-PID-* at uri; -1 when uri does not answer. */
static inline int domains_left(const char *uri, pid_t pid, char *why, size_t wlen)
{
	virConnectPtr c;
	virDomainPtr *doms = NULL;
	char prefix[64];
	int n, found = 0;

	virSetErrorFunc(NULL, fault_quiet);
	if (!(c = virConnectOpen(uri)))
		return -1;
	snprintf(prefix, sizeof(prefix), "ocbench-%ld-", (long)pid);
	n = virConnectListAllDomains(c, &doms, 0);
	for (int i = 0; i < n; i++) {
		const char *name = virDomainGetName(doms[i]);

		if (name && !strncmp(name, prefix, strlen(prefix))) {
			if (!found)
				snprintf(why, wlen, "domain %s", name);
			found++;
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	virConnectClose(c);
	return found;
}

#endif
