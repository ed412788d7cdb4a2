/*
 * json.c - one event (or one forwarded string) as one line of JSON with
 * Elastic Common Schema field names; see json.h for the format and the
 * escaping rules.  Written in one pass into the caller's buffer.
 */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "json.h"
#include "services.h"
#include "textesc.h"

/*
 * Output cursor.  end leaves room for the NUL; a write that does not fit
 * sets full and writes nothing more, so a line is never half an escape.
 */
struct jw {
	char *p, *end;
	int full;
};

static void
put(struct jw *w, const char *s, size_t n)
{
	if (w->full || n > (size_t)(w->end - w->p)) {
		w->full = 1;
		return;
	}
	memcpy(w->p, s, n);
	w->p += n;
}

#define PUT_LIT(w, lit) put((w), (lit), sizeof(lit) - 1)

static void
put_uint(struct jw *w, unsigned v)
{
	char b[12], *p = b + sizeof(b);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w, p, (size_t)(b + sizeof(b) - p));
}

/*
 * The contents of a JSON string (without its quotes), keeping reserve
 * bytes free for what must follow: a value that does not fit is cut at a
 * character boundary instead of losing the rest of the object.
 */
static void
put_chars(struct jw *w, const char *s, size_t n, size_t reserve)
{
	const unsigned char *u = (const unsigned char *)s;
	char *end = w->end;
	size_t i = 0;

	if (w->full)
		return;
	if ((size_t)(w->end - w->p) < reserve)
		return;
	end -= reserve;
	while (i < n) {
		const char *chunk = (const char *)u + i;
		char e[6];
		size_t len = 1, elen;

		if (u[i] < 0x80) {
			elen = textesc_json_ascii(u[i], e);
			if (elen > 0)
				chunk = e;
			else
				elen = 1;
		} else if ((len = textesc_utf8_len(u + i, n - i)) > 0) {
			elen = len;
		} else {
			len = 1;
			chunk = TEXTESC_REPLACEMENT;
			elen = 3;
		}
		if (elen > (size_t)(end - w->p))
			return;
		memcpy(w->p, chunk, elen);
		w->p += elen;
		i += len;
	}
}

static void
put_string(struct jw *w, const char *s, size_t n, size_t reserve)
{
	put(w, "\"", 1);
	put_chars(w, s, n, reserve + 1);
	put(w, "\"", 1);
}

static void
put_cstring(struct jw *w, const char *s)
{
	put_string(w, s, strlen(s), 0);
}

/* "2026-12-01T03:27:22": gmtime_r() once per second of traffic. */
static const char *
utc_seconds(time_t sec)
{
	static time_t cached;
	static int have;                /* a flag: every time_t is a time */
	static char text[32];
	struct tm tm;

	if (have && sec == cached)
		return text;
	if (gmtime_r(&sec, &tm) == NULL || tm.tm_year + 1900 < 0 ||
	    tm.tm_year + 1900 > 9999)
		/* Beyond RFC 3339's years: the nearest time it can write. */
		strcpy(text, sec < 0 ? "0000-01-01T00:00:00" :
		    "9999-12-31T23:59:59");
	else
		snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	cached = sec;
	have = 1;
	return text;
}

size_t
json_format_time(time_t sec, uint32_t usec, char *buf)
{
	unsigned ms = (unsigned)(usec / 1000 % 1000);

	memcpy(buf, utc_seconds(sec), 19);
	buf[19] = '.';
	buf[20] = (char)('0' + ms / 100);
	buf[21] = (char)('0' + ms / 10 % 10);
	buf[22] = (char)('0' + ms % 10);
	buf[23] = 'Z';
	buf[24] = '\0';
	return JSON_TIME_LEN;
}

/* The opening: cookie, "{" and "@timestamp". */
static void
put_head(struct jw *w, const struct json_format *f, time_t sec, uint32_t usec)
{
	char t[JSON_TIME_LEN + 1];

	if (f->cee)
		PUT_LIT(w, JSON_CEE_COOKIE);
	PUT_LIT(w, "{\"@timestamp\":\"");
	put(w, t, json_format_time(sec, usec, t));
	put(w, "\"", 1);
}

