/*
 * counters.h - the counters the daemon owns, which outlive every reload:
 * the parts built for one configuration (access, resolver, geoip, log
 * files) are handed pointers into struct counters and count there, so
 * nothing is copied across a reload.  counters_rows() puts every counter
 * of linklog, in the order of the statistics line, into a stats table.
 */
#ifndef LINKLOG_COUNTERS_H
#define LINKLOG_COUNTERS_H

#include <stdint.h>

#include "access.h"
#include "geo.h"
#include "pipeline.h"
#include "receive.h"
#include "resolve.h"
#include "state.h"
#include "stats.h"
#include "syslogq.h"

struct counters {
	struct access_stats access;
	struct resolve_stats dns;
	struct geo_stats geo;
	int dns_used;                   /* a resolver ran at some point */
	int geo_used;                   /* a geoip database was loaded */
	struct statedb_stats state;     /* the state database's */
	int state_used;                 /* it is open */
	uint64_t written_stdout, written_file, output_errors;
	/* A copy of the syslog writer's (a thread: read under its lock),
	 * taken before each statistics line. */
	struct syslogq_stats syslog;
};

/*
 * Every counter of linklog as a row of s: the receiver's and the
 * pipeline's (long-lived both) read where they count, the others in c.
 * 0, or -1 when s is full.
 */
int counters_rows(struct counters *c, const struct receive_stats *rx,
    const struct pipeline_stats *p, struct stats *s);

#endif
