/*
 * stateloop.h - the state database (state.h) in the running daemon:
 * opened after the privilege drop (SQLite opens its -wal and -shm files
 * by name as it needs them, so no descriptor can be handed over), given
 * the counters every state.flush seconds from the loop's timer and at
 * each reload, closed at the stop.  Owns the open database and its
 * timer; the counters are read as for a statistics line (the kernel's
 * drops first).
 */
#ifndef LINKLOG_STATELOOP_H
#define LINKLOG_STATELOOP_H

#include <stddef.h>

struct daemon;
struct loop;
struct receiver;
struct stats;
struct stateloop;

/* NULL with err[0] == '\0' when no state database is configured; NULL
 * with a message in err when it cannot be opened. */
struct stateloop *stateloop_open(struct daemon *d, struct loop *l,
    struct receiver *rx, const struct stats *rows, char *err,
    size_t errlen);

/* A hand-over now (after a reload, with the summaries it wrote). */
void stateloop_tick(struct stateloop *s);

/* The last commit (a few seconds at most), then closed and freed. */
void stateloop_close(struct stateloop *s);

#endif