static void
put_observer(struct jw *w, const struct router *r, const char *hostname,
    int details)
{
	char b[ADDR_TEXT_LEN];

	PUT_LIT(w, ",\"observer\":{\"ip\":");
	put_string(w, b, addr_format((const struct sockaddr *)&r->addr, b,
	    sizeof(b)), 0);
	if (hostname != NULL) {
		PUT_LIT(w, ",\"hostname\":");
		put_cstring(w, hostname);
	}
	/* Only Linksys firmware sends this log format on this OID. */
	if (details)
		PUT_LIT(w, ",\"vendor\":\"Linksys\",\"type\":\"router\"");
	put(w, "}", 1);
}

/* One string member of the "geo" object, opening it first. */
static void
put_geo_field(struct jw *w, int *open, const char *key, const char *v)
{
	if (v[0] == '\0')
		return;
	if (*open)
		put(w, ",", 1);
	else
		PUT_LIT(w, ",\"geo\":{");
	*open = 1;
	put(w, key, strlen(key));
	put_cstring(w, v);
}

/* "geo" and "as" of an outside address, each field only when known. */
static void
put_geo(struct jw *w, const struct geo_data *g)
{
	int open = 0;

	put_geo_field(w, &open, "\"country_iso_code\":", g->iso);
	put_geo_field(w, &open, "\"country_name\":", g->country);
	put_geo_field(w, &open, "\"city_name\":", g->city);
	if (open)
		put(w, "}", 1);
	if (g->asn == 0)
		return;
	PUT_LIT(w, ",\"as\":{\"number\":");
	put_uint(w, g->asn);
	if (g->org[0] != '\0') {
		PUT_LIT(w, ",\"organization\":{\"name\":");
		put_cstring(w, g->org);
		put(w, "}", 1);
	}
	put(w, "}", 1);
}

static void
put_endpoint(struct jw *w, const char *key, size_t keylen,
    const struct endpoint *ep, const char *domain)
{
	char b[ADDR_IPV4_LEN];

	put(w, key, keylen);
	PUT_LIT(w, "{\"ip\":\"");
	put(w, b, addr_format_ipv4(ep->addr, b));
	put(w, "\"", 1);
	if (!ep->port_unknown) {        /* older firmware: no source port */
		PUT_LIT(w, ",\"port\":");
		put_uint(w, ep->port);
	}
	if (domain != NULL) {
		PUT_LIT(w, ",\"domain\":");
		put_cstring(w, domain);
	}
	put_geo(w, &ep->geo);
	put(w, "}", 1);
}

static void
put_network(struct jw *w, const struct event *ev)
{
	const char *service;

	if (ev->dir == DIR_IN)
		PUT_LIT(w, ",\"network\":{\"direction\":\"inbound\"");
	else
		PUT_LIT(w, ",\"network\":{\"direction\":\"outbound\"");
	switch (ev->proto) {
	case PROTO_TCP:
		PUT_LIT(w, ",\"transport\":\"tcp\"");
		break;
	case PROTO_UDP:
		PUT_LIT(w, ",\"transport\":\"udp\"");
		break;
	case PROTO_UNKNOWN:     /* older firmware forms: no field */
		break;
	}
	if (!ev->dst.port_unknown &&
	    (service = services_name(ev->dst.port, ev->proto)) != NULL) {
		PUT_LIT(w, ",\"protocol\":");
		put_cstring(w, service);
	}
	put(w, "}", 1);
}

/* A line that did not fit is replaced by nothing rather than cut. */
static size_t
finish(struct jw *w, char *buf)
{
	if (w->full)
		w->p = buf;
	*w->p = '\0';
	return (size_t)(w->p - buf);
}

/* Where a line in buf of size bytes must end, the NUL excluded. */
static char *
line_end(const struct json_format *f, char *buf, size_t size)
{
	if (f->cee && size > JSON_CEE_LINE_MAX + 1)
		size = JSON_CEE_LINE_MAX + 1;
	return buf + size - 1;
}

static void
put_u64(struct jw *w, uint64_t v)
{
	char b[24], *p = b + sizeof(b);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w, p, (size_t)(b + sizeof(b) - p));
}

