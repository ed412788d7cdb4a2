/*
 * parse.h - the Linksys log message grammar.
 *
 *   "@in TCP from scanner.example.net(203.0.113.7):51234 to 192.168.1.20:22"
 *
 *   "@out 192.168.0.2 8080 24.159.204.248 10325"   (older firmware)
 *   "@out 192.168.1.200 ==> 24.254.60.13[110]."    (older firmware)
 *
 * Owns nothing but the grammar: it turns text into events' direction,
 * protocol and endpoints, and never allocates.  What a form does not
 * carry is marked unknown (PROTO_UNKNOWN, port_unknown = 1).
 */
#ifndef LINKLOG_PARSE_H
#define LINKLOG_PARSE_H

#include <stddef.h>

#include "event.h"

/*
 * Parse one message that starts exactly at text (at its '@').  On success
 * fills dir, proto, src and dst of ev (all their fields) and returns the number of bytes the
 * message takes; returns 0 if text does not start with a valid message.
 */
size_t parse_message(const char *text, size_t len, struct event *ev);

/*
 * Whether text begins like a connection message ("@in " or "@out "), so
 * that a string which then fails to parse deserves a warning.
 */
int parse_is_message_start(const char *text, size_t len);

typedef void parse_emit_fn(void *arg, struct event *ev);

/*
 * Find every valid message in text (an OCTET STRING, not NUL-terminated)
 * and call emit for each, with ev filled as parse_message() does and the
 * message's text copied into ev->original; other fields of ev are left as
 * the caller set them.  Returns how many were found.
 */
size_t parse_messages(const char *text, size_t len, struct event *ev,
    parse_emit_fn *emit, void *arg);

#endif
