/*
 * geo.h - the country, city and network (AS) of outside addresses, from
 * MaxMind DB files (GeoLite2, GeoIP2, DB-IP lite) read with libmaxminddb.
 *
 * A stage of the pipeline: ... -> rate limit -> geo -> resolve/wait ->
 * filter -> render.  It fills the geo data of both ends of an event
 * (event.h), by value, so that the event can wait for names without it.
 *
 * Owns the databases and a cache of results.  Each database is opened
 * from a private copy in memory (a sealed memfd), never from the file
 * itself: libmaxminddb maps what it opens, and a file truncated or copied
 * over in place would fault linklog with SIGBUS at the next lookup.  What
 * a database holds (country, city, AS) is read from its records, not from
 * its name or type.  The cache holds GEO_CACHE_SIZE addresses in 4-way
 * sets indexed by the keyed hash (keyhash.h), allocated once: an address
 * seen again costs no lookup, and memory stays flat however many arrive.
 * A reload builds a new handle (the files read again, an empty cache).
 * Only addresses that can be on the internet are looked up.
 */
#ifndef LINKLOG_GEO_H
#define LINKLOG_GEO_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

/* Addresses whose results are kept (about 270 bytes each). */
#define GEO_CACHE_SIZE 8192

/*
 * lookups: addresses looked up in the databases (cache misses); errors:
 * those of them that hit a broken record (no geo for the address).
 */
struct geo_stats {
	uint64_t lookups, cache_hits, errors;
};

struct geo;

/*
 * Open n databases (in the order given: the first that knows a field
 * gives it).  NULL with the file and the reason in err when one cannot
 * be read, is not a MaxMind DB, or holds no country, city or AS record.
 */
struct geo *geo_open(const char *const *paths, size_t n, char *err,
    size_t errlen);
void geo_free(struct geo *g);

/* Fill ev->src.geo and ev->dst.geo; g NULL (no database): empty them. */
void geo_event(struct geo *g, struct event *ev);

/* Whether a (network order) can be on the internet: not private,
 * loopback, link-local, CGNAT, documentation, multicast or reserved. */
int geo_public(struct in_addr a);

/* What database i holds, as "country, city" or "AS". */
void geo_describe(const struct geo *g, size_t i, char *buf, size_t size);

const struct geo_stats *geo_stats(const struct geo *g);

/*
 * Count into to (the daemon's counters, which outlive these databases)
 * from now on; geo_stats() then returns to.
 */
void geo_count_into(struct geo *g, struct geo_stats *to);

#endif
