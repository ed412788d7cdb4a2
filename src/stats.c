/*
 * stats.c - the statistics line from a flat table of names and pointers;
 * nothing here knows a module.
 */
#include <stdio.h>
#include <string.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "stats.h"

int
stats_add(struct stats *s, const char *name, const uint64_t *value,
    const int *shown)
{
	if (s->n == STATS_MAX)
		return -1;
	s->rows[s->n++] = (struct stats_row){ name, value, shown };
	return 0;
}

void
stats_format(const struct stats *s, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		const struct stats_row *r = &s->rows[i];
		int n;
		if (r->shown != NULL && !*r->shown)
			continue;
		n = snprintf(buf + used, size - used, "%s%s=%llu",
		    used ? " " : "", r->name,
		    (unsigned long long)(r->value ? *r->value : 0));
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

void
stats_status(const struct stats *s, uint64_t now, uint64_t *last)
{
#ifdef HAVE_SYSTEMD
	char line[2124];

	if (now - *last < STATS_STATUS_INTERVAL_MS)
		return;
	*last = now;
	memcpy(line, "STATUS=", 7);
	stats_format(s, line + 7, sizeof(line) - 7);
	sd_notify(0, line);
#else
	(void)s;
	(void)now;
	(void)last;
#endif
}
