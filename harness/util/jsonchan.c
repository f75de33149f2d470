/* jsonchan.c — see jsonchan.h. */
#include "util/jsonchan.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fsutil.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A line longer than this is not a QMP or agent message we asked for. */
#define JSONCHAN_MAX_LINE (64u << 20)

void jsonchan_init(struct jsonchan *ch, int fd, const char *label)
{
	memset(ch, 0, sizeof(*ch));
	ch->fd = fd;
	snprintf(ch->label, sizeof(ch->label), "%s", label);
}

void jsonchan_release(struct jsonchan *ch)
{
	if (ch->fd >= 0)
		close(ch->fd);
	ch->fd = -1;
	strbuf_release(&ch->in);
}

int jsonchan_send(struct jsonchan *ch, json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	int rc = 0;

	if (!text)
		return ocb_fail("%s: cannot encode message as JSON", ch->label);
	if (write_all(ch->fd, text, strlen(text)) < 0 || write_all(ch->fd, "\n", 1) < 0)
		rc = ocb_fail_errno("%s: cannot send %s", ch->label, text);
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
		if (ch->in.len + (size_t)n > JSONCHAN_MAX_LINE)
			return ocb_fail("%s: message larger than %u MiB", ch->label,
					JSONCHAN_MAX_LINE >> 20);
		strbuf_add(&ch->in, buf, (size_t)n);
		return 0;
	}
}

int jsonchan_recv(struct jsonchan *ch, uint64_t deadline_ns, json_t **msg)
{
	ch->timed_out = 0;
	for (;;) {
		char *nl = ch->in.len ? memchr(ch->in.buf, '\n', ch->in.len) : NULL;

		if (nl) {
			size_t len = (size_t)(nl - ch->in.buf);
			json_error_t jerr;
			json_t *v;

			/* Blank lines (and a lone \r) separate nothing. */
			if (strspn(ch->in.buf, " \t\r") >= len) {
				strbuf_remove_front(&ch->in, len + 1);
				continue;
			}
			v = json_loadb(ch->in.buf, len, 0, &jerr);
			if (!v) {
				int shown = len > 200 ? 200 : (int)len;

				ocb_fail("%s: malformed JSON (%s) in '%.*s%s'", ch->label, jerr.text, shown,
					 ch->in.buf, len > 200 ? "..." : "");
				strbuf_remove_front(&ch->in, len + 1);
				return -1;
			}
			strbuf_remove_front(&ch->in, len + 1);
			if (!json_is_object(v)) {
				json_decref(v);
				return ocb_fail("%s: expected a JSON object, got another JSON value", ch->label);
			}
			*msg = v;
			return 0;
		}
		if (ch->eof) {
			if (strspn(strbuf_str(&ch->in), " \t\r\n") < ch->in.len)
				return ocb_fail("%s: connection closed in the middle of a message ('%.80s')",
						ch->label, ch->in.buf);
			return ocb_fail("%s: connection closed by peer", ch->label);
		}
		if (fill(ch, deadline_ns) < 0)
			return -1;
	}
}

int jsonchan_skip_to_delimiter(struct jsonchan *ch, uint64_t deadline_ns)
{
	ch->timed_out = 0;
	for (;;) {
		char *ff = ch->in.len ? memchr(ch->in.buf, 0xff, ch->in.len) : NULL;

		if (ff) {
			strbuf_remove_front(&ch->in, (size_t)(ff - ch->in.buf) + 1);
			return 0;
		}
		strbuf_reset(&ch->in);
		if (ch->eof)
			return ocb_fail("%s: connection closed by peer", ch->label);
		if (fill(ch, deadline_ns) < 0)
			return -1;
	}
}

int jsonchan_readable(struct jsonchan *ch)
{
	struct pollfd p = { ch->fd, POLLIN, 0 };

	if (ch->eof || (ch->in.len && memchr(ch->in.buf, '\n', ch->in.len)))
		return 1;
	return poll(&p, 1, 0) > 0;
}
