/*
 * html.c - the report as one HTML page that works opened from disk,
 * offline: CSS inline, charts inline SVG (chart.c), no script, and a
 * Content-Security-Policy that forbids loading anything (default-src
 * 'none'; inline style is allowed, since the page carries its own CSS and
 * nothing can be loaded through it).  Every string from the database
 * goes through esc_html().  Elements carry ids (totals, tables) that the
 * browser test reads.
 */
#include <inttypes.h>
#include <stdio.h>

#include "chart.h"
#include "esc.h"
#include "when.h"
#include "writers.h"

#define CSP "default-src 'none'; style-src 'unsafe-inline'; " \
    "base-uri 'none'; form-action 'none'"

static const char css[] =
    ":root{color-scheme:light dark;--fg:#1a202c;--bg:#fff;--mute:#666;"
    "--line:#ddd;--head:#f3f4f6}"
    "@media(prefers-color-scheme:dark){:root{--fg:#e2e8f0;--bg:#16181d;"
    "--mute:#9aa;--line:#333;--head:#23262d}}"
    "body{font:15px/1.4 system-ui,sans-serif;color:var(--fg);"
    "background:var(--bg);margin:0 auto;padding:0 12px 24px;max-width:1100px}"
    "h1{font-size:1.4em;margin:16px 0 4px}h2{font-size:1.1em;margin:24px 0 6px}"
    ".meta,.note{color:var(--mute)}"
    ".cards{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}"
    ".card{border:1px solid var(--line);border-radius:6px;padding:6px 10px;"
    "min-width:7em}.card b{display:block;font-size:1.3em}"
    ".wrap{overflow-x:auto}table{border-collapse:collapse;width:100%}"
    "th,td{padding:3px 8px;border-bottom:1px solid var(--line);"
    "text-align:left;white-space:nowrap}th{background:var(--head)}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    "td.name{white-space:normal;word-break:break-all;max-width:22em}"
    "svg{width:100%;height:auto;display:block}svg .ax{font-size:10px;"
    "fill:var(--mute)}.legend i{display:inline-block;width:10px;height:10px;"
    "margin:0 4px 0 10px}.ci{background:#2b6cb0}.co{background:#dd8a1a}"
    ".cs{background:#c53030}"
    "@media print{body{max-width:none;font-size:11px}.wrap{overflow:visible}"
    "section{break-inside:avoid}a{color:inherit}}";

static void
page_head(FILE *f, const struct report *r)
{
	char from[24], to[24], zone[160];

	when_minute(r->from, from, sizeof(from));
	when_minute(r->to, to, sizeof(to));
	when_zone(r->from, zone, sizeof(zone));
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset="
	    "\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"%s\">\n<meta name=\"viewport\" content=\"width="
	    "device-width,initial-scale=1\">\n<meta name=\"referrer\" "
	    "content=\"no-referrer\">\n<title>linklog report %s to %s"
	    "</title>\n<style>%s</style></head>\n<body>\n", CSP, from, to, css);
	fprintf(f, "<header><h1>linklog report</h1><p class=\"meta\" "
	    "id=\"period\">%s to %s, times in ", from, to);
	esc_html(f, zone);
	fputs("; database <code>", f);
	esc_html(f, r->source);
	fputs("</code></p></header>\n", f);
}

static void
card(FILE *f, const char *id, const char *label, uint64_t v)
{
	fprintf(f, "<div class=\"card\"><b id=\"total-%s\">%" PRIu64 "</b>%s"
	    "</div>", id, v, label);
}

