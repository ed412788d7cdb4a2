/*
 * when.c - WHEN of the command line and the local times of the report
 * (see when.h).  Local time is the C library's: TZ, else /etc/localtime.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "when.h"

/* At most this far back: a report of more than ten years is a typo. */
#define WHEN_MAX_BACK (10L * 366 * 86400)

static long
unit_seconds(char c)
{
	switch (c) {
	case 's': return 1;
	case 'm': return 60;
	case 'h': return 3600;
	case 'd': return 86400;
	case 'w': return 7 * 86400;
	}
	return 0;
}

/* "7d", "36h", "1d12h": seconds in *secs, or -1 if s is not a duration. */
static int
parse_duration(const char *s, long *secs)
{
	long total = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (*s != '\0') {
		char *end;
		long n, unit;

		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		n = strtol(s, &end, 10);
		if ((unit = unit_seconds(*end)) == 0)
			return -1;
		if (errno == ERANGE)
			return -2;
		if (n > WHEN_MAX_BACK / unit || total + n * unit > WHEN_MAX_BACK)
			return -2;
		total += n * unit;
		s = end + 1;
	}
	*secs = total;
	return 0;
}

/* Local midnight of the day holding now, days days later. */
static time_t
midnight(time_t now, int days)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* A local date and time in one of the forms of when.h; -1 if not one. */
static int
parse_date(const char *s, time_t *t)
{
	static const char *const forms[] = {
		"%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S",
		"%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct tm tm, want;
		const char *end;

		memset(&tm, 0, sizeof(tm));
		end = strptime(s, forms[i], &tm);
		if (end == NULL || *end != '\0')
			continue;
		want = tm;
		tm.tm_isdst = -1;
		if ((*t = mktime(&tm)) == (time_t)-1)
			return -1;
		/* mktime() moves 2026-02-31 to March: refuse it instead. */
		if (tm.tm_year != want.tm_year || tm.tm_mon != want.tm_mon ||
		    tm.tm_mday != want.tm_mday || tm.tm_min != want.tm_min)
			return -1;
		return 0;
	}
	return -1;
}

int
when_parse(const char *s, time_t now, time_t *t, char *err, size_t errlen)
{
	long back;
	int rc;

	if (strcmp(s, "now") == 0) {
		*t = now;
		return 0;
	}
	if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
		*t = midnight(now, s[0] == 't' ? 0 : -1);
		return 0;
	}
	if ((rc = parse_duration(s, &back)) == 0) {
		*t = now - back;
		return 0;
	}
	if (rc == -2) {
		snprintf(err, errlen, "'%s' is more than ten years back", s);
		return -1;
	}
	if (parse_date(s, t) == 0)
		return 0;
	snprintf(err, errlen, "'%s' is neither a duration (7d, 36h, 90m) nor "
	    "a date and time (2026-12-01, 2026-12-01 13:00)", s);
	return -1;
}

void
when_minute(time_t t, char *buf, size_t size)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

void
when_rfc3339(time_t t, char *buf, size_t size)
{
	struct tm tm;
	char off[8];
	size_t n;

	localtime_r(&t, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(off, sizeof(off), "%z", &tm);          /* +0100 */
	snprintf(buf + n, size - n, "%.3s:%.2s", off, off + 3);
}

/* s into buf, cut to fit. */
static void
copy(char *buf, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* The zone's name: TZ, or where /etc/localtime points in zoneinfo. */
static void
zone_name(char *buf, size_t size)
{
	const char *tz = getenv("TZ");
	char link[PATH_MAX];
	const char *p;
	ssize_t n;

	if (tz != NULL && *tz != '\0') {
		copy(buf, size, tz[0] == ':' ? tz + 1 : tz);
		return;
	}
	n = readlink("/etc/localtime", link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		p = strstr(link, "zoneinfo/");
		copy(buf, size, p != NULL ? p + 9 : link);
		return;
	}
	copy(buf, size, "local time");
}

void
when_zone(time_t t, char *buf, size_t size)
{
	struct tm tm;
	char name[128], abbr[16], off[8];

	zone_name(name, sizeof(name));
	localtime_r(&t, &tm);
	strftime(abbr, sizeof(abbr), "%Z", &tm);
	strftime(off, sizeof(off), "%z", &tm);
	if (strcmp(name, abbr) == 0)
		snprintf(buf, size, "%s (%s)", name, off);
	else
		snprintf(buf, size, "%s (%s, %s)", name, abbr, off);
}
