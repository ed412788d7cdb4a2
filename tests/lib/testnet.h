/*
 * testnet.h - addresses and loopback UDP sockets for the unit tests:
 * every socket is bound to 127.0.0.1 on a port the kernel picks, and
 * every wait is bounded.
 */
#ifndef LINKLOG_TESTNET_H
#define LINKLOG_TESTNET_H

#include <stddef.h>
#include <sys/types.h>
#include <netinet/in.h>

/* "192.0.2.1", port: an IPv4 socket address (abort()s on bad text). */
struct sockaddr_in testnet_v4(const char *addr, unsigned port);
/* "2001:db8::1", port: the same for IPv6. */
struct sockaddr_in6 testnet_v6(const char *addr, unsigned port);

/* A UDP socket bound to 127.0.0.1:0; its address in *bound.  -1 on
 * failure. */
int testnet_udp(struct sockaddr_in *bound);

/* One datagram from fd within ms, its sender in *from (may be NULL);
 * -1 if none came. */
ssize_t testnet_recv(int fd, void *buf, size_t size, int ms,
    struct sockaddr_in *from);

#endif