static void
put_time(struct jw *w, const char *key, size_t keylen, time_t sec,
    uint32_t usec)
{
	char t[JSON_TIME_LEN + 1];

	put(w, key, keylen);
	put(w, "\"", 1);
	put(w, t, json_format_time(sec, usec, t));
	put(w, "\"", 1);
}

/* event.start, .end and .duration (ns, as ECS has it) of a made event. */
static void
put_span(struct jw *w, const struct event_summary *s)
{
	uint64_t us = event_duration_us(s);

	put_time(w, ",\"start\":", 9, s->first, s->first_usec);
	put_time(w, ",\"end\":", 7, s->last, s->last_usec);
	PUT_LIT(w, ",\"duration\":");
	put_u64(w, us * 1000);
}

/* A made event's source or destination: the address, a port if one. */
static void
put_made_endpoint(struct jw *w, const char *key, size_t keylen,
    const struct endpoint *ep, int address, const char *domain)
{
	char b[ADDR_IPV4_LEN];

	put(w, key, keylen);
	put(w, "{", 1);
	if (address) {
		PUT_LIT(w, "\"ip\":\"");
		put(w, b, addr_format_ipv4(ep->addr, b));
		put(w, "\"", 1);
	}
	if (!ep->port_unknown) {
		if (address)
			put(w, ",", 1);
		PUT_LIT(w, "\"port\":");
		put_uint(w, ep->port);
	}
	if (domain != NULL && address) {
		PUT_LIT(w, ",\"domain\":");
		put_cstring(w, domain);
	}
	/* The scanner's country and network, from the geo stage. */
	if (address)
		put_geo(w, &ep->geo);
	put(w, "}", 1);
}

/* linklog.scan: the figures of a scan start or summary. */
static void
put_scan(struct jw *w, const struct event_summary *s)
{
	char b[ADDR_IPV4_LEN];

	PUT_LIT(w, ",\"linklog\":{\"scan\":{");
	if (s->horizontal)
		PUT_LIT(w, "\"type\":\"horizontal\",\"targets\":");
	else
		PUT_LIT(w, "\"type\":\"vertical\",\"ports\":");
	put_uint(w, s->count);
	if (s->at_least)
		PUT_LIT(w, ",\"at_least\":true");
	PUT_LIT(w, ",\"sample\":[");
	for (unsigned i = 0; i < s->nsample; i++) {
		struct in_addr a = { s->sample[i] };
		if (i > 0)
			put(w, ",", 1);
		if (!s->horizontal) {
			put_uint(w, s->sample[i]);
			continue;
		}
		put(w, "\"", 1);
		put(w, b, addr_format_ipv4(a, b));
		put(w, "\"", 1);
	}
	PUT_LIT(w, "],\"suppressed\":");
	put_uint(w, s->suppressed);
	PUT_LIT(w, ",\"events\":");
	put_uint(w, s->events);
	PUT_LIT(w, "}}");
}

/*
 * An event linklog made: a scan ("alert", intrusion_detection, action
 * port-scan; type start, end, or info while it goes on) or a repeat
 * (action repeated-connection).
 */
static size_t
render_made(const struct json_format *f, const struct event *ev,
    const struct render_names *names, char *buf, size_t size)
{
	struct jw w = { buf, line_end(f, buf, size), 0 };
	const struct event_summary *s = &ev->sum;
	int scan = ev->kind != EVENT_REPEAT;

	put_head(&w, f, ev->time, ev->usec);
	if (scan)
		PUT_LIT(&w, ",\"event\":{\"kind\":\"alert\",\"category\":"
		    "[\"network\",\"intrusion_detection\"],\"action\":"
		    "\"port-scan\"");
	else
		PUT_LIT(&w, ",\"event\":{\"kind\":\"event\",\"category\":"
		    "[\"network\"],\"action\":\"repeated-connection\"");
	if (ev->kind == EVENT_SCAN_START)
		PUT_LIT(&w, ",\"type\":[\"start\"]");
	else if (scan && s->final)
		PUT_LIT(&w, ",\"type\":[\"end\"]");
	else if (scan)
		PUT_LIT(&w, ",\"type\":[\"info\"]");
	else
		PUT_LIT(&w, ",\"type\":[\"connection\",\"info\"]");
	PUT_LIT(&w, ",\"module\":\"linklog\"");
	put_span(&w, s);
	put(&w, "}", 1);
	put_network(&w, ev);
	put_made_endpoint(&w, ",\"source\":", 10, &ev->src, 1, names->src);
	put_made_endpoint(&w, ",\"destination\":", 15, &ev->dst,
	    !s->any_target, names->dst);
	put_observer(&w, &ev->router, names->router, 1);
	if (scan) {
		put_scan(&w, s);
	} else {
		PUT_LIT(&w, ",\"linklog\":{\"repeat\":{\"count\":");
		put_uint(&w, s->count);
		PUT_LIT(&w, ",\"suppressed\":");
		put_uint(&w, s->suppressed);
		PUT_LIT(&w, "}}");
	}
	put(&w, "}", 1);
	return finish(&w, buf);
}

