/*
 * repeat.h - repeat suppression: a pipeline stage that counts an event
 * identical to one passed on less than `window` seconds ago instead of
 * passing it, and makes one repeat event when the window closes.
 *
 * Identical: same direction, protocol, source and destination address
 * and destination port (the source port, new for each connection, is
 * ignored).  Entries live in a fixed keyed table of max_entries; when a
 * bucket is full its oldest entry is closed early (its repeat event
 * made) and counted.  Windows close in the order they opened, so a ring
 * of entries in that order gives the next to close.  Owns no output: the
 * pipeline pulls the events it makes.  Times are ms on the monotonic
 * clock; allocation only in repeat_new() and repeat_configure().
 */
#ifndef LINKLOG_REPEAT_H
#define LINKLOG_REPEAT_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct repeat_config {
	unsigned window;                /* seconds; 0: off */
	unsigned max_entries;
};

/* suppressed: events counted instead of written; repeats: repeat events
 * made; evictions: entries closed early for a new one. */
struct repeat_stats {
	uint64_t suppressed, repeats, evictions;
};

enum repeat_verdict { REPEAT_PASS, REPEAT_SUPPRESS };

struct repeat;

struct repeat *repeat_new(const struct repeat_config *cfg);
void repeat_free(struct repeat *r);

/* After repeat_flush_all(): a table of another size is made anew; -1
 * when out of memory (the stage is then off). */
int repeat_configure(struct repeat *r, const struct repeat_config *cfg);

/*
 * One event at now.  The repeat event of an entry evicted for it, if
 * any, goes to *out (*nout 0 or 1), to be written before ev.
 */
enum repeat_verdict repeat_event(struct repeat *r, const struct event *ev,
    uint64_t now, struct event *out, size_t *nout);

/*
 * ev, which repeat_event() passed, was not written (the rate limit
 * refused it): its entry closes unseen, so that what comes again is
 * not folded into a repeat of a line nobody wrote (and the repeat line,
 * written even over the limit, cannot carry a flood past it).
 */
void repeat_unwritten(struct repeat *r, const struct event *ev);

/* Repeat events of the windows closed at now, at most max; call again
 * while it returns max. */
size_t repeat_expire(struct repeat *r, uint64_t now, struct event *out,
    size_t max);

/* Close every window (stop, reload), at most max at a time. */
size_t repeat_flush_all(struct repeat *r, uint64_t now, struct event *out,
    size_t max);

/* ms until the oldest window closes; -1 if none is open. */
int repeat_timeout_ms(struct repeat *r, uint64_t now);

size_t repeat_memory(const struct repeat_config *cfg);

const struct repeat_stats *repeat_stats(const struct repeat *r);

#endif
