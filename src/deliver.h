/*
 * deliver.h - the end of an event's way: wait for its names (waitq.h),
 * then the name filters, render and write (emit.h).  Owns the wait
 * queue, the names looked up and the line being rendered; events and
 * forwarded strings leave in the order they came.  A queue that is full
 * writes its oldest item at once with the names known by then: nothing
 * is dropped.  Times are ms on the loop's monotonic clock.
 */
#ifndef LINKLOG_DELIVER_H
#define LINKLOG_DELIVER_H

#include <stddef.h>
#include <stdint.h>

#include "emit.h"
#include "event.h"
#include "resolve.h"

/* emitted, filtered: connection events written, or stopped by the name
 * filters (events linklog makes are counted where they are made);
 * forwarded: strings written; unresolved: written with an address where
 * a name was looked for; waited_out: after the whole wait. */
struct deliver_stats {
	uint64_t emitted, filtered, forwarded, unresolved, waited_out;
};

struct deliver;

struct deliver *deliver_new(void);
void deliver_free(struct deliver *d);

/* The outputs (kept by pointer: out must live as long) and the lookups
 * they need, with resolver (NULL: none) and wait_ms; after
 * deliver_release() with force has emptied the queue. */
void deliver_configure(struct deliver *d, const struct emit_config *out,
    struct resolver *resolver, unsigned wait_ms);

/* ev, which passed the address filters of the rules in the bit set. */
void deliver_event(struct deliver *d, const struct event *ev, uint64_t rules,
    uint64_t now);

/* A string without a message; from: the router and time of its datagram. */
void deliver_text(struct deliver *d, const struct event *from,
    const char *text, size_t len, uint64_t now);

/* Write what is ready (everything, with force: a stop, a reload). */
void deliver_release(struct deliver *d, uint64_t now, int force);

/* ms until the oldest item's wait is over; -1: nothing waits. */
int deliver_timeout_ms(const struct deliver *d, uint64_t now);

void deliver_flush(struct deliver *d);

const struct deliver_stats *deliver_stats(const struct deliver *d);

#endif
