/*
 * dbquery.c - the period's queries (see dbquery.h).  The period is
 * [from, to) cut to whole hours, as the database counts; whole UTC days
 * inside it are read from daily, the hours at its ends from hourly.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dbquery.h"

/*
 * The connection rows of the period, as the temporary table t:
 * inside, outside, direction, protocol, port, events, country, asn,
 * nports.  Overflow rows have inside = outside = ''.  The events folded
 * into a scan are rows of their own (port: a horizontal scan's, NULL for
 * a vertical one, whose distinct ports are nports), so that every table
 * counts what the router reported: SUM(hourly.events) plus the scans'
 * suppressed events is the count of hours (docs/STATE.md).  A scan that
 * overlaps the period counts whole.  Made once, a temporary table in
 * memory (the file is not written), which every table's query reads.
 */
#define ROWS_SQL \
    "CREATE TEMP TABLE t AS SELECT inside, outside, direction, protocol, port, events," \
    " country, asn, NULL AS nports FROM hourly WHERE (hour >= :hfrom AND" \
    " hour < :dfrom) OR (hour >= :dto AND hour < :to) UNION ALL" \
    " SELECT inside, outside, direction, protocol, port, events, country," \
    " asn, NULL FROM daily WHERE day >= :dfrom AND day < :dto UNION ALL" \
    " SELECT CASE direction WHEN 'in' THEN target ELSE source END," \
    " CASE direction WHEN 'in' THEN source ELSE target END, direction," \
    " protocol, CASE horizontal WHEN 1 THEN port END, suppressed," \
    " country, asn, CASE horizontal WHEN 0 THEN count END FROM scans" \
    " WHERE first < :to AND last >= :hfrom AND suppressed > 0"

/* The counters that say what linklog lost or dropped (linklog(8)). */
static const char *const lost_names[] = {
	"kernel_drops", "truncated", "malformed", "rate_limited",
	"informs_limited", "forward_limited", "syslog_dropped",
	"output_errors", "state_dropped", "state_overflow",
	"inventory_dropped",
};

struct q {
	sqlite3 *db;
	struct report *r;
	int rc;
};

static void
bind_period(sqlite3_stmt *st, const struct report *r)
{
	sqlite3_int64 hfrom = r->from - r->from % 3600;
	sqlite3_int64 dfrom = (hfrom + 86399) / 86400 * 86400;
	sqlite3_int64 dto = (sqlite3_int64)r->to / 86400 * 86400;
	int i;

	if (dfrom >= dto)
		dfrom = dto = hfrom;    /* no whole day: hourly alone */
	if ((i = sqlite3_bind_parameter_index(st, ":hfrom")) > 0)
		sqlite3_bind_int64(st, i, hfrom);
	if ((i = sqlite3_bind_parameter_index(st, ":dfrom")) > 0)
		sqlite3_bind_int64(st, i, dfrom);
	if ((i = sqlite3_bind_parameter_index(st, ":dto")) > 0)
		sqlite3_bind_int64(st, i, dto);
	if ((i = sqlite3_bind_parameter_index(st, ":from")) > 0)
		sqlite3_bind_int64(st, i, r->from);
	if ((i = sqlite3_bind_parameter_index(st, ":to")) > 0)
		sqlite3_bind_int64(st, i, r->to);
	if ((i = sqlite3_bind_parameter_index(st, ":top")) > 0)
		sqlite3_bind_int(st, i, r->top);
}

/*
 * Run sql (one text parameter :arg when arg is not NULL) and call row() for
 * each row; a failure stays in q->rc and makes later queries no-ops.
 */
static void
run(struct q *q, const char *sql, const char *arg,
    void (*row)(struct q *, sqlite3_stmt *, void *), void *ctx)
{
	sqlite3_stmt *st;
	int rc;

	if (q->rc != SQLITE_OK)
		return;
	if ((q->rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL)) != SQLITE_OK)
		return;
	bind_period(st, q->r);
	if (arg != NULL)
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":arg"),
		    arg, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row(q, st, ctx);
	q->rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	sqlite3_finalize(st);
}

