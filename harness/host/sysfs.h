/* sysfs.h — reading and writing host knob files under a root.
 *
 * Every host path ocbench touches is written as the kernel spells it
 * ("/sys/kernel/mm/ksm/run") and resolved under a root: "/" on a real host,
 * a temporary tree in tests.  The root is what makes every knob testable
 * without touching the machine.
 *
 * Kernel files and plain files differ in one way that matters: a kernel
 * "choice" file such as transparent_hugepage/enabled reads back as
 * "always [madvise] never" but is written as one word.  When the file is a
 * plain file (a fake tree), sysfs_write() keeps the list and moves the
 * brackets, so a fake tree behaves like the kernel for every reader, and
 * sysfs_restore_raw() puts the exact previous bytes back.
 */
#ifndef OCB_SYSFS_H
#define OCB_SYSFS_H

#include <jansson.h>
#include <stddef.h>

#include "util/strbuf.h"

/* root + rel into out ("/" or NULL root: rel itself). */
void sysfs_path(const char *root, const char *rel, struct strbuf *out);
int sysfs_exists(const char *root, const char *rel);
/* The file's exact bytes (appended to out).  -1 with the full path. */
int sysfs_read_raw(const char *root, const char *rel, struct strbuf *out);
/* The value: trimmed, and for a choice file the selected [word]. */
int sysfs_read(const char *root, const char *rel, struct strbuf *out);
/* Read an unsigned integer value. */
int sysfs_read_u64(const char *root, const char *rel, unsigned long long *v);
/* Write one value as the kernel expects it.  -1 with path and errno text;
 * EACCES/EPERM/EROFS say "(needs root)" when we are not root. */
int sysfs_write(const char *root, const char *rel, const char *value);
/* Put a value read earlier with sysfs_read_raw() back: the exact bytes on
 * a plain file, the selected/trimmed value on a kernel file. */
int sysfs_restore_raw(const char *root, const char *rel, const char *raw);
/* 1 when this process (effective ids) may write the file. */
int sysfs_writable(const char *root, const char *rel);
/* 1 when the file lives on sysfs or procfs (the kernel interprets it). */
int sysfs_is_kernel_file(const char *root, const char *rel);
/* The selected word of "a [b] c", else the trimmed text (into out). */
void sysfs_selected(const char *raw, struct strbuf *out);
/* 1 when word is one of the choices listed in raw ("a [b] c"). */
int sysfs_choice_listed(const char *raw, const char *word);

/* The value as JSON: an integer when it is one, else the string (the
 * selected word of a choice file).  NULL when the file is missing or
 * unreadable (the reason is not needed: absent settings are left out). */
json_t *sysfs_json_read(const char *root, const char *rel);
/* obj[name] = sysfs_json_read(dir/name) for every name that exists;
 * returns how many were set. */
int sysfs_json_fill(json_t *obj, const char *root, const char *dir, const char *const *names);

/* Tests only: called after every write to a plain file with its full
 * path and the value written, so a test can emulate the kernel (a hugetlb
 * pool that allocates fewer pages than asked).  NULL removes it. */
typedef void (*sysfs_fake_hook)(const char *path, const char *value);
void sysfs_set_fake_hook(sysfs_fake_hook hook);

#endif
