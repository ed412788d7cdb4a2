/*
 * ptr.c - the DNS side of a reverse lookup: the PTR query's name, and
 * the first PTR name of an answer with its TTL.  An answer is data from
 * whoever controls the reverse zone: every length is checked against
 * the buffer, and a name that is not a host name is refused.
 */
#include <arpa/inet.h>
#include <ares.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "ptr.h"
#include "resolve.h"

#define NS_T_PTR 12
#define NS_C_IN 1

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
	/* "10.0.0.1" is a valid name by syntax, and a forged address. */
	return label > 0 && !addr_like_name(name);
}

void
ptr_query_name(const struct namecache_key *k, char *buf, size_t size)
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
 * it (a CNAME of a classless delegation counts too).  0 if none, or if
 * the name is not a host name (resolve_valid_name).
 */
int
ptr_first_name(const unsigned char *abuf, int alen, char *out, uint32_t *ttl)
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