static char *
col_str(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	return rep_strdup((const char *)sqlite3_column_text(st, i));
}

static uint64_t
col_u64(sqlite3_stmt *st, int i)
{
	sqlite3_int64 v = sqlite3_column_int64(st, i);

	return v > 0 ? (uint64_t)v : 0;
}

static void
oom(struct q *q)
{
	q->rc = SQLITE_NOMEM;
}

static void
hour_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	struct rep_hour *h = model_hour(q->r, sqlite3_column_int64(st, 0));

	(void)ctx;
	if (h == NULL)
		return;
	h->inbound = col_u64(st, 1);
	h->outbound = col_u64(st, 2);
	q->r->totals.inbound += h->inbound;
	q->r->totals.outbound += h->outbound;
}

static void
scan_hour_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	struct rep_hour *h = model_hour(q->r, sqlite3_column_int64(st, 0));

	(void)ctx;
	if (h == NULL)
		h = model_hour(q->r, q->r->from);       /* began before */
	if (h != NULL)
		h->scans += col_u64(st, 1);
}

/* One count into the size_t or uint64_t ctx points to. */
static void
count_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	(void)q;
	*(uint64_t *)ctx = col_u64(st, 0);
}

/* The outside hosts of the period, and those of them reaching in. */
static void
outside_count_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	(void)ctx;
	q->r->totals.outside_hosts = col_u64(st, 0);
	q->r->all.outside = (size_t)col_u64(st, 1);
}

static void
lost_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	struct rep_counter *c = ctx;

	(void)q;
	c->value = col_u64(st, 0);
}

static void
timeline(struct q *q)
{
	struct report *r = q->r;

	if (model_hours(r) == -1) {
		oom(q);
		return;
	}
	run(q, "SELECT hour, events_in, events_out FROM hours"
	    " WHERE hour >= :hfrom AND hour < :to", NULL, hour_row, NULL);
	r->totals.events = r->totals.inbound + r->totals.outbound;
	run(q, "SELECT first / 3600 * 3600, COUNT(*) FROM scans"
	    " WHERE first < :to AND last >= :hfrom GROUP BY 1", NULL,
	    scan_hour_row, NULL);
	run(q, "SELECT COUNT(*) FROM scans WHERE first < :to AND"
	    " last >= :hfrom", NULL, count_row, &r->totals.scans);
	run(q, "SELECT COUNT(*) FROM new_hosts WHERE time >= :from AND"
	    " time < :to", NULL, count_row, &r->totals.new_hosts);
	r->all.scans = (size_t)r->totals.scans;
	r->all.new_hosts = (size_t)r->totals.new_hosts;
	run(q, "SELECT COUNT(*), SUM(i) FROM (SELECT MAX(direction = 'in')"
	    " AS i FROM t WHERE outside != '' GROUP BY outside)", NULL,
	    outside_count_row, NULL);
	run(q, "SELECT COUNT(DISTINCT inside) FROM t WHERE inside != ''",
	    NULL, count_row, &r->totals.inside_hosts);
	for (size_t i = 0; i < sizeof(lost_names) / sizeof(lost_names[0]); i++) {
		struct rep_counter *c = REP_PUSH(r->lost);

		if (c == NULL) {
			oom(q);
			return;
		}
		c->name = rep_strdup(lost_names[i]);
		run(q, "SELECT SUM(value) FROM counters WHERE hour >= :hfrom"
		    " AND hour < :to AND name = :arg", lost_names[i], lost_row, c);
	}
}

/* Columns: ip, name, country, asn, as_org, events[, ports, first, last]. */
static void
fill_peer(struct rep_peer *p, sqlite3_stmt *st, int full)
{
	p->ip = col_str(st, 0);
	p->name = col_str(st, 1);
	p->country = col_str(st, 2);
	p->asn = (uint32_t)sqlite3_column_int64(st, 3);
	p->as_org = col_str(st, 4);
	p->events = col_u64(st, 5);
	if (!full)
		return;
	p->ports = col_u64(st, 6);
	p->first = (time_t)sqlite3_column_int64(st, 7);
	p->last = (time_t)sqlite3_column_int64(st, 8);
}

