/* sysfs.c — see sysfs.h. */
#include "host/sysfs.h"
#include "util/error.h"
#include "util/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define OCB_SYSFS_MAGIC 0x62656572
#define OCB_PROC_MAGIC 0x9fa0

static sysfs_fake_hook fake_hook;

void sysfs_set_fake_hook(sysfs_fake_hook hook)
{
	fake_hook = hook;
}

void sysfs_path(const char *root, const char *rel, struct strbuf *out)
{
	strbuf_reset(out);
	if (root && *root && strcmp(root, "/") != 0) {
		strbuf_adds(out, root);
		while (out->len > 1 && out->buf[out->len - 1] == '/')
			out->buf[--out->len] = '\0';
	}
	strbuf_adds(out, rel);
}

int sysfs_exists(const char *root, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	int ok;

	sysfs_path(root, rel, &p);
	ok = path_exists(p.buf);
	strbuf_release(&p);
	return ok;
}

int sysfs_read_raw(const char *root, const char *rel, struct strbuf *out)
{
	struct strbuf p = STRBUF_INIT;
	int rc;

	sysfs_path(root, rel, &p);
	rc = read_file(p.buf, out);
	strbuf_grow(out, 0);	/* an empty file (torn by a crash) is "" not NULL */
	strbuf_release(&p);
	return rc;
}

void sysfs_selected(const char *raw, struct strbuf *out)
{
	const char *open = strchr(raw, '['), *close = open ? strchr(open, ']') : NULL;
	const char *s = raw, *e;

	strbuf_reset(out);
	if (open && close) {
		strbuf_add(out, open + 1, (size_t)(close - open - 1));
		return;
	}
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
		e--;
	strbuf_add(out, s, (size_t)(e - s));
}

int sysfs_choice_listed(const char *raw, const char *word)
{
	size_t wl = strlen(word);
	const char *p = raw;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '[' || *p == ']' || *p == '\n')
			p++;
		n = strcspn(p, " []\n");
		if (n == wl && n && !strncmp(p, word, n))
			return 1;
		p += n;
	}
	return 0;
}

int sysfs_read(const char *root, const char *rel, struct strbuf *out)
{
	struct strbuf raw = STRBUF_INIT, sel = STRBUF_INIT;

	if (sysfs_read_raw(root, rel, &raw) < 0) {
		strbuf_release(&raw);
		return -1;
	}
	sysfs_selected(raw.buf, &sel);
	strbuf_adds(out, sel.buf);
	strbuf_release(&raw);
	strbuf_release(&sel);
	return 0;
}

int sysfs_read_u64(const char *root, const char *rel, unsigned long long *v)
{
	struct strbuf s = STRBUF_INIT;
	char *end;
	int rc = 0;

	if (sysfs_read(root, rel, &s) < 0) {
		strbuf_release(&s);
		return -1;
	}
	errno = 0;
	*v = strtoull(s.buf, &end, 10);
	if (errno || end == s.buf || *end || s.buf[0] == '-') {
		struct strbuf p = STRBUF_INIT;

		sysfs_path(root, rel, &p);
		rc = ocb_fail("%s: expected an unsigned integer, read '%s'", p.buf, s.buf);
		strbuf_release(&p);
	}
	strbuf_release(&s);
	return rc;
}

static int path_is_kernel_file(const char *path)
{
	struct statfs fs;

	if (statfs(path, &fs) < 0)
		return 0;
	return fs.f_type == OCB_SYSFS_MAGIC || fs.f_type == OCB_PROC_MAGIC;
}

int sysfs_writable(const char *root, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	int ok;

	sysfs_path(root, rel, &p);
	ok = faccessat(AT_FDCWD, p.buf, W_OK, AT_EACCESS) == 0;
	strbuf_release(&p);
	return ok;
}

int sysfs_is_kernel_file(const char *root, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	int k;

	sysfs_path(root, rel, &p);
	k = path_is_kernel_file(p.buf);
	strbuf_release(&p);
	return k;
}

