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

#include "addr.h"
#include "keyhash.h"
#include "namecache.h"
#include "loop.h"
#include "ptr.h"
#include "resolve.h"

#define NS_T_PTR 12
#define NS_C_IN 1
#define NIL UINT32_MAX

/*
 * An address being looked up, or whose answer events still wait to use.
 * It lives until its query is answered and no event holds it, so neither
 * the cache nor time can take an answer away from an event waiting for
 * it, and one address never has two queries in flight.
 */
struct flight {
	struct namecache_key key;
	uint8_t state;                  /* enum resolve_result */
	uint32_t refs;                  /* tickets held by events */
	uint32_t hnext;                 /* hash chain; free list when free */
	char name[HOST_NAME_LEN + 1];
};

struct resolver {
	ares_channel channel;
	struct namecache *cache;
	struct resolve_config cfg;
	struct resolve_stats own, *stats;  /* stats: the daemon's, or NULL: own */
	int lib_init;                   /* ares_library_init() to undo */
	/* The table of lookups in flight: fixed, cfg.max_pending entries. */
	struct flight *flights;
	uint32_t *buckets, nbuckets, free, nflights;
	/* Sockets c-ares has open, as its socket state callback tells. */
	struct pollfd socks[RESOLVE_MAX_SOCKETS];
	int nsocks;
	/* The event loop it is attached to, or NULL. */
	struct loop *loop;
	int timer, hook;
};

/* Where the counters go: the daemon's, which outlive a reload, if given. */
static struct resolve_stats *
counts(struct resolver *r)
{
	return r->stats != NULL ? r->stats : &r->own;
}

struct query {
	struct resolver *r;
	uint32_t flight;
};


/*
 * c-ares makes tries rounds over every server, doubling the time-out each
 * round; use as many rounds as fit in the time an event may wait, and at
 * least one.
 */
static int
rounds_within(unsigned timeout_ms, unsigned wait_ms, int nservers)
{
	uint64_t total = 0;
	int rounds = 0;

	if (nservers < 1)
		nservers = 1;
	while (rounds < 8) {
		uint64_t round = ((uint64_t)timeout_ms << rounds) *
		    (uint64_t)nservers;
		if (rounds > 0 && total + round > wait_ms)
			break;
		total += round;
		rounds++;
	}
	return rounds;
}

/* A socket of c-ares is ready. */
static void
on_socket(void *arg, int fd, short revents)
{
	struct resolver *r = arg;

	ares_process_fd(r->channel,
	    revents & (POLLIN | POLLERR | POLLHUP) ? fd : ARES_SOCKET_BAD,
	    revents & POLLOUT ? fd : ARES_SOCKET_BAD);
}

/* c-ares opens and closes its sockets; keep the set we poll in step,
 * and the loop's registrations with it. */
static void
sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct resolver *r = data;
	int i;

	for (i = 0; i < r->nsocks && r->socks[i].fd != fd; i++)
		;
	if (!readable && !writable) {
		if (i < r->nsocks)
			r->socks[i] = r->socks[--r->nsocks];
		if (r->loop != NULL)
			loop_fd_del(r->loop, fd);
		return;
	}
	if (i == r->nsocks) {
		/* Cannot happen: at most two sockets per server, and the
		 * servers are capped (new_channel). */
		if (r->nsocks == RESOLVE_MAX_SOCKETS)
			return;
		r->nsocks++;
	}
	r->socks[i].fd = fd;
	r->socks[i].events = (short)((readable ? POLLIN : 0) |
	    (writable ? POLLOUT : 0));
	r->socks[i].revents = 0;
	if (r->loop != NULL)
		loop_fd_add(r->loop, fd, r->socks[i].events, on_socket, r);
}

/* A channel with tries rounds, the servers given (NULL: resolv.conf's),
 * at most RESOLVE_MAX_SERVERS of them. */
