/*
 * ptr.h - the PTR query's name and the parsing of its answer (ptr.c).
 */
#ifndef LINKLOG_PTR_H
#define LINKLOG_PTR_H

#include <stddef.h>
#include <stdint.h>

#include "namecache.h"

/* "4.3.2.1.in-addr.arpa" or the ip6.arpa name of k's address. */
void ptr_query_name(const struct namecache_key *k, char *buf, size_t size);

/*
 * The first PTR record of a response, and the smallest TTL on the way to
 * it (a CNAME of a classless delegation counts too), into out
 * (HOST_NAME_LEN + 1 bytes).  0 if none, or if the name is not a host
 * name (resolve_valid_name()).
 */
int ptr_first_name(const unsigned char *abuf, int alen, char *out,
    uint32_t *ttl);

#endif
