/*
 * render.c - template compiler and single-pass renderer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "render.h"
#include "services.h"

/* Every token of the article's table, plus %r, %R, %g, %I, the geo
 * tokens %c %C %o %O, the tokens of made events (%k %n %u %L %x) and %%. */
static const char tokens[] = "aAcCdDhiImMoOpsStTwyYzrRgknuLx%";

struct op {
	char token;             /* 0 for literal text */
	size_t len;
	const char *text;       /* into template->text */
};

struct template {
	char *text;
	size_t nops;
	struct op ops[];
};

static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
/* tm_wday counts from Sunday (the original's defect 3 started at Monday). */
static const char *const weekdays[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};

int
render_check(const char *text, char *err, size_t errlen)
{
	for (const char *p = text; *p; p++) {
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f) {
			snprintf(err, errlen, "template contains a control "
			    "character at position %zu", (size_t)(p - text) + 1);
			return -1;
		}
		if (*p != '%')
			continue;
		if (p[1] == '\0') {
			snprintf(err, errlen, "template ends with a lone '%%'");
			return -1;
		}
		if (strchr(tokens, p[1]) == NULL) {
			snprintf(err, errlen, "unknown template token '%%%c' at "
			    "position %zu (known: %%a %%A %%c %%C %%d %%D %%h %%i "
			    "%%I %%m %%M %%o %%O %%p %%g %%r %%R %%s %%S %%t %%T "
			    "%%w %%y %%Y %%z %%k %%n %%u %%L %%x %%%%)",
			    p[1], (size_t)(p - text) + 1);
			return -1;
		}
		p++;
	}
	return 0;
}

struct template *
render_compile(const char *text, char *err, size_t errlen)
{
	size_t n = strlen(text), nops = 0;
	struct template *t;
	const char *p, *lit;

	if (render_check(text, err, errlen) < 0)
		return NULL;
	/* At most one op per byte. */
	t = calloc(1, sizeof(*t) + (n + 1) * sizeof(struct op));
	if (t == NULL || (t->text = strdup(text)) == NULL) {
		free(t);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	lit = t->text;
	for (p = t->text; *p; p++) {
		if (*p != '%')
			continue;
		if (p > lit)
			t->ops[nops++] = (struct op){ 0, (size_t)(p - lit), lit };
		if (p[1] == '%')
			t->ops[nops++] = (struct op){ 0, 1, p };
		else
			t->ops[nops++] = (struct op){ p[1], 0, NULL };
		lit = ++p + 1;
	}
	if (*lit)
		t->ops[nops++] = (struct op){ 0, strlen(lit), lit };
	t->nops = nops;
	return t;
}

void
render_free(struct template *t)
{
	if (t == NULL)
		return;
	free(t->text);
	free(t);
}

int
render_uses(const struct template *t, char c)
{
	for (size_t i = 0; i < t->nops; i++)
		if (t->ops[i].token == c)
			return 1;
	return 0;
}

/* Output cursor: writes stop silently at the end; the line is cut there. */
struct out {
	char *p, *end;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (n > (size_t)(o->end - o->p))
		n = (size_t)(o->end - o->p);
	memcpy(o->p, s, n);
	o->p += n;
}

static void
put_escaped(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n && o->p < o->end; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			*o->p++ = (char)c;
			continue;
		}
		if (o->end - o->p < 4) {
			o->end = o->p;  /* no half escapes */
			break;
		}
		*o->p++ = '\\';
		*o->p++ = (char)('0' + (c >> 6));
		*o->p++ = (char)('0' + ((c >> 3) & 7));
		*o->p++ = (char)('0' + (c & 7));
	}
}

static void
put_str(struct out *o, const char *s)
{
	put_escaped(o, s, strlen(s));
}

static void
put_2digits(struct out *o, int v)
{
	char b[2] = { (char)('0' + v / 10 % 10), (char)('0' + v % 10) };

	put(o, b, 2);
}

static void
put_uint(struct out *o, unsigned v)
{
	char b[12], *p = b + sizeof(b);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(o, p, (size_t)(b + sizeof(b) - p));
}

static void
put_ipv4(struct out *o, struct in_addr a)
{
	char b[ADDR_IPV4_LEN];

	put(o, b, addr_format_ipv4(a, b));
}

static void
put_router(struct out *o, const struct router *r)
{
	char b[ADDR_TEXT_LEN];

	put_escaped(o, b, addr_format((const struct sockaddr *)&r->addr, b,
	    sizeof(b)));
}

static void
put_port(struct out *o, const struct event *ev, const struct endpoint *ep,
    int show_ports)
{
	const char *name = NULL;

	/* A made event's "any": a scan's ports, a repeat's source ports. */
	if (ep->port_unknown) {
		put(o, ev->kind != EVENT_CONNECTION ? "*" : "-", 1);
		return;
	}
	if (!show_ports)
		name = services_name(ep->port, ev->proto);
	if (name != NULL)
		put_str(o, name);
	else
		put_uint(o, ep->port);
}

