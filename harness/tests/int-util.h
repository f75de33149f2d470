/* int-util.h — helpers of the integration tests (test-int-*.c): run the
 * real ocbench binary ($OCBENCH, default build/ocbench) with an argv,
 * find the run directory it wrote, load its JSON, check no QEMU of ours
 * is left.  Header-only: each test is one self-contained binary. */
#ifndef OCB_INT_UTIL_H
#define OCB_INT_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/fsutil.h"
#include "util/runcmd.h"
#include "util/strbuf.h"

static inline const char *int_ocbench(void)
{
	const char *p = getenv("OCBENCH");

	return p && *p ? p : "build/ocbench";
}

/* A fresh results root under build/ (so a failing test leaves evidence). */
static inline void int_tmpdir(const char *name, char *out, size_t len)
{
	const char *b = getenv("OCB_BUILD");

	snprintf(out, len, "%s/test-results/%s-%ld", b && *b ? b : "build", name, (long)getpid());
	remove_tree(out);
	assert_int_equal(mkdir_p(out, 0755), 0);
}

/* Start ocbench with args (NULL-terminated), stdout+stderr to log. */
static inline void int_start(struct child *c, const char *log, const char *const *args)
{
	*c = (struct child)CHILD_INIT;
	strvec_push(&c->args, int_ocbench());
	for (size_t i = 0; args[i]; i++)
		strvec_push(&c->args, args[i]);
	c->stdout_path = log;
	c->stderr_path = log;
	/* a test that dies must not leave an ocbench (and its QEMUs) behind */
	c->die_with_parent = 1;
	assert_int_equal(child_start(c), 0);
}

/* Run ocbench to completion; returns its exit code, output in out (may
 * be NULL), its pid in *pid (may be NULL: libvirt domains carry it). */