static void
totals(FILE *f, const struct report *r)
{
	int any = 0;

	fputs("<section id=\"totals\"><h2>Totals</h2><div class=\"cards\">", f);
	card(f, "events", "events", r->totals.events);
	card(f, "inbound", "inbound", r->totals.inbound);
	card(f, "outbound", "outbound", r->totals.outbound);
	card(f, "outside_hosts", "outside hosts", r->totals.outside_hosts);
	card(f, "inside_hosts", "inside hosts", r->totals.inside_hosts);
	card(f, "scans", "scans", r->totals.scans);
	card(f, "new_hosts", "new hosts", r->totals.new_hosts);
	fputs("</div><p class=\"note\" id=\"lost\">Lost or dropped by linklog:", f);
	for (size_t i = 0; i < r->lost.n; i++) {
		if (r->lost.v[i].value == 0)
			continue;
		fputs(any ? ", " : " ", f);
		esc_html(f, r->lost.v[i].name);
		fprintf(f, " %" PRIu64, r->lost.v[i].value);
		any = 1;
	}
	fputs(any ? ".</p></section>\n" : " nothing.</p></section>\n", f);
}

static void
charts(FILE *f, const struct report *r)
{
	fputs("<section><h2>Events per hour</h2><p class=\"legend note\">"
	    "<i class=\"ci\"></i>inbound<i class=\"co\"></i>outbound"
	    "<i class=\"cs\"></i>scan"
	    "</p>", f);
	chart_timeline(f, r);
	fputs("</section>\n<section><h2>Activity by hour of day</h2>", f);
	chart_heatmap(f, r);
	fputs("</section>\n", f);
}

/* A table's start: its id, title, how many rows of how many, heads. */
static void
table_head(FILE *f, const char *id, const char *t, size_t shown, size_t all,
    const char *heads)
{
	fprintf(f, "<section><h2>%s</h2>", t);
	if (shown < all)
		fprintf(f, "<p class=\"note\">The top %zu of %zu, by events.</p>",
		    shown, all);
	if (all == 0)
		fputs("<p class=\"note\">None in this period.</p>", f);
	fprintf(f, "<div class=\"wrap\"><table id=\"%s\"><thead><tr>%s</tr>"
	    "</thead><tbody>\n", id, heads);
}

static void
td(FILE *f, const char *cls, const char *s)
{
	fprintf(f, "<td%s>", cls);
	esc_html(f, s);
	fputs("</td>", f);
}

static void
td_n(FILE *f, uint64_t v)
{
	fprintf(f, "<td class=\"n\">%" PRIu64 "</td>", v);
}

static void
td_time(FILE *f, time_t t)
{
	char buf[24];

	when_minute(t, buf, sizeof(buf));
	fprintf(f, "<td>%s</td>", buf);
}

static void
td_as(FILE *f, const struct rep_peer *p)
{
	fputs("<td class=\"name\">", f);
	if (p->asn)
		fprintf(f, "AS%" PRIu32 " ", p->asn);
	esc_html(f, p->as_org);
	fputs("</td>", f);
}

