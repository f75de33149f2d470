/* results.c — see results.h. */
#include "results/results.h"
#include "results/gate.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/jsontext.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A CSV streamed as it is taken: lines collect in pending and go to the
 * file (O_APPEND, whole lines per write(2)) at least every
 * RESULTS_SYNC_NS, so a run killed with SIGKILL keeps all but its last
 * second and the harness's memory stays flat however long the run. */
struct results_file {
	char relpath[256];
	int fd;				/* -1 until the first line, or after an error */
	int failed;			/* an error was reported: no more tries */
	struct strbuf pending;
	uint64_t synced_ns;
	struct results_file *next;
};

#define RESULTS_SYNC_NS (1000000000ull)
#define RESULTS_PENDING_MAX (64 * 1024)

/* Append whole lines or nothing: a write that fails part way (ENOSPC on
 * a full file system) is cut back to where it began, so a reader never
 * meets a half line.  0, or -1 with errno. */
static int append_lines(int fd, const char *buf, size_t len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	int e;

	if (write_all(fd, buf, len) == 0)
		return 0;
	e = errno;
	if (end >= 0 && ftruncate(fd, end) < 0)
		e = errno;
	errno = e;
	return -1;
}

int results_write_json(const char *path, json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	int rc;

	if (!text)
		return ocb_fail("cannot encode %s as JSON", path);
	rc = write_file_atomic(path, text, strlen(text), 0644);
	free(text);
	return rc;
}

