/* Unit tests for the JSON rendering (src/json.c): every ECS field, the
 * escaping of hostile bytes, forwarded strings and cut lines, each line
 * checked with json-c's strict parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "parse.h"
#include "services.h"

/* Sunday 2023-01-01 05:06:07.123456 UTC. */
#define SUNDAY 1672549567
#define V1_MESSAGE "@in TCP from 203.0.113.7:51234 to 192.168.1.20:22"
#define NAMED_MESSAGE "@out UDP from nas.lan(192.168.1.20):5353 to " \
	"dns.example(198.51.100.53):53"

static char line[RENDER_LINE_MAX];
static const struct render_names no_names = { NULL, NULL, NULL };
static const struct json_format plain = { 0, 0 };

static void
set_router(struct event *ev, const char *addr)
{
	memset(&ev->router, 0, sizeof(ev->router));
	if (strchr(addr, ':') != NULL) {
		struct sockaddr_in6 *r = (struct sockaddr_in6 *)&ev->router.addr;
		r->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, addr, &r->sin6_addr), 1);
		ev->router.len = sizeof(*r);
	} else {
		struct sockaddr_in *r = (struct sockaddr_in *)&ev->router.addr;
		r->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, addr, &r->sin_addr), 1);
		ev->router.len = sizeof(*r);
	}
}

/* An event as the pipeline makes it: parsed from text by parse.c. */
static struct event
parsed(const char *message)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	set_router(&ev, "192.168.1.1");
	ev.time = SUNDAY;
	ev.usec = 123456;
	assert_true(parse_message(message, strlen(message), &ev) > 0);
	ev.original_len = (uint16_t)strlen(message);
	memcpy(ev.original, message, ev.original_len);
	return ev;
}

/* Parse line strictly: one object, nothing after it, valid UTF-8. */
static json_object *
parse_line(const char *text, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *obj;

	assert_non_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success)
		fail_msg("invalid JSON (%s): %s", json_tokener_error_desc(
		    json_tokener_get_error(tok)), text);
	assert_int_equal(json_tokener_get_parse_end(tok), len);
	assert_int_equal(json_object_get_type(obj), json_type_object);
	json_tokener_free(tok);
	assert_null(memchr(text, '\n', len));
	assert_int_equal(strlen(text), len);
	return obj;
}

/* The member at a dotted path ("source.ip"), or NULL. */
static json_object *
member(json_object *obj, const char *path)
{
	char key[64];
	const char *dot;

	while (obj != NULL && (dot = strchr(path, '.')) != NULL &&
	    path[0] != '@') {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		if (!json_object_object_get_ex(obj, key, &obj))
			return NULL;
		path = dot + 1;
	}
	if (obj == NULL || !json_object_object_get_ex(obj, path, &obj))
		return NULL;
	return obj;
}

static void
assert_str(json_object *obj, const char *path, const char *want)
{
	json_object *m = member(obj, path);

	if (m == NULL || json_object_get_type(m) != json_type_string)
		fail_msg("%s is not a string", path);
	assert_string_equal(json_object_get_string(m), want);
}

static void
assert_num(json_object *obj, const char *path, int want)
{
	json_object *m = member(obj, path);

	if (m == NULL || json_object_get_type(m) != json_type_int)
		fail_msg("%s is not a number", path);
	assert_int_equal(json_object_get_int(m), want);
}

static void
assert_array(json_object *obj, const char *path, const char *a,
    const char *b)
{
	json_object *m = member(obj, path);

	if (m == NULL || json_object_get_type(m) != json_type_array)
		fail_msg("%s is not an array", path);
	assert_int_equal(json_object_array_length(m), b ? 2 : 1);
	assert_string_equal(json_object_get_string(
	    json_object_array_get_idx(m, 0)), a);
	if (b)
		assert_string_equal(json_object_get_string(
		    json_object_array_get_idx(m, 1)), b);
}

static int
setup(void **state)
{
	(void)state;
	services_load();
	return 0;
}

