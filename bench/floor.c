/*
 * floor - the benchmark's floor: a bare recvmmsg() loop with an 8 MiB
 * receive buffer that writes one short line per datagram to a file
 * (buffered, flushed after every batch, as linklog does).  No decoding,
 * nothing else: what any receiver must pay at least.
 *
 *   floor PORT FILE      (stops on SIGTERM)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define SIZE 65536

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	static unsigned char buf[BATCH][SIZE];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in sin;
	int fd, rcv = 8 * 1024 * 1024;
	unsigned long n = 0;
	FILE *out;

	if (argc != 3) {
		fprintf(stderr, "usage: floor PORT FILE\n");
		return 2;
	}
	/* No SA_RESTART: the signal must interrupt recvmmsg(). */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((out = fopen(argv[2], "a")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	setvbuf(out, NULL, _IOFBF, 65536);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("bind");
		return 1;
	}
	while (!stop) {
		for (int i = 0; i < BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = SIZE;
			memset(&m[i].msg_hdr, 0, sizeof(m[i].msg_hdr));
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		int r = recvmmsg(fd, m, BATCH, MSG_WAITFORONE, NULL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("recvmmsg");
			return 1;
		}
		for (int i = 0; i < r; i++)
			fprintf(out, "%lu %u\n", n++, m[i].msg_len);
		fflush(out);
	}
	fclose(out);
	return 0;
}
