/*
 * counters.c - the table of linklog's counters: the name of each in the
 * statistics line, in its order, and where it is counted.
 */
#include <stddef.h>

#include "counters.h"

enum source { FROM_RECEIVE, FROM_PIPELINE, FROM_DAEMON };
enum { ONLY_DNS = 1, ONLY_GEO = 2, ONLY_STATE = 3 };

#define RECEIVE(f) FROM_RECEIVE, offsetof(struct receive_stats, f)
#define PIPELINE(f) FROM_PIPELINE, offsetof(struct pipeline_stats, f)
#define OWN(f) FROM_DAEMON, offsetof(struct counters, f)

/*
 * Every counter, in the order of the line.  To add one: count it in its
 * module's statistics struct (a uint64_t; for a part rebuilt at a reload,
 * one the daemon hands it in struct counters), then add a row here
 * naming it and the field; ONLY_DNS for a counter of name resolution,
 * ONLY_GEO for one of the geoip databases (shown once one was used),
 * ONLY_STATE for the state database's (shown while it is open).
 * Then document it in linklog(8) (STATISTICS) and, if it means loss, in
 * the logwatch script (debian/logwatch/scripts/linklog).
 */
static const struct {
	const char *name;
	enum source from;
	size_t offset;                  /* of a uint64_t in the source */
	int only;
} rows[] = {
	{ "received", RECEIVE(datagrams), 0 },
	{ "kernel_drops", RECEIVE(kernel_drops), 0 },
	{ "truncated", RECEIVE(truncated), 0 },
	{ "rejected_sender", OWN(access.rejected_sender), 0 },
	{ "rejected_community", OWN(access.rejected_community), 0 },
	{ "rate_limited", OWN(access.rate_limited), 0 },
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
	{ "forward_limited", OWN(access.forward_limited), 0 },
	{ "scan_suppressed", PIPELINE(scan.suppressed), 0 },
	{ "scan_annotated", PIPELINE(scan.annotated), 0 },
	{ "scans", PIPELINE(scan.scans), 0 },
	{ "scan_summaries", PIPELINE(scan.summaries), 0 },
	{ "scan_evictions", PIPELINE(scan.evictions), 0 },
	{ "scanner_evictions", PIPELINE(scan.scanner_evictions), 0 },
	{ "repeats_suppressed", PIPELINE(repeat.suppressed), 0 },
	{ "repeats", PIPELINE(repeat.repeats), 0 },
	{ "repeat_evictions", PIPELINE(repeat.evictions), 0 },
	{ "written_stdout", OWN(written_stdout), 0 },
	{ "written_file", OWN(written_file), 0 },
	{ "written_syslog", OWN(syslog.written), 0 },
	{ "syslog_queued", OWN(syslog.queued), 0 },
	{ "syslog_dropped", OWN(syslog.dropped), 0 },
	{ "output_errors", OWN(output_errors), 0 },
	{ "dns_sent", OWN(dns.sent), ONLY_DNS },
	{ "dns_answered", OWN(dns.answered), ONLY_DNS },
	{ "dns_failed", OWN(dns.failed), ONLY_DNS },
	{ "dns_timed_out", OWN(dns.timed_out), ONLY_DNS },
	{ "dns_cache_hits", OWN(dns.cache_hits), ONLY_DNS },
	{ "dns_over_limit", OWN(dns.over_limit), ONLY_DNS },
	{ "unresolved", PIPELINE(unresolved), ONLY_DNS },
	{ "waited_out", PIPELINE(waited_out), ONLY_DNS },
	{ "geoip_lookups", OWN(geo.lookups), ONLY_GEO },
	{ "geoip_cache_hits", OWN(geo.cache_hits), ONLY_GEO },
	{ "geoip_errors", OWN(geo.errors), ONLY_GEO },
	{ "state_flushes", OWN(state.flushes), ONLY_STATE },
	{ "state_errors", OWN(state.errors), ONLY_STATE },
	{ "state_overflow", OWN(state.overflow), ONLY_STATE },
	{ "state_dropped", OWN(state.dropped), ONLY_STATE },
	{ "inventory_dropped", OWN(state.hosts_dropped), ONLY_STATE },
	{ "new_hosts", OWN(state.new_hosts), ONLY_STATE },
};

int
counters_rows(struct counters *c, const struct receive_stats *rx,
    const struct pipeline_stats *p, struct stats *s)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *base = rows[i].from == FROM_RECEIVE ?
		    (const char *)rx : rows[i].from == FROM_PIPELINE ?
		    (const char *)p : (const char *)c;
		const int *shown = rows[i].only == ONLY_DNS ? &c->dns_used :
		    rows[i].only == ONLY_GEO ? &c->geo_used :
		    rows[i].only == ONLY_STATE ? &c->state_used : NULL;
		if (stats_add(s, rows[i].name, base == NULL ? NULL :
		    (const uint64_t *)(const void *)(base + rows[i].offset),
		    shown) < 0)
			return -1;
	}
	return 0;
}
