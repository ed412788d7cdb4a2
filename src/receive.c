/*
 * receive.c - UDP sockets read with recvmmsg(2), batch by batch.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "addr.h"
#include "log.h"
#include "receive.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

#define CMSG_ROOM (CMSG_SPACE(sizeof(struct timeval)) + \
    CMSG_SPACE(sizeof(struct in6_pktinfo)))

struct receiver {
	int fds[RECEIVE_MAX_SOCKETS];
	/* The kernel's drop count of each socket when we took it. */
	uint32_t drops_base[RECEIVE_MAX_SOCKETS];
	size_t nfds;
	int warned_buffer;                      /* said once, not per socket */
	struct receive_stats stats;
	struct mmsghdr msgs[RECEIVE_BATCH];
	struct iovec iov[RECEIVE_BATCH];
	struct sockaddr_storage from[RECEIVE_BATCH];
	union {
		char buf[CMSG_ROOM];
		struct cmsghdr align;
	} cmsg[RECEIVE_BATCH];
	unsigned char *data;                    /* RECEIVE_BATCH buffers */
};

int
receive_parse_address(const char *text, unsigned port,
    struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char buf[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(text);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, text, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
		return 0;
	}
	if (n >= 2 && text[0] == '[' && text[n - 1] == ']' &&
	    n - 2 < sizeof(buf)) {
		memcpy(buf, text + 1, n - 2);
		buf[n - 2] = '\0';
		text = buf;
	}
	if (inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

/* Headers for the first n slots: the kernel changes only those it
 * filled, so after a batch of n only n need it again. */
static void
prepare(struct receiver *r, int n)
{
	for (int k = 0; k < n; k++) {
		struct msghdr *mh = &r->msgs[k].msg_hdr;
		mh->msg_name = &r->from[k];
		mh->msg_namelen = sizeof(r->from[k]);
		mh->msg_iov = &r->iov[k];
		mh->msg_iovlen = 1;
		mh->msg_control = r->cmsg[k].buf;
		mh->msg_controllen = sizeof(r->cmsg[k].buf);
		mh->msg_flags = 0;
	}
}

static struct receiver *
receiver_new(void)
{
	struct receiver *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->data = malloc((size_t)RECEIVE_BATCH * RECEIVE_DATAGRAM_MAX);
	if (r->data == NULL) {
		free(r);
		return NULL;
	}
	for (int i = 0; i < RECEIVE_BATCH; i++) {
		r->iov[i].iov_base = r->data + (size_t)i * RECEIVE_DATAGRAM_MAX;
		r->iov[i].iov_len = RECEIVE_DATAGRAM_MAX;
	}
	prepare(r, RECEIVE_BATCH);
	return r;
}

/* The kernel's count of datagrams dropped on fd (SO_MEMINFO's
 * SK_MEMINFO_DROPS: full buffer, bad checksum); 0 if it will not say. */
static uint32_t
kernel_drops(int fd)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	memset(mem, 0, sizeof(mem));
	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 ||
	    len <= SK_MEMINFO_DROPS * sizeof(mem[0]))
		return 0;
	return mem[SK_MEMINFO_DROPS];
}

/* Once for all sockets, with the advice that fits who we are. */
static void
warn_buffer(struct receiver *r, int got, int asked, int adopted)
{
	if (r->warned_buffer)
		return;
	r->warned_buffer = 1;
	if (adopted)
		log_msg(LOG_NOTICE, "receive buffer is %d bytes, not the %d "
		    "asked for: set ReceiveBuffer= in the socket unit (or "
		    "raise net.core.rmem_max with sysctl)", got, asked);
	else if (geteuid() == 0)
		log_msg(LOG_NOTICE, "receive buffer is %d bytes, not the %d "
		    "asked for: raise net.core.rmem_max with sysctl (this "
		    "process may not force it: no CAP_NET_ADMIN)", got, asked);
	else
		log_msg(LOG_NOTICE, "receive buffer is %d bytes, not the %d "
		    "asked for: raise net.core.rmem_max with sysctl, or start "
		    "as root", got, asked);
}

/* Options every socket gets, bound by us or passed by systemd. */
static void
tune(struct receiver *r, int fd, int rcvbuf, int adopted)
{
	int one = 1, got = 0;
	socklen_t len = sizeof(got);

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof(one));
	/* One of the two applies, depending on the socket's family. */
	setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	r->drops_base[r->nfds] = kernel_drops(fd);
	if (rcvbuf <= 0)
		return;
	/* A socket passed by systemd may have its buffer already (the
	 * unit's ReceiveBuffer=): never make it smaller. */
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == 0 &&
	    got / 2 >= rcvbuf)
		return;
	/* SO_RCVBUFFORCE passes net.core.rmem_max, but needs privilege. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* The kernel reports twice what it books for data. */
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == 0 &&
	    got / 2 < rcvbuf)
		warn_buffer(r, got / 2, rcvbuf, adopted);
}

