/*
 * fuzz_json - the JSON renderer with hostile names, messages and times:
 * every line must be one valid JSON object (checked with json-c's strict
 * parser, UTF-8 validated, nothing after it), on one line, and a name or
 * message made of ASCII must come back from the parser byte for byte.
 *
 * Input: a flags byte, two port bytes each, eight time bytes, then the
 * source name, destination name, router name and a forwarded string
 * separated by NUL bytes (the last one takes the rest, NULs included).
 * The same bytes fill every geo field of both ends (country code and
 * name, city, AS number and organisation), as a hostile database would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_jsoncheck.h"
#include "json.h"

static char line[RENDER_LINE_MAX];


/* A geo string from fuzzed bytes, cut as geo.c cuts (no NUL inside). */
static void
geo_string(char *out, size_t size, const char *text, size_t len)
{
	const char *nul = memchr(text, '\0', len);

	if (nul != NULL)
		len = (size_t)(nul - text);
	if (len >= size)
		len = size - 1;
	memcpy(out, text, len);
	out[len] = '\0';
}

static void
fill_geo(struct geo_data *g, char names[3][HOST_NAME_LEN + 1],
    const char *text, size_t len, uint32_t asn)
{
	geo_string(g->iso, sizeof(g->iso), names[0], strlen(names[0]));
	geo_string(g->country, sizeof(g->country), names[1], strlen(names[1]));
	geo_string(g->city, sizeof(g->city), names[2], strlen(names[2]));
	geo_string(g->org, sizeof(g->org), text, len);
	g->asn = asn;
}

static const char *
string_at(json_object *obj, const char *group, const char *key, size_t *len)
{
	json_object *m;

	if (group != NULL && !json_object_object_get_ex(obj, group, &obj))
		abort();
	if (!json_object_object_get_ex(obj, key, &m) ||
	    json_object_get_type(m) != json_type_string)
		abort();
	*len = (size_t)json_object_get_string_len(m);
	return json_object_get_string(m);
}

/* ASCII text (no NUL) must decode to itself; other text may be replaced. */
static void
check_roundtrip(json_object *obj, const char *group, const char *key,
    const char *want, size_t wantlen)
{
	size_t len;
	const char *got = string_at(obj, group, key, &len);

	for (size_t i = 0; i < wantlen; i++)
		if ((unsigned char)want[i] >= 0x80)
			return;
	if (len != wantlen || memcmp(got, want, len) != 0)
		abort();
}

/* Split off the text up to the next NUL (or the end). */
static const char *
next_part(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *start = *p, *nul = memchr(start, 0, (size_t)(end - start));

	if (nul == NULL)
		nul = end;
	*len = (size_t)(nul - start);
	*p = nul < end ? nul + 1 : end;
	return (const char *)start;
}

static void
render_event_checked(const struct json_format *f, struct event *ev,
    const char *names[3])
{
	struct render_names n = { names[0], names[1], names[2] };
	const char *obj_text = line;
	size_t len = json_render_event(f, ev, &n, line, sizeof(line));
	json_object *obj;

	if (f->cee) {
		if (len < 6 || memcmp(line, JSON_CEE_COOKIE, 6) != 0)
			abort();
		obj_text += 6;
		len -= 6;
	}
	obj = fuzz_json_parse(obj_text, len);
	if (names[0] != NULL)
		check_roundtrip(obj, "source", "domain", names[0],
		    strlen(names[0]));
	if (names[1] != NULL)
		check_roundtrip(obj, "destination", "domain", names[1],
		    strlen(names[1]));
	if (names[2] != NULL)
		check_roundtrip(obj, "observer", "hostname", names[2],
		    strlen(names[2]));
	if (f->original)
		check_roundtrip(obj, "event", "original", ev->original,
		    ev->original_len);
	json_object_put(obj);
}

static void
render_raw_checked(const struct json_format *f, const struct router *r,
    time_t t, uint32_t usec, const char *text, size_t textlen, size_t size)
{
	size_t len = json_render_raw(f, t, usec, r, text, textlen, line, size);
	const char *obj_text = line;
	json_object *obj;

	if (len >= size)
		abort();
	if (len == 0)
		return;         /* the buffer was too small for the head */
	if (f->cee) {
		obj_text += 6;
		len -= 6;
	}
	/* Through syslog a line fits in rsyslog's 8 KiB: cut, not whole. */
	if (f->cee && len + 6 > JSON_CEE_LINE_MAX)
		abort();
	obj = fuzz_json_parse(obj_text, len);
	if (size == sizeof(line) && memchr(text, 0, textlen) == NULL &&
	    !(f->cee && textlen > 7000))
		check_roundtrip(obj, NULL, "message", text, textlen);
	json_object_put(obj);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data + 13, *end = data + size;
	char names_buf[3][HOST_NAME_LEN + 1];
	const char *names[3] = { NULL, NULL, NULL };
	struct json_format f;
	struct event ev;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ev.router.addr;
	uint64_t t = 0;
	const char *text;
	size_t len;

	if (size < 13)
		return 0;
	memset(&ev, 0, sizeof(ev));
	f.original = data[0] & 1;
	f.cee = (data[0] >> 1) & 1;
	ev.dir = (data[0] >> 2) & 1 ? DIR_OUT : DIR_IN;
	ev.proto = (data[0] >> 3) & 1 ? PROTO_UDP : PROTO_TCP;
	ev.src.port = (uint16_t)(data[1] << 8 | data[2]);
	ev.dst.port = (uint16_t)(data[3] << 8 | data[4]);
	ev.src.addr.s_addr = (uint32_t)data[1] << 24 | data[4];
	for (int i = 0; i < 8; i++)
		t = t << 8 | data[5 + i];
	ev.time = (time_t)t;
	ev.usec = (uint32_t)(t % 1000000);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = (uint32_t)t;
	if (data[0] & 0x10) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ev.router.addr;
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, data + 1, 12);
	}
	for (int i = 0; i < 3; i++) {
		text = next_part(&p, end, &len);
		if (len > HOST_NAME_LEN)
			len = HOST_NAME_LEN;
		memcpy(names_buf[i], text, len);
		names_buf[i][len] = '\0';
		if (!((data[0] >> (5 + i)) & 1))
			names[i] = names_buf[i];
	}
	text = (const char *)p;
	len = (size_t)(end - p);
	ev.original_len = (uint16_t)(len < EVENT_ORIGINAL_MAX ? len :
	    EVENT_ORIGINAL_MAX);
	memcpy(ev.original, text, ev.original_len);
	if (data[3] & 1) {      /* odd destination ports: geo fields */
		fill_geo(&ev.src.geo, names_buf, text, len, (uint32_t)t);
		fill_geo(&ev.dst.geo, names_buf, text, len, (uint32_t)(t >> 32));
	}
	render_event_checked(&f, &ev, names);
	render_raw_checked(&f, &ev.router, ev.time, ev.usec, text, len,
	    sizeof(line));
	/* The same string into a buffer of every size near the head's. */
	render_raw_checked(&f, &ev.router, ev.time, ev.usec, text, len,
	    60 + (size_t)data[2] % 200);
	return 0;
}
