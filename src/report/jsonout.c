/*
 * jsonout.c - the report as one JSON object (linklog-report(1), JSON
 * FORMAT): the period, the totals, the timeline and the tables.  Written
 * by hand, every string through esc_json(); times as RFC 3339 local time.
 */
#include <inttypes.h>
#include <stdio.h>

#include "esc.h"
#include "when.h"
#include "writers.h"

static void
key_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, "\"%s\":", key);
	esc_json(f, v);
}

static void
key_time(FILE *f, const char *key, time_t t)
{
	char buf[40];

	when_rfc3339(t, buf, sizeof(buf));
	fprintf(f, "\"%s\":\"%s\"", key, buf);
}

static void
key_u64(FILE *f, const char *key, uint64_t v)
{
	fprintf(f, "\"%s\":%" PRIu64, key, v);
}

static void
head(FILE *f, const struct report *r)
{
	char zone[160];

	when_zone(r->from, zone, sizeof(zone));
	fputs("{\"period\":{", f);
	key_time(f, "from", r->from);
	putc(',', f);
	key_time(f, "to", r->to);
	putc(',', f);
	key_str(f, "zone", zone);
	fprintf(f, "},\"empty\":%s,\"totals\":{", model_empty(r) ? "true" : "false");
	key_u64(f, "events", r->totals.events);
	fputs(",", f);
	key_u64(f, "inbound", r->totals.inbound);
	fputs(",", f);
	key_u64(f, "outbound", r->totals.outbound);
	fputs(",", f);
	key_u64(f, "scans", r->totals.scans);
	fputs(",", f);
	key_u64(f, "new_hosts", r->totals.new_hosts);
	fputs(",", f);
	key_u64(f, "outside_hosts", r->totals.outside_hosts);
	fputs(",", f);
	key_u64(f, "inside_hosts", r->totals.inside_hosts);
	fputs("},\"lost\":{", f);
	for (size_t i = 0; i < r->lost.n; i++) {
		fputs(i ? "," : "", f);
		esc_json(f, r->lost.v[i].name);
		fprintf(f, ":%" PRIu64, r->lost.v[i].value);
	}
	fputs("}", f);
}

static void
timeline(FILE *f, const struct report *r)
{
	fputs(",\"timeline\":[", f);
	for (size_t i = 0; i < r->timeline.n; i++) {
		const struct rep_hour *h = &r->timeline.v[i];

		fputs(i ? ",{" : "{", f);
		key_time(f, "hour", h->hour);
		fprintf(f, ",\"inbound\":%" PRIu64 ",\"outbound\":%" PRIu64
		    ",\"scans\":%" PRIu64 "}", h->inbound, h->outbound, h->scans);
	}
	fputs("]", f);
}

/* An outside host's fields, without braces; long: the report's table. */
static void
peer(FILE *f, const struct rep_peer *p, int full)
{
	key_str(f, "ip", p->ip);
	putc(',', f);
	key_str(f, "name", p->name);
	putc(',', f);
	key_str(f, "country", p->country);
	fputs(",\"asn\":", f);
	if (p->asn != 0)
		fprintf(f, "%" PRIu32, p->asn);
	else
		fputs("null", f);
	putc(',', f);
	key_str(f, "as_org", p->as_org);
	putc(',', f);
	key_u64(f, "events", p->events);
	if (!full)
		return;
	putc(',', f);
	key_u64(f, "ports", p->ports);
	putc(',', f);
	key_time(f, "first_seen", p->first);
	putc(',', f);
	key_time(f, "last_seen", p->last);
}

static void
outside(FILE *f, const struct report *r)
{
	fputs(",\"outside_hosts\":[", f);
	for (size_t i = 0; i < REP_ROWS(r, r->outside); i++) {
		fputs(i ? ",{" : "{", f);
		peer(f, &r->outside.v[i], 1);
		putc('}', f);
	}
	fputs("]", f);
}

static void
inside(FILE *f, const struct report *r)
{
	fputs(",\"inside_hosts\":[", f);
	for (size_t i = 0; i < REP_ROWS(r, r->inside); i++) {
		const struct rep_host *h = &r->inside.v[i];

		fputs(i ? ",{" : "{", f);
		key_str(f, "ip", h->ip);
		putc(',', f);
		key_str(f, "name", h->name);
		putc(',', f);
		key_time(f, "first_seen", h->first);
		putc(',', f);
		key_time(f, "last_seen", h->last);
		fprintf(f, ",\"events\":%" PRIu64 ",\"inbound\":%" PRIu64
		    ",\"outbound\":%" PRIu64 ",\"destinations\":%" PRIu64
		    ",\"top_destinations\":[", h->in + h->out, h->in, h->out,
		    h->dests);
		for (size_t j = 0; j < h->ntop; j++) {
			fputs(j ? ",{" : "{", f);
			peer(f, &h->top[j], 0);
			putc('}', f);
		}
		fputs("],\"hours\":[", f);
		for (int k = 0; k < 24; k++)
			fprintf(f, "%s%" PRIu64, k ? "," : "", h->hours[k]);
		fputs("]}", f);
	}
	fputs("]", f);
}

static void
ports(FILE *f, const struct report *r, const char *key, size_t n,
    const struct rep_port *v)
{
	fprintf(f, ",\"%s\":[", key);
	for (size_t i = 0; i < n && i < (size_t)r->top; i++)
		fprintf(f, "%s{\"port\":%u,\"protocol\":\"%s\",\"events\":%"
		    PRIu64 "}", i ? "," : "", v[i].port, v[i].proto,
		    v[i].events);
	fputs("]", f);
}

static void
scans(FILE *f, const struct report *r)
{
	fputs(",\"scans\":[", f);
	for (size_t i = 0; i < REP_ROWS(r, r->scans); i++) {
		const struct rep_scan *s = &r->scans.v[i];

		fputs(i ? ",{" : "{", f);
		key_str(f, "source", s->source);
		putc(',', f);
		key_str(f, "target", s->target);
		fprintf(f, ",\"ports\":%" PRIu64 ",\"events\":%" PRIu64
		    ",\"suppressed\":%" PRIu64 ",", s->ports, s->events,
		    s->suppressed);
		key_time(f, "start", s->start);
		putc(',', f);
		key_time(f, "end", s->end);
		putc('}', f);
	}
	fputs("]", f);
}

static void
new_hosts(FILE *f, const struct report *r)
{
	fputs(",\"new_hosts\":[", f);
	for (size_t i = 0; i < REP_ROWS(r, r->new_hosts); i++) {
		const struct rep_newhost *h = &r->new_hosts.v[i];

		fputs(i ? ",{" : "{", f);
		key_str(f, "ip", h->ip);
		putc(',', f);
		key_str(f, "name", h->name);
		putc(',', f);
		key_time(f, "first_seen", h->when);
		putc(',', f);
		key_str(f, "first_destination", h->first_dest);
		fprintf(f, ",\"notice\":%s}", h->notice ? "true" : "false");
	}
	fputs("]", f);
}

int
write_json(FILE *f, const struct report *r)
{
	head(f, r);
	timeline(f, r);
	outside(f, r);
	inside(f, r);
	ports(f, r, "ports_in", r->ports_in.n, r->ports_in.v);
	ports(f, r, "ports_out", r->ports_out.n, r->ports_out.v);
	scans(f, r);
	new_hosts(f, r);
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}