static void
inbound_tcp(void **state)
{
	struct event ev = parsed(V1_MESSAGE);
	size_t len = json_render_event(&plain, &ev, &no_names, line,
	    sizeof(line));
	json_object *o = parse_line(line, len);

	(void)state;
	assert_str(o, "@timestamp", "2023-01-01T05:06:07.123Z");
	assert_str(o, "event.kind", "event");
	assert_array(o, "event.category", "network", NULL);
	assert_array(o, "event.type", "connection", "start");
	assert_str(o, "event.module", "linklog");
	assert_null(member(o, "event.original"));
	assert_str(o, "network.direction", "inbound");
	assert_str(o, "network.transport", "tcp");
	assert_str(o, "network.protocol", "ssh");
	assert_str(o, "source.ip", "203.0.113.7");
	assert_num(o, "source.port", 51234);
	assert_null(member(o, "source.domain"));
	assert_str(o, "destination.ip", "192.168.1.20");
	assert_num(o, "destination.port", 22);
	assert_null(member(o, "destination.domain"));
	assert_str(o, "observer.ip", "192.168.1.1");
	assert_null(member(o, "observer.hostname"));
	assert_str(o, "observer.vendor", "Linksys");
	assert_str(o, "observer.type", "router");
	json_object_put(o);
	/* The exact line: field order and no spaces are part of the format. */
	assert_string_equal(line, "{\"@timestamp\":\"2023-01-01T05:06:07.123Z\","
	    "\"event\":{\"kind\":\"event\",\"category\":[\"network\"],"
	    "\"type\":[\"connection\",\"start\"],\"module\":\"linklog\"},"
	    "\"network\":{\"direction\":\"inbound\",\"transport\":\"tcp\","
	    "\"protocol\":\"ssh\"},\"source\":{\"ip\":\"203.0.113.7\","
	    "\"port\":51234},\"destination\":{\"ip\":\"192.168.1.20\","
	    "\"port\":22},\"observer\":{\"ip\":\"192.168.1.1\","
	    "\"vendor\":\"Linksys\",\"type\":\"router\"}}");
}

static void
outbound_udp_names(void **state)
{
	struct event ev = parsed(NAMED_MESSAGE);
	struct render_names n = { "nas.lan", "dns.example", "gw.lan" };
	size_t len = json_render_event(&plain, &ev, &n, line, sizeof(line));
	json_object *o = parse_line(line, len);

	(void)state;
	assert_str(o, "network.direction", "outbound");
	assert_str(o, "network.transport", "udp");
	assert_str(o, "network.protocol", "domain");
	assert_str(o, "source.domain", "nas.lan");
	assert_num(o, "source.port", 5353);
	assert_str(o, "destination.domain", "dns.example");
	assert_str(o, "destination.ip", "198.51.100.53");
	assert_str(o, "observer.hostname", "gw.lan");
	json_object_put(o);
}

static void
no_service_name(void **state)
{
	struct event ev = parsed("@in TCP from 203.0.113.7:1 to 10.0.0.1:65001");
	size_t len = json_render_event(&plain, &ev, &no_names, line,
	    sizeof(line));
	json_object *o = parse_line(line, len);

	(void)state;
	assert_null(member(o, "network.protocol"));
	assert_num(o, "destination.port", 65001);
	json_object_put(o);
}

/* The older firmware forms: no protocol; the arrow form, no source port.
 * What the message does not say is absent, never guessed. */
static void
older_forms(void **state)
{
	struct event ev = parsed("@out 192.168.0.2 8080 24.159.204.248 10325");
	size_t len = json_render_event(&plain, &ev, &no_names, line,
	    sizeof(line));
	json_object *o = parse_line(line, len);

	(void)state;
	assert_str(o, "network.direction", "outbound");
	assert_null(member(o, "network.transport"));
	assert_str(o, "source.ip", "192.168.0.2");
	assert_num(o, "source.port", 8080);
	assert_str(o, "destination.ip", "24.159.204.248");
	assert_num(o, "destination.port", 10325);
	json_object_put(o);

	ev = parsed("@in 192.168.1.200 ==> 24.254.60.13[110].");
	len = json_render_event(&plain, &ev, &no_names, line, sizeof(line));
	o = parse_line(line, len);
	assert_str(o, "network.direction", "inbound");
	assert_null(member(o, "network.transport"));
	assert_str(o, "source.ip", "192.168.1.200");
	assert_null(member(o, "source.port"));
	assert_str(o, "destination.ip", "24.254.60.13");
	assert_num(o, "destination.port", 110);
	/* The port's name when TCP and UDP agree (or only one has it). */
	if (services_name(110, PROTO_UNKNOWN) != NULL)
		assert_str(o, "network.protocol",
		    services_name(110, PROTO_UNKNOWN));
	json_object_put(o);
}

