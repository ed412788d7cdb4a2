/*
 * unparsed.h - the strings of a trap that hold no connection message.
 *
 * Owns what is said and counted about them: a string that begins like a
 * message ("@in ", "@out ") but does not parse is a broken message,
 * warned about (report.h) unless it is forwarded; the others are text (a
 * router's log line) or binary values (BITS, empty), told apart for the
 * counters.  With --unparsed=forward every such string is written as it
 * came; what it costs the sender's rate limit budget is here too.
 */
#ifndef LINKLOG_UNPARSED_H
#define LINKLOG_UNPARSED_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "report.h"

/* Bytes of a string that cost one event of the rate limit's budget: an
 * escaped byte takes up to four of output, a connection line about a
 * hundred. */
#define UNPARSED_COST_BYTES 64

/* unparsed: text or a broken message; unparsed_messages: the broken
 * messages among them; binary_strings: the rest. */
struct unparsed_stats {
	uint64_t unparsed, unparsed_messages, binary_strings;
};

/*
 * Count (and, unless forward is set, warn about) a string that held no
 * message, sent by sa at now (seconds on the monotonic clock).
 */
void unparsed_string(struct unparsed_stats *st, struct reporter *rep,
    int forward, const char *text, size_t len, const struct sockaddr *sa,
    time_t now);

/* What a forwarded string of len bytes costs: 1 + len / UNPARSED_COST_BYTES. */
uint64_t unparsed_cost(size_t len);

#endif