static void
outside_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	struct rep_peer *p = REP_PUSH(q->r->outside);

	(void)ctx;
	if (p == NULL)
		oom(q);
	else
		fill_peer(p, st, 1);
}

/*
 * Outside hosts reaching in: their events in the period (those folded
 * into a scan included), distinct ports tried (at least a scan's), and
 * where they are.
 */
static void
outside(struct q *q)
{
	run(q, "WITH g AS (SELECT outside, SUM(events) AS n,"
	    " MAX(COUNT(DISTINCT port), COALESCE(MAX(nports), 0)) AS ports,"
	    " MAX(country) AS cc, MAX(asn) AS asn FROM t WHERE direction = 'in'"
	    " AND outside != '' GROUP BY outside ORDER BY n DESC, outside"
	    " LIMIT :top) SELECT g.outside, o.name, COALESCE(o.country, g.cc),"
	    " COALESCE(o.asn, g.asn), o.as_org, g.n, g.ports, o.first_seen,"
	    " o.last_seen FROM g LEFT JOIN outside_hosts o ON o.ip = g.outside"
	    " ORDER BY g.n DESC, g.outside", NULL, outside_row, NULL);
}

static void
dest_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	struct rep_host *h = ctx;

	(void)q;
	if (h->ntop < REP_TOP_DESTS)
		fill_peer(&h->top[h->ntop++], st, 0);
}

static void
inside_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	struct rep_host *h = REP_PUSH(q->r->inside);

	(void)ctx;
	if (h == NULL) {
		oom(q);
		return;
	}
	h->ip = col_str(st, 0);
	h->name = col_str(st, 1);
	h->first = (time_t)sqlite3_column_int64(st, 2);
	h->last = (time_t)sqlite3_column_int64(st, 3);
	h->in = col_u64(st, 4);
	h->out = col_u64(st, 5);
	h->dests = col_u64(st, 6);
}

/* An inside host's hourly events, summed by local hour of day. */
static void
host_hour_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	struct rep_host *h = ctx;
	time_t t = (time_t)sqlite3_column_int64(st, 0);
	struct tm tm;

	(void)q;
	localtime_r(&t, &tm);
	h->hours[tm.tm_hour] += col_u64(st, 1);
}

static void
inside(struct q *q)
{
	struct report *r = q->r;

	r->all.inside = (size_t)r->totals.inside_hosts;
	run(q, "WITH g AS (SELECT inside, SUM(CASE direction WHEN 'in' THEN"
	    " events ELSE 0 END) AS i, SUM(CASE direction WHEN 'out' THEN"
	    " events ELSE 0 END) AS o, COUNT(DISTINCT CASE direction WHEN"
	    " 'out' THEN outside END) AS d FROM t WHERE inside != '' GROUP BY"
	    " inside ORDER BY i + o DESC, inside LIMIT :top) SELECT g.inside,"
	    " h.name, h.first_seen, h.last_seen, g.i, g.o, g.d FROM g LEFT JOIN"
	    " inside_hosts h ON h.ip = g.inside ORDER BY g.i + g.o DESC,"
	    " g.inside", NULL, inside_row, NULL);
	for (size_t i = 0; i < r->inside.n; i++)
		run(q, "WITH g AS (SELECT outside, SUM(events) AS n,"
		    " MAX(country) AS cc, MAX(asn) AS asn FROM t WHERE inside = :arg"
		    " AND direction = 'out' AND outside != '' GROUP BY outside"
		    " ORDER BY n DESC, outside LIMIT 3) SELECT g.outside, o.name,"
		    " COALESCE(o.country, g.cc), COALESCE(o.asn, g.asn), o.as_org,"
		    " g.n FROM g LEFT JOIN outside_hosts o ON o.ip = g.outside"
		    " ORDER BY g.n DESC, g.outside", r->inside.v[i].ip, dest_row,
		    &r->inside.v[i]);
	/* The activity map: hourly rows (the daily ones have no hour). */
	for (size_t i = 0; i < r->inside.n; i++)
		run(q, "SELECT hour, SUM(events) FROM hourly WHERE inside = :arg"
		    " AND hour >= :hfrom AND hour < :to GROUP BY hour",
		    r->inside.v[i].ip, host_hour_row, &r->inside.v[i]);
}

