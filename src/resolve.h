/*
 * resolve.h - host names for addresses, without ever blocking.
 *
 * All name lookups of linklog go through here.  Reverse (PTR) queries are
 * sent with c-ares and answered from the event loop; results, including
 * negative ones, live in a bounded cache (namecache.h).  A lookup either
 * answers from the cache at once or starts one query for the address (one
 * per address, however many events wait for it) and reports "pending".
 */
#ifndef LINKLOG_RESOLVE_H
#define LINKLOG_RESOLVE_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "event.h"

struct resolve_config {
	const char *servers;            /* "a[:p],b[:p]" or NULL: system's */
	unsigned timeout_ms;            /* per query */
	unsigned wait_ms;               /* how long an event may wait */
	size_t cache_size;              /* entries */
	unsigned ttl_max;               /* seconds, cap on a record's TTL */
	unsigned negative_ttl;          /* seconds, no name / time-out */
};

struct resolve_stats {
	uint64_t sent, answered, failed, timed_out, cache_hits;
};

enum resolve_result { RESOLVE_NAME, RESOLVE_NONE, RESOLVE_PENDING };

struct resolver;

struct resolver *resolver_new(const struct resolve_config *cfg, char *err,
    size_t errlen);
void resolver_free(struct resolver *r);

/*
 * The name of sa at time now (ms, CLOCK_MONOTONIC).  On RESOLVE_NAME the
 * name is in name (HOST_NAME_LEN + 1 bytes).  With start set, a miss
 * starts a query and a hit is counted; without it the cache is only read.
 */
enum resolve_result resolve_lookup(struct resolver *r, const struct sockaddr *sa,
    uint64_t now, int start, char *name);

/* Event loop integration: fds to poll, their events, and the next timer. */
int resolver_pollfds(struct resolver *r, struct pollfd *pfd, int max);
void resolver_process(struct resolver *r, const struct pollfd *pfd, int n);
int resolver_timeout_ms(struct resolver *r);    /* -1: no query pending */

const struct resolve_stats *resolver_stats(const struct resolver *r);

/* A PTR name that is safe to print: labels of letters, digits, '-', '_'. */
int resolve_valid_name(const char *name);

/* The CLOCK_MONOTONIC time in ms, the clock of this module. */
uint64_t resolve_now(void);

#endif
