/*
 * stats.h - the table of linklog's counters and the statistics line
 * built from it (SIGUSR1, the stop, and systemd's STATUS=).
 *
 * Each counter is one row of the table in stats.c: its name in the line
 * and the field of the module's statistics it is read from.  The modules
 * own their counters; this module only names and prints them.
 */
#ifndef LINKLOG_STATS_H
#define LINKLOG_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "daemon.h"
#include "pipeline.h"
#include "receive.h"

/* Where the counters are read from, at one moment. */
struct stats_sources {
	const struct receive_stats *receive;
	const struct pipeline_stats *pipeline;
	const struct daemon_counters *daemon;   /* access, DNS, outputs */
};

/* "received=1 kernel_drops=0 ...", every counter of the table. */
void stats_format(const struct stats_sources *s, char *buf, size_t size);

/* The line as a diagnostic: "statistics: received=1 ...". */
void stats_log(const struct stats_sources *s);

/*
 * systemd's STATUS= line, at most every STATS_STATUS_INTERVAL_MS (last:
 * when it was sent, updated); does nothing without systemd.
 */
#define STATS_STATUS_INTERVAL_MS 10000
void stats_status(const struct stats_sources *s, uint64_t now,
    uint64_t *last);

#endif
