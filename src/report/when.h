/*
 * when.h - the times of linklog-report's command line and of its pages:
 * WHEN is a duration back from now ("7d", "36h", "90m", "2w", "1d12h"),
 * "now", "today" or "yesterday" (local midnight), or a local date and
 * time ("2026-12-01", "2026-12-01 13:00", "2026-12-01T13:00:05").
 * Times are written in the machine's local time zone, which when_zone()
 * names.
 */
#ifndef LINKLOG_REPORT_WHEN_H
#define LINKLOG_REPORT_WHEN_H

#include <stddef.h>
#include <time.h>

/*
 * Parse s relative to now into *t; returns 0, or -1 with a sentence
 * (without the option's name) in err.
 */
int when_parse(const char *s, time_t now, time_t *t, char *err, size_t errlen);

/* "2026-12-01 13:00" in local time (size >= 20). */
void when_minute(time_t t, char *buf, size_t size);

/* "2026-12-01T13:00:00+01:00", RFC 3339 in local time (size >= 26). */
void when_rfc3339(time_t t, char *buf, size_t size);

/*
 * The local time zone's name ("Europe/Berlin", or "UTC" and the like from
 * TZ) and its abbreviation and offset at t: "Europe/Berlin (CET, +0100)".
 */
void when_zone(time_t t, char *buf, size_t size);

#endif
