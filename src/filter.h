/*
 * filter.h - which events are shown: the article's --filter-* options.
 *
 * Patterns use '*' as a wildcard anchored at both ends; host names compare
 * without regard to case.  Several patterns for one field are ORed, a
 * pattern starting with '!' excludes what it matches, and different fields
 * are ANDed.  Ports and AS numbers match as decimal text ("22", "10*"),
 * countries as ISO codes ("DE") without regard to case; an address with
 * no country or AS (geo.h) matches no pattern.  Matching is split in two
 * steps because host names may only be known later (after a DNS
 * answer): filter_match_addresses() for direction, protocol, addresses,
 * countries and AS, filter_match_names() for host names.
 */
#ifndef LINKLOG_FILTER_H
#define LINKLOG_FILTER_H

#include <stddef.h>

#include "event.h"

enum filter_field {
	FILTER_KIND,            /* connection, scan, repeat, new-host */
	FILTER_DIRECTION,
	FILTER_PROTOCOL,
	FILTER_IP,
	FILTER_IP_SOURCE,
	FILTER_IP_DEST,
	FILTER_HOST,
	FILTER_HOST_SOURCE,
	FILTER_HOST_DEST,
	FILTER_PORT,
	FILTER_PORT_SOURCE,
	FILTER_PORT_DEST,
	FILTER_COUNTRY,         /* ISO 3166 code, from the geo stage */
	FILTER_COUNTRY_SOURCE,
	FILTER_COUNTRY_DEST,
	FILTER_ASN,             /* AS number, "AS" before it optional */
	FILTER_ASN_SOURCE,
	FILTER_ASN_DEST,
	FILTER_NFIELDS
};

struct filter;

struct filter *filter_new(void);
void filter_free(struct filter *f);

/* Add a pattern; on a bad value returns -1 with a message in err. */
int filter_add(struct filter *f, enum filter_field field, const char *pattern,
    char *err, size_t errlen);

/* Whether the host-name step needs the source / destination name. */
int filter_needs_source_name(const struct filter *f);
int filter_needs_dest_name(const struct filter *f);

/* Whether it has country or AS patterns (which need a geo database). */
int filter_needs_geo(const struct filter *f);

int filter_match_addresses(const struct filter *f, const struct event *ev);

/* Names may be NULL when unknown: an unknown name matches no pattern. */
int filter_match_names(const struct filter *f, const char *src_name,
    const char *dst_name);

/* The option/key name of a field, e.g. "ip_source". */
const char *filter_field_name(enum filter_field field);

/* '*' wildcard match, anchored; exposed for the unit tests. */
int filter_wildcard(const char *pattern, const char *text, int nocase);

/* The settings' check of one pattern of field: 0, or -1 (err). */
int filter_check(enum filter_field field, const char *pattern, char *err,
    size_t errlen);

#endif