static int
bind_one(struct receiver *r, const struct sockaddr_storage *ss, socklen_t len,
    int rcvbuf, char *err, size_t errlen)
{
	char text[ADDR_TEXT_LEN];
	unsigned port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
	int fd, one = 1, e;

	addr_format((const struct sockaddr *)ss, text, sizeof(text));
	if (r->nfds == RECEIVE_MAX_SOCKETS) {
		snprintf(err, errlen, "too many listening addresses (at most "
		    "%d)", RECEIVE_MAX_SOCKETS);
		return -1;
	}
	if ((fd = socket(ss->ss_family, SOCK_DGRAM, 0)) < 0) {
		snprintf(err, errlen, "cannot create a UDP socket for %s: %s",
		    text, strerror(errno));
		return -1;
	}
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) < 0) {
		e = errno;
		close(fd);
		errno = e;
		if (e == EACCES)
			snprintf(err, errlen, "cannot bind UDP %s port %u: %s "
			    "(ports below 1024 need root or "
			    "CAP_NET_BIND_SERVICE; or use --port with a port "
			    "above 1023 and a redirect, see linklog(8))", text,
			    port, strerror(e));
		else if (e == EADDRINUSE)
			snprintf(err, errlen, "cannot bind UDP %s port %u: %s "
			    "(is snmptrapd or another linklog running? stop it "
			    "or use --port)", text, port, strerror(e));
		else
			snprintf(err, errlen, "cannot bind UDP %s port %u: %s",
			    text, port, strerror(e));
		return -1;
	}
	tune(r, fd, rcvbuf, 0);
	r->fds[r->nfds++] = fd;
	return 0;
}

/* The wildcard addresses; IPv6 only where the machine has it. */
static int
bind_any(struct receiver *r, unsigned port, int rcvbuf, char *err,
    size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;

	receive_parse_address("0.0.0.0", port, &ss, &len);
	if (bind_one(r, &ss, len, rcvbuf, err, errlen) < 0)
		return -1;
	receive_parse_address("::", port, &ss, &len);
	if (bind_one(r, &ss, len, rcvbuf, err, errlen) < 0) {
		if (errno != EAFNOSUPPORT && errno != EADDRNOTAVAIL)
			return -1;
		log_msg(LOG_NOTICE, "no IPv6 on this machine: listening on "
		    "IPv4 only");
	}
	return 0;
}

struct receiver *
receive_open(const char *const *listen, size_t nlisten, unsigned port,
    int rcvbuf, char *err, size_t errlen)
{
	struct receiver *r = receiver_new();
	struct sockaddr_storage ss;
	socklen_t len;
	int rc = 0;

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (nlisten == 0)
		rc = bind_any(r, port, rcvbuf, err, errlen);
	for (size_t i = 0; i < nlisten && rc == 0; i++) {
		if (receive_parse_address(listen[i], port, &ss, &len) < 0) {
			snprintf(err, errlen, "invalid listen address '%s' "
			    "(expected an IPv4 or IPv6 address)", listen[i]);
			rc = -1;
		} else {
			rc = bind_one(r, &ss, len, rcvbuf, err, errlen);
		}
	}
	if (rc < 0) {
		receive_close(r);
		return NULL;
	}
	return r;
}

struct receiver *
receive_adopt(const int *fds, size_t nfds, int rcvbuf, char *err,
    size_t errlen)
{
	struct receiver *r = receiver_new();

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (nfds > RECEIVE_MAX_SOCKETS) {
		snprintf(err, errlen, "too many sockets passed (at most %d)",
		    RECEIVE_MAX_SOCKETS);
		receive_close(r);
		return NULL;
	}
	for (size_t i = 0; i < nfds; i++) {
		tune(r, fds[i], rcvbuf, 1);
		r->fds[r->nfds++] = fds[i];
	}
	return r;
}

void
receive_close(struct receiver *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nfds; i++)
		close(r->fds[i]);
	free(r->data);
	free(r);
}

size_t
receive_nsockets(const struct receiver *r)
{
	return r->nfds;
}

int
receive_socket(const struct receiver *r, size_t i)
{
	return r->fds[i];
}

/* The address the datagram was sent to, if the control data has it. */
static void
local_of(const struct cmsghdr *c, struct reply_to *local)
{
	if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
		memcpy(&local->v4, CMSG_DATA(c), sizeof(local->v4));
		local->family = AF_INET;
	} else if (c->cmsg_level == IPPROTO_IPV6 &&
	    c->cmsg_type == IPV6_PKTINFO) {
		memcpy(&local->v6, CMSG_DATA(c), sizeof(local->v6));
		local->family = AF_INET6;
	}
}

/* Receive time and local address from the control data. */
static void
control(struct msghdr *mh, struct datagram *d)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			local_of(c, &d->reply);
		else if (c->cmsg_type == SO_TIMESTAMP)
			memcpy(&d->when, CMSG_DATA(c), sizeof(d->when));
	}
}

