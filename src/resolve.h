/*
 * resolve.h - host names for addresses, without ever blocking.
 *
 * All name lookups of linklog go through here.  Reverse (PTR) queries are
 * sent with c-ares and answered from the event loop; results, including
 * negative ones, live in a bounded cache (namecache.h).  A lookup either
 * answers from the cache at once or starts one query for the address (one
 * per address, however many events wait for it) and reports "pending".
 *
 * Queries in flight live in a table of their own, which the cache cannot
 * evict from: an event that waits holds a ticket to its address's entry,
 * and the answer is read through the ticket whatever happened to the
 * cache meanwhile.  The table holds at most max_pending addresses (the
 * bound on what a flood of new addresses can cost, and on the queries it
 * makes linklog send); a lookup beyond it gets no name and is counted.
 */
#ifndef LINKLOG_RESOLVE_H
#define LINKLOG_RESOLVE_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "event.h"

/* Bounds: servers used, sockets c-ares may have open (UDP and TCP for
 * each), addresses in flight. */
#define RESOLVE_MAX_SERVERS 64
#define RESOLVE_MAX_SOCKETS (2 * RESOLVE_MAX_SERVERS)
#define RESOLVE_MAX_PENDING 65536

struct resolve_config {
	const char *servers;            /* "a[:p],b[:p]" or NULL: system's */
	unsigned timeout_ms;            /* per query */
	unsigned wait_ms;               /* how long an event may wait */
	size_t cache_size;              /* entries */
	unsigned ttl_max;               /* seconds, cap on a record's TTL */
	unsigned negative_ttl;          /* seconds, no name / time-out */
	size_t max_pending;             /* addresses in flight or held */
};

struct resolve_stats {
	uint64_t sent, answered, failed, timed_out, cache_hits;
	uint64_t over_limit;            /* not looked up: max_pending full */
};

enum resolve_result { RESOLVE_NAME, RESOLVE_NONE, RESOLVE_PENDING };

/* A hold on an address's entry in the table in flight; 0: none. */
typedef uint32_t resolve_ticket;

struct resolver;

struct resolver *resolver_new(const struct resolve_config *cfg, char *err,
    size_t errlen);
void resolver_free(struct resolver *r);

/*
 * Tickets: between the resolver and the wait queue (waitq.h) only.
 *
 * The name of sa at time now (ms, CLOCK_MONOTONIC).  On RESOLVE_NAME the
 * name is in name (HOST_NAME_LEN + 1 bytes).  A miss starts a query and
 * returns RESOLVE_PENDING.  When the address is in the table in flight,
 * *ticket holds it (release it with resolve_release()); otherwise it is 0.
 */
enum resolve_result resolve_lookup(struct resolver *r, const struct sockaddr *sa,
    uint64_t now, char *name, resolve_ticket *ticket);

/*
 * Hold a known answer (from the cache) for an event that will wait behind
 * others, so that eviction cannot take it away; 0 if the table is full.
 */
resolve_ticket resolve_hold(struct resolver *r, const struct sockaddr *sa,
    enum resolve_result result, const char *name);

/*
 * The answer for an event: through its ticket (RESOLVE_PENDING while the
 * query is in flight) or, without one, the cache's copy (RESOLVE_NONE if
 * it is gone: no new query, no wait).
 */
enum resolve_result resolve_answer(struct resolver *r, resolve_ticket ticket,
    const struct sockaddr *sa, uint64_t now, char *name);

void resolve_release(struct resolver *r, resolve_ticket ticket);

/* Addresses in the table in flight (queried or held). */
size_t resolve_in_flight(const struct resolver *r);

/*
 * Register with the event loop: c-ares's sockets as it opens and closes
 * them, and a timer for its time-outs.  Detach before the loop goes (a
 * resolver replaced at a reload is detached, then freed).
 */
struct loop;
int resolver_attach(struct resolver *r, struct loop *l);
void resolver_detach(struct resolver *r);

const struct resolve_stats *resolver_stats(const struct resolver *r);

/* A PTR name that is safe to print: labels of letters, digits, '-', '_',
 * and not one that looks like an address (addr_like_name()). */
int resolve_valid_name(const char *name);


/*
 * The settings' check of a DNS server: ADDRESS, ADDRESS:PORT, [IPV6] or
 * [IPV6]:PORT, as c-ares reads them.  0, or -1 with the reason in err.
 */
int resolve_check_server(const char *v, char *err, size_t errlen);

/*
 * Count into to (the daemon's counters, which outlive this resolver) from
 * now on; resolver_stats() then returns to.
 */
void resolver_count_into(struct resolver *r, struct resolve_stats *to);

#endif
