/*
 * waitq.h - the events waiting for their names, in arrival order.
 *
 * Owns the names an event is written with: it starts the reverse
 * lookups an event needs (resolve.h), holds the answers through the
 * resolver's tickets while the event waits, and hands events back,
 * oldest first, once their names are known or their wait is over.
 * Forwarded strings wait in the same order, their text in a ring of its
 * own.  Only this module and the resolver know about tickets.
 *
 * Fixed in size after waitq_new(): when the queue (or the text ring) is
 * full, the caller takes the oldest item out first (waitq_pop with
 * WAITQ_ONE), written with the names known by then: never dropped.
 * Times are ms on the loop's monotonic clock.
 */
#ifndef LINKLOG_WAITQ_H
#define LINKLOG_WAITQ_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "resolve.h"

/* Events that may wait at once. */
#define WAITQ_SIZE 32768
/* Text of forwarded strings waiting behind events: more than a datagram
 * can carry, so one always fits once the queue is out. */
#define WAITQ_TEXT (1u << 20)

enum { NAME_SRC, NAME_DST, NAME_ROUTER, NAMES };

/* The names an event is written with; NULL: not known (or not wanted). */
struct names {
	const char *src, *dst, *router;
	/* Private to waitq.c. */
	enum resolve_result res[NAMES];
	resolve_ticket tickets[NAMES];
	char buf[NAMES][HOST_NAME_LEN + 1];
};

/* Which names are looked up (a resolver is needed for any). */
struct waitq_lookups {
	struct resolver *resolver;      /* NULL: none */
	int source, dest, router;
	unsigned wait_ms;
};

/* An item handed back: an event with its names, or a forwarded string
 * (only ev's router and time are set then).  Valid until the next call. */
struct waitq_item {
	const struct event *ev;
	uint64_t rules;                 /* rules whose address filters matched */
	struct names names;
	const char *text;               /* a forwarded string, or NULL */
	size_t text_len;
	int waited_out;                 /* a name was still pending */
};

enum waitq_pop_mode {
	WAITQ_READY,    /* the oldest, if its names are in or its wait is over */
	WAITQ_ONE,      /* the oldest, whatever it still waits for */
};

struct waitq;

struct waitq *waitq_new(void);
void waitq_free(struct waitq *q);

/* Set which lookups are made; the queue must be empty (a reload writes
 * it out first). */
void waitq_configure(struct waitq *q, const struct waitq_lookups *lk);

/*
 * Start the lookups ev needs.  Returns 1 when nothing waits (its names
 * are in n, and no older item is queued): the caller writes it at once.
 * Otherwise ev is queued with rules (0), unless the queue is full (-1:
 * pop one, then call again).
 */
int waitq_event(struct waitq *q, const struct event *ev, uint64_t rules,
    uint64_t now, struct names *n);

/* Release what waitq_event() held in n for an event written at once. */
void waitq_done(struct waitq *q, struct names *n);

/*
 * A forwarded string from the datagram of from (router, time): 1 when
 * nothing waits (write it at once), 0 queued, -1 no room yet (pop one,
 * then call again).  A string longer than the ring is never queued (1).
 */
int waitq_text(struct waitq *q, const struct event *from, const char *text,
    size_t len);

/* The oldest item, per mode; 0 if none. */
int waitq_pop(struct waitq *q, uint64_t now, enum waitq_pop_mode mode,
    struct waitq_item *it);

int waitq_empty(const struct waitq *q);

/* ms until the oldest item's wait is over; -1 if nothing waits. */
int waitq_timeout_ms(const struct waitq *q, uint64_t now);

#endif
