/* peer.c — see peer.h. */
#include "fuzz/peer.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	abort();
}

/* Write the input as the reader takes it and drain what it sends, until
 * it closes its end. */
static void *feed(void *arg)
{
	struct fuzz_peer *p = arg;
	size_t off = 0;
	int shut = 0;

	for (;;) {
		struct pollfd pf = { p->peer, POLLIN | (shut ? 0 : POLLOUT), 0 };
		char sink[4096];

		if (!shut && off == p->size) {
			shutdown(p->peer, SHUT_WR);
			shut = 1;
			continue;
		}
		if (poll(&pf, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("fuzz peer: poll");
		}
		if (pf.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = recv(p->peer, sink, sizeof(sink), MSG_DONTWAIT);

			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				return NULL;	/* the reader closed its end */
		}
		if (!shut && (pf.revents & POLLOUT)) {
			ssize_t n = send(p->peer, p->data + off, p->size - off,
					 MSG_DONTWAIT | MSG_NOSIGNAL);

			if (n > 0)
				off += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EINTR)
				shut = 1;	/* the reader is gone */
		}
	}
}

void fuzz_peer_start(struct fuzz_peer *p, const uint8_t *data, size_t size)
{
	int sv[2];

	signal(SIGPIPE, SIG_IGN);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("fuzz peer: socketpair");
	p->fd = sv[0];
	p->peer = sv[1];
	p->data = data;
	p->size = size;
	if (pthread_create(&p->thread, NULL, feed, p) != 0)
		die("fuzz peer: pthread_create");
}

void fuzz_peer_finish(struct fuzz_peer *p)
{
	pthread_join(p->thread, NULL);
	close(p->peer);
}
