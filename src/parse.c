/*
 * parse.c - recognise Linksys connection log messages inside trap strings.
 *
 * Grammar (see shared/reference/linksys-log-traps.md):
 *   message  = "@" dir " " proto " from " endpoint " to " endpoint
 *   dir      = "in" | "out"
 *   proto    = "TCP" | "UDP"
 *   endpoint = [ name "(" ] ipv4 [ ")" ] ":" port
 *   name     = 1*253( ALPHA / DIGIT / "_" / "-" / "." )
 * Keywords are matched without regard to case, as firmwares differ.  Octets
 * above 255, ports above 65535 and over-long numbers make a message invalid
 * instead of being truncated into something the router never said.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

struct cursor {
	const char *p, *end;
};

static int
accept_word(struct cursor *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || strncasecmp(c->p, word, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

static int
is_name_char(unsigned char ch)
{
	return isalnum(ch) || ch == '_' || ch == '-' || ch == '.';
}

/* Decimal number of 1..maxdigits digits, no larger than max. */
static int
accept_number(struct cursor *c, int maxdigits, unsigned long max,
    unsigned long *out)
{
	unsigned long v = 0;
	int n = 0;

	while (c->p < c->end && isdigit((unsigned char)*c->p)) {
		if (++n > maxdigits)
			return 0;
		v = v * 10 + (unsigned long)(*c->p - '0');
		c->p++;
	}
	if (n == 0 || v > max)
		return 0;
	*out = v;
	return 1;
}

static int
accept_ipv4(struct cursor *c, struct in_addr *addr)
{
	unsigned long octet;
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		if (i > 0 && !accept_word(c, "."))
			return 0;
		if (!accept_number(c, 3, 255, &octet))
			return 0;
		v = (v << 8) | (uint32_t)octet;
	}
	addr->s_addr = htonl(v);
	return 1;
}

static int
accept_endpoint(struct cursor *c, struct endpoint *ep)
{
	const char *start = c->p;
	unsigned long port;
	size_t n;

	while (c->p < c->end && is_name_char((unsigned char)*c->p))
		c->p++;
	n = (size_t)(c->p - start);
	if (n > 0 && c->p < c->end && *c->p == '(') {
		if (n > HOST_NAME_LEN)
			return 0;
		memcpy(ep->name, start, n);
		ep->name[n] = '\0';
		ep->has_name = 1;
		c->p++;
		if (!accept_ipv4(c, &ep->addr) || !accept_word(c, ")"))
			return 0;
	} else {
		c->p = start;
		ep->has_name = 0;
		ep->name[0] = '\0';
		if (!accept_ipv4(c, &ep->addr))
			return 0;
	}
	if (!accept_word(c, ":") || !accept_number(c, 5, 65535, &port))
		return 0;
	ep->port = (uint16_t)port;
	return 1;
}

size_t
parse_message(const char *text, size_t len, struct event *ev)
{
	struct cursor c = { text, text + len };

	if (!accept_word(&c, "@"))
		return 0;
	if (accept_word(&c, "in "))
		ev->dir = DIR_IN;
	else if (accept_word(&c, "out "))
		ev->dir = DIR_OUT;
	else
		return 0;
	if (accept_word(&c, "TCP"))
		ev->proto = PROTO_TCP;
	else if (accept_word(&c, "UDP"))
		ev->proto = PROTO_UDP;
	else
		return 0;
	if (!accept_word(&c, " from ") || !accept_endpoint(&c, &ev->src))
		return 0;
	if (!accept_word(&c, " to ") || !accept_endpoint(&c, &ev->dst))
		return 0;
	/* The port must end the message: "…:22abc" is not port 22. */
	if (c.p < c.end && isalnum((unsigned char)*c.p))
		return 0;
	return (size_t)(c.p - text);
}

size_t
parse_messages(const char *text, size_t len, struct event *ev,
    parse_emit_fn *emit, void *arg)
{
	const char *p = text, *end = text + len, *at;
	size_t found = 0, used;

	while (p < end && (at = memchr(p, '@', (size_t)(end - p))) != NULL) {
		used = parse_message(at, (size_t)(end - at), ev);
		if (used == 0) {
			p = at + 1;
			continue;
		}
		/* Kept for JSON's event.original; longer is impossible. */
		ev->original_len = (uint16_t)(used < EVENT_ORIGINAL_MAX ?
		    used : EVENT_ORIGINAL_MAX);
		memcpy(ev->original, at, ev->original_len);
		emit(arg, ev);
		found++;
		p = at + used;
	}
	return found;
}
