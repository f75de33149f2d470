/* jsonchan.h — newline-delimited JSON over a stream socket.
 *
 * The transport under both QMP and the guest agent (libvirt's monitor
 * layering: a transport that reads and writes JSON lines, typed APIs
 * above it).  Each peer message is one JSON object followed by a newline;
 * jansson parses it.  Reads are buffered and bounded by a deadline on the
 * monotonic clock, so a silent peer turns into a timeout error, never a
 * hang.  The agent's guest-sync-delimited answers start with a 0xFF byte;
 * jsonchan_skip_to_delimiter() discards everything up to it.
 */
#ifndef OCB_JSONCHAN_H
#define OCB_JSONCHAN_H

#include <jansson.h>
#include <stdint.h>

#include "util/strbuf.h"

struct jsonchan {
	int fd;
	char label[96];		/* "QMP of guest-1": used in every message */
	struct strbuf in;	/* bytes received, not yet parsed */
	int eof;
	int timed_out;		/* the last recv failed only because of its deadline */
};

void jsonchan_init(struct jsonchan *ch, int fd, const char *label);
/* Frees the buffer and closes fd. */
void jsonchan_release(struct jsonchan *ch);
/* Send one object as a single line (compact JSON + "\n"). */
int jsonchan_send(struct jsonchan *ch, json_t *msg);
/* Receive one object.  Returns 0 with *msg (caller decrefs), or -1 with a
 * message for: timeout, peer closed (cleanly or in the middle of a
 * message), malformed JSON (the offending text is quoted), a non-object. */
int jsonchan_recv(struct jsonchan *ch, uint64_t deadline_ns, json_t **msg);
/* Discard input up to and including the next 0xFF byte. */
int jsonchan_skip_to_delimiter(struct jsonchan *ch, uint64_t deadline_ns);
/* Non-blocking: 1 when a complete line (or EOF) is buffered or readable. */
int jsonchan_readable(struct jsonchan *ch);

#endif