static void
original_and_cee(void **state)
{
	struct json_format f = { 1, 1 };
	struct event ev = parsed(NAMED_MESSAGE);
	size_t len = json_render_event(&f, &ev, &no_names, line, sizeof(line));
	json_object *o;

	(void)state;
	assert_memory_equal(line, "@cee: {", 7);
	o = parse_line(line + 6, len - 6);
	assert_str(o, "event.original", NAMED_MESSAGE);
	json_object_put(o);
}

static void
ipv6_observer(void **state)
{
	struct event ev = parsed(V1_MESSAGE);
	size_t len;
	json_object *o;

	(void)state;
	set_router(&ev, "2001:db8::1");
	len = json_render_event(&plain, &ev, &no_names, line, sizeof(line));
	o = parse_line(line, len);
	assert_str(o, "observer.ip", "2001:db8::1");
	json_object_put(o);
	/* A v4-mapped sender is shown as IPv4, as in text lines. */
	set_router(&ev, "::ffff:192.168.1.1");
	len = json_render_event(&plain, &ev, &no_names, line, sizeof(line));
	o = parse_line(line, len);
	assert_str(o, "observer.ip", "192.168.1.1");
	json_object_put(o);
}

static void
timestamps(void **state)
{
	char t[JSON_TIME_LEN + 1];

	(void)state;
	assert_int_equal(json_format_time(0, 0, t), JSON_TIME_LEN);
	assert_string_equal(t, "1970-01-01T00:00:00.000Z");
	json_format_time(SUNDAY, 999999, t);
	assert_string_equal(t, "2023-01-01T05:06:07.999Z");
	json_format_time(SUNDAY + 1, 1000, t);
	assert_string_equal(t, "2023-01-01T05:06:08.001Z");
	/* Independent of the local time zone. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	json_format_time(SUNDAY + 2, 0, t);
	assert_string_equal(t, "2023-01-01T05:06:09.000Z");
	unsetenv("TZ");
	tzset();
}

/*
 * The first time rendered is -1 (a second before 1970): the cache of the
 * last second must not take it for its empty start.  Runs first.  Years
 * RFC 3339 cannot write become its nearest time, never an invalid date.
 */
static void
edge_timestamps(void **state)
{
	char t[JSON_TIME_LEN + 1];

	(void)state;
	json_format_time(-1, 999000, t);
	assert_string_equal(t, "1969-12-31T23:59:59.999Z");
	json_format_time((time_t)253402300799, 0, t);
	assert_string_equal(t, "9999-12-31T23:59:59.000Z");
	json_format_time((time_t)253402300800, 0, t);
	assert_string_equal(t, "9999-12-31T23:59:59.000Z");
	json_format_time((time_t)-62167219201, 0, t);
	assert_string_equal(t, "0000-01-01T00:00:00.000Z");
	json_format_time(INT64_MAX, 0, t);
	assert_string_equal(t, "9999-12-31T23:59:59.000Z");
	json_format_time(0, 0, t);
	assert_string_equal(t, "1970-01-01T00:00:00.000Z");
}

/* Names may hold any byte (DNS answers, router names, the senders'
 * DHCP names): the escaped JSON string must decode to the expected text. */
static void
hostile_names(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a\"b\\c", "a\"b\\c" },
		{ "line\nbreak\r\ttab\b\f", "line\nbreak\r\ttab\b\f" },
		{ "\x01\x1f\x7f", "\x01\x1f\x7f" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		/* Invalid UTF-8: each bad byte becomes U+FFFD. */
		{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
		{ "\xc3", "\xef\xbf\xbd" },
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },          /* overlong */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "}\"]", "}\"]" },
	};
	struct event ev = parsed(V1_MESSAGE);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct render_names n = { cases[i].in, cases[i].in, cases[i].in };
		size_t len = json_render_event(&plain, &ev, &n, line,
		    sizeof(line));
		json_object *o = parse_line(line, len);
		assert_str(o, "source.domain", cases[i].want);
		assert_str(o, "destination.domain", cases[i].want);
		assert_str(o, "observer.hostname", cases[i].want);
		json_object_put(o);
	}
	/* Control characters are escaped with their short forms. */
	{
		struct render_names n = { "\n\x01", NULL, NULL };
		json_render_event(&plain, &ev, &n, line, sizeof(line));
		assert_non_null(strstr(line, "\"domain\":\"\\n\\u0001\""));
	}
}