/* A new inside host (the source) and its first connection. */
static size_t
render_new_host(const struct json_format *f, const struct event *ev,
    const struct render_names *names, char *buf, size_t size)
{
	struct jw w = { buf, line_end(f, buf, size), 0 };
	char b[ADDR_IPV4_LEN];
	const char *name = names->src != NULL ? names->src :
	    ev->src.has_name ? ev->src.name : NULL;

	put_head(&w, f, ev->time, ev->usec);
	PUT_LIT(&w, ",\"event\":{\"kind\":\"alert\",\"category\":"
	    "[\"host\",\"network\"],\"type\":[\"info\"],\"action\":"
	    "\"new-host\",\"module\":\"linklog\"}");
	PUT_LIT(&w, ",\"host\":{\"ip\":[\"");
	put(&w, b, addr_format_ipv4(ev->src.addr, b));
	PUT_LIT(&w, "\"]");
	if (name != NULL) {
		PUT_LIT(&w, ",\"name\":");
		put_cstring(&w, name);
	}
	put(&w, "}", 1);
	put_network(&w, ev);
	put_endpoint(&w, ",\"source\":", 10, &ev->src, names->src);
	put_endpoint(&w, ",\"destination\":", 15, &ev->dst, names->dst);
	put_observer(&w, &ev->router, names->router, 1);
	put(&w, "}", 1);
	return finish(&w, buf);
}

size_t
json_render_event(const struct json_format *f, const struct event *ev,
    const struct render_names *names, char *buf, size_t size)
{
	struct jw w = { buf, line_end(f, buf, size), 0 };

	if (ev->kind == EVENT_NEW_HOST)
		return render_new_host(f, ev, names, buf, size);
	if (ev->kind != EVENT_CONNECTION)
		return render_made(f, ev, names, buf, size);
	put_head(&w, f, ev->time, ev->usec);
	PUT_LIT(&w, ",\"event\":{\"kind\":\"event\","
	    "\"category\":[\"network\"],\"type\":[\"connection\",\"start\"],"
	    "\"module\":\"linklog\"");
	if (f->original) {
		PUT_LIT(&w, ",\"original\":");
		put_string(&w, ev->original, ev->original_len, 0);
	}
	put(&w, "}", 1);
	put_network(&w, ev);
	put_endpoint(&w, ",\"source\":", 10, &ev->src, names->src);
	put_endpoint(&w, ",\"destination\":", 15, &ev->dst, names->dst);
	put_observer(&w, &ev->router, names->router, 1);
	/* A scanner's connection written under scan.action "annotate". */
	if (ev->scan_mark)
		PUT_LIT(&w, ",\"tags\":[\"port-scan\"],\"linklog\":"
		    "{\"scan\":{\"annotated\":true}}");
	put(&w, "}", 1);
	return finish(&w, buf);
}

size_t
json_render_raw(const struct json_format *f, time_t sec, uint32_t usec,
    const struct router *router, const char *text, size_t len, char *buf,
    size_t size)
{
	struct jw w = { buf, line_end(f, buf, size), 0 };

	put_head(&w, f, sec, usec);
	put_observer(&w, router, NULL, 0);
	PUT_LIT(&w, ",\"message\":");
	/* The message is last: a cut one still leaves "}" room to close. */
	put_string(&w, text, len, 1);
	put(&w, "}", 1);
	return finish(&w, buf);
}
