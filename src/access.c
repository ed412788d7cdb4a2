/*
 * access.c - sender and community checks, per-sender rate limits.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "access.h"
#include "addr.h"
#include "log.h"

#define TABLE 1024              /* senders tracked (rate, reports) */
#define REPORT_INTERVAL 60

struct net {
	uint8_t family;
	uint8_t addr[16];
	unsigned bits;
};

/* A sender, as seen by the rate limiter or the reject reporter. */
struct sender {
	uint8_t family, used;
	uint8_t addr[16];
	time_t second, last_report;
	uint64_t count, suppressed, rejected;
};

struct access {
	struct net nets[OPTIONS_MAX_LIST];
	size_t nnets;
	char *community[OPTIONS_MAX_LIST];
	size_t ncommunity;
	unsigned rate_limit;
	struct access_stats stats;
	struct sender rate[TABLE], rejects[TABLE];
	time_t last_tick;
};

int
access_parse_cidr(const char *text, uint8_t *family, uint8_t addr[16],
    unsigned *bits)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long b;
	unsigned max;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	memset(addr, 0, 16);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, addr) == 1) {
		*family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	*bits = max;
	if (slash != NULL) {
		b = strtoul(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || b > max)
			return -1;
		*bits = (unsigned)b;
	}
	return 0;
}

struct access *
access_new(const struct string_list *allow_from,
    const struct string_list *community, unsigned rate_limit, char *err,
    size_t errlen)
{
	struct access *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < allow_from->n; i++) {
		struct net *n = &a->nets[a->nnets++];
		if (access_parse_cidr(allow_from->v[i], &n->family, n->addr,
		    &n->bits) < 0) {
			snprintf(err, errlen, "invalid allow_from '%s' (expected "
			    "ADDRESS or ADDRESS/BITS, IPv4 or IPv6)",
			    allow_from->v[i]);
			free(a);
			return NULL;
		}
	}
	for (size_t i = 0; i < community->n; i++)
		a->community[a->ncommunity++] = (char *)community->v[i];
	a->rate_limit = rate_limit;
	return a;
}

void
access_free(struct access *a)
{
	free(a);
}

int
access_active(const struct access *a)
{
	return a->nnets > 0 || a->ncommunity > 0 || a->rate_limit > 0;
}

/* The sender's address as family + 16 bytes; v4-mapped as v4. */
static void
key_of(const struct sockaddr *sa, uint8_t *family, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (sa->sa_family == AF_INET) {
		*family = AF_INET;
		memcpy(addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return;
	}
	const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (IN6_IS_ADDR_V4MAPPED(a6)) {
		*family = AF_INET;
		memcpy(addr, &a6->s6_addr[12], 4);
	} else {
		*family = AF_INET6;
		memcpy(addr, a6, 16);
	}
}

static int
in_net(const struct net *n, uint8_t family, const uint8_t addr[16])
{
	unsigned full = n->bits / 8, rest = n->bits % 8;

	if (n->family != family)
		return 0;
	if (memcmp(n->addr, addr, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (n->addr[full] & mask) == (addr[full] & mask);
}

/* The table slot of a sender: hashed, the newcomer takes the slot over. */
static struct sender *
slot(struct sender *table, uint8_t family, const uint8_t addr[16])
{
	uint32_t h = 2166136261u ^ family;
	struct sender *s;

	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	s = &table[h % TABLE];
	if (!s->used || s->family != family || memcmp(s->addr, addr, 16) != 0) {
		memset(s, 0, sizeof(*s));
		s->used = 1;
		s->family = family;
		memcpy(s->addr, addr, 16);
	}
	return s;
}

static void
sender_text(const struct sender *s, char *buf, size_t size)
{
	inet_ntop(s->family, s->addr, buf, (socklen_t)size);
}

static void
reject(struct access *a, const struct sockaddr *sa, time_t now,
    const char *why)
{
	uint8_t family, addr[16];
	struct sender *s;
	char text[ADDR_TEXT_LEN];

	key_of(sa, &family, addr);
	s = slot(a->rejects, family, addr);
	s->rejected++;
	if (s->last_report != 0 && now - s->last_report < REPORT_INTERVAL)
		return;
	sender_text(s, text, sizeof(text));
	log_msg(LOG_WARNING, "rejected %llu datagram%s from %s (%s)",
	    (unsigned long long)s->rejected, s->rejected == 1 ? "" : "s", text,
	    why);
	s->rejected = 0;
	s->last_report = now;
}

int
access_sender(struct access *a, const struct sockaddr *sa, time_t now)
{
	uint8_t family, addr[16];

	if (a->nnets == 0)
		return 1;
	key_of(sa, &family, addr);
	for (size_t i = 0; i < a->nnets; i++)
		if (in_net(&a->nets[i], family, addr))
			return 1;
	a->stats.rejected_sender++;
	reject(a, sa, now, "not in allow_from");
	return 0;
}

int
access_community(struct access *a, const struct sockaddr *sa,
    const unsigned char *community, size_t len, time_t now)
{
	if (a->ncommunity == 0)
		return 1;
	for (size_t i = 0; i < a->ncommunity; i++)
		if (strlen(a->community[i]) == len &&
		    memcmp(a->community[i], community, len) == 0)
			return 1;
	a->stats.rejected_community++;
	reject(a, sa, now, "wrong community");
	return 0;
}

int
access_rate(struct access *a, const struct sockaddr *sa, time_t now)
{
	uint8_t family, addr[16];
	struct sender *s;

	if (a->rate_limit == 0)
		return 1;
	key_of(sa, &family, addr);
	s = slot(a->rate, family, addr);
	if (s->second != now) {
		access_tick(a, now);
		s->second = now;
		s->count = 0;
	}
	if (++s->count <= a->rate_limit)
		return 1;
	s->suppressed++;
	a->stats.rate_limited++;
	return 0;
}

void
access_tick(struct access *a, time_t now)
{
	char text[ADDR_TEXT_LEN];

	if (a->rate_limit == 0 || now == a->last_tick)
		return;
	a->last_tick = now;
	for (size_t i = 0; i < TABLE; i++) {
		struct sender *s = &a->rate[i];
		if (!s->used || s->suppressed == 0 || s->second >= now)
			continue;
		sender_text(s, text, sizeof(text));
		log_msg(LOG_WARNING, "rate limit: suppressed %llu event%s from "
		    "%s (over %u per second)",
		    (unsigned long long)s->suppressed,
		    s->suppressed == 1 ? "" : "s", text, a->rate_limit);
		s->suppressed = 0;
	}
}

const struct access_stats *
access_stats(const struct access *a)
{
	return &a->stats;
}