/* A new-host notice (state.c): ECS alert fields, the host, hostile names
 * escaped like every other value. */
static void
new_host(void **state)
{
	static const char *const names[] = { "android-7f3a.lan", "a\"b\\c\n",
	    "\xff<script>" };
	struct event ev = parsed(NAMED_MESSAGE);

	(void)state;
	ev.kind = EVENT_NEW_HOST;
	memset(&ev.sum, 0, sizeof(ev.sum));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct render_names n = { names[i], NULL, NULL };
		size_t len = json_render_event(&plain, &ev, &n, line,
		    sizeof(line));
		json_object *o = parse_line(line, len);
		assert_str(o, "event.kind", "alert");
		assert_array(o, "event.category", "host", "network");
		assert_str(o, "event.action", "new-host");
		assert_array(o, "host.ip", "192.168.1.20", NULL);
		assert_str(o, "destination.ip", "198.51.100.53");
		assert_num(o, "destination.port", 53);
		if (i == 0)
			assert_str(o, "host.name", names[0]);
		json_object_put(o);
	}
	/* No name known: the message's, else none. */
	ev.src.has_name = 0;
	{
		size_t len = json_render_event(&plain, &ev, &no_names, line,
		    sizeof(line));
		json_object *o = parse_line(line, len);
		assert_null(member(o, "host.name"));
		json_object_put(o);
	}
}

static void
forwarded(void **state)
{
	struct json_format cee = { 0, 1 };
	struct router r;
	char text[256];
	size_t len;
	json_object *o;

	(void)state;
	{
		struct event ev;
		set_router(&ev, "192.168.1.1");
		r = ev.router;
	}
	len = json_render_raw(&plain, SUNDAY, 5000, &r, "System log: link up",
	    19, line, sizeof(line));
	assert_string_equal(line, "{\"@timestamp\":\"2023-01-01T05:06:07.005Z\","
	    "\"observer\":{\"ip\":\"192.168.1.1\"},"
	    "\"message\":\"System log: link up\"}");
	json_object_put(parse_line(line, len));
	/* Every byte value, NUL included: valid JSON, valid UTF-8. */
	for (int i = 0; i < 256; i++)
		text[i] = (char)i;
	len = json_render_raw(&cee, SUNDAY, 0, &r, text, sizeof(text), line,
	    sizeof(line));
	assert_memory_equal(line, JSON_CEE_COOKIE, 6);
	o = parse_line(line + 6, len - 6);
	{
		json_object *m = member(o, "message");
		const char *s = json_object_get_string(m);
		/* 128 ASCII characters, then 128 replacements. */
		assert_int_equal(json_object_get_string_len(m), 128 + 128 * 3);
		assert_memory_equal(s, text, 128);
	}
	json_object_put(o);
}