static void
put_protocol(struct out *o, enum protocol proto)
{
	switch (proto) {
	case PROTO_TCP: put(o, "TCP", 3); break;
	case PROTO_UDP: put(o, "UDP", 3); break;
	case PROTO_UNKNOWN: put(o, "-", 1); break;
	}
}

/* %g: the address inside the trap, else the sender's. */
static void
put_agent(struct out *o, const struct event *ev)
{
	if (ev->has_agent)
		put_ipv4(o, ev->agent);
	else
		put_router(o, &ev->router);
}

static void
put_host(struct out *o, const struct endpoint *ep, const char *name)
{
	if (name != NULL)
		put_str(o, name);
	else
		put_ipv4(o, ep->addr);
}

/* %c, %C: the country's ISO code, "-" when unknown. */
static void
put_country(struct out *o, const struct endpoint *ep)
{
	if (ep->geo.iso[0] != '\0')
		put_str(o, ep->geo.iso);
	else
		put(o, "-", 1);
}

/* %o, %O: "AS20712 Andrews & Arnold Ltd", "-" when unknown. */
static void
put_as(struct out *o, const struct endpoint *ep)
{
	if (ep->geo.asn == 0) {
		put(o, "-", 1);
		return;
	}
	put(o, "AS", 2);
	put_uint(o, ep->geo.asn);
	if (ep->geo.org[0] != '\0') {
		put(o, " ", 1);
		put_str(o, ep->geo.org);
	}
}

/* localtime_r() once per second of traffic, not once per event. */
static const struct tm *
local_tm(time_t when)
{
	static time_t cached;
	static int have;                /* a flag: every time_t is a time */
	static struct tm tm;

	if (!have || when != cached) {
		localtime_r(&when, &tm);
		cached = when;
		have = 1;
	}
	return &tm;
}

/* The day as the original LinkLog and syslog write it: " 1" .. "31". */
static void
put_day(struct out *o, int mday)
{
	char b[2] = { mday < 10 ? ' ' : (char)('0' + mday / 10 % 10),
	    (char)('0' + mday % 10) };

	put(o, b, 2);
}

/* "Dec  1 02:12:34": syslog's (RFC 3164) timestamp, as the original. */
static void
put_timestamp(struct out *o, const struct tm *tm)
{
	put(o, months[tm->tm_mon], 3);
	put(o, " ", 1);
	put_day(o, tm->tm_mday);
	put(o, " ", 1);
	put_2digits(o, tm->tm_hour);
	put(o, ":", 1);
	put_2digits(o, tm->tm_min);
	put(o, ":", 1);
	put_2digits(o, tm->tm_sec);
}

/* RFC 3339 in local time: "2023-01-01T06:06:07.123+01:00". */
static void
put_rfc3339(struct out *o, const struct tm *tm, uint32_t usec)
{
	long off = tm->tm_gmtoff / 60;
	unsigned ms = (unsigned)(usec / 1000 % 1000);
	char frac[4] = { '.', (char)('0' + ms / 100),
	    (char)('0' + ms / 10 % 10), (char)('0' + ms % 10) };

	put_uint(o, (unsigned)(tm->tm_year + 1900) % 10000);
	put(o, "-", 1);
	put_2digits(o, tm->tm_mon + 1);
	put(o, "-", 1);
	put_2digits(o, tm->tm_mday);
	put(o, "T", 1);
	put_2digits(o, tm->tm_hour);
	put(o, ":", 1);
	put_2digits(o, tm->tm_min);
	put(o, ":", 1);
	put_2digits(o, tm->tm_sec);
	put(o, frac, sizeof(frac));
	put(o, off < 0 ? "-" : "+", 1);
	if (off < 0)
		off = -off;
	put_2digits(o, (int)(off / 60));
	put(o, ":", 1);
	put_2digits(o, (int)(off % 60));
}

/* %k: what the event is, as a word or two. */
static void
put_kind(struct out *o, const struct event *ev)
{
	const char *what = ev->sum.horizontal ? "sweep" : "port scan";

	switch (ev->kind) {
	case EVENT_CONNECTION: put_str(o, "connection"); return;
	case EVENT_SCAN_START:
		put_str(o, what);
		put_str(o, " start");
		return;
	case EVENT_SCAN_SUMMARY:
		put_str(o, what);
		put_str(o, ev->sum.final ? " end" : " going on");
		return;
	case EVENT_REPEAT: put_str(o, "repeat"); return;
	case EVENT_NEW_HOST: put_str(o, "new host"); return;
	case EVENT_KINDS: break;
	}
}