int
receive_batch(struct receiver *r, size_t i, struct datagram *out,
    size_t *nout)
{
	struct timeval now;
	size_t kept = 0;
	int n;

	*nout = 0;
	do {
		n = recvmmsg(r->fds[i], r->msgs, RECEIVE_BATCH, MSG_DONTWAIT,
		    NULL);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return 0;
	gettimeofday(&now, NULL);
	r->stats.datagrams += (uint64_t)n;
	for (int k = 0; k < n; k++) {
		struct msghdr *mh = &r->msgs[k].msg_hdr;
		struct datagram *d = &out[kept];
		if (mh->msg_flags & MSG_TRUNC) {
			r->stats.truncated++;
			continue;
		}
		d->buf = r->iov[k].iov_base;
		d->len = r->msgs[k].msg_len;
		d->from = (const struct sockaddr *)&r->from[k];
		d->fromlen = mh->msg_namelen;
		d->when = now;
		d->reply.fd = r->fds[i];
		d->reply.family = 0;
		control(mh, d);
		kept++;
	}
	prepare(r, n);
	*nout = kept;
	return n;
}

void
receive_count_drops(struct receiver *r)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < r->nfds; i++)
		sum += (uint32_t)(kernel_drops(r->fds[i]) - r->drops_base[i]);
	r->stats.kernel_drops = sum;
}

uint64_t
receive_drops_before(const struct receiver *r)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < r->nfds; i++)
		sum += r->drops_base[i];
	return sum;
}

/*
 * The source of the answer: the local address the datagram was sent to,
 * so that a socket bound to every address answers from the one the
 * sender chose (a sender may accept answers from it only).
 */
union pktinfo_room {
	char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct cmsghdr align;
};

static void
set_source(struct msghdr *mh, const struct reply_to *local,
    union pktinfo_room *room)
{
	struct cmsghdr *c;

	if (local->family == 0)
		return;
	memset(room, 0, sizeof(*room));
	mh->msg_control = room->buf;
	c = (struct cmsghdr *)room->buf;
	if (local->family == AF_INET) {
		struct in_pktinfo pi;
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = local->v4.ipi_spec_dst;
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(local->v6));
		memcpy(CMSG_DATA(c), &local->v6, sizeof(local->v6));
		mh->msg_controllen = CMSG_SPACE(sizeof(local->v6));
	}
}

int
receive_reply(const struct reply_to *reply, const void *buf, size_t len,
    const struct sockaddr *to, socklen_t tolen)
{
	union pktinfo_room room;
	struct iovec iov = { (void *)buf, len };
	struct msghdr mh;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = (void *)to;
	mh.msg_namelen = tolen;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	set_source(&mh, reply, &room);
	/* Never wait: a full send buffer costs the sender a retry. */
	do {
		n = sendmsg(reply->fd, &mh, MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? 0 : -1;
}

const struct receive_stats *
receive_stats(const struct receiver *r)
{
	return &r->stats;
}

void
receive_describe(const struct receiver *r, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->nfds && used < size; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		char text[ADDR_TEXT_LEN];
		unsigned port;
		int n;

		if (getsockname(r->fds[i], (struct sockaddr *)&ss, &len) < 0)
			continue;
		addr_format((const struct sockaddr *)&ss, text, sizeof(text));
		port = ntohs(((const struct sockaddr_in *)&ss)->sin_port);
		n = snprintf(buf + used, size - used, "%sUDP %s%s%s:%u",
		    used ? ", " : "", ss.ss_family == AF_INET6 ? "[" : "",
		    text, ss.ss_family == AF_INET6 ? "]" : "", port);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* An address to bind: IPv4 or IPv6, not an IPv4-mapped IPv6 one. */
int
receive_check_listen(const char *v, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;

	if (receive_parse_address(v, 0, &ss, &len) < 0) {
		snprintf(err, errlen, "invalid listen address '%s' (expected "
		    "an IPv4 or IPv6 address)", v);
		return -1;
	}
	if (ss.ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		char v4[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], v4, sizeof(v4));
		snprintf(err, errlen, "invalid listen address '%s': an "
		    "IPv4-mapped address; write the IPv4 address %s", v, v4);
		return -1;
	}
	return 0;
}

int
receive_from_systemd(int rcvbuf, struct receiver **rx, char *err,
    size_t errlen)
{
#ifdef HAVE_SYSTEMD
	int fds[RECEIVE_MAX_SOCKETS], n = sd_listen_fds(1);

	*rx = NULL;
	if (n <= 0)
		return 0;
	if (n > RECEIVE_MAX_SOCKETS) {
		snprintf(err, errlen, "too many sockets passed (at most %d)",
		    RECEIVE_MAX_SOCKETS);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		fds[i] = SD_LISTEN_FDS_START + i;
		/* A ListenStream= socket would never see a trap. */
		if (sd_is_socket_inet(fds[i], AF_UNSPEC, SOCK_DGRAM, -1,
		    0) <= 0) {
			snprintf(err, errlen, "socket %d passed by systemd is "
			    "not a UDP socket: the socket unit needs "
			    "ListenDatagram=, not ListenStream=", fds[i]);
			return -1;
		}
	}
	if ((*rx = receive_adopt(fds, (size_t)n, rcvbuf, err, errlen)) == NULL)
		return -1;
	return 1;
#else
	(void)rcvbuf;
	(void)err;
	(void)errlen;
	*rx = NULL;
	return 0;
#endif
}
