/* jsonchan.c — see jsonchan.h. */
#include "util/jsonchan.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void jsonchan_init(struct jsonchan *ch, int fd, const char *label)
{
	memset(ch, 0, sizeof(*ch));
	ch->fd = fd;
	snprintf(ch->label, sizeof(ch->label), "%s", label);
	ch->max_line = JSONCHAN_MAX_LINE;
}

void jsonchan_set_max_line(struct jsonchan *ch, size_t max)
{
	ch->max_line = max;
}

void jsonchan_release(struct jsonchan *ch)
{
	if (ch->fd >= 0)
		close(ch->fd);
	ch->fd = -1;
	strbuf_release(&ch->in);
	ch->pos = ch->scanned = 0;
}

/* Forget the parsed bytes (one memmove of what is left, done only before
 * a read, so each byte moves at most once: linear overall). */
static void compact(struct jsonchan *ch)
{
	if (!ch->pos)
		return;
	strbuf_remove_front(&ch->in, ch->pos);
	ch->scanned -= ch->pos;
	ch->pos = 0;
}

/* Drop every buffered byte (and the memory: it may be cap-sized). */
static void drop_all(struct jsonchan *ch, int release)
{
	if (release)
		strbuf_release(&ch->in);
	else
		strbuf_reset(&ch->in);
	ch->pos = ch->scanned = 0;
}

/* The next '\n' at or after pos, or NULL; never scans a byte twice. */
static char *find_newline(struct jsonchan *ch)
{
	size_t from = ch->scanned > ch->pos ? ch->scanned : ch->pos;
	char *nl = from < ch->in.len ? memchr(ch->in.buf + from, '\n', ch->in.len - from) : NULL;

	ch->scanned = nl ? (size_t)(nl - ch->in.buf) : ch->in.len;
	return nl;
}

/* The unparsed bytes hold more than one message may: fail, free them and
 * drop the rest of that message when it comes. */
static int overflow(struct jsonchan *ch)
{
	size_t got = ch->in.len - ch->pos;

	drop_all(ch, 1);
	ch->discarding = 1;
	return ocb_fail("%s: message larger than the cap of %zu bytes (%zu bytes received without "
			"its end of line); dropped", ch->label, ch->max_line, got);
}

/* Write all of buf before the deadline, never blocking past it: a peer
 * that stopped reading (a SIGSTOPped QEMU, a frozen agent) fills the
 * socket buffer, and a blocking write would wait forever.  0, or -1 with
 * errno (ETIMEDOUT at the deadline). */
static int send_by(int fd, const char *buf, size_t len, uint64_t deadline_ns)
{
	while (len) {
		struct pollfd p = { fd, POLLOUT, 0 };
		uint64_t now = mono_ns();
		ssize_t n = send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		int r;

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (now >= deadline_ns) {
			errno = ETIMEDOUT;
			return -1;
		}
		r = poll(&p, 1, (int)((deadline_ns - now + 999999) / 1000000));
		if (r < 0 && errno != EINTR)
			return -1;
	}
	return 0;
}

int jsonchan_send(struct jsonchan *ch, json_t *msg, uint64_t deadline_ns)
{
	char *text;
	size_t len;
	int rc = 0;

	if (ch->send_broken)
		return ocb_fail("%s: an earlier message could not be sent whole (the peer stopped "
				"reading); the channel is not usable", ch->label);
	text = json_dumps(msg, JSON_COMPACT);
	if (!text)
		return ocb_fail("%s: cannot encode message as JSON", ch->label);
	len = strlen(text);
	text[len] = '\n';	/* one write of the line and its newline */
	if (send_by(ch->fd, text, len + 1, deadline_ns) < 0) {
		int timed_out = errno == ETIMEDOUT;

		/* part of a line may be out: nothing more can follow it */
		ch->send_broken = 1;
		text[len] = '\0';
		if (timed_out)
			rc = ocb_fail("%s: cannot send %.200s: the peer stopped reading (timed out)",
				      ch->label, text);
		else
			rc = ocb_fail_errno("%s: cannot send %.200s", ch->label, text);
	}
	free(text);
	return rc;
}

/* Read what is available, waiting until the deadline.  0 got data or EOF,
 * -1 timeout or error. */
