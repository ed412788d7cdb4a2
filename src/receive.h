/*
 * receive.h - the UDP sockets and batched reads (recvmmsg).
 *
 * Owns the listening sockets and one set of datagram buffers, allocated
 * once; receive_batch() fills them and returns the datagrams read.  Each
 * carries a reply handle (its socket and the local address it was sent
 * to) for the answer to an inform.  Kernel drops (receive buffer
 * overflow) are read from each socket (SO_MEMINFO) when counted.
 */
#ifndef LINKLOG_RECEIVE_H
#define LINKLOG_RECEIVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <time.h>

#define RECEIVE_MAX_SOCKETS 16
#define RECEIVE_BATCH 64
#define RECEIVE_DATAGRAM_MAX 65536      /* a whole UDP datagram */
#define RECEIVE_DEFAULT_BUFFER (8 * 1024 * 1024)

struct receiver;

struct receive_stats {
	uint64_t datagrams, truncated, kernel_drops;
};

/* How to answer a datagram: from the socket it came in on, and from the
 * local address it was sent to (family 0: not known, the kernel's
 * choice), so that a socket bound to every address answers from the
 * one the sender chose. */
struct reply_to {
	int fd;
	int family;
	struct in_pktinfo v4;
	struct in6_pktinfo v6;
};

/* One datagram read: buf and from point into the receiver's buffers,
 * valid until its next receive_batch().  when: the kernel's receive
 * time (SO_TIMESTAMP), to the microsecond. */
struct datagram {
	const unsigned char *buf;
	size_t len;
	const struct sockaddr *from;
	socklen_t fromlen;
	struct timeval when;
	struct reply_to reply;
};

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

/*
 * The sockets systemd passed (socket activation), adopted: 1, with *rx
 * set; 0 if none was passed (or linklog is built without systemd); -1
 * with a message in err (a stream socket, too many).
 */
int receive_from_systemd(int rcvbuf, struct receiver **rx, char *err,
    size_t errlen);

void receive_close(struct receiver *r);

size_t receive_nsockets(const struct receiver *r);
int receive_socket(const struct receiver *r, size_t i);

/*
 * Read one batch (at most RECEIVE_BATCH) from socket i without blocking
 * into out; truncated datagrams are counted and left out (*nout: those
 * kept).  Returns how many were read, 0 if none was waiting.
 */
int receive_batch(struct receiver *r, size_t i, struct datagram *out,
    size_t *nout);

/* Send buf to `to` through reply (the answer to an SNMP inform).
 * Returns 0, or -1 with errno. */
int receive_reply(const struct reply_to *reply, const void *buf, size_t len,
    const struct sockaddr *to, socklen_t tolen);

/* Read the sockets' drop counts from the kernel into kernel_drops (the
 * drops since linklog took each socket). */
void receive_count_drops(struct receiver *r);

/* The drops the sockets had when linklog took them (a socket passed by
 * systemd outlives the service: traps lost while it was down). */
uint64_t receive_drops_before(const struct receiver *r);

const struct receive_stats *receive_stats(const struct receiver *r);

/* "UDP 0.0.0.0:162, UDP [::]:162": where the sockets listen. */
void receive_describe(const struct receiver *r, char *buf, size_t size);

/* Parse "1.2.3.4", "::1" or "[::1]" into ss; returns 0 or -1. */
int receive_parse_address(const char *text, unsigned port,
    struct sockaddr_storage *ss, socklen_t *len);

/*
 * The settings' check of a listen address: IPv4 or IPv6, not an
 * IPv4-mapped IPv6 one.  0, or -1 with the reason in err.
 */
int receive_check_listen(const char *v, char *err, size_t errlen);

#endif
