/*
 * pipeline.h - from a received datagram to written lines.
 *
 * Owns the order of events: decode -> parse -> scan and repeat folding
 * (scan.h, repeat.h) -> rate limit -> geo -> (wait for names) -> filter
 * -> render -> sinks.  The events the scan and repeat stages make
 * (starts, summaries, repeats) are charged to their router and take the
 * same way from geo on, each written before the event that caused it.  Events leave in the order their datagrams arrived;
 * one whose names are still being looked up holds back those behind it for
 * at most the configured wait, after which it is written with addresses.
 */
#ifndef LINKLOG_PIPELINE_H
#define LINKLOG_PIPELINE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include "access.h"
#include "emit.h"
#include "filter.h"
#include "geo.h"
#include "inform.h"
#include "json.h"
#include "receive.h"
#include "render.h"
#include "repeat.h"
#include "resolve.h"
#include "scan.h"
#include "sink.h"
#include "unparsed.h"

#define PIPELINE_MAX_RULES EMIT_MAX_RULES

struct pipeline_config {
	struct emit_config out;         /* rules, outputs, names shown */
	int unparsed_raw;               /* --unparsed=forward (or raw) */
	unsigned dns_wait_ms;
	struct resolver *resolver;      /* NULL: no lookup is ever made */
	struct access *access;          /* NULL: every sender, no limit */
	struct geo *geo;                /* NULL: no geo database */
	struct scan_config scan;
	struct repeat_config repeat;
};

/*
 * The pipeline's counters.  Datagrams: decoded (traps and informs from an
 * allowed sender with an allowed community), malformed, unsupported;
 * informs those answered, informs_limited those refused whole by the
 * rate limit (not answered: the sender sends again), inform_repeats the
 * retransmissions among the answered (not written again), responses the
 * answers sent, response_errors those the socket refused.  Events: every
 * message parsed lands in exactly one of emitted (written to at least
 * one output), filtered, the access checker's rate_limited,
 * scan_suppressed (folded into a scan's summary) or repeats_suppressed
 * (into a repeat).  The events the scan and repeat stages make (scans,
 * scan_summaries, repeats) are counted apart, outside that identity.  Strings
 * without a message: strings (unparsed.h); forwarded those written.
 */
struct pipeline_stats {
	uint64_t decoded, malformed, unsupported;
	struct unparsed_stats strings;
	struct inform_stats inform;
	uint64_t events, emitted, filtered, forwarded;
	uint64_t unresolved, waited_out;
	/* The scan and repeat stages' (scan.h, repeat.h). */
	struct scan_stats scan;
	struct repeat_stats repeat;
};

struct pipeline;

struct pipeline *pipeline_new(const struct pipeline_config *cfg);
void pipeline_free(struct pipeline *p);

/*
 * Replace the configuration (after a reload): what is queued is written
 * first with the old one.  Counters are kept.
 */
void pipeline_reconfigure(struct pipeline *p, const struct pipeline_config *cfg);

/* The state database the events go to from now on (NULL: none); it
 * outlives the configurations, so a reload keeps it. */
struct statedb;
void pipeline_set_state(struct pipeline *p, struct statedb *s);


/*
 * One datagram, through every stage in turn (pipeline.c reads top to
 * bottom); an inform is answered through the datagram's reply handle.
 * now: ms on the loop's monotonic clock.
 */
void pipeline_datagram(struct pipeline *p, const struct datagram *dg,
    uint64_t now);

/* Write the events that are ready (all of them with force), and the
 * summary of unreported unusable datagrams when it is due (report.h). */
void pipeline_release(struct pipeline *p, uint64_t now, int force);

/* Let the loop write what is ready and flush the sinks at the end of
 * each round, and wake up for the oldest event's wait. */
struct loop;
int pipeline_attach(struct pipeline *p, struct loop *l);

/* Write out the buffers of every sink. */
void pipeline_flush(struct pipeline *p);

/* The counters as of now: the stages' own (fold, deliver) are copied in
 * at each call, so call it again before reading them again. */
const struct pipeline_stats *pipeline_stats(const struct pipeline *p);

#endif
