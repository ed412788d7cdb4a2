/*
 * trapsend - a load generator for linklog's tests and benchmark.
 *
 * Sends N SNMP traps (v1 or v2c, built by net-snmp's encoder) carrying
 * valid Linksys log messages drawn from K distinct source/destination
 * pairs, at a given rate or as fast as it can, to a loopback address only.
 * Pair k is "@in TCP from 10.a.b.c:(1024 + k % 60000) to 192.168.d.e:22"
 * with a.b.c and d.e taken from k, so with K = N every trap is unique.
 * -o: sources outside, 11.a.b.c (an internet range), for the geo stage.
 * With -m, pair k is the message TEMPLATE with %p replaced by the port
 * 1 + k % 65535, %a by the address 203.a.b.c taken from k and %k by k
 * (a scan: "@in TCP from 198.51.100.9:4000 to 192.168.1.1:%p").
 *
 *   trapsend [-1|-2] [-o] [-n COUNT] [-r RATE] [-k PAIRS] [-t SECONDS]
 *            [-l SENDLOG] [-m TEMPLATE] ADDRESS:PORT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "trapgen.h"

#define BATCH 64

static double
now_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
parse_target(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	size_t n;
	long port;

	if (colon == NULL || (n = (size_t)(colon - text)) >= sizeof(host))
		return -1;
	memcpy(host, text, n);
	host[n] = '\0';
	port = strtol(colon + 1, NULL, 10);
	if (port < 1 || port > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
		host[n - 1] = '\0';
		memmove(host, host + 1, n - 1);
	}
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		/* Loopback only: this tool must never load a real network. */
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			return -2;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			return -2;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

/* The message of pair k from a -m template. */
static void
expand(const char *tpl, unsigned long k, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = tpl; *p && n + 24 < size; p++) {
		if (p[0] != '%' || (p[1] != 'p' && p[1] != 'a' && p[1] != 'k')) {
			out[n++] = *p;
			continue;
		}
		p++;
		if (*p == 'p')
			n += (size_t)snprintf(out + n, size - n, "%lu",
			    1 + k % 65535);
		else if (*p == 'a')
			n += (size_t)snprintf(out + n, size - n, "203.%lu.%lu.%lu",
			    (k >> 16) & 255, (k >> 8) & 255, k & 255);
		else
			n += (size_t)snprintf(out + n, size - n, "%lu", k);
	}
	out[n] = '\0';
}