static inline int int_run_pid(const char *log, struct strbuf *out, pid_t *pid, const char *const *args)
{
	struct child c;
	int st;

	unlink(log);
	int_start(&c, log, args);
	if (pid)
		*pid = c.pid;
	assert_int_equal(child_wait(&c, &st), 0);
	child_release(&c);
	if (out)
		assert_int_equal(read_file(log, out), 0);
	print_message("%s", out ? strbuf_str(out) : "");
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static inline int int_run(const char *log, struct strbuf *out, const char *const *args)
{
	return int_run_pid(log, out, NULL, args);
}

/* `ocbench ARGS... -o ROOT` for a fresh ROOT named after the test, its
 * output in ROOT/ocbench.log (and out, which may be NULL); the exit code. */
static inline int int_run_fresh(const char *name, const char *const *args, char *root, size_t rlen,
				struct strbuf *out)
{
	struct strvec argv = STRVEC_INIT;
	char log[1200];
	int rc;

	int_tmpdir(name, root, rlen);
	snprintf(log, sizeof(log), "%s/ocbench.log", root);
	for (size_t i = 0; args[i]; i++)
		strvec_push(&argv, args[i]);
	strvec_push(&argv, "-o");
	strvec_push(&argv, root);
	rc = int_run(log, out, (const char *const *)argv.v);
	strvec_clear(&argv);
	return rc;
}

/* A bootable disk image of the default guest (FAT + syslinux, booted
 * through SeaBIOS from a virtio disk), built by guest-images/build-disk-image
 * into a fresh test directory whose name has a comma (QEMU's option
 * syntax must double it).  The image's relative path goes to img. */
static inline void int_disk_image(const char *name, char *img, size_t len)
{
	const char *guest_dir = getenv("OCBENCH_GUEST_DIR");
	char dir[1200];
	const char *build[] = { "guest-images/build-disk-image", img,
				guest_dir && *guest_dir ? guest_dir : "build/guest", NULL };
	struct strbuf log = STRBUF_INIT;

	int_tmpdir(name, dir, sizeof(dir));
	snprintf(img, len, "%s/vendor,image", dir);
	assert_int_equal(mkdir_p(img, 0755), 0);
	snprintf(img + strlen(img), len - strlen(img), "/disk.img");
	if (run_capture(build, &log, 120 * 1000000000ull) != 0) {
		print_message("%s", strbuf_str(&log));
		fail_msg("guest-images/build-disk-image %s failed", img);
	}
	strbuf_release(&log);
}

/* Does RUN/file contain needle? */
static inline int int_file_has(const char *run, const char *file, const char *needle)
{
	char path[4200];
	struct strbuf sb = STRBUF_INIT;
	int found;

	snprintf(path, sizeof(path), "%s/%s", run, file);
	assert_int_equal(read_file(path, &sb), 0);
	found = strstr(strbuf_str(&sb), needle) != NULL;
	strbuf_release(&sb);
	return found;
}

/* guest-1's free.csv: first, smallest and last MemTotal; returns how many
 * `free -m` samples there were. */
static inline int int_memtotals(const char *run, long *first, long *min, long *last)
{
	char path[4200];
	struct strbuf csv = STRBUF_INIT;
	char *save = NULL;
	int n = 0;

	snprintf(path, sizeof(path), "%s/guests/guest-1/free.csv", run);
	assert_int_equal(read_file(path, &csv), 0);
	for (char *line = strtok_r(csv.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long t, total;

		if (sscanf(line, "%ld,%ld", &t, &total) != 2)
			continue;	/* header */
		if (!n++)
			*first = *min = total;
		if (total < *min)
			*min = total;
		*last = total;
	}
	strbuf_release(&csv);
	return n;
}

/* The single SCENARIO-* directory under root, and its run-NNN. */
static inline void int_find_run(const char *root, int nth, char *out, size_t len)
{
	DIR *d = opendir(root);
	struct dirent *e;
	char index[2048] = "";

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && e->d_type == DT_DIR)
			snprintf(index, sizeof(index), "%s/%s", root, e->d_name);
	closedir(d);
	assert_true(index[0] != '\0');
	snprintf(out, len, "%s/run-%03d", index, nth);
	assert_true(path_exists(out));
}

static inline json_t *int_load_json(const char *dir, const char *name)
{
	char path[4200];
	json_error_t err;
	json_t *doc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	doc = json_load_file(path, 0, &err);
	if (!doc)
		print_error("%s: %s (line %d)\n", path, err.text, err.line);
	assert_non_null(doc);
	return doc;
}

static inline double int_metric(json_t *run, const char *name)
{
	json_t *m = json_object_get(json_object_get(run, "metrics"), name);

	if (!m)
		print_error("metric %s missing\n", name);
	assert_non_null(m);
	return json_number_value(json_object_get(m, "value"));
}

/* Processes whose command line has needle (and needle2, unless NULL):
 * how many; the first one's "pid N: COMMAND" in why. */
static inline int int_procs_with(const char *needle, const char *needle2, char *why, size_t wlen)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[300], buf[8192];
		FILE *f;
		size_t n;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		for (size_t i = 0; i < n; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		buf[n] = '\0';
		if (strstr(buf, needle) && (!needle2 || strstr(buf, needle2))) {
			if (!found && why)
				snprintf(why, wlen, "pid %s: %.200s", e->d_name, buf);
			found++;
		}
	}
	closedir(d);
	return found;
}

/* No process whose command line mentions needle (our results path is in
 * every QEMU argv of the run) may be alive. */
static inline int int_processes_mentioning(const char *needle)
{
	char why[300];
	int found = int_procs_with(needle, "qemu-system", why, sizeof(why));

	if (found)
		print_error("left running: %s (and %d more)\n", why, found - 1);
	return found;
}

/* Validate a JSON file against one of harness/results/schemas/ with the
 * jsonschema package (python3-jsonschema, installed by ci/install-deps). */
static inline int int_validate_schema(const char *instance, const char *schema)
{
	const char *argv[] = { "/usr/bin/python3", "-c",
			       "import json, sys, jsonschema\n"
			       "schema = json.load(open(sys.argv[2]))\n"
			       "jsonschema.validators.validator_for(schema)(schema).validate(json.load(open(sys.argv[1])))\n",
			       instance, schema, NULL };
	struct strbuf out = STRBUF_INIT;
	int rc = run_capture(argv, &out, 60 * 1000000000ull);

	if (rc != 0)
		print_error("%s does not validate against %s:\n%s\n", instance, schema, strbuf_str(&out));
	strbuf_release(&out);
	return rc;
}

#endif
