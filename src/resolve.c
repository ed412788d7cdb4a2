/*
 * resolve.c - asynchronous reverse DNS with c-ares and a bounded cache.
 *
 * PTR queries go through ares_query() (no hosts file, no search list), so
 * a name comes from the DNS servers configured, and only from them.  A
 * PTR name is data from whoever controls the reverse zone: it is checked
 * against host name syntax and discarded if it is anything else.
 */
#include <arpa/inet.h>
#include <ares.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "namecache.h"
#include "resolve.h"

#define NS_T_PTR 12
#define NS_C_IN 1
#define PENDING_MAX_MS 60000
#define MIN_TTL_S 1

struct resolver {
	ares_channel channel;
	struct namecache *cache;
	struct resolve_config cfg;
	struct resolve_stats stats;
};

struct query {
	struct resolver *r;
	uint64_t ticket;
};

uint64_t
resolve_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
resolve_valid_name(const char *name)
{
	size_t len = strlen(name), label = 0;

	if (len == 0 || len > HOST_NAME_LEN)
		return 0;
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-' && c != '_')
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0;
}

/*
 * c-ares doubles the time-out on each round over the servers; use as many
 * tries as fit in the time an event may wait, and at least one.
 */
static int
tries_within(unsigned timeout_ms, unsigned wait_ms, int nservers)
{
	unsigned total = 0;
	int tries = 0;

	if (nservers < 1)
		nservers = 1;
	for (;;) {
		unsigned t = timeout_ms << (tries / nservers);
		if (tries > 0 && total + t > wait_ms)
			break;
		total += t;
		if (++tries >= 8)
			break;
	}
	return tries;
}

