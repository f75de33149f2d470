/* image-id.c — see image-id.h. */
#include "results/image-id.h"
#include "results/sha256.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define CACHE_SLOTS 16

struct cached_digest {
	char path[4096];
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	char hex[SHA256_HEX_LEN + 1];
};

static struct cached_digest cache[CACHE_SLOTS];
static unsigned cache_next;

static int same_file(const struct cached_digest *c, const char *path, const struct stat *st)
{
	return !strcmp(c->path, path) && c->dev == st->st_dev && c->ino == st->st_ino &&
	       c->size == st->st_size && c->mtime.tv_sec == st->st_mtim.tv_sec &&
	       c->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static int digest(const char *path, char hex[SHA256_HEX_LEN + 1])
{
	struct cached_digest *c;
	struct stat st;

	if (stat(path, &st) < 0)
		return ocb_fail_errno("cannot read %s to take its digest", path);
	for (unsigned i = 0; i < CACHE_SLOTS; i++)
		if (same_file(&cache[i], path, &st)) {
			memcpy(hex, cache[i].hex, SHA256_HEX_LEN + 1);
			return 0;
		}
	if (sha256_file(path, hex) < 0)
		return -1;
	c = &cache[cache_next++ % CACHE_SLOTS];
	snprintf(c->path, sizeof(c->path), "%s", path);
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->size = st.st_size;
	c->mtime = st.st_mtim;
	memcpy(c->hex, hex, SHA256_HEX_LEN + 1);
	return 0;
}

/* "PART_sha256": digest, or "PART_error": why not. */
static void add_digest(json_t *o, const char *part, const char *path)
{
	char hex[SHA256_HEX_LEN + 1], key[64];

	if (!path || !*path)
		return;
	if (digest(path, hex) == 0) {
		snprintf(key, sizeof(key), "%s_sha256", part);
		json_object_set_new(o, key, json_string(hex));
	} else {
		snprintf(key, sizeof(key), "%s_error", part);
		json_object_set_new(o, key, json_string(ocb_errmsg()));
		ocb_err_clear();
	}
}

/* build-guest's guest.json beside the kernel names the release; a kernel
 * from elsewhere has none, and its digest identifies it alone. */
static void add_release(json_t *o, const char *kernel)
{
	char path[4200];
	const char *slash = strrchr(kernel, '/');
	json_t *g;

	if (slash)
		snprintf(path, sizeof(path), "%.*s/guest.json", (int)(slash - kernel), kernel);
	else
		snprintf(path, sizeof(path), "guest.json");
	g = json_load_file(path, 0, NULL);
	if (json_is_string(json_object_get(g, "kernel_release")))
		json_object_set(o, "kernel_release", json_object_get(g, "kernel_release"));
	json_decref(g);
}

json_t *results_image_identity(const char *kernel, const char *initrd, const char *append,
			       const char *disk)
{
	json_t *o = json_object();

	if (kernel && *kernel) {
		add_release(o, kernel);
		add_digest(o, "kernel", kernel);
		json_object_set_new(o, "cmdline", json_string(append ? append : ""));
	}
	add_digest(o, "initrd", initrd);
	add_digest(o, "disk", disk);
	return o;
}
