/*
 * stats.h - the statistics line (SIGUSR1, the stop, and systemd's
 * STATUS=): a flat table of names and pointers to the counters, in the
 * order of the line.  The modules own and count their counters; the
 * table only names and prints them.  Which rows it holds, and in which
 * order, is counters.c's.
 */
#ifndef LINKLOG_STATS_H
#define LINKLOG_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_MAX 64

struct stats_row {
	const char *name;               /* in the statistics line */
	const uint64_t *value;
	const int *shown;               /* printed while *shown; NULL: always */
};

struct stats {
	struct stats_row rows[STATS_MAX];
	size_t n;
};

/* Append a row; beyond STATS_MAX, returns -1 (test_settings holds it). */
int stats_add(struct stats *s, const char *name, const uint64_t *value,
    const int *shown);

/* "received=1 kernel_drops=0 ...", every row shown. */
void stats_format(const struct stats *s, char *buf, size_t size);

/*
 * systemd's STATUS= line, at most every STATS_STATUS_INTERVAL_MS (last:
 * when it was sent, updated); does nothing without systemd.
 */
#define STATS_STATUS_INTERVAL_MS 10000
void stats_status(const struct stats *s, uint64_t now, uint64_t *last);

#endif
