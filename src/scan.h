/*
 * scan.h - port scan detection: a pipeline stage that folds a scanner's
 * connection events into one scan-start and scan-summary events.
 *
 * Tracks each outside source of inbound events and each inside host of
 * outbound ones (inside.h).  A source is a scanner when, within
 * window seconds, it reaches `ports` distinct destination ports on one
 * target (vertical) or one destination port on `hosts` distinct targets
 * (horizontal).  Candidates live in fixed entries of a keyed table
 * (max_sources); confirmed scanners, which count distinct ports exactly
 * in a 65,536-bit map, in a table of their own (max_scanners).  When a
 * bucket of either is full, its least recently seen entry is closed (a
 * scanner with its summary) and counted.  Owns no output: the pipeline
 * pulls the events it makes (scan_event's out, scan_expire) and writes
 * them.  Times are ms on the monotonic clock; allocation happens only
 * in scan_new() and scan_configure().
 */
#ifndef LINKLOG_SCAN_H
#define LINKLOG_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "inside.h"

#define SCAN_PORTS_MAX 30       /* scan.ports at most: a candidate's list */
#define SCAN_HOSTS_MAX 1000     /* scan.hosts at most */
/* Events scan_event() may make at once: the summary of the scanner it
 * evicts, and a scan start. */
#define SCAN_OUT_MAX 2

/* SCAN_SAME: scan.action_out's "as scan.action" (settings only). */
enum scan_action { SCAN_SUMMARIZE, SCAN_ANNOTATE, SCAN_SAME };

enum scan_verdict {
	SCAN_PASS,              /* not a scanner's: on its way */
	SCAN_SUPPRESS,          /* counted into its scanner's summary */
	SCAN_MARK,              /* a scanner's, written marked (annotate) */
};

struct scan_config {
	int enabled;
	unsigned window, quiet, report;         /* seconds */
	unsigned ports, hosts;
	unsigned max_sources, max_scanners;
	enum scan_action action, action_out;
	const struct inside *inside;            /* must outlive its use */
};

/*
 * suppressed: events not written (summarize); annotated: written marked;
 * scans: scan starts; summaries: scan summaries; evictions: candidates
 * pushed out of a full bucket; scanner_evictions: scanners closed early
 * for a new one (their summary written).
 */
struct scan_stats {
	uint64_t suppressed, annotated, scans, summaries;
	uint64_t evictions, scanner_evictions;
};

struct scan;

/* NULL when out of memory (tables are allocated only when enabled). */
struct scan *scan_new(const struct scan_config *cfg);
void scan_free(struct scan *s);

/*
 * A new configuration, after scan_flush_all(): tables of another size
 * are made anew (forgetting candidates).  -1 when out of memory: the
 * stage is then off until the next configuration.
 */
int scan_configure(struct scan *s, const struct scan_config *cfg);

/*
 * One connection event at now.  Events made on the way (a scan start,
 * the summary of a scanner evicted for this one) go to out, in the order
 * they are to be written before ev (*nout of them, SCAN_OUT_MAX at most).
 * Under SCAN_MARK, ev->scan_mark is set.
 */
enum scan_verdict scan_event(struct scan *s, struct event *ev, uint64_t now,
    struct event *out, size_t *nout);

/* Summaries that are due at now (quiet scanners, report intervals), at
 * most max; call again while it returns max. */
size_t scan_expire(struct scan *s, uint64_t now, struct event *out,
    size_t max);

/* The final summary of every scanner (stop, reload), at most max; call
 * again while it returns max. */
size_t scan_flush_all(struct scan *s, uint64_t now, struct event *out,
    size_t max);

/* ms until scan_expire() has something; -1 if no scanner is open. */
int scan_timeout_ms(const struct scan *s, uint64_t now);

/* Bytes of the tables as configured (the memory bound). */
size_t scan_memory(const struct scan_config *cfg);

const struct scan_stats *scan_stats(const struct scan *s);

#endif
