/*
 * text.c - the report in 80 columns, for a terminal or a mail: the totals,
 * a bar per hour (per day for periods longer than two days), and the
 * tables cut to their columns.  Every string goes through esc_text().
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "esc.h"
#include "when.h"
#include "writers.h"

#define BAR_WIDTH 44

/* A space, then s in exactly width columns (last: no padding). */
static void
cell(FILE *f, const char *s, size_t width)
{
	size_t n;

	putc(' ', f);
	n = esc_text(f, s, width);
	fprintf(f, "%*s", (int)(width - n), "");
}

static void
cell_last(FILE *f, const char *s, size_t width)
{
	putc(' ', f);
	esc_text(f, s, width);
}

static void
cell_u64(FILE *f, uint64_t v, int width)
{
	fprintf(f, " %*" PRIu64, width, v);
}

static void
cell_time(FILE *f, time_t t)
{
	char buf[24];

	when_minute(t, buf, sizeof(buf));
	fprintf(f, " %s", buf + 5);     /* "12-01 13:00" */
}

static void
title(FILE *f, const char *t, size_t shown, size_t all)
{
	fprintf(f, "\n%s", t);
	if (shown < all)
		fprintf(f, " (top %zu of %zu)", shown, all);
	fputs("\n", f);
}

static void
head(FILE *f, const struct report *r)
{
	char from[24], to[24], zone[160];

	when_minute(r->from, from, sizeof(from));
	when_minute(r->to, to, sizeof(to));
	when_zone(r->from, zone, sizeof(zone));
	fprintf(f, "linklog report: %s to %s\ntimes in ", from, to);
	esc_text(f, zone, 60);
	fputs("; database ", f);
	esc_text(f, r->source, 50);
	fputs("\n", f);
	if (model_empty(r)) {
		fputs("\nNo connection events, scans or new hosts in this "
		    "period.\n", f);
		return;
	}
	fprintf(f, "\nTotals\n  events %" PRIu64 " (in %" PRIu64 ", out %"
	    PRIu64 "), scans %" PRIu64 ", new hosts %" PRIu64 "\n"
	    "  outside hosts %" PRIu64 ", inside hosts %" PRIu64 "\n",
	    r->totals.events, r->totals.inbound, r->totals.outbound,
	    r->totals.scans, r->totals.new_hosts, r->totals.outside_hosts,
	    r->totals.inside_hosts);
}

static void
lost(FILE *f, const struct report *r)
{
	size_t col = 8;
	int any = 0;

	fputs("  lost:", f);
	for (size_t i = 0; i < r->lost.n; i++) {
		char v[24];

		if (r->lost.v[i].value == 0)
			continue;
		snprintf(v, sizeof(v), "=%" PRIu64, r->lost.v[i].value);
		if (col + strlen(r->lost.v[i].name) + strlen(v) > 78) {
			fputs("\n       ", f);
			col = 8;
		}
		putc(' ', f);
		col += esc_text(f, r->lost.v[i].name, 40) + strlen(v) + 1;
		fputs(v, f);
		any = 1;
	}
	fputs(any ? "\n" : " nothing lost or dropped\n", f);
}

/* One bar: label, inbound '#' then outbound '+', counts, '!' for scans. */
static void
bar(FILE *f, const char *label, const struct rep_hour *h, uint64_t max)
{
	size_t in = max ? (size_t)(h->inbound * BAR_WIDTH / max) : 0;
	size_t out = max ? (size_t)(h->outbound * BAR_WIDTH / max) : 0;

	fprintf(f, "  %s %c ", label, h->scans ? '!' : ' ');
	for (size_t i = 0; i < in + out; i++)
		putc(i < in ? '#' : '+', f);
	fprintf(f, "%*s %" PRIu64 "/%" PRIu64 "\n", (int)(BAR_WIDTH - in - out),
	    "", h->inbound, h->outbound);
}

