/*
 * state.h - the state database (--state-db): what linklog sees, summed in
 * memory by the receiving thread and committed by a writer thread of its
 * own, so that the receiver never waits for SQLite.
 *
 * A stage of the pipeline, and the last to see an event before its
 * output: statedb_seen() counts every connection event the router
 * reported (the hours table), statedb_event() each event that passed the
 * scan and repeat folding and the rate limit, and the events those stages
 * made (scans, repeats: their counts), whether the filters then write it
 * or not.  Both are O(1) and allocate nothing: keyed tables of fixed size
 * (keyhash.h), sized at start.
 *
 * Every state.flush seconds (statedb_tick()), at SIGHUP and at the stop,
 * what changed is copied into a batch the writer commits in one
 * transaction.  While the writer cannot (the file is locked by a reader's
 * BEGIN EXCLUSIVE, the disk is full), it keeps its batch and retries, and
 * the tables keep absorbing; what they cannot hold is counted
 * (state_dropped) and reported once a minute.  Traffic output never
 * depends on any of it.
 *
 * The settings are restart-only: the file, the tables' sizes and the
 * thread are the process's.
 */
#ifndef LINKLOG_STATE_H
#define LINKLOG_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "event.h"
#include "inside.h"
#include "stats.h"

struct statedb_config {
	const char *path;
	unsigned flush;                 /* seconds between commits */
	unsigned max_rows_per_hour;     /* hourly rows, then the overflow row */
	unsigned retention_days;
	unsigned max_hosts;             /* inside hosts kept */
	unsigned forget_days;           /* a host unseen this long is new */
	unsigned learn;                 /* seconds of learning, from creation */
	unsigned notices_per_minute;    /* new-host notices, then counted */
};

/*
 * What the tables did.  overflow: events added to an hour's overflow row
 * (its distinct keys were over the bound); dropped: events and records
 * the tables could not hold while the database was not written;
 * hosts_dropped: new inside hosts over inventory.max_hosts; errors:
 * transactions that failed (retried); flushes: committed.
 */
struct statedb_stats {
	uint64_t overflow, dropped, hosts_dropped, errors, flushes, new_hosts;
};

struct statedb;

/*
 * Open (creating it, or migrating an older file) the database at
 * cfg->path as the user linklog runs as, load its inside hosts and start
 * the writer; it counts into *count (the daemon's: it outlives it).  NULL with the reason in err.
 */
struct statedb *statedb_open(const struct statedb_config *cfg,
    const char *version, time_t now, struct statedb_stats *count, char *err,
    size_t errlen);

/*
 * --check-config: open the file read-only, if it exists, and check that
 * this linklog can use it; never creates or changes it.  0, or -1 with
 * the reason in err; msg says what it found.
 */
int statedb_check_file(const char *path, char *msg, size_t msglen,
    char *err, size_t errlen);

/* Every connection event the router reported: the hours' totals. */
void statedb_seen(struct statedb *s, const struct event *ev);

/*
 * An event that is kept (see above); in: the LAN's networks.  Returns 1
 * when ev's inside host is new and gets a notice: *made is then its
 * new-host event (made NULL: none is made), which the pipeline writes
 * like the other events linklog makes.  A host is learned without a
 * notice during inventory.learn, when its first connection is inbound
 * (it was reached through a port forwarding: someone set it up), or
 * beyond inventory.notices_per_minute (counted, and said in one line).
 */
int statedb_event(struct statedb *s, const struct event *ev,
    const struct inside *in, struct event *made);

/*
 * Hand what changed to the writer, with the growth of the counters of st
 * (read now); force: wait (at most timeout_ms) for the writer to take it
 * (SIGHUP, the stop).  Returns the ms until the next tick is due.
 */
unsigned statedb_tick(struct statedb *s, const struct stats *st,
    time_t now, int force, unsigned timeout_ms);

/* Report what was dropped, at most once a minute (the loop's timer). */
void statedb_report(struct statedb *s, time_t now);

/* Commit the last batch (at most timeout_ms), mark the run stopped and
 * close the file. */
void statedb_close(struct statedb *s, const struct stats *st, time_t now,
    unsigned timeout_ms);

#endif