static int
new_channel(struct resolver *r, int tries, ares_channel *ch, int *nservers,
    char *err, size_t errlen)
{
	struct ares_options opts;
	struct ares_addr_port_node *servers = NULL, *s, *last = NULL, *rest;
	int rc;

	memset(&opts, 0, sizeof(opts));
	opts.timeout = (int)r->cfg.timeout_ms;
	opts.tries = tries;
	opts.sock_state_cb = sock_state;
	opts.sock_state_cb_data = r;
	/* Room for a burst of answers (a datagram may start ~2,200
	 * lookups) while the receiver is busy; the kernel caps it. */
	opts.socket_receive_buffer_size = 1 << 20;
	rc = ares_init_options(ch, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
	    ARES_OPT_SOCK_STATE_CB | ARES_OPT_SOCK_RCVBUF);
	if (rc != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s", ares_strerror(rc));
		return -1;
	}
	if (r->cfg.servers != NULL &&
	    (rc = ares_set_servers_ports_csv(*ch, r->cfg.servers)) !=
	    ARES_SUCCESS) {
		snprintf(err, errlen, "invalid DNS server list '%s': %s",
		    r->cfg.servers, ares_strerror(rc));
		ares_destroy(*ch);
		return -1;
	}
	*nservers = 0;
	if (ares_get_servers_ports(*ch, &servers) != ARES_SUCCESS)
		return 0;
	for (s = servers; s != NULL; s = s->next)
		if (++*nservers == RESOLVE_MAX_SERVERS)
			last = s;
	/* Each server may hold a UDP and a TCP socket: bound them so every
	 * socket fits in the poll set. */
	if (last != NULL && last->next != NULL) {
		rest = last->next;
		last->next = NULL;
		*nservers = RESOLVE_MAX_SERVERS;
		rc = ares_set_servers_ports(*ch, servers);
		last->next = rest;
	}
	ares_free_data(servers);
	if (rc != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s", ares_strerror(rc));
		ares_destroy(*ch);
		return -1;
	}
	return 0;
}

static int
new_tables(struct resolver *r, char *err, size_t errlen)
{
	size_t n = r->cfg.max_pending;

	if ((r->cache = namecache_new(r->cfg.cache_size)) == NULL) {
		snprintf(err, errlen, "cannot allocate a DNS cache of %zu "
		    "entries", r->cfg.cache_size);
		return -1;
	}
	if (n == 0 || n > RESOLVE_MAX_PENDING) {
		snprintf(err, errlen, "dns.max_pending must be 1 to %u",
		    RESOLVE_MAX_PENDING);
		return -1;
	}
	r->nbuckets = 1;
	while (r->nbuckets < n)
		r->nbuckets <<= 1;
	r->flights = calloc(n, sizeof(*r->flights));
	r->buckets = malloc(r->nbuckets * sizeof(*r->buckets));
	if (r->flights == NULL || r->buckets == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < r->nbuckets; i++)
		r->buckets[i] = NIL;
	for (size_t i = 0; i < n; i++)
		r->flights[i].hnext = i + 1 < n ? (uint32_t)(i + 1) : NIL;
	r->free = 0;
	return 0;
}

struct resolver *
resolver_new(const struct resolve_config *cfg, char *err, size_t errlen)
{
	struct resolver *r;
	ares_channel ch;
	int rc, nservers = 0, rounds;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->cfg = *cfg;
	if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s", ares_strerror(rc));
		free(r);
		return NULL;
	}
	r->lib_init = 1;
	if (new_tables(r, err, errlen) < 0 ||
	    new_channel(r, 1, &r->channel, &nservers, err, errlen) < 0) {
		r->channel = NULL;
		resolver_free(r);
		return NULL;
	}
	/* Now that the servers are known, fit the retries in the wait. */
	rounds = rounds_within(cfg->timeout_ms, cfg->wait_ms, nservers);
	if (rounds > 1 &&
	    new_channel(r, rounds, &ch, &nservers, err, errlen) == 0) {
		ares_destroy(r->channel);
		r->channel = ch;
	}
	return r;
}