static void
usage(void)
{
	fprintf(stderr, "usage: trapsend [-1|-2] [-o] [-n COUNT] [-r RATE] "
	    "[-k PAIRS] [-t SECONDS] [-l SENDLOG] [-m TEMPLATE]\n"
	    "       ADDRESS:PORT\n"
	    "  sends COUNT traps (default 1000) at RATE per second (0: as "
	    "fast as possible)\n  to a loopback ADDRESS only; -t bounds the "
	    "run (default 60 s); -o: sources 11.a.b.c, outside\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int version = 1, c, fd;
	unsigned long count = 1000, pairs = 100, i;
	double rate = 0, limit = 60, start, deadline;
	const char *sendlog = NULL, *tpl = NULL;
	struct sockaddr_storage to;
	socklen_t tolen;
	unsigned char **dgram;
	size_t *dlen;
	FILE *log = NULL;
	int outside = 0;

	while ((c = getopt(argc, argv, "12on:r:k:t:l:m:")) != -1) {
		switch (c) {
		case 'o': outside = 1; break;
		case '1': version = 1; break;
		case '2': version = 2; break;
		case 'n': count = strtoul(optarg, NULL, 10); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'k': pairs = strtoul(optarg, NULL, 10); break;
		case 't': limit = strtod(optarg, NULL); break;
		case 'l': sendlog = optarg; break;
		case 'm': tpl = optarg; break;
		default: usage();
		}
	}
	if (optind + 1 != argc || pairs == 0 || pairs > 1000000 || limit <= 0)
		usage();
	switch (parse_target(argv[optind], &to, &tolen)) {
	case -1:
		fprintf(stderr, "trapsend: invalid target '%s' (ADDRESS:PORT)\n",
		    argv[optind]);
		return 2;
	case -2:
		fprintf(stderr, "trapsend: refusing '%s': only loopback "
		    "addresses (127.0.0.0/8, ::1)\n", argv[optind]);
		return 2;
	}
	if (sendlog && (log = fopen(sendlog, "w")) == NULL) {
		perror(sendlog);
		return 1;
	}
	if (pairs > count && count > 0)
		pairs = count;
	dgram = calloc(pairs, sizeof(*dgram));
	dlen = calloc(pairs, sizeof(*dlen));
	for (unsigned long k = 0; k < pairs; k++) {
		char msg[256];
		const char *s[1] = { msg };
		unsigned char buf[512];
		snprintf(msg, sizeof(msg), "@in TCP from %d.%lu.%lu.%lu:%lu to "
		    "192.168.%lu.%lu:22", outside ? 11 : 10, (k >> 16) & 255,
		    (k >> 8) & 255,
		    k & 255, 1024 + k % 60000, (k >> 8) & 255, k & 255);
		if (tpl != NULL)
			expand(tpl, k, msg, sizeof(msg));
		dlen[k] = trapgen_build(version, "public", s, 1, buf, sizeof(buf));
		if (dlen[k] == 0 || (dgram[k] = malloc(dlen[k])) == NULL) {
			fprintf(stderr, "trapsend: cannot build trap %lu\n", k);
			return 1;
		}
		memcpy(dgram[k], buf, dlen[k]);
	}
	if ((fd = socket(to.ss_family, SOCK_DGRAM, 0)) < 0) {
		perror("socket");
		return 1;
	}
	start = now_s(CLOCK_MONOTONIC);
	deadline = start + limit;
	for (i = 0; i < count;) {
		struct mmsghdr m[BATCH];
		struct iovec iov[BATCH];
		unsigned n = 0;
		double t = now_s(CLOCK_MONOTONIC);
		int sent;

		if (t > deadline) {
			fprintf(stderr, "trapsend: time limit of %.0f s reached\n",
			    limit);
			break;
		}
		if (rate > 0) {
			/* Pace: send what is due by now, then sleep a little. */
			unsigned long due = (unsigned long)((t - start) * rate) + 1;
			if (due <= i) {
				struct timespec ts = { 0, 200000 };
				nanosleep(&ts, NULL);
				continue;
			}
			n = (unsigned)(due - i < BATCH ? due - i : BATCH);
		} else {
			n = BATCH;
		}
		if (n > count - i)
			n = (unsigned)(count - i);
		memset(m, 0, sizeof(m[0]) * n);
		for (unsigned j = 0; j < n; j++) {
			unsigned long k = (i + j) % pairs;
			iov[j].iov_base = dgram[k];
			iov[j].iov_len = dlen[k];
			m[j].msg_hdr.msg_iov = &iov[j];
			m[j].msg_hdr.msg_iovlen = 1;
			m[j].msg_hdr.msg_name = &to;
			m[j].msg_hdr.msg_namelen = tolen;
		}
		sent = sendmmsg(fd, m, n, 0);
		if (sent < 0) {
			if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
				continue;
			perror("sendmmsg");
			return 1;
		}
		if (log) {
			double wall = now_s(CLOCK_REALTIME);
			for (int j = 0; j < sent; j++)
				fprintf(log, "%lu %.3f\n", i + (unsigned long)j, wall);
		}
		i += (unsigned long)sent;
	}
	if (log)
		fclose(log);
	{
		double secs = now_s(CLOCK_MONOTONIC) - start;
		printf("sent %lu traps in %.3f s (%.0f/s)\n", i, secs,
		    secs > 0 ? i / secs : 0.0);
	}
	for (unsigned long k = 0; k < pairs; k++)
		free(dgram[k]);
	free(dgram);
	free(dlen);
	close(fd);
	return i == count ? 0 : 1;
}
