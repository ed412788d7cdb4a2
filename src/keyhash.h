/*
 * keyhash.h - a keyed hash for tables whose keys a sender chooses.
 *
 * SipHash-2-4 with a key drawn from getrandom() once per process, so a
 * sender cannot pick addresses that land in one bucket: the per-sender
 * tables (access.c) and the DNS tables (namecache.c, resolve.c) use it.
 */
#ifndef LINKLOG_KEYHASH_H
#define LINKLOG_KEYHASH_H

#include <stddef.h>
#include <stdint.h>

/* The keyed hash of len bytes at data. */
uint64_t keyhash(const void *data, size_t len);

/* Buckets of ways entries for a table of at least entries: a power of
 * two, so that a hash's low bits pick one. */
size_t keyhash_buckets(unsigned entries, unsigned ways);

/* SipHash-2-4 with an explicit key (16 bytes); for the unit tests. */
uint64_t keyhash_siphash(const uint8_t key[16], const void *data, size_t len);

#endif