void
resolver_free(struct resolver *r)
{
	if (r == NULL)
		return;
	resolver_detach(r);
	if (r->channel != NULL)
		ares_destroy(r->channel);   /* runs every callback (cancelled) */
	namecache_free(r->cache);
	free(r->flights);
	free(r->buckets);
	if (r->lib_init)
		ares_library_cleanup();
	free(r);
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

static uint32_t *
flight_slot(struct resolver *r, const struct namecache_key *k)
{
	return &r->buckets[keyhash(k, sizeof(*k)) & (r->nbuckets - 1)];
}

static uint32_t
flight_find(struct resolver *r, const struct namecache_key *k)
{
	for (uint32_t i = *flight_slot(r, k); i != NIL; i = r->flights[i].hnext)
		if (memcmp(&r->flights[i].key, k, sizeof(*k)) == 0)
			return i;
	return NIL;
}

/* A new entry for k, or NIL when dns.max_pending entries are in use. */
static uint32_t
flight_new(struct resolver *r, const struct namecache_key *k,
    enum resolve_result state, const char *name)
{
	uint32_t i = r->free, *slot;
	struct flight *f;

	if (i == NIL)
		return NIL;
	f = &r->flights[i];
	r->free = f->hnext;
	f->key = *k;
	f->state = (uint8_t)state;
	f->refs = 1;
	f->name[0] = '\0';
	if (state == RESOLVE_NAME)
		memcpy(f->name, name, strlen(name) + 1);
	slot = flight_slot(r, k);
	f->hnext = *slot;
	*slot = i;
	r->nflights++;
	return i;
}

static void
flight_free(struct resolver *r, uint32_t i)
{
	uint32_t *slot = flight_slot(r, &r->flights[i].key);

	while (*slot != i)
		slot = &r->flights[*slot].hnext;
	*slot = r->flights[i].hnext;
	r->flights[i].hnext = r->free;
	r->free = i;
	r->nflights--;
}

/* Count an answer that gives no name, by why. */
static void
count_no_name(struct resolver *r, int status)
{
	if (status == ARES_SUCCESS || status == ARES_ENOTFOUND ||
	    status == ARES_ENODATA)
		counts(r)->answered++;
	else if (status == ARES_ETIMEOUT)
		counts(r)->timed_out++;
	else
		counts(r)->failed++;
}

/*
 * The answer goes to the events waiting for it first, through the flight
 * entry they hold; the cache only keeps a copy for later events, if the
 * TTL allows one (a TTL or --dns-negative-ttl of 0 keeps none).
 */
static void
on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;
	struct resolver *r = q->r;
	struct flight *f;
	uint32_t ttl = 0;
	uint64_t now;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
		free(q);        /* the resolver is going away */
		return;
	}
	now = loop_now();
	f = &r->flights[q->flight];
	if (status == ARES_SUCCESS && ptr_first_name(abuf, alen, f->name, &ttl)) {
		counts(r)->answered++;
		f->state = RESOLVE_NAME;
		if (ttl > r->cfg.ttl_max)
			ttl = r->cfg.ttl_max;
	} else {
		count_no_name(r, status);
		f->state = RESOLVE_NONE;
		f->name[0] = '\0';
		ttl = r->cfg.negative_ttl;
	}
	if (ttl > 0)
		namecache_put(r->cache, &f->key,
		    f->state == RESOLVE_NAME ? f->name : NULL,
		    now + (uint64_t)ttl * 1000);
	if (f->refs == 0)
		flight_free(r, q->flight);
	free(q);
}

static enum resolve_result
flight_result(const struct flight *f, char *name)
{
	if (f->state == RESOLVE_NAME)
		memcpy(name, f->name, strlen(f->name) + 1);
	return (enum resolve_result)f->state;
}

enum resolve_result
resolve_lookup(struct resolver *r, const struct sockaddr *sa, uint64_t now,
    char *name, resolve_ticket *ticket)
{
	struct namecache_key key;
	struct query *q;
	uint32_t i;
	char qname[80];

	*ticket = 0;
	if (key_of(sa, &key) < 0)
		return RESOLVE_NONE;
	if ((i = flight_find(r, &key)) != NIL) {
		r->flights[i].refs++;
		*ticket = i + 1;
		return flight_result(&r->flights[i], name);
	}
	switch (namecache_get(r->cache, &key, now, name)) {
	case NC_NAME:
		counts(r)->cache_hits++;
		return RESOLVE_NAME;
	case NC_NONE:
		counts(r)->cache_hits++;
		return RESOLVE_NONE;
	case NC_MISS:
		break;
	}
	if ((i = flight_new(r, &key, RESOLVE_PENDING, NULL)) == NIL) {
		counts(r)->over_limit++;
		return RESOLVE_NONE;
	}
	if ((q = malloc(sizeof(*q))) == NULL) {
		flight_free(r, i);
		counts(r)->failed++;
		return RESOLVE_NONE;
	}
	q->r = r;
	q->flight = i;
	*ticket = i + 1;
	ptr_query_name(&key, qname, sizeof(qname));
	counts(r)->sent++;
	/* c-ares always calls back, if only with a time-out. */
	ares_query(r->channel, qname, NS_C_IN, NS_T_PTR, on_answer, q);
	return RESOLVE_PENDING;
}

resolve_ticket
resolve_hold(struct resolver *r, const struct sockaddr *sa,
    enum resolve_result result, const char *name)
{
	struct namecache_key key;
	uint32_t i;

	if (key_of(sa, &key) < 0)
		return 0;
	if ((i = flight_find(r, &key)) != NIL) {
		r->flights[i].refs++;
		return i + 1;
	}
	i = flight_new(r, &key, result, name);
	return i == NIL ? 0 : i + 1;
}

