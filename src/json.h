/*
 * json.h - the JSON rendering of an event: one line, one object, field
 * names of the Elastic Common Schema (ECS) nested as objects.
 *
 *   {"@timestamp":"2026-12-01T03:27:22.123Z",
 *    "event":{"kind":"event","category":["network"],
 *             "type":["connection","start"],"module":"linklog"},
 *    "network":{"direction":"inbound","transport":"tcp","protocol":"ssh"},
 *    "source":{"ip":"203.0.113.7","port":51234,"domain":"scanner.example"},
 *    "destination":{"ip":"192.168.1.20","port":22},
 *    "observer":{"ip":"192.168.1.1","vendor":"Linksys","type":"router"}}
 *
 * (without the line breaks); with a geoip database an outside end also
 * has "geo" (country_iso_code, country_name, city_name) and "as"
 * (number, organization.name), each field only when known (geo.h).
 * Owns only the format: it reads an event and
 * the names the pipeline found, and writes into the caller's buffer; it
 * never allocates.  Strings are escaped per RFC 8259 (quote, backslash
 * and every control character; DEL too), valid UTF-8 is kept as is, and
 * each byte that is not part of a valid UTF-8 sequence is replaced by
 * U+FFFD, so the output is always valid UTF-8 and valid JSON.  A value
 * too long for the buffer is cut at a character boundary and the object
 * is still closed.
 */
#ifndef LINKLOG_JSON_H
#define LINKLOG_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "event.h"
#include "render.h"

/* How one output writes JSON. */
struct json_format {
	int original;           /* add event.original (json_original) */
	int cee;                /* start with "@cee: " (syslog, mmjsonparse) */
};

#define JSON_CEE_COOKIE "@cee: "
/*
 * A syslog line (cee) is at most this long: rsyslog keeps 8096 bytes of a
 * datagram by default (maxMessageSize, its syslog header of about 32
 * bytes plus the ident included) and cuts the rest, which would leave
 * mmjsonparse half an object.  Only a forwarded string can be longer; it
 * is cut to fit, its object still closed.
 */
#define JSON_CEE_LINE_MAX 7936

/*
 * Render ev as one JSON object into buf (no newline, NUL-terminated);
 * returns the length (at most JSON_CEE_LINE_MAX with f->cee).  names: the names known for source, destination
 * and router (NULL members: none), written as source.domain,
 * destination.domain and observer.hostname.
 */
size_t json_render_event(const struct json_format *f, const struct event *ev,
    const struct render_names *names, char *buf, size_t size);

/*
 * A string that held no message (--unparsed=forward):
 * {"@timestamp":..., "observer":{"ip":...}, "message":...}
 */
size_t json_render_raw(const struct json_format *f, time_t sec, uint32_t usec,
    const struct router *router, const char *text, size_t len, char *buf,
    size_t size);

/*
 * "2026-12-01T03:27:22.123Z": the RFC 3339 UTC form of sec.usec with
 * milliseconds, into buf (at least JSON_TIME_LEN + 1 bytes).
 */
#define JSON_TIME_LEN 24
size_t json_format_time(time_t sec, uint32_t usec, char *buf);

#endif
