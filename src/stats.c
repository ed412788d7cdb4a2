/*
 * stats.c - the table of counters, and the statistics line it drives.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "log.h"
#include "stats.h"

enum stats_source { FROM_RECEIVE, FROM_PIPELINE, FROM_DAEMON };

struct counter {
	const char *name;               /* in the statistics line */
	enum stats_source source;
	size_t offset;                  /* of a uint64_t in the source */
	int only;                       /* shown once a resolver has run
	                                 * (ONLY_DNS) or a geoip database
	                                 * was loaded (ONLY_GEO); or always */
};

enum { ONLY_DNS = 1, ONLY_GEO = 2 };

#define RECEIVE(f) FROM_RECEIVE, offsetof(struct receive_stats, f)
#define PIPELINE(f) FROM_PIPELINE, offsetof(struct pipeline_stats, f)
#define DAEMON(f) FROM_DAEMON, offsetof(struct daemon_counters, f)

/*
 * Every counter, in the order of the line.  To add one: count it in its
 * module's statistics struct (a uint64_t), then add a row here naming
 * it and the field; ONLY_DNS for a counter of name resolution (1 in
 * the rows), ONLY_GEO for one of the geoip databases.  Then
 * document it in linklog(8) (STATISTICS) and, if it means loss, in the
 * logwatch script (debian/logwatch/scripts/linklog).
 */
static const struct counter counters[] = {
	{ "received", RECEIVE(datagrams), 0 },
	{ "kernel_drops", RECEIVE(kernel_drops), 0 },
	{ "truncated", RECEIVE(truncated), 0 },
	{ "rejected_sender", DAEMON(access.rejected_sender), 0 },
	{ "rejected_community", DAEMON(access.rejected_community), 0 },
	{ "rate_limited", DAEMON(access.rate_limited), 0 },
	{ "decoded", PIPELINE(decoded), 0 },
	{ "malformed", PIPELINE(malformed), 0 },
	{ "unsupported", PIPELINE(unsupported), 0 },
	{ "unparsed", PIPELINE(strings.unparsed), 0 },
	{ "unparsed_messages", PIPELINE(strings.unparsed_messages), 0 },
	{ "binary_strings", PIPELINE(strings.binary_strings), 0 },
	{ "informs", PIPELINE(inform.informs), 0 },
	{ "informs_limited", PIPELINE(inform.informs_limited), 0 },
	{ "inform_repeats", PIPELINE(inform.inform_repeats), 0 },
	{ "responses", PIPELINE(inform.responses), 0 },
	{ "response_errors", PIPELINE(inform.response_errors), 0 },
	{ "events", PIPELINE(events), 0 },
	{ "emitted", PIPELINE(emitted), 0 },
	{ "filtered", PIPELINE(filtered), 0 },
	{ "forwarded", PIPELINE(forwarded), 0 },
	{ "forward_limited", DAEMON(access.forward_limited), 0 },
	{ "scan_suppressed", PIPELINE(scan_suppressed), 0 },
	{ "scan_annotated", PIPELINE(scan_annotated), 0 },
	{ "scans", PIPELINE(scans), 0 },
	{ "scan_summaries", PIPELINE(scan_summaries), 0 },
	{ "scan_evictions", PIPELINE(scan_evictions), 0 },
	{ "scanner_evictions", PIPELINE(scanner_evictions), 0 },
	{ "repeats_suppressed", PIPELINE(repeats_suppressed), 0 },
	{ "repeats", PIPELINE(repeats), 0 },
	{ "repeat_evictions", PIPELINE(repeat_evictions), 0 },
	{ "written_stdout", DAEMON(written_stdout), 0 },
	{ "written_file", DAEMON(written_file), 0 },
	{ "written_syslog", DAEMON(written_syslog), 0 },
	{ "syslog_queued", DAEMON(syslog_queued), 0 },
	{ "syslog_dropped", DAEMON(syslog_dropped), 0 },
	{ "output_errors", DAEMON(output_errors), 0 },
	{ "dns_sent", DAEMON(dns.sent), 1 },
	{ "dns_answered", DAEMON(dns.answered), 1 },
	{ "dns_failed", DAEMON(dns.failed), 1 },
	{ "dns_timed_out", DAEMON(dns.timed_out), 1 },
	{ "dns_cache_hits", DAEMON(dns.cache_hits), 1 },
	{ "dns_over_limit", DAEMON(dns.over_limit), 1 },
	{ "unresolved", PIPELINE(unresolved), 1 },
	{ "waited_out", PIPELINE(waited_out), 1 },
	{ "geoip_lookups", DAEMON(geo.lookups), ONLY_GEO },
	{ "geoip_cache_hits", DAEMON(geo.cache_hits), ONLY_GEO },
	{ "geoip_errors", DAEMON(geo.errors), ONLY_GEO },
};

static uint64_t
value_of(const struct stats_sources *s, const struct counter *c)
{
	const void *base = c->source == FROM_RECEIVE ? (const void *)s->receive :
	    c->source == FROM_PIPELINE ? (const void *)s->pipeline :
	    (const void *)s->daemon;
	uint64_t v;

	if (base == NULL)
		return 0;
	memcpy(&v, (const char *)base + c->offset, sizeof(v));
	return v;
}

void
stats_format(const struct stats_sources *s, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		int n;
		if (counters[i].only && (s->daemon == NULL ||
		    (counters[i].only == ONLY_DNS && !s->daemon->dns_used) ||
		    (counters[i].only == ONLY_GEO && !s->daemon->geo_used)))
			continue;
		n = snprintf(buf + used, size - used, "%s%s=%llu",
		    used ? " " : "", counters[i].name,
		    (unsigned long long)value_of(s, &counters[i]));
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

void
stats_log(const struct stats_sources *s)
{
	char line[2048];

	stats_format(s, line, sizeof(line));
	log_msg(LOG_INFO, "statistics: %s", line);
}

void
stats_status(const struct stats_sources *s, uint64_t now, uint64_t *last)
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
