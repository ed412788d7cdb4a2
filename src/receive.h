/*
 * receive.h - the UDP sockets and batched reads (recvmmsg).
 *
 * Owns the listening sockets and one set of datagram buffers, allocated
 * once; receive_batch() fills them and hands each datagram to a callback.
 * Kernel drops (receive buffer overflow) are counted via SO_RXQ_OVFL.
 */
#ifndef LINKLOG_RECEIVE_H
#define LINKLOG_RECEIVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#define RECEIVE_MAX_SOCKETS 16
#define RECEIVE_BATCH 64
#define RECEIVE_DATAGRAM_MAX 65536      /* a whole UDP datagram */
#define RECEIVE_DEFAULT_BUFFER (8 * 1024 * 1024)

struct receiver;

struct receive_stats {
	uint64_t datagrams, truncated, kernel_drops;
};

/* when: the kernel's receive time (SO_TIMESTAMP), to the microsecond. */
typedef void receive_fn(void *arg, const unsigned char *buf, size_t len,
    const struct sockaddr *from, socklen_t fromlen,
    const struct timeval *when);

/*
 * Bind UDP port on each address of listen (NULL or empty: every address,
 * IPv4 and IPv6).  rcvbuf: wanted receive buffer in bytes.  On failure
 * returns NULL with a message in err.
 */
struct receiver *receive_open(const char *const *listen, size_t nlisten,
    unsigned port, int rcvbuf, char *err, size_t errlen);

/* Adopt already bound sockets (systemd socket activation). */
struct receiver *receive_adopt(const int *fds, size_t nfds, int rcvbuf,
    char *err, size_t errlen);

void receive_close(struct receiver *r);

size_t receive_nsockets(const struct receiver *r);
int receive_socket(const struct receiver *r, size_t i);

/*
 * Read one batch from socket i without blocking; calls fn for each
 * datagram.  Returns the number of datagrams, 0 if none was waiting.
 */
int receive_batch(struct receiver *r, size_t i, receive_fn *fn, void *arg);

/*
 * Send buf to `to` from the socket the datagram being handed to the
 * callback came in on, and from the local address it was sent to
 * (IP_PKTINFO / IPV6_PKTINFO: a socket bound to every address answers
 * from the right one).  Only meaningful inside receive_batch()'s
 * callback: the answer to an SNMP inform.  Returns 0, or -1 with errno.
 */
int receive_reply(struct receiver *r, const void *buf, size_t len,
    const struct sockaddr *to, socklen_t tolen);

const struct receive_stats *receive_stats(const struct receiver *r);

/* Parse "1.2.3.4", "::1" or "[::1]" into ss; returns 0 or -1. */
int receive_parse_address(const char *text, unsigned port,
    struct sockaddr_storage *ss, socklen_t *len);

#endif