/* A forwarded string longer than the line: cut, still one valid object. */
static void
cut_lines(void **state)
{
	static char text[65536];
	static char small[300];
	struct event ev = parsed(V1_MESSAGE);
	size_t len;
	json_object *o;

	(void)state;
	memset(text, 0x01, sizeof(text));       /* 6 bytes each escaped */
	len = json_render_raw(&plain, SUNDAY, 0, &ev.router, text,
	    sizeof(text), line, sizeof(line));
	assert_true(len < sizeof(line));
	o = parse_line(line, len);
	assert_true(json_object_get_string_len(member(o, "message")) > 40000);
	json_object_put(o);
	/* Cut in the middle of an escape or a UTF-8 sequence: never half. */
	for (size_t size = 60; size < sizeof(small); size++) {
		memcpy(text, "\xe2\x82\xac\x01\x01\xe2\x82\xac", 8);
		len = json_render_raw(&plain, SUNDAY, 0, &ev.router, text, 8,
		    small, size);
		assert_true(len < size);
		if (len == 0) {         /* not even the head fits */
			assert_true(size < 100);
			continue;
		}
		json_object_put(parse_line(small, len));
	}
	/* Through syslog (cee) a line fits in rsyslog's default 8 KiB: a
	 * long forwarded string is cut there, its object still closed. */
	{
		struct json_format cee = { 0, 1 };
		memset(text, 'x', 9000);
		len = json_render_raw(&cee, SUNDAY, 0, &ev.router, text, 9000,
		    line, sizeof(line));
		assert_true(len <= JSON_CEE_LINE_MAX);
		assert_true(len > JSON_CEE_LINE_MAX - 8);
		o = parse_line(line + 6, len - 6);
		assert_true(json_object_get_string_len(member(o, "message")) >
		    7800);
		json_object_put(o);
	}
	/* An event that does not fit is not written at all rather than cut. */
	assert_int_equal(json_render_event(&plain, &ev, &no_names, small, 100),
	    0);
	assert_string_equal(small, "");
}

/* Every geo field, hostile AS names (quotes, control bytes, bytes that
 * are not UTF-8), and fields absent where unknown. */
static void
geo_fields(void **state)
{
	struct event ev = parsed(V1_MESSAGE);
	json_object *obj;
	size_t len;

	(void)state;
	strcpy(ev.src.geo.iso, "SE");
	strcpy(ev.src.geo.country, "Sweden");
	strcpy(ev.src.geo.city, "Link\xc3\xb6ping");
	ev.src.geo.asn = 29518;
	strcpy(ev.src.geo.org, "Evil \"Org\" \\ \n\x01\x1b[31m\xff\xfe<b>");
	ev.dst.geo.asn = 15169;
	len = json_render_event(&plain, &ev, &no_names, line, sizeof(line));
	obj = parse_line(line, len);
	assert_str(obj, "source.geo.country_iso_code", "SE");
	assert_str(obj, "source.geo.country_name", "Sweden");
	assert_str(obj, "source.geo.city_name", "Link\xc3\xb6ping");
	assert_num(obj, "source.as.number", 29518);
	assert_str(obj, "source.as.organization.name",
	    "Evil \"Org\" \\ \n\x01\x1b[31m\xef\xbf\xbd\xef\xbf\xbd<b>");
	assert_num(obj, "destination.as.number", 15169);
	assert_null(member(obj, "destination.geo"));
	assert_null(member(obj, "destination.as.organization"));
	json_object_put(obj);
	/* Only a country: no city, no AS. */
	ev = parsed(V1_MESSAGE);
	strcpy(ev.src.geo.iso, "GB");
	len = json_render_event(&plain, &ev, &no_names, line, sizeof(line));
	obj = parse_line(line, len);
	assert_str(obj, "source.geo.country_iso_code", "GB");
	assert_null(member(obj, "source.geo.country_name"));
	assert_null(member(obj, "source.geo.city_name"));
	assert_null(member(obj, "source.as"));
	json_object_put(obj);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(edge_timestamps),      /* first: see there */
		cmocka_unit_test(inbound_tcp),
		cmocka_unit_test(outbound_udp_names),
		cmocka_unit_test(no_service_name),
		cmocka_unit_test(older_forms),
		cmocka_unit_test(original_and_cee),
		cmocka_unit_test(ipv6_observer),
		cmocka_unit_test(timestamps),
		cmocka_unit_test(hostile_names),
		cmocka_unit_test(geo_fields),
		cmocka_unit_test(new_host),
		cmocka_unit_test(forwarded),
		cmocka_unit_test(cut_lines),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
