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

/*
 * The next valid messages in text (an OCTET STRING, not NUL-terminated)
 * from *off on: fills at most max events of out as parse_message() does,
 * with the message's text copied into original (their other fields are
 * left as they were), and moves *off past them (to len when the string
 * holds no more).  Returns how many it filled: fewer than max means the
 * string is done.
 */
size_t parse_events(const char *text, size_t len, size_t *off,
    struct event *out, size_t max);

/* How many messages text holds (what parse_events() would find). */
size_t parse_count(const char *text, size_t len);

#endif
