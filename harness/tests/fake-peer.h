/* fake-peer.h — a scripted protocol peer over a socketpair.
 *
 * The peer's whole transcript is written into its end before the client
 * runs (a socketpair buffers far more than these scripts), so the client
 * meets exactly the byte stream of a real QEMU or qemu-ga, including
 * events between a command and its reply, garbage, EOF mid-message.
 * Afterwards the test reads what the client sent from the peer's end.
 * Each test gets its own pair (libvirt's qemumonitortestutils idea,
 * without a thread).
 */
#ifndef OCB_FAKE_PEER_H
#define OCB_FAKE_PEER_H

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct fake_peer {
	int client;	/* handed to the code under test (it closes it) */
	int peer;	/* the test writes the script here, reads requests */
};

static inline void fake_peer_open(struct fake_peer *fp)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	fp->client = sv[0];
	fp->peer = sv[1];
}

static inline void fake_peer_say(struct fake_peer *fp, const char *text)
{
	size_t len = strlen(text);

	assert_int_equal(write(fp->peer, text, len), (ssize_t)len);
}

static inline void fake_peer_say_bytes(struct fake_peer *fp, const void *p, size_t len)
{
	assert_int_equal(write(fp->peer, p, len), (ssize_t)len);
}

/* Stop talking: the client sees EOF after the script. */
static inline void fake_peer_hangup(struct fake_peer *fp)
{
	shutdown(fp->peer, SHUT_WR);
}

/* Everything the client has sent so far (NUL-terminated, static). */
static inline const char *fake_peer_heard(struct fake_peer *fp)
{
	static char buf[65536];
	ssize_t n;
	int fl = fcntl(fp->peer, F_GETFL);

	fcntl(fp->peer, F_SETFL, fl | O_NONBLOCK);
	n = read(fp->peer, buf, sizeof(buf) - 1);
	fcntl(fp->peer, F_SETFL, fl);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static inline void fake_peer_close(struct fake_peer *fp)
{
	close(fp->peer);
}

#endif
