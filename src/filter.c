/*
 * filter.c - the --filter-* patterns and their evaluation.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "filter.h"

struct patterns {
	char **pos, **neg;
	size_t npos, nneg;
};

struct filter {
	struct patterns field[FILTER_NFIELDS];
};

struct filter *
filter_new(void)
{
	return calloc(1, sizeof(struct filter));
}

void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	for (int i = 0; i < FILTER_NFIELDS; i++) {
		struct patterns *p = &f->field[i];
		for (size_t j = 0; j < p->npos; j++)
			free(p->pos[j]);
		for (size_t j = 0; j < p->nneg; j++)
			free(p->neg[j]);
		free(p->pos);
		free(p->neg);
	}
	free(f);
}

static int
push(char ***list, size_t *n, const char *s)
{
	char **l = realloc(*list, (*n + 1) * sizeof(**list));

	if (l == NULL)
		return -1;
	*list = l;
	if ((l[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

static const char *const field_names[FILTER_NFIELDS] = {
	"kind", "direction", "protocol", "ip", "ip_source", "ip_dest", "host",
	"host_source", "host_dest", "port", "port_source", "port_dest",
	"country", "country_source", "country_dest", "asn", "asn_source",
	"asn_dest",
};

const char *
filter_field_name(enum filter_field field)
{
	return field_names[field];
}

static int
is_port_field(enum filter_field field)
{
	return field == FILTER_PORT || field == FILTER_PORT_SOURCE ||
	    field == FILTER_PORT_DEST;
}

static int
is_asn_field(enum filter_field field)
{
	return field == FILTER_ASN || field == FILTER_ASN_SOURCE ||
	    field == FILTER_ASN_DEST;
}

static int
is_country_field(enum filter_field field)
{
	return field == FILTER_COUNTRY || field == FILTER_COUNTRY_SOURCE ||
	    field == FILTER_COUNTRY_DEST;
}

static int
valid_choice(enum filter_field field, const char *v)
{
	if (is_port_field(field) || is_asn_field(field))
		return strspn(v, "0123456789*") == strlen(v);
	if (is_country_field(field))
		return strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz*") == strlen(v);
	if (field == FILTER_DIRECTION)
		return strcasecmp(v, "in") == 0 || strcasecmp(v, "out") == 0;
	if (field == FILTER_KIND)
		return strcasecmp(v, "connection") == 0 ||
		    strcasecmp(v, "scan") == 0 || strcasecmp(v, "repeat") == 0 ||
		    strcasecmp(v, "new-host") == 0;
	if (field == FILTER_PROTOCOL)
		return strcasecmp(v, "tcp") == 0 || strcasecmp(v, "udp") == 0;
	return 1;
}

int
filter_add(struct filter *f, enum filter_field field, const char *pattern,
    char *err, size_t errlen)
{
	struct patterns *p = &f->field[field];
	int negate = pattern[0] == '!';
	const char *v = pattern + negate;

	/* "AS20712", as %o prints it, or "20712". */
	if (is_asn_field(field) && strncasecmp(v, "AS", 2) == 0)
		v += 2;
	if (*v == '\0') {
		snprintf(err, errlen, "empty filter pattern '%s'", pattern);
		return -1;
	}
	if (!valid_choice(field, v)) {
		snprintf(err, errlen, "invalid value '%s' (expected %s)", pattern,
		    field == FILTER_DIRECTION ? "IN or OUT" :
		    field == FILTER_KIND ? "connection, scan, repeat or "
		    "new-host" :
		    field == FILTER_PROTOCOL ? "TCP or UDP" :
		    is_country_field(field) ? "a two-letter country code, "
		    "'*' as a wildcard" : is_asn_field(field) ?
		    "an AS number, '*' as a wildcard" :
		    "a port number, '*' as a wildcard");
		return -1;
	}
	for (const char *c = v; *c; c++) {
		if (iscntrl((unsigned char)*c)) {
			snprintf(err, errlen, "control character in filter "
			    "pattern");
			return -1;
		}
	}
	if (negate ? push(&p->neg, &p->nneg, v) : push(&p->pos, &p->npos, v)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int
filter_wildcard(const char *pat, const char *s, int nocase)
{
	const char *star = NULL, *resume = NULL;

	/* Greedy match with one backtrack point: linear in practice and
	 * never recursive, whatever the pattern. */
	while (*s) {
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat && (nocase ? tolower((unsigned char)*pat) ==
		    tolower((unsigned char)*s) : *pat == *s)) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

static int
any(char *const *list, size_t n, const char *s, int nocase)
{
	if (s == NULL)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (filter_wildcard(list[i], s, nocase))
			return 1;
	return 0;
}

/* One field against one or two values (a or b may be NULL). */
static int
field_match(const struct patterns *p, const char *a, const char *b,
    int nocase)
{
	if (any(p->neg, p->nneg, a, nocase) || any(p->neg, p->nneg, b, nocase))
		return 0;
	if (p->npos == 0)
		return 1;
	return any(p->pos, p->npos, a, nocase) || any(p->pos, p->npos, b, nocase);
}

static int
used(const struct patterns *p)
{
	return p->npos + p->nneg > 0;
}

int
filter_needs_source_name(const struct filter *f)
{
	return used(&f->field[FILTER_HOST]) ||
	    used(&f->field[FILTER_HOST_SOURCE]);
}

int
filter_needs_dest_name(const struct filter *f)
{
	return used(&f->field[FILTER_HOST]) ||
	    used(&f->field[FILTER_HOST_DEST]);
}

int
filter_needs_geo(const struct filter *f)
{
	for (int i = FILTER_COUNTRY; i <= FILTER_ASN_DEST; i++)
		if (used(&f->field[i]))
			return 1;
	return 0;
}

/*
 * The value a filter sees for a field the message does not carry (an
 * older firmware's protocol or source port) is NULL: it matches no
 * pattern, so "tcp" or "80" (even "*") does not select the event and
 * "!tcp" or "!80" does not exclude it.
 */
static const char *
protocol_text(enum protocol proto)
{
	switch (proto) {
	case PROTO_TCP: return "tcp";
	case PROTO_UDP: return "udp";
	case PROTO_UNKNOWN: break;
	}
	return NULL;
}

static const char *
port_text(const struct endpoint *ep, char buf[ADDR_IPV4_LEN])
{
	if (ep->port_unknown)
		return NULL;
	snprintf(buf, ADDR_IPV4_LEN, "%u", ep->port);
	return buf;
}

static const char *
asn_text(const struct endpoint *ep, char buf[ADDR_IPV4_LEN])
{
	if (ep->geo.asn == 0)
		return NULL;
	snprintf(buf, ADDR_IPV4_LEN, "%u", ep->geo.asn);
	return buf;
}

static const char *
country_text(const struct endpoint *ep)
{
	return ep->geo.iso[0] != '\0' ? ep->geo.iso : NULL;
}

/* Countries and AS numbers; no country or AS matches no pattern. */
static int
geo_match(const struct patterns *p, const struct event *ev)
{
	char src[ADDR_IPV4_LEN], dst[ADDR_IPV4_LEN];
	const char *sa, *da, *sc = country_text(&ev->src),
	    *dc = country_text(&ev->dst);

	if (!field_match(&p[FILTER_COUNTRY], sc, dc, 1) ||
	    !field_match(&p[FILTER_COUNTRY_SOURCE], sc, NULL, 1) ||
	    !field_match(&p[FILTER_COUNTRY_DEST], dc, NULL, 1))
		return 0;
	if (!used(&p[FILTER_ASN]) && !used(&p[FILTER_ASN_SOURCE]) &&
	    !used(&p[FILTER_ASN_DEST]))
		return 1;
	sa = asn_text(&ev->src, src);
	da = asn_text(&ev->dst, dst);
	return field_match(&p[FILTER_ASN], sa, da, 0) &&
	    field_match(&p[FILTER_ASN_SOURCE], sa, NULL, 0) &&
	    field_match(&p[FILTER_ASN_DEST], da, NULL, 0);
}

/* The name --filter-kind matches: a scan's start and summary are one. */
static const char *
kind_text(enum event_kind kind)
{
	switch (kind) {
	case EVENT_CONNECTION: return "connection";
	case EVENT_SCAN_START:
	case EVENT_SCAN_SUMMARY: return "scan";
	case EVENT_REPEAT: return "repeat";
	case EVENT_NEW_HOST: return "new-host";
	case EVENT_KINDS: break;
	}
	return NULL;
}

int
filter_match_addresses(const struct filter *f, const struct event *ev)
{
	char src[ADDR_IPV4_LEN], dst[ADDR_IPV4_LEN];
	const struct patterns *p = f->field;
	const char *sp, *dp;

	if (used(&p[FILTER_KIND]) && !field_match(&p[FILTER_KIND],
	    kind_text(ev->kind), NULL, 1))
		return 0;
	if (used(&p[FILTER_DIRECTION]) && !field_match(&p[FILTER_DIRECTION],
	    ev->dir == DIR_IN ? "in" : "out", NULL, 1))
		return 0;
	if (used(&p[FILTER_PROTOCOL]) && !field_match(&p[FILTER_PROTOCOL],
	    protocol_text(ev->proto), NULL, 1))
		return 0;
	if (used(&p[FILTER_PORT]) || used(&p[FILTER_PORT_SOURCE]) ||
	    used(&p[FILTER_PORT_DEST])) {
		sp = port_text(&ev->src, src);
		dp = port_text(&ev->dst, dst);
		if (!field_match(&p[FILTER_PORT], sp, dp, 0) ||
		    !field_match(&p[FILTER_PORT_SOURCE], sp, NULL, 0) ||
		    !field_match(&p[FILTER_PORT_DEST], dp, NULL, 0))
			return 0;
	}
	if (filter_needs_geo(f) && !geo_match(p, ev))
		return 0;
	if (!used(&p[FILTER_IP]) && !used(&p[FILTER_IP_SOURCE]) &&
	    !used(&p[FILTER_IP_DEST]))
		return 1;
	addr_format_ipv4(ev->src.addr, src);
	addr_format_ipv4(ev->dst.addr, dst);
	return field_match(&p[FILTER_IP], src, dst, 0) &&
	    field_match(&p[FILTER_IP_SOURCE], src, NULL, 0) &&
	    field_match(&p[FILTER_IP_DEST], dst, NULL, 0);
}

int
filter_match_names(const struct filter *f, const char *src_name,
    const char *dst_name)
{
	const struct patterns *p = f->field;

	return field_match(&p[FILTER_HOST], src_name, dst_name, 1) &&
	    field_match(&p[FILTER_HOST_SOURCE], src_name, NULL, 1) &&
	    field_match(&p[FILTER_HOST_DEST], dst_name, NULL, 1);
}

int
filter_check(enum filter_field field, const char *v, char *err,
    size_t errlen)
{
	struct filter *f = filter_new();
	int rc;

	if (f == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = filter_add(f, field, v, err, errlen);
	filter_free(f);
	return rc;
}