struct resolver *
resolver_new(const struct resolve_config *cfg, char *err, size_t errlen)
{
	struct ares_options opts;
	struct ares_addr_port_node *servers = NULL;
	struct resolver *r;
	int rc, nservers = 0;

	if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s", ares_strerror(rc));
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->cfg = *cfg;
	if ((r->cache = namecache_new(cfg->cache_size)) == NULL) {
		snprintf(err, errlen, "cannot allocate a DNS cache of %zu "
		    "entries", cfg->cache_size);
		free(r);
		return NULL;
	}
	memset(&opts, 0, sizeof(opts));
	opts.timeout = (int)cfg->timeout_ms;
	opts.tries = 1;
	rc = ares_init_options(&r->channel, &opts,
	    ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (rc != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s", ares_strerror(rc));
		goto fail;
	}
	if (cfg->servers != NULL) {
		rc = ares_set_servers_ports_csv(r->channel, cfg->servers);
		if (rc != ARES_SUCCESS) {
			snprintf(err, errlen, "invalid DNS server list '%s': %s",
			    cfg->servers, ares_strerror(rc));
			goto fail;
		}
	}
	if (ares_get_servers_ports(r->channel, &servers) == ARES_SUCCESS) {
		for (struct ares_addr_port_node *s = servers; s; s = s->next)
			nservers++;
		ares_free_data(servers);
	}
	/* Now that the servers are known, fit the retries in the wait. */
	opts.tries = tries_within(cfg->timeout_ms, cfg->wait_ms, nservers);
	if (opts.tries > 1) {
		ares_channel ch;
		rc = ares_init_options(&ch, &opts,
		    ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
		if (rc == ARES_SUCCESS && cfg->servers != NULL)
			rc = ares_set_servers_ports_csv(ch, cfg->servers);
		if (rc == ARES_SUCCESS) {
			ares_destroy(r->channel);
			r->channel = ch;
		}
	}
	return r;
fail:
	if (r->channel)
		ares_destroy(r->channel);
	namecache_free(r->cache);
	free(r);
	return NULL;
}

void
resolver_free(struct resolver *r)
{
	if (r == NULL)
		return;
	ares_destroy(r->channel);       /* runs every callback (cancelled) */
	namecache_free(r->cache);
	free(r);
	ares_library_cleanup();
}

static int
key_of(const struct sockaddr *sa, struct namecache_key *k)
{
	memset(k, 0, sizeof(*k));
	if (sa->sa_family == AF_INET) {
		k->family = AF_INET;
		memcpy(k->addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			k->family = AF_INET;
			memcpy(k->addr, &a->s6_addr[12], 4);
		} else {
			k->family = AF_INET6;
			memcpy(k->addr, a, 16);
		}
		return 0;
	}
	return -1;
}

static void
ptr_qname(const struct namecache_key *k, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf;

	if (k->family == AF_INET) {
		snprintf(buf, size, "%u.%u.%u.%u.in-addr.arpa", k->addr[3],
		    k->addr[2], k->addr[1], k->addr[0]);
		return;
	}
	for (int i = 15; i >= 0; i--) {
		*p++ = hex[k->addr[i] & 15];
		*p++ = '.';
		*p++ = hex[k->addr[i] >> 4];
		*p++ = '.';
	}
	strcpy(p, "ip6.arpa");
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static const unsigned char *
skip_name(const unsigned char *p, const unsigned char *abuf, int alen)
{
	char *name;
	long len;

	if (ares_expand_name(p, abuf, alen, &name, &len) != ARES_SUCCESS)
		return NULL;
	ares_free_string(name);
	return p + len;
}

/*
 * The first PTR record of a response, and the smallest TTL on the way to
 * it (a CNAME of a classless delegation counts too).  0 if none.
 */
static int
first_ptr(const unsigned char *abuf, int alen, char *out, uint32_t *ttl)
{
	const unsigned char *p = abuf + 12, *end = abuf + alen;
	unsigned qd, an;
	uint32_t min_ttl = UINT32_MAX;

	if (alen < 12)
		return 0;
	qd = (unsigned)abuf[4] << 8 | abuf[5];
	an = (unsigned)abuf[6] << 8 | abuf[7];
	while (qd-- > 0) {
		if ((p = skip_name(p, abuf, alen)) == NULL || end - p < 4)
			return 0;
		p += 4;
	}
	while (an-- > 0) {
		unsigned type, klass, rdlen;
		uint32_t t;
		if ((p = skip_name(p, abuf, alen)) == NULL || end - p < 10)
			return 0;
		type = (unsigned)p[0] << 8 | p[1];
		klass = (unsigned)p[2] << 8 | p[3];
		t = get32(p + 4);
		rdlen = (unsigned)p[8] << 8 | p[9];
		p += 10;
		if ((size_t)(end - p) < rdlen)
			return 0;
		if (klass == NS_C_IN && t < min_ttl)
			min_ttl = t;
		if (klass == NS_C_IN && type == NS_T_PTR) {
			char *name;
			long len;
			int ok;
			if (ares_expand_name(p, abuf, alen, &name, &len) !=
			    ARES_SUCCESS)
				return 0;
			ok = resolve_valid_name(name);
			if (ok)
				strcpy(out, name);
			ares_free_string(name);
			*ttl = min_ttl;
			return ok;
		}
		p += rdlen;
	}
	return 0;
}

static void
on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;
	struct resolver *r = q->r;
	char name[HOST_NAME_LEN + 1];
	uint32_t ttl = 0;
	uint64_t now = resolve_now();
	uint64_t negative = now + (uint64_t)r->cfg.negative_ttl * 1000;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
		free(q);
		return;
	}
	if (status == ARES_SUCCESS && first_ptr(abuf, alen, name, &ttl)) {
		r->stats.answered++;
		if (ttl > r->cfg.ttl_max)
			ttl = r->cfg.ttl_max;
		/* A TTL of 0 still answers the events waiting for it. */
		if (ttl < MIN_TTL_S)
			ttl = MIN_TTL_S;
		namecache_answer(r->cache, q->ticket, name,
		    now + (uint64_t)ttl * 1000);
	} else {
		if (status == ARES_SUCCESS || status == ARES_ENOTFOUND ||
		    status == ARES_ENODATA)
			r->stats.answered++;
		else if (status == ARES_ETIMEOUT)
			r->stats.timed_out++;
		else
			r->stats.failed++;
		namecache_answer(r->cache, q->ticket, NULL, negative);
	}
	free(q);
}

enum resolve_result
resolve_lookup(struct resolver *r, const struct sockaddr *sa, uint64_t now,
    int start, char *name)
{
	struct namecache_key key;
	struct query *q;
	char qname[80];

	if (key_of(sa, &key) < 0)
		return RESOLVE_NONE;
	switch (namecache_get(r->cache, &key, now, name)) {
	case NC_NAME:
		r->stats.cache_hits += start != 0;
		return RESOLVE_NAME;
	case NC_NONE:
		r->stats.cache_hits += start != 0;
		return RESOLVE_NONE;
	case NC_PENDING:
		return RESOLVE_PENDING;
	case NC_MISS:
		break;
	}
	if (!start)
		return RESOLVE_PENDING;
	if ((q = malloc(sizeof(*q))) == NULL)
		return RESOLVE_NONE;
	q->r = r;
	/* c-ares always answers, if only with a time-out; the expiry only
	 * guards against an answer that never comes. */
	q->ticket = namecache_pending(r->cache, &key, now + PENDING_MAX_MS);
	ptr_qname(&key, qname, sizeof(qname));
	r->stats.sent++;
	ares_query(r->channel, qname, NS_C_IN, NS_T_PTR, on_answer, q);
	return RESOLVE_PENDING;
}

int
resolver_pollfds(struct resolver *r, struct pollfd *pfd, int max)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	unsigned bits = (unsigned)ares_getsock(r->channel, socks,
	    ARES_GETSOCK_MAXNUM);
	int n = 0;

	/* Not c-ares' ARES_GETSOCK_* macros: they shift a signed 1 into the
	 * sign bit for the 16th socket (undefined behaviour). */
	for (int i = 0; i < ARES_GETSOCK_MAXNUM && n < max; i++) {
		short ev = 0;
		if (bits & (1u << i))
			ev |= POLLIN;
		if (bits & (1u << (i + ARES_GETSOCK_MAXNUM)))
			ev |= POLLOUT;
		if (ev == 0)
			continue;
		pfd[n].fd = socks[i];
		pfd[n].events = ev;
		pfd[n].revents = 0;
		n++;
	}
	return n;
}

void
resolver_process(struct resolver *r, const struct pollfd *pfd, int n)
{
	int any = 0;

	for (int i = 0; i < n; i++) {
		ares_socket_t rd = ARES_SOCKET_BAD, wr = ARES_SOCKET_BAD;
		if (pfd[i].revents & (POLLIN | POLLERR | POLLHUP))
			rd = pfd[i].fd;
		if (pfd[i].revents & POLLOUT)
			wr = pfd[i].fd;
		if (rd != ARES_SOCKET_BAD || wr != ARES_SOCKET_BAD) {
			ares_process_fd(r->channel, rd, wr);
			any = 1;
		}
	}
	/* Time-outs are handled by a call with no socket. */
	if (!any)
		ares_process_fd(r->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}

int
resolver_timeout_ms(struct resolver *r)
{
	struct timeval tv, *t = ares_timeout(r->channel, NULL, &tv);

	if (t == NULL)
		return -1;
	return (int)(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000);
}

const struct resolve_stats *
resolver_stats(const struct resolver *r)
{
	return &r->stats;
}
