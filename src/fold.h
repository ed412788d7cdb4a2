/*
 * fold.h - the stages that fold connection events into summaries before
 * the rate limit: scan detection (scan.h), then repeat suppression
 * (repeat.h).  Owns both and the events they make (scan starts and
 * summaries, repeat lines), handed to the pipeline to write; nothing
 * calls back.  Times are ms on the loop's monotonic clock.
 */
#ifndef LINKLOG_FOLD_H
#define LINKLOG_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "repeat.h"
#include "scan.h"

/* Events handed over at once. */
#define FOLD_MADE 16

struct fold;

struct fold *fold_new(const struct scan_config *sc,
    const struct repeat_config *rc);
void fold_free(struct fold *f);

/* A new configuration, after fold_due() with force has emptied both:
 * a stage out of memory says so and is off until the next one. */
void fold_configure(struct fold *f, const struct scan_config *sc,
    const struct repeat_config *rc);

/*
 * ev through the scan stage, then the repeat stage.  Returns 1 when it
 * was folded (counted into a summary or a repeat), 0 when it goes on
 * (annotated, perhaps).  *made, *nmade: the events made on the way, to
 * write before ev; valid until the next call.
 */
int fold_event(struct fold *f, struct event *ev, uint64_t now,
    struct event **made, size_t *nmade);

/* ev, which fold_event() let through, was not written (the rate limit
 * refused it): no repeat may stand for it (repeat.h). */
void fold_unwritten(struct fold *f, const struct event *ev);

/*
 * What is due at now (everything with force: a stop, a reload), at most
 * FOLD_MADE at a time into *made; returns how many, 0 when nothing more
 * is due.
 */
size_t fold_due(struct fold *f, uint64_t now, int force, struct event **made);

/* ms until fold_due() has something; -1: nothing open. */
int fold_timeout_ms(struct fold *f, uint64_t now);

const struct scan_stats *fold_scan_stats(const struct fold *f);
const struct repeat_stats *fold_repeat_stats(const struct fold *f);

#endif