enum resolve_result
resolve_answer(struct resolver *r, resolve_ticket ticket,
    const struct sockaddr *sa, uint64_t now, char *name)
{
	struct namecache_key key;

	if (ticket != 0)
		return flight_result(&r->flights[ticket - 1], name);
	/* Known when the event arrived, but not held: the cache's copy,
	 * if it is still there; never a new query, never a wait. */
	if (key_of(sa, &key) < 0)
		return RESOLVE_NONE;
	return namecache_get(r->cache, &key, now, name) == NC_NAME ?
	    RESOLVE_NAME : RESOLVE_NONE;
}

void
resolve_release(struct resolver *r, resolve_ticket ticket)
{
	struct flight *f;

	if (ticket == 0)
		return;
	f = &r->flights[ticket - 1];
	if (--f->refs == 0 && f->state != RESOLVE_PENDING)
		flight_free(r, ticket - 1);
}

size_t
resolve_in_flight(const struct resolver *r)
{
	return r->nflights;
}

/* Time-outs of c-ares: a call with no socket handles them. */
static void
on_timer(void *arg, uint64_t now)
{
	struct resolver *r = arg;

	(void)now;
	ares_process_fd(r->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}

/* Before each sleep: the timer follows c-ares's next time-out. */
static void
arm(void *arg, uint64_t now)
{
	struct resolver *r = arg;
	struct timeval tv, *t = ares_timeout(r->channel, NULL, &tv);

	loop_timer_at(r->loop, r->timer, t == NULL ? 0 : now +
	    (uint64_t)t->tv_sec * 1000 + ((uint64_t)t->tv_usec + 999) / 1000);
}

int
resolver_attach(struct resolver *r, struct loop *l)
{
	r->loop = l;
	r->timer = loop_timer_new(l, on_timer, r);
	r->hook = loop_hook_add(l, arm, r);
	if (r->timer < 0 || r->hook < 0) {
		resolver_detach(r);
		return -1;
	}
	for (int i = 0; i < r->nsocks; i++)
		if (loop_fd_add(l, r->socks[i].fd, r->socks[i].events,
		    on_socket, r) < 0) {
			resolver_detach(r);
			return -1;
		}
	return 0;
}

void
resolver_detach(struct resolver *r)
{
	if (r == NULL || r->loop == NULL)
		return;
	for (int i = 0; i < r->nsocks; i++)
		loop_fd_del(r->loop, r->socks[i].fd);
	loop_timer_free(r->loop, r->timer);
	loop_hook_del(r->loop, r->hook);
	r->loop = NULL;
}

const struct resolve_stats *
resolver_stats(const struct resolver *r)
{
	return r->stats ? r->stats : &r->own;
}

/* Digits only, 1..65535. */
static int
valid_port(const char *p)
{
	unsigned long v;
	char *end;

	if (*p < '0' || *p > '9' || strlen(p) > 5)
		return 0;
	v = strtoul(p, &end, 10);
	return *end == '\0' && v >= 1 && v <= 65535;
}

/* ADDRESS, ADDRESS:PORT, [IPV6] or [IPV6]:PORT, as c-ares reads them. */
int
resolve_check_server(const char *v, char *err, size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1], bin[16];
	const char *text = v, *port = NULL, *colon = strchr(v, ':');
	size_t n = strlen(v);

	if (v[0] == '[') {
		const char *close = strchr(v, ']');
		n = close ? (size_t)(close - v - 1) : sizeof(addr);
		if (close && close[1] == ':')
			port = close + 2;
		else if (close && close[1] != '\0')
			n = sizeof(addr);
		v++;
	} else if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		n = (size_t)(colon - v);
		port = colon + 1;
	}
	if (n < sizeof(addr)) {
		memcpy(addr, v, n);
		addr[n] = '\0';
	}
	if (n >= sizeof(addr) || (inet_pton(AF_INET, addr, bin) != 1 &&
	    inet_pton(AF_INET6, addr, bin) != 1)) {
		snprintf(err, errlen, "invalid DNS server '%s' (expected ADDRESS "
		    "or ADDRESS:PORT, an IPv6 address with a port in [ ])",
		    text);
		return -1;
	}
	if (port != NULL && !valid_port(port)) {
		snprintf(err, errlen, "invalid DNS server '%s': the port must "
		    "be a number from 1 to 65535", text);
		return -1;
	}
	return 0;
}

void
resolver_count_into(struct resolver *r, struct resolve_stats *to)
{
	r->stats = to;
}