static int write_error(const char *path, const char *value)
{
	int e = errno;

	if ((e == EACCES || e == EPERM || e == EROFS) && geteuid() != 0)
		return ocb_fail_errno("cannot write '%s' to %s (needs root)", value, path);
	return ocb_fail_errno("cannot write '%s' to %s", value, path);
}

/* One write() of the whole buffer: the kernel parses a sysfs store once. */
static int write_bytes(const char *path, const char *data, size_t len, const char *shown)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return write_error(path, shown);
	do
		n = write(fd, data, len);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		if (n >= 0)
			errno = EIO;
		write_error(path, shown);
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return write_error(path, shown);
	return 0;
}

/* A plain choice file "a [b] c": rewrite it with the brackets on word. */
static void rewrite_choice(const char *raw, const char *word, struct strbuf *out)
{
	const char *p = raw;
	int first = 1;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '[' || *p == ']' || *p == '\n')
			p++;
		n = strcspn(p, " []\n");
		if (!n)
			break;
		if (!first)
			strbuf_addch(out, ' ');
		first = 0;
		if (n == strlen(word) && !strncmp(p, word, n))
			strbuf_addf(out, "[%s]", word);
		else
			strbuf_add(out, p, n);
		p += n;
	}
	strbuf_addch(out, '\n');
}

int sysfs_write(const char *root, const char *rel, const char *value)
{
	struct strbuf p = STRBUF_INIT, data = STRBUF_INIT, old = STRBUF_INIT;
	int rc;

	sysfs_path(root, rel, &p);
	if (path_is_kernel_file(p.buf)) {
		rc = write_bytes(p.buf, value, strlen(value), value);
		goto out;
	}
	if (read_file(p.buf, &old) == 0 && strchr(old.buf, '[') &&
	    sysfs_choice_listed(old.buf, value))
		rewrite_choice(old.buf, value, &data);
	else
		strbuf_addf(&data, "%s\n", value);
	rc = write_bytes(p.buf, data.buf, data.len, value);
	if (rc == 0 && fake_hook)
		fake_hook(p.buf, value);
out:
	strbuf_release(&p);
	strbuf_release(&data);
	strbuf_release(&old);
	return rc;
}

int sysfs_restore_raw(const char *root, const char *rel, const char *raw)
{
	struct strbuf p = STRBUF_INIT, sel = STRBUF_INIT;
	int rc;

	sysfs_path(root, rel, &p);
	if (path_is_kernel_file(p.buf)) {
		sysfs_selected(raw, &sel);
		rc = write_bytes(p.buf, sel.buf, sel.len, sel.buf);
	} else {
		rc = write_bytes(p.buf, raw, strlen(raw), "(previous contents)");
	}
	strbuf_release(&p);
	strbuf_release(&sel);
	return rc;
}

json_t *sysfs_json_read(const char *root, const char *rel)
{
	struct strbuf v = STRBUF_INIT;
	json_t *j = NULL;
	char *end;
	long long n;

	if (sysfs_read(root, rel, &v) < 0) {
		strbuf_release(&v);
		return NULL;
	}
	errno = 0;
	n = strtoll(v.buf, &end, 10);
	if (v.len && !*end && !errno)
		j = json_integer(n);
	else
		j = json_string(v.buf);
	strbuf_release(&v);
	return j;
}

int sysfs_json_fill(json_t *obj, const char *root, const char *dir, const char *const *names)
{
	struct strbuf rel = STRBUF_INIT;
	int n = 0;

	for (size_t i = 0; names[i]; i++) {
		json_t *v;

		strbuf_reset(&rel);
		strbuf_addf(&rel, "%s/%s", dir, names[i]);
		v = sysfs_json_read(root, rel.buf);
		if (v) {
			json_object_set_new(obj, names[i], v);
			n++;
		}
	}
	strbuf_release(&rel);
	return n;
}