int results_open(struct results_run *r, const char *dir, json_t *fields)
{
	struct strbuf p = STRBUF_INIT;
	char unended[256];
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->events_fd = -1;
	r->t0_ns = mono_ns();
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	strbuf_addf(&p, "%s/guests", dir);
	if (mkdir_p(p.buf, 0755) < 0)
		goto out;
	/* What run.json says until the run records its end: true of a run
	 * that is still going, and of one whose harness died without a word. */
	snprintf(unended, sizeof(unended), RESULTS_REASON_UNENDED, (long)getpid());
	r->run = json_pack("{s:s, s:s, s:s}", "schema", RESULTS_SCHEMA_RUN, "status", "incomplete",
			   "reason", unended);
	if (fields)
		json_object_update(r->run, fields);
	json_decref(fields);
	r->metrics = json_object();
	json_object_set_new(r->run, "metrics", r->metrics);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/events.jsonl", dir);
	r->events_fd = open(p.buf, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (r->events_fd < 0) {
		ocb_fail_errno("cannot create %s", p.buf);
		goto out;
	}
	rc = results_flush(r);
out:
	strbuf_release(&p);
	return rc;
}

const char *results_lost(const struct results_run *r)
{
	return r->lost[0] ? r->lost : NULL;
}

static void note_lost(struct results_run *r, const char *what)
{
	if (!r->lost[0])
		snprintf(r->lost, sizeof(r->lost), "%s", what);
}

uint64_t results_t_ms(const struct results_run *r)
{
	return (mono_ns() - r->t0_ns) / 1000000u;
}

void results_event(struct results_run *r, const char *type, json_t *fields)
{
	json_t *ev = json_pack("{s:I, s:s}", "t_ms", (json_int_t)results_t_ms(r), "type", type);
	char *text;

	if (fields)
		json_object_update(ev, fields);
	json_decref(fields);
	text = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	if (!text || r->events_fd < 0) {
		free(text);
		return;
	}
	/* One write per line (O_APPEND): a crash leaves whole lines. */
	{
		size_t len = strlen(text);
		char *line = malloc(len + 2);

		if (line) {
			memcpy(line, text, len);
			line[len] = '\n';
			if (append_lines(r->events_fd, line, len + 1) < 0) {
				char msg[4400];

				snprintf(msg, sizeof(msg), "cannot append to %s/events.jsonl: %s", r->dir,
					 strerror(errno));
				fprintf(stderr, "ocbench: %s\n", msg);
				note_lost(r, msg);
			}
			free(line);
		}
	}
	free(text);
}

int results_event_capped(struct results_run *r, struct results_event_cap *cap, const char *source,
			 const char *type, json_t *fields)
{
	if (cap->written < cap->max) {
		cap->written++;
		results_event(r, type, fields);
		return 1;
	}
	json_decref(fields);
	if (cap->dropped++ == 0) {
		char why[160];

		snprintf(why, sizeof(why), "more than %u events from this guest and its VM in one run: the "
			 "rest are counted, not written", cap->max);
		results_event(r, "events_dropped",
			      json_pack("{s:s, s:I, s:s}", "guest", source, "max", (json_int_t)cap->max,
					"reason", why));
	}
	return 0;
}

void results_event_cap_close(struct results_run *r, const struct results_event_cap *cap,
			     const char *source)
{
	if (cap->dropped)
		results_event(r, "events_dropped",
			      json_pack("{s:s, s:I, s:I, s:b}", "guest", source, "max", (json_int_t)cap->max,
					"dropped", (json_int_t)cap->dropped, "final", 1));
}

void results_metric(struct results_run *r, const char *name, double value, const char *unit,
		    const char *better)
{
	json_object_set_new(r->metrics, name,
			    json_pack("{s:f, s:s, s:s, s:b}", "value", value, "unit", unit, "better", better,
				      "gate", results_metric_gated(name)));
}

void results_metric_missing(struct results_run *r, const char *name, const char *unit,
			    const char *better, const char *reason)
{
	json_object_set_new(r->metrics, name,
			    json_pack("{s:n, s:s, s:s, s:b, s:s}", "value", "unit", unit, "better", better,
				      "gate", results_metric_gated(name), "reason", reason));
}

/* Metrics that reach run.json without results_metric() (a workload's own,
 * copied from its workload.json) get "gate" here, from the same table: the
 * table decides, never the document the metric came from. */
static void stamp_gates(json_t *metrics)
{
	const char *name;
	json_t *m;

	json_object_foreach(metrics, name, m)
		if (json_is_object(m))
			json_object_set_new(m, "gate", json_boolean(results_metric_gated(name)));
}

static struct results_file *file_for(struct results_run *r, const char *relpath)
{
	struct results_file *f;

	for (f = r->files; f; f = f->next)
		if (!strcmp(f->relpath, relpath))
			return f;
	f = xcalloc(1, sizeof(*f));
	snprintf(f->relpath, sizeof(f->relpath), "%s", relpath);
	f->fd = -1;
	f->pending = (struct strbuf)STRBUF_INIT;
	f->next = r->files;
	r->files = f;
	return f;
}

/* Create the file (and its directory) on its first line. */
static int file_open(struct results_run *r, struct results_file *f)
{
	struct strbuf p = STRBUF_INIT;
	char *slash;
	int rc = 0;

	strbuf_addf(&p, "%s/%s", r->dir, f->relpath);
	slash = strrchr(p.buf, '/');
	*slash = '\0';
	if (mkdir_p(p.buf, 0755) < 0)
		rc = -1;
	*slash = '/';
	if (rc == 0) {
		f->fd = open(p.buf, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
		if (f->fd < 0)
			rc = ocb_fail_errno("cannot create %s", p.buf);
	}
	strbuf_release(&p);
	return rc;
}

/* Write what is pending; -1 (reported once) when the file cannot take it. */
static int file_sync(struct results_run *r, struct results_file *f)
{
	if (f->failed)
		return -1;
	f->synced_ns = mono_ns();
	if (f->pending.len == 0)
		return 0;
	if ((f->fd < 0 && file_open(r, f) < 0) || append_lines(f->fd, f->pending.buf, f->pending.len) < 0) {
		f->failed = 1;
		if (f->fd >= 0)
			ocb_fail_errno("cannot write %s/%s", r->dir, f->relpath);
		fprintf(stderr, "ocbench: %s (its series are lost from here on)\n", ocb_errmsg());
		note_lost(r, ocb_errmsg());
		return -1;
	}
	strbuf_reset(&f->pending);
	return 0;
}

void results_append(struct results_run *r, const char *relpath, const char *header,
		    const char *line)
{
	struct results_file *f = file_for(r, relpath);

	if (f->failed)
		return;
	if (f->fd < 0 && f->pending.len == 0 && header) {
		strbuf_adds(&f->pending, header);
		strbuf_addch(&f->pending, '\n');
	}
	strbuf_adds(&f->pending, line);
	strbuf_addch(&f->pending, '\n');
	if (f->pending.len >= RESULTS_PENDING_MAX || mono_ns() - f->synced_ns >= RESULTS_SYNC_NS)
		file_sync(r, f);
}

void results_sync_due(struct results_run *r)
{
	uint64_t now = mono_ns();

	for (struct results_file *f = r->files; f; f = f->next)
		if (f->pending.len && now - f->synced_ns >= RESULTS_SYNC_NS)
			file_sync(r, f);
}

int results_flush(struct results_run *r)
{
	struct strbuf p = STRBUF_INIT;
	int rc = 0;

	for (struct results_file *f = r->files; f; f = f->next)
		if (file_sync(r, f) < 0)
			rc = -1;
	strbuf_addf(&p, "%s/run.json", r->dir);
	stamp_gates(r->metrics);
	if (results_write_json(p.buf, r->run) < 0)
		rc = -1;
	strbuf_release(&p);
	return rc;
}

int results_close(struct results_run *r, const char *status, const char *reason)
{
	int rc;

	if (!r->run)
		return 0;
	json_object_set_new(r->run, "status", json_string(status));
	if (strcmp(status, "complete") == 0) {
		json_object_del(r->run, "reason");
	} else {
		const char *why = reason && *reason ? reason : status;

		json_object_set_new(r->run, "reason", json_text(why, strlen(why)));
	}
	json_object_set_new(r->run, "duration_s", json_real(ns_to_s(mono_ns() - r->t0_ns)));
	rc = results_flush(r);
	if (r->events_fd >= 0)
		close(r->events_fd);
	r->events_fd = -1;
	while (r->files) {
		struct results_file *f = r->files;

		r->files = f->next;
		if (f->fd >= 0 && close(f->fd) < 0 && rc == 0)
			rc = ocb_fail_errno("cannot close %s/%s", r->dir, f->relpath);
		strbuf_release(&f->pending);
		free(f);
	}
	json_decref(r->run);
	r->run = NULL;
	return rc;
}

int results_write_index(const char *dir, const char *scenario, json_t *runs)
{
	struct strbuf p = STRBUF_INIT;
	json_t *doc = json_pack("{s:s, s:s, s:o}", "schema", RESULTS_SCHEMA_INDEX, "scenario",
				scenario, "runs", runs);
	int rc;

	strbuf_addf(&p, "%s/index.json", dir);
	rc = results_write_json(p.buf, doc);
	json_decref(doc);
	strbuf_release(&p);
	return rc;
}

int results_make_index_dir(const char *out, const char *name, const char *stamp, char *dir,
			   size_t len)
{
	int n;

	if (mkdir_p(out, 0755) < 0)
		return ocb_err_prefix("results directory: ");
	for (int i = 1; i < 100; i++) {
		if (i == 1)
			n = snprintf(dir, len, "%s/%s-%s", out, name, stamp);
		else
			n = snprintf(dir, len, "%s/%s-%s-%d", out, name, stamp, i);
		if (n < 0 || (size_t)n >= len)
			return ocb_fail("results directory %s/%s-%s: path longer than %zu bytes", out,
					name, stamp, len - 1);
		/* no existence check first: mkdir itself says whether it is ours */
		if (mkdir(dir, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			return ocb_fail_errno("cannot create results directory %s", dir);
	}
	return ocb_fail("cannot create results directory %s/%s-%s: it and -2 ... -99 exist", out,
			name, stamp);
}