static void
outside(FILE *f, const struct report *r)
{
	size_t n = REP_ROWS(r, r->outside);

	table_head(f, "outside-hosts", "Outside hosts", n, r->all.outside,
	    "<th>address</th><th>name</th><th>country</th><th>AS</th>"
	    "<th class=\"n\">events</th><th class=\"n\">ports</th>"
	    "<th>first seen</th><th>last seen</th>");
	for (size_t i = 0; i < n; i++) {
		const struct rep_peer *p = &r->outside.v[i];

		fputs("<tr>", f);
		td(f, "", p->ip);
		td(f, " class=\"name\"", p->name);
		td(f, "", p->country);
		td_as(f, p);
		td_n(f, p->events);
		td_n(f, p->ports);
		td_time(f, p->first);
		td_time(f, p->last);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div></section>\n", f);
}

static void
top_dests(FILE *f, const struct rep_host *h)
{
	fputs("<td class=\"name\">", f);
	for (size_t j = 0; j < h->ntop; j++) {
		const struct rep_peer *p = &h->top[j];

		fputs(j ? "<br>" : "", f);
		esc_html(f, p->name != NULL ? p->name : p->ip);
		if (p->country != NULL || p->as_org != NULL) {
			fputs(" (", f);
			esc_html(f, p->country);
			fputs(p->country != NULL && p->as_org != NULL ? ", " : "", f);
			esc_html(f, p->as_org);
			fputs(")", f);
		}
		fprintf(f, " %" PRIu64, p->events);
	}
	fputs("</td>", f);
}

static void
inside(FILE *f, const struct report *r)
{
	size_t n = REP_ROWS(r, r->inside);

	table_head(f, "inside-hosts", "Inside hosts", n, r->all.inside,
	    "<th>address</th><th>name</th><th>first seen</th><th>last seen"
	    "</th><th class=\"n\">in</th><th class=\"n\">out</th><th class="
	    "\"n\">destinations</th><th>top destinations</th>");
	for (size_t i = 0; i < n; i++) {
		const struct rep_host *h = &r->inside.v[i];

		fputs("<tr>", f);
		td(f, "", h->ip);
		td(f, " class=\"name\"", h->name);
		td_time(f, h->first);
		td_time(f, h->last);
		td_n(f, h->in);
		td_n(f, h->out);
		td_n(f, h->dests);
		top_dests(f, h);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>", f);
	if (n > 0) {
		fputs("<h2>Inside hosts by hour of day</h2><p class=\"note\">"
		    "Host 1 is the table's first row; events not folded into "
		    "scans.</p>", f);
		chart_heatmap_hosts(f, r, n);
	}
	fputs("</section>\n", f);
}

static void
ports(FILE *f, const struct report *r, const char *id, const char *t,
    size_t all, const struct rep_port *v)
{
	size_t n = all < (size_t)r->top ? all : (size_t)r->top;

	table_head(f, id, t, n, all, "<th class=\"n\">port</th><th>protocol"
	    "</th><th class=\"n\">events</th>");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "<tr><td class=\"n\">%u</td><td>%s</td><td class=\"n\">"
		    "%" PRIu64 "</td></tr>\n", v[i].port, v[i].proto, v[i].events);
	fputs("</tbody></table></div></section>\n", f);
}

static void
scans(FILE *f, const struct report *r)
{
	size_t n = REP_ROWS(r, r->scans);

	table_head(f, "scans", "Port scans", n, r->all.scans,
	    "<th>source</th><th>target</th><th class=\"n\">ports</th>"
	    "<th class=\"n\">events</th><th class=\"n\">suppressed</th>"
	    "<th>start</th><th>end</th>");
	for (size_t i = 0; i < n; i++) {
		const struct rep_scan *s = &r->scans.v[i];

		fputs("<tr>", f);
		td(f, "", s->source);
		td(f, "", s->target);
		td_n(f, s->ports);
		td_n(f, s->events);
		td_n(f, s->suppressed);
		td_time(f, s->start);
		td_time(f, s->end);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div></section>\n", f);
}

static void
new_hosts(FILE *f, const struct report *r)
{
	size_t n = REP_ROWS(r, r->new_hosts);

	table_head(f, "new-hosts", "New hosts", n, r->all.new_hosts,
	    "<th>first seen</th><th>address</th><th>name</th>"
	    "<th>first connection to</th>");
	for (size_t i = 0; i < n; i++) {
		const struct rep_newhost *h = &r->new_hosts.v[i];

		fputs("<tr>", f);
		td_time(f, h->when);
		td(f, "", h->ip);
		td(f, " class=\"name\"", h->name);
		td(f, "", h->first_dest);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div></section>\n", f);
}

int
write_html(FILE *f, const struct report *r)
{
	page_head(f, r);
	if (model_empty(r)) {
		fputs("<p id=\"empty\">No connection events, scans or new hosts "
		    "in this period.</p>\n", f);
	} else {
		totals(f, r);
		charts(f, r);
		new_hosts(f, r);
		scans(f, r);
		outside(f, r);
		inside(f, r);
		ports(f, r, "ports-in", "Destination ports inbound",
		    r->all.ports_in, r->ports_in.v);
		ports(f, r, "ports-out", "Destination ports outbound",
		    r->all.ports_out, r->ports_out.v);
	}
	fputs("<footer class=\"note\"><p>Made by linklog-report " PACKAGE_VERSION
	    ".</p></footer>\n</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}
