/* peer.h — the fuzzer's side of a protocol socket.
 *
 * The QMP and guest-agent targets hand the reader the real transport: one
 * end of a socketpair, the other end fed with the fuzz input by a thread
 * and then shut for writing (the reader meets EOF after the input, so no
 * deadline is ever waited out).  The same thread drains what the reader
 * sends (its commands), so neither side blocks whatever the input makes
 * the reader do.
 */
#ifndef OCB_FUZZ_PEER_H
#define OCB_FUZZ_PEER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct fuzz_peer {
	int fd;			/* the reader's end: give it to the code under test */
	int peer;		/* the thread's end */
	const uint8_t *data;
	size_t size;
	pthread_t thread;
};

/* Start feeding data (which must outlive the peer); aborts on failure
 * (the fuzzer's machinery, not the code under test). */
void fuzz_peer_start(struct fuzz_peer *p, const uint8_t *data, size_t size);
/* After the reader closed p->fd: wait for the thread, close its end. */
void fuzz_peer_finish(struct fuzz_peer *p);

#endif
