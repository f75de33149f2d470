/* jsonchan.h — newline-delimited JSON over a stream socket.
 *
 * The transport under both QMP and the guest agent (libvirt's monitor
 * layering: a transport that reads and writes JSON lines, typed APIs
 * above it).  Each peer message is one JSON object followed by a newline;
 * jansson parses it.  Reads are buffered and bounded by a deadline on the
 * monotonic clock, so a silent peer turns into a timeout error, never a
 * hang.  The agent's guest-sync-delimited answers start with a 0xFF byte;
 * jsonchan_skip_to_delimiter() discards everything up to it.
 *
 * The peer may be hostile (a guest's agent): one message is capped
 * (max_line), a longer one fails the receive and is dropped up to its
 * newline, so the buffer never holds more than the cap plus one read; and
 * lines are split in linear time (a read offset, not a memmove of the rest
 * per line), so a flood of newlines costs what it weighs.
 */
#ifndef OCB_JSONCHAN_H
#define OCB_JSONCHAN_H

#include <jansson.h>
#include <stdint.h>

#include "util/strbuf.h"

/* Default cap on one message: far above any QMP answer ocbench asks for. */
#define JSONCHAN_MAX_LINE ((size_t)64 << 20)

struct jsonchan {
	int fd;
	char label[96];		/* "QMP of guest-1": used in every message */
	struct strbuf in;	/* bytes received; in.buf[pos..len) not yet parsed */
	size_t pos;		/* start of the unparsed bytes */
	size_t scanned;		/* in.buf[pos..scanned) is known to hold no '\n' */
	size_t max_line;	/* cap on one message (JSONCHAN_MAX_LINE by default) */
	int discarding;		/* dropping an over-long message up to its '\n' */
	int eof;
	int timed_out;		/* the last recv failed only because of its deadline */
	int send_broken;	/* a send stopped part way (deadline): unusable */
	/* what jsonchan_skip_to_delimiter() threw away since its last
	 * delimiter: a timeout's message says so (a peer talking garbage) */
	uint64_t skipped;
	char skipped_head[41];
};

void jsonchan_init(struct jsonchan *ch, int fd, const char *label);
/* Cap one message at max bytes (its newline excluded). */
void jsonchan_set_max_line(struct jsonchan *ch, size_t max);
/* Frees the buffer and closes fd. */
void jsonchan_release(struct jsonchan *ch);
/* Send one object as a single line (compact JSON + "\n"), waiting at
 * most until deadline_ns for a peer that does not read: a send that
 * cannot finish by then fails and leaves the channel unusable (part of
 * the line may be out). */
int jsonchan_send(struct jsonchan *ch, json_t *msg, uint64_t deadline_ns);
/* Receive one object.  Returns 0 with *msg (caller decrefs), or -1 with a
 * message for: timeout, peer closed (cleanly or in the middle of a
 * message), malformed JSON (the offending text is quoted), a non-object,
 * a message over the cap (dropped; the next receive starts after it). */
int jsonchan_recv(struct jsonchan *ch, uint64_t deadline_ns, json_t **msg);
/* Discard input up to and including the next 0xFF byte. */
int jsonchan_skip_to_delimiter(struct jsonchan *ch, uint64_t deadline_ns);
/* Non-blocking: 1 when a complete line (or EOF) is buffered or readable. */
int jsonchan_readable(struct jsonchan *ch);

#endif
