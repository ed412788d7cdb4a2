/*
 * namecache.h - the bounded cache of reverse DNS answers.
 *
 * A fixed number of entries, allocated once: least recently used entries
 * are evicted, so memory stays flat however many addresses arrive.  An
 * entry is a name or "no name" (negative answer or time-out); each expires
 * at a time the caller gives.  Only answers live here: queries in flight
 * are kept by resolve.c, where eviction cannot reach them.  The hash is
 * keyed (keyhash.h).  Pure data structure: no I/O, no clock of its own.
 */
#ifndef LINKLOG_NAMECACHE_H
#define LINKLOG_NAMECACHE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

enum namecache_state { NC_MISS, NC_NAME, NC_NONE };

/* The largest cache (dns.cache_size): about 300 bytes an entry, 80 MB. */
#define NAMECACHE_MAX 262144

struct namecache_key {
	uint8_t family;         /* AF_INET or AF_INET6 */
	uint8_t addr[16];       /* 4 or 16 bytes used, the rest zero */
};

struct namecache;

struct namecache *namecache_new(size_t capacity);
void namecache_free(struct namecache *c);

/*
 * Look key up at time now (ms, any monotonic clock).  An expired entry is
 * dropped and reported as a miss.  For NC_NAME the name is copied to name
 * (size >= HOST_NAME_LEN + 1).  A hit makes the entry most recently used.
 */
enum namecache_state namecache_get(struct namecache *c,
    const struct namecache_key *key, uint64_t now, char *name);

/*
 * Store the answer for key (name NULL: no name) until expires, evicting
 * the least recently used entry if the cache is full.
 */
void namecache_put(struct namecache *c, const struct namecache_key *key,
    const char *name, uint64_t expires);

/*
 * Fill the entry of ticket with name (NULL: no name) until expires.
 * Returns 0, or -1 if the entry was evicted meanwhile (the answer is lost).
 */
int namecache_answer(struct namecache *c, uint64_t ticket, const char *name,
    uint64_t expires);

size_t namecache_count(const struct namecache *c);

#endif
