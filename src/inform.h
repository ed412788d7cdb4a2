/*
 * inform.h - the informs acknowledged in the last minute, so that a
 * retransmission (same sender address and port, same request-id, same
 * varbinds) is acknowledged again but its events are written only once.
 * A new inform that reuses a request-id (a rebooted router, firmware that
 * counts from 0, a forged copy sent first) differs in its varbinds and
 * is written.
 *
 * A fixed table of INFORM_TABLE entries, keyed hash: under a flood of
 * informs from many senders an old entry may be overwritten early, and
 * a late retransmission of it is then written again (never lost).
 */
#ifndef LINKLOG_INFORM_H
#define LINKLOG_INFORM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "decode.h"
#include "receive.h"

#define INFORM_TABLE 4096
#define INFORM_WINDOW 60        /* seconds a request-id is remembered */

struct inform_table;
struct access;

/* informs: answered; informs_limited: refused whole by the rate limit
 * (not answered: sent again); inform_repeats: retransmissions among the
 * answered (not written again); responses: answers sent;
 * response_errors: those the socket refused. */
struct inform_stats {
	uint64_t informs, informs_limited, inform_repeats;
	uint64_t responses, response_errors;
};

enum inform_verdict {
	INFORM_NEW,             /* answered: write its strings */
	INFORM_REPEAT,          /* a retransmission, answered: write nothing */
	INFORM_LIMITED,         /* over the rate limit: no answer, nothing */
};

struct inform_table *inform_table_new(void);
void inform_table_free(struct inform_table *t);

/*
 * Whether request_id from sa (address and port), with the same varbinds
 * (their keyed hash, inform_fingerprint()), was first seen less than
 * INFORM_WINDOW seconds before now; if not, and remember is set, it is
 * remembered from now (an inform refused by the rate limit is not: its
 * retransmission is a new chance, not a repeat).
 */
int inform_seen(struct inform_table *t, const struct sockaddr *sa,
    long request_id, uint64_t fingerprint, time_t now, int remember);

/* The keyed hash of an inform's varbinds, as received. */
uint64_t inform_fingerprint(const void *varbinds, size_t len);

/*
 * Send the Response to the inform trap was decoded from (its datagram
 * must still be there) to `to`, through reply: the socket it came in on,
 * from the address it was sent to.  Returns 0, or -1.
 */
int inform_answer(const struct trap *trap, const struct reply_to *reply,
    const struct sockaddr *to, socklen_t tolen);

/* What an inform's strings cost the rate limit: one per event, and what
 * a forwarded string costs (unparsed.h) when forward is set; at least
 * one.  events: how many it holds. */
void inform_cost(const struct span *spans, size_t n, int forward,
    uint64_t *cost, uint64_t *events);

/* Whether trap, from `from`, repeats an inform written in the last
 * INFORM_WINDOW seconds (now: ms on the monotonic clock). */
int inform_repeats(struct inform_table *t, const struct trap *trap,
    const struct sockaddr *from, uint64_t now);

/*
 * One inform decoded from dg: a retransmission of one written costs 1,
 * a new one cost for its events (ac NULL: no rate limit).  Within the
 * budget it is answered through dg's reply handle and, when new,
 * remembered; over it, not answered and counted (events of it are the
 * rate limit's to count).  Counts in st.
 */
enum inform_verdict inform_admit(struct inform_table *t, struct access *ac,
    const struct trap *trap, const struct datagram *dg, uint64_t cost,
    uint64_t events, uint64_t now, struct inform_stats *st);

#endif