/* Every port of a direction, by count: all of them counted, --top kept. */
static void
port_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	int in = ctx == &q->r->ports_in;
	size_t *all = in ? &q->r->all.ports_in : &q->r->all.ports_out;
	struct rep_port *p;

	if ((*all)++ >= (size_t)q->r->top)
		return;
	p = in ? REP_PUSH(q->r->ports_in) : REP_PUSH(q->r->ports_out);
	if (p == NULL) {
		oom(q);
		return;
	}
	p->port = (unsigned)sqlite3_column_int(st, 0);
	snprintf(p->proto, sizeof(p->proto), "%s",
	    (const char *)sqlite3_column_text(st, 1));
	p->events = col_u64(st, 2);
}

static void
ports(struct q *q)
{
	static const char sql[] = "SELECT port, upper(protocol),"
	    " SUM(events) AS n FROM t WHERE direction = :arg AND port >= 0 AND"
	    " protocol != '' GROUP BY port, protocol ORDER BY n DESC, port";

	run(q, sql, "in", port_row, &q->r->ports_in);
	run(q, sql, "out", port_row, &q->r->ports_out);
}

static void
scan_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	struct rep_scan *s = REP_PUSH(q->r->scans);
	char t[64];

	(void)ctx;
	if (s == NULL) {
		oom(q);
		return;
	}
	s->source = col_str(st, 0);
	if (sqlite3_column_int(st, 2)) {        /* horizontal */
		snprintf(t, sizeof(t), "%s%lld hosts, port %d",
		    sqlite3_column_int(st, 7) ? "at least " : "",
		    sqlite3_column_int64(st, 3), sqlite3_column_int(st, 8));
		s->target = rep_strdup(t);
		s->ports = 1;
	} else {
		s->target = col_str(st, 1);
		s->ports = col_u64(st, 3);
	}
	s->events = col_u64(st, 4);
	s->suppressed = col_u64(st, 5);
	s->start = (time_t)sqlite3_column_int64(st, 6);
	s->end = (time_t)sqlite3_column_int64(st, 9);
}

static void
newhost_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	struct rep_newhost *h = REP_PUSH(q->r->new_hosts);
	const char *peer = (const char *)sqlite3_column_text(st, 3);
	char d[80];

	(void)ctx;
	if (h == NULL) {
		oom(q);
		return;
	}
	h->when = (time_t)sqlite3_column_int64(st, 0);
	h->ip = col_str(st, 1);
	h->name = col_str(st, 2);
	if (peer != NULL) {
		snprintf(d, sizeof(d), strchr(peer, ':') ? "[%s]:%d" : "%s:%d",
		    peer, sqlite3_column_int(st, 4));
		h->first_dest = rep_strdup(d);
	}
	h->notice = sqlite3_column_int(st, 5);
}

static void
no_row(struct q *q, sqlite3_stmt *st, void *ctx)
{
	(void)q;
	(void)st;
	(void)ctx;
}

int
dbquery_all(sqlite3 *db, struct report *r)
{
	struct q q = { db, r, SQLITE_OK };

	run(&q, "PRAGMA temp_store = FILE", NULL, no_row, NULL);
	run(&q, ROWS_SQL, NULL, no_row, NULL);
	/* Each listed inside host's top destinations: one look-up each. */
	run(&q, "CREATE INDEX temp.t_inside ON t (inside, direction)", NULL,
	    no_row, NULL);
	timeline(&q);
	outside(&q);
	inside(&q);
	ports(&q);
	run(&q, "SELECT source, target, horizontal, count, events, suppressed,"
	    " first, at_least, port, last FROM scans WHERE first < :to AND"
	    " last >= :hfrom ORDER BY events DESC, first LIMIT :top", NULL,
	    scan_row, NULL);
	run(&q, "SELECT time, ip, name, peer, peer_port, written FROM new_hosts"
	    " WHERE time >= :from AND time < :to ORDER BY time, ip LIMIT :top",
	    NULL, newhost_row, NULL);
	return q.rc;
}
