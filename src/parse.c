/*
 * parse.c - recognise Linksys connection log messages inside trap strings.
 *
 * Grammar (see shared/reference/linksys-log-traps.md and linklog(8)):
 *   message  = "@" dir " " ( current / spaces / arrow )
 *   dir      = "in" | "out"
 *   current  = proto " from " endpoint " to " endpoint
 *   proto    = "TCP" | "UDP"
 *   endpoint = [ name "(" ] ipv4 [ ")" ] ":" port
 *   name     = 1*253( printable ASCII but "(" and ")" ), not starting or
 *              ending with a space (DHCP client names such as "John PC")
 *   spaces   = ipv4 " " port " " ipv4 " " port        (older firmware)
 *   arrow    = ipv4 " ==> " ipv4 "[" port "]" [ "." ]  (older firmware)
 * The two older forms (BEF-series routers, about 2001-2003) carry no
 * protocol, and the arrow form no source port: those fields are set to
 * PROTO_UNKNOWN and port_unknown = 1, never guessed.  In both older forms the
 * first address is the connection's source, as in the current form: for
 * "@out" the LAN host, for "@in" the remote one (MisterHouse's
 * monitor_router.pl reads "@in|@out src srcport dst dstport" the same way).
 * A message ends where the text ends or at a byte that cannot continue it
 * (space, NUL, CR, LF, "@", a period not followed by a digit, ...).
 * Keywords are matched without regard to case, as firmwares differ.  Octets
 * above 255, ports above 65535 and over-long numbers make a message invalid
 * instead of being truncated into something the router never said.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
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

/* Any printable ASCII byte but the parentheses that close a name. */
static int
is_name_char(unsigned char ch)
{
	return ch >= 0x20 && ch < 0x7f && ch != '(' && ch != ')';
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
accept_port(struct cursor *c, struct endpoint *ep)
{
	unsigned long port;

	if (!accept_number(c, 5, 65535, &port))
		return 0;
	ep->port = (uint16_t)port;
	ep->port_unknown = 0;
	return 1;
}

/* A bare address: no name, and the port (if any) is set by the caller. */
static int
accept_address(struct cursor *c, struct endpoint *ep)
{
	ep->has_name = 0;
	ep->name[0] = '\0';
	ep->port_unknown = 1;
	ep->port = 0;
	return accept_ipv4(c, &ep->addr);
}

/* Whether the message may end here (see the grammar above). */
static int
at_end(const struct cursor *c)
{
	if (c->p == c->end)
		return 1;
	if (isalnum((unsigned char)*c->p))
		return 0;       /* "...:22abc" is not port 22 */
	return !(*c->p == '.' && c->p + 1 < c->end &&
	    isdigit((unsigned char)c->p[1]));
}

/* The text that must follow an endpoint: " to ", or the end (NULL). */
static int
accept_follow(struct cursor *c, const char *follow)
{
	return follow == NULL ? at_end(c) : accept_word(c, follow);
}

/*
 * "ipv4:port" or "name(ipv4):port", then follow.  The bare form is tried
 * first, so a name that itself reads "1.2.3.4:5 to x" cannot swallow the
 * next endpoint; a name ends at the first "(", as it cannot contain one.
 */
static int
accept_endpoint(struct cursor *c, struct endpoint *ep, const char *follow)
{
	struct cursor save = *c;
	const char *start = c->p;
	size_t n;

	if (accept_address(c, ep) && accept_word(c, ":") &&
	    accept_port(c, ep) && accept_follow(c, follow))
		return 1;
	*c = save;
	/* Bounded: a long run of text must not be scanned once per '@'. */
	while (c->p < c->end && c->p - start <= HOST_NAME_LEN &&
	    is_name_char((unsigned char)*c->p))
		c->p++;
	n = (size_t)(c->p - start);
	if (n == 0 || n > HOST_NAME_LEN || start[0] == ' ' ||
	    start[n - 1] == ' ' || !accept_word(c, "("))
		return 0;
	if (!accept_address(c, ep) || !accept_word(c, ")") ||
	    !accept_word(c, ":") || !accept_port(c, ep) ||
	    !accept_follow(c, follow))
		return 0;
	memcpy(ep->name, start, n);
	ep->name[n] = '\0';
	/* "10.0.0.1(203.0.113.7)": a name that poses as an address is not
	 * shown; the address is (the rule for PTR names, addr.h). */
	ep->has_name = !addr_like_name(ep->name);
	return 1;
}

/* proto " from " endpoint " to " endpoint */
static int
accept_current(struct cursor *c, struct event *ev)
{
	if (accept_word(c, "TCP"))
		ev->proto = PROTO_TCP;
	else if (accept_word(c, "UDP"))
		ev->proto = PROTO_UDP;
	else
		return 0;
	return accept_word(c, " from ") &&
	    accept_endpoint(c, &ev->src, " to ") &&
	    accept_endpoint(c, &ev->dst, NULL);
}

/* ipv4 " " port " " ipv4 " " port: no protocol */
static int
accept_spaces(struct cursor *c, struct event *ev)
{
	ev->proto = PROTO_UNKNOWN;
	return accept_address(c, &ev->src) && accept_word(c, " ") &&
	    accept_port(c, &ev->src) && accept_word(c, " ") &&
	    accept_address(c, &ev->dst) && accept_word(c, " ") &&
	    accept_port(c, &ev->dst) && at_end(c);
}

/* ipv4 " ==> " ipv4 "[" port "]" ["."]: no protocol, no source port */
static int
accept_arrow(struct cursor *c, struct event *ev)
{
	ev->proto = PROTO_UNKNOWN;
	if (!accept_address(c, &ev->src) || !accept_word(c, " ==> ") ||
	    !accept_address(c, &ev->dst) || !accept_word(c, "[") ||
	    !accept_port(c, &ev->dst) || !accept_word(c, "]"))
		return 0;
	accept_word(c, ".");
	return at_end(c);
}

size_t
parse_message(const char *text, size_t len, struct event *ev)
{
	struct cursor c = { text, text + len }, body;

	if (!accept_word(&c, "@"))
		return 0;
	if (accept_word(&c, "in "))
		ev->dir = DIR_IN;
	else if (accept_word(&c, "out "))
		ev->dir = DIR_OUT;
	else
		return 0;
	body = c;
	if (accept_current(&c, ev))
		return (size_t)(c.p - text);
	c = body;
	if (accept_spaces(&c, ev))
		return (size_t)(c.p - text);
	c = body;
	if (accept_arrow(&c, ev))
		return (size_t)(c.p - text);
	return 0;
}

int
parse_is_message_start(const char *text, size_t len)
{
	return (len >= 4 && strncasecmp(text, "@in ", 4) == 0) ||
	    (len >= 5 && strncasecmp(text, "@out ", 5) == 0);
}

size_t
parse_events(const char *text, size_t len, size_t *off, struct event *out,
    size_t max)
{
	const char *p = text + *off, *end = text + len, *at;
	size_t found = 0, used;

	while (found < max && p < end &&
	    (at = memchr(p, '@', (size_t)(end - p))) != NULL) {
		struct event *ev = &out[found];
		used = parse_message(at, (size_t)(end - at), ev);
		if (used == 0) {
			p = at + 1;
			continue;
		}
		/* Kept for JSON's event.original; longer is impossible. */
		ev->original_len = (uint16_t)(used < EVENT_ORIGINAL_MAX ?
		    used : EVENT_ORIGINAL_MAX);
		memcpy(ev->original, at, ev->original_len);
		found++;
		p = at + used;
	}
	*off = found < max ? len : (size_t)(p - text);
	return found;
}

size_t
parse_count(const char *text, size_t len)
{
	struct event ev;
	size_t off = 0, n = 0;

	while (off < len)
		n += parse_events(text, len, &off, &ev, 1);
	return n;
}