/* The seconds from first to last, rounded. */
static unsigned
duration_s(const struct event_summary *s)
{
	uint64_t us = event_duration_us(s);

	return (unsigned)((us + 500000) / 1000000);
}

/* The sample: ports, or the targets of a sweep; "..." if there are more. */
static void
put_sample(struct out *o, const struct event_summary *s)
{
	for (unsigned i = 0; i < s->nsample; i++) {
		struct in_addr a = { s->sample[i] };
		if (i > 0)
			put(o, ",", 1);
		if (s->horizontal)
			put_ipv4(o, a);
		else
			put_uint(o, s->sample[i]);
	}
	if (s->count > s->nsample)
		put(o, ",...", 4);
}

/* %n %u %L %x: a connection has none ("-"). */
static void
put_figure(struct out *o, char token, const struct event *ev)
{
	const struct event_summary *s = &ev->sum;

	if (ev->kind == EVENT_CONNECTION) {
		put(o, "-", 1);
		return;
	}
	switch (token) {
	case 'n':
		if (s->at_least)
			put(o, ">=", 2);
		put_uint(o, s->count);
		break;
	case 'u': put_uint(o, duration_s(s)); break;
	case 'L': put_sample(o, s); break;
	case 'x': put_uint(o, s->suppressed); break;
	}
}

static void
put_token(struct out *o, char token, const struct event *ev,
    const struct render_names *names, int show_ports)
{
	const struct tm *tm = local_tm(ev->time);

	switch (token) {
	case 'a': put_ipv4(o, ev->src.addr); break;
	case 'A':
		if (ev->sum.any_target && ev->kind != EVENT_CONNECTION)
			put(o, "*", 1);
		else
			put_ipv4(o, ev->dst.addr);
		break;
	case 's': put_host(o, &ev->src, names->src); break;
	case 'd':
		if (ev->sum.any_target && ev->kind != EVENT_CONNECTION)
			put(o, "*", 1);
		else
			put_host(o, &ev->dst, names->dst);
		break;
	case 'S': put_port(o, ev, &ev->src, show_ports); break;
	case 'D': put_port(o, ev, &ev->dst, show_ports); break;
	case 'i': put(o, ev->dir == DIR_IN ? " in" : "out", 3); break;
	case 'p': put_protocol(o, ev->proto); break;
	case 'g': put_agent(o, ev); break;
	case 'c': put_country(o, &ev->src); break;
	case 'C': put_country(o, &ev->dst); break;
	case 'o': put_as(o, &ev->src); break;
	case 'O': put_as(o, &ev->dst); break;
	case 'r': put_router(o, &ev->router); break;
	case 'R':
		if (names->router != NULL)
			put_str(o, names->router);
		else
			put_router(o, &ev->router);
		break;
	case 't': put_timestamp(o, tm); break;
	case 'I': put_rfc3339(o, tm, ev->usec); break;
	case 'T': put_day(o, tm->tm_mday); break;
	case 'h': put_2digits(o, tm->tm_hour); break;
	case 'm': put_2digits(o, tm->tm_min); break;
	case 'z': put_2digits(o, tm->tm_sec); break;
	case 'M': put(o, months[tm->tm_mon], 3); break;
	case 'w': put(o, weekdays[tm->tm_wday], 3); break;
	case 'y': put_uint(o, (unsigned)(tm->tm_year + 1900)); break;
	case 'k': put_kind(o, ev); break;
	case 'n': case 'u': case 'L': case 'x': put_figure(o, token, ev); break;
	case 'Y': put_2digits(o, (tm->tm_year + 1900) % 100); break;
	}
}

size_t
render_event(const struct template *t, const struct event *ev,
    const struct render_names *names, int show_ports, char *buf, size_t size)
{
	struct out o = { buf, buf + size - 1 };

	for (size_t i = 0; i < t->nops; i++) {
		const struct op *op = &t->ops[i];
		if (op->token == 0)
			put(&o, op->text, op->len);
		else
			put_token(&o, op->token, ev, names, show_ports);
	}
	if (ev->scan_mark)
		put(&o, " [scan]", 7);
	*o.p = '\0';
	return (size_t)(o.p - buf);
}

size_t
render_escape(const char *text, size_t len, char *buf, size_t size)
{
	struct out o = { buf, buf + size - 1 };

	put_escaped(&o, text, len);
	*o.p = '\0';
	return (size_t)(o.p - buf);
}

size_t
render_raw(time_t when, const struct router *router, const char *text,
    size_t len, char *buf, size_t size)
{
	struct out o = { buf, buf + size - 1 };

	put_timestamp(&o, local_tm(when));
	put(&o, " [raw] ", 7);
	put_router(&o, router);
	put(&o, ": ", 2);
	put_escaped(&o, text, len);
	*o.p = '\0';
	return (size_t)(o.p - buf);
}
