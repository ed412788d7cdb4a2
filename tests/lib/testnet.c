/*
 * testnet.c - addresses and loopback UDP sockets for the unit tests.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "testnet.h"

struct sockaddr_in
testnet_v4(const char *addr, unsigned port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		abort();
	return sin;
}

struct sockaddr_in6
testnet_v6(const char *addr, unsigned port)
{
	struct sockaddr_in6 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons((uint16_t)port);
	if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) != 1)
		abort();
	return sin6;
}

int
testnet_udp(struct sockaddr_in *bound)
{
	socklen_t len = sizeof(*bound);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	*bound = testnet_v4("127.0.0.1", 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)bound, sizeof(*bound)) < 0 ||
	    getsockname(fd, (struct sockaddr *)bound, &len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

ssize_t
testnet_recv(int fd, void *buf, size_t size, int ms,
    struct sockaddr_in *from)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	struct sockaddr_in ignored;
	socklen_t len = sizeof(ignored);

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	return recvfrom(fd, buf, size, MSG_DONTWAIT,
	    (struct sockaddr *)(from != NULL ? from : &ignored), &len);
}