static void
timeline(FILE *f, const struct report *r)
{
	int daily = r->timeline.n > 48;
	struct rep_hour sum[400];
	size_t n = 0;
	uint64_t max = 0;
	char label[24], prev[24] = "";

	for (size_t i = 0; i < r->timeline.n && n < 400; i++) {
		const struct rep_hour *h = &r->timeline.v[i];

		when_minute(h->hour, label, sizeof(label));
		if (!daily || n == 0 || strncmp(label, prev, 10) != 0)
			sum[n++] = (struct rep_hour){ h->hour, 0, 0, 0 };
		strcpy(prev, label);
		sum[n - 1].inbound += h->inbound;
		sum[n - 1].outbound += h->outbound;
		sum[n - 1].scans += h->scans;
	}
	for (size_t i = 0; i < n; i++)
		if (sum[i].inbound + sum[i].outbound > max)
			max = sum[i].inbound + sum[i].outbound;
	fprintf(f, "\nEvents per %s (# in, + out, ! scans; in/out)\n",
	    daily ? "day" : "hour");
	for (size_t i = 0; i < n; i++) {
		when_minute(sum[i].hour, label, sizeof(label));
		label[daily ? 10 : 16] = '\0';
		bar(f, daily ? label : label + 5, &sum[i], max);
	}
}

static void
outside(FILE *f, const struct report *r)
{
	size_t n = REP_ROWS(r, r->outside);

	title(f, "Outside hosts", n, r->all.outside);
	fputs("  address         name                cc AS       events "
	    "ports last seen\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct rep_peer *p = &r->outside.v[i];
		char as[16] = "-";

		if (p->asn)
			snprintf(as, sizeof(as), "%" PRIu32, p->asn);
		putc(' ', f);
		cell(f, p->ip, 15);
		cell(f, p->name, 19);
		cell(f, p->country, 2);
		cell(f, as, 8);
		cell_u64(f, p->events, 6);
		cell_u64(f, p->ports, 5);
		cell_time(f, p->last);
		fputs("\n", f);
	}
}

static void
inside(FILE *f, const struct report *r)
{
	size_t n = REP_ROWS(r, r->inside);

	title(f, "Inside hosts", n, r->all.inside);
	fputs("  address         name                   in    out dests "
	    "first seen  last seen\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct rep_host *h = &r->inside.v[i];

		putc(' ', f);
		cell(f, h->ip, 15);
		cell(f, h->name, 18);
		cell_u64(f, h->in, 6);
		cell_u64(f, h->out, 6);
		cell_u64(f, h->dests, 5);
		cell_time(f, h->first);
		cell_time(f, h->last);
		fputs("\n", f);
		for (size_t j = 0; j < h->ntop; j++) {
			fputs("      to", f);
			cell(f, h->top[j].ip, 15);
			cell(f, h->top[j].name, 25);
			cell(f, h->top[j].country, 2);
			cell(f, h->top[j].as_org, 14);
			cell_u64(f, h->top[j].events, 6);
			fputs("\n", f);
		}
	}
}

static void
ports(FILE *f, const struct report *r, const char *t, size_t all,
    const struct rep_port *v)
{
	size_t n = all < (size_t)r->top ? all : (size_t)r->top;

	title(f, t, n, all);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %5u/%-3s %10" PRIu64 "\n", v[i].port, v[i].proto,
		    v[i].events);
}

static void
scans(FILE *f, const struct report *r)
{
	size_t n = REP_ROWS(r, r->scans);

	title(f, "Port scans", n, r->all.scans);
	fputs("  source          target          ports events suppr. "
	    "start       end\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct rep_scan *s = &r->scans.v[i];

		putc(' ', f);
		cell(f, s->source, 15);
		cell(f, s->target, 15);
		cell_u64(f, s->ports, 5);
		cell_u64(f, s->events, 6);
		cell_u64(f, s->suppressed, 6);
		cell_time(f, s->start);
		cell_time(f, s->end);
		fputs("\n", f);
	}
}

static void
new_hosts(FILE *f, const struct report *r)
{
	size_t n = REP_ROWS(r, r->new_hosts);

	title(f, "New hosts", n, r->all.new_hosts);
	for (size_t i = 0; i < n; i++) {
		const struct rep_newhost *h = &r->new_hosts.v[i];

		putc(' ', f);
		cell_time(f, h->when);
		cell(f, h->ip, 15);
		cell(f, h->name, 24);
		fputs(" to", f);
		cell_last(f, h->first_dest, 21);
		fputs("\n", f);
	}
}

int
write_text(FILE *f, const struct report *r)
{
	head(f, r);
	if (!model_empty(r)) {
		lost(f, r);
		timeline(f, r);
		new_hosts(f, r);
		scans(f, r);
		outside(f, r);
		inside(f, r);
		ports(f, r, "Ports inbound", r->all.ports_in, r->ports_in.v);
		ports(f, r, "Ports outbound", r->all.ports_out, r->ports_out.v);
	}
	return ferror(f) ? -1 : 0;
}