static int fill(struct jsonchan *ch, uint64_t deadline_ns)
{
	for (;;) {
		struct pollfd p = { ch->fd, POLLIN, 0 };
		uint64_t now = mono_ns();
		char buf[65536];
		ssize_t n;
		int r;

		r = poll(&p, 1, now >= deadline_ns ? 0 : (int)((deadline_ns - now + 999999) / 1000000));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return ocb_fail_errno("%s: poll", ch->label);
		if (r == 0) {
			if (mono_ns() < deadline_ns)
				continue;
			ch->timed_out = 1;
			if (ch->skipped)
				return ocb_fail("%s: no answer (timed out), only %llu bytes of something else, "
						"starting '%s'", ch->label, (unsigned long long)ch->skipped,
						ch->skipped_head);
			if (ch->in.len > ch->pos)	/* a line that never ends (a flood) */
				return ocb_fail("%s: no answer (timed out) after %zu bytes without an end of "
						"line, starting '%.40s'", ch->label, ch->in.len - ch->pos,
						ch->in.buf + ch->pos);
			return ocb_fail("%s: no answer (timed out)", ch->label);
		}
		n = read(ch->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			if (errno == ECONNRESET) {
				ch->eof = 1;
				return 0;
			}
			return ocb_fail_errno("%s: read", ch->label);
		}
		if (n == 0) {
			ch->eof = 1;
			return 0;
		}
		compact(ch);
		strbuf_add(&ch->in, buf, (size_t)n);
		return 0;
	}
}

/* Parse the line [pos, nl) and move past it: 1 a message in *msg, 0 a
 * blank (or dropped) line, -1 an error. */
static int take_line(struct jsonchan *ch, const char *nl, json_t **msg)
{
	const char *line = ch->in.buf + ch->pos;
	size_t len = (size_t)(nl - line);
	json_error_t jerr;
	json_t *v;

	ch->pos += len + 1;
	ch->scanned = ch->pos;
	if (ch->discarding) {	/* the tail of an over-long message */
		ch->discarding = 0;
		return 0;
	}
	/* Blank lines (and a lone \r) separate nothing. */
	if (strspn(line, " \t\r") >= len)
		return 0;
	if (len > ch->max_line)
		return ocb_fail("%s: message of %zu bytes is larger than the cap of %zu bytes",
				ch->label, len, ch->max_line);
	v = json_loadb(line, len, 0, &jerr);
	if (!v) {
		int shown = len > 200 ? 200 : (int)len;

		return ocb_fail("%s: malformed JSON (%s) in '%.*s%s'", ch->label, jerr.text, shown,
				line, len > 200 ? "..." : "");
	}
	if (!json_is_object(v)) {
		json_decref(v);
		return ocb_fail("%s: expected a JSON object, got another JSON value", ch->label);
	}
	*msg = v;
	return 1;
}

int jsonchan_recv(struct jsonchan *ch, uint64_t deadline_ns, json_t **msg)
{
	ch->timed_out = 0;
	for (;;) {
		char *nl = find_newline(ch);
		int r;

		if (nl) {
			r = take_line(ch, nl, msg);
			if (r == 0)
				continue;
			return r > 0 ? 0 : -1;
		}
		if (ch->discarding)
			drop_all(ch, 0);
		else if (ch->in.len - ch->pos > ch->max_line)
			return overflow(ch);
		if (ch->eof) {
			const char *rest = ch->in.len ? ch->in.buf + ch->pos : "";

			if (strspn(rest, " \t\r\n") < ch->in.len - ch->pos)
				return ocb_fail("%s: connection closed in the middle of a message ('%.80s')",
						ch->label, rest);
			return ocb_fail("%s: connection closed by peer", ch->label);
		}
		if (fill(ch, deadline_ns) < 0)
			return -1;
	}
}

/* The unparsed bytes are about to be dropped: count them, keep the first
 * few (printable, for a message) of a run of skipped bytes. */
static void note_skipped(struct jsonchan *ch)
{
	size_t n = ch->in.len - ch->pos, have = strlen(ch->skipped_head);

	if (!ch->skipped)
		have = ch->skipped_head[0] = '\0';
	for (size_t i = 0; i < n && have + 1 < sizeof(ch->skipped_head); i++) {
		unsigned char b = (unsigned char)ch->in.buf[ch->pos + i];

		ch->skipped_head[have++] = b >= 0x20 && b < 0x7f ? (char)b : '.';
		ch->skipped_head[have] = '\0';
	}
	ch->skipped += n;
}

int jsonchan_skip_to_delimiter(struct jsonchan *ch, uint64_t deadline_ns)
{
	ch->timed_out = 0;
	ch->discarding = 0;	/* the delimiter resynchronizes by itself */
	for (;;) {
		char *ff = ch->in.len > ch->pos ? memchr(ch->in.buf + ch->pos, 0xff, ch->in.len - ch->pos)
						: NULL;

		if (ff) {
			ch->pos = (size_t)(ff - ch->in.buf) + 1;
			ch->scanned = ch->pos;
			ch->skipped = 0;
			return 0;
		}
		note_skipped(ch);
		drop_all(ch, 0);
		if (ch->eof)
			return ocb_fail("%s: connection closed by peer", ch->label);
		if (fill(ch, deadline_ns) < 0)
			return -1;
	}
}

int jsonchan_readable(struct jsonchan *ch)
{
	struct pollfd p = { ch->fd, POLLIN, 0 };

	if (ch->eof || find_newline(ch))
		return 1;
	return poll(&p, 1, 0) > 0;
}
