/*
 * chart.c - SVG charts of the timeline (see chart.h).  Only numbers and
 * the program's own labels go into the SVG; no string from the database.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "when.h"

#define TL_W 800
#define TL_H 220
#define TL_LEFT 48
#define TL_BOTTOM 28
#define TL_TOP 14

#define COLOR_IN "#2b6cb0"
#define COLOR_OUT "#dd8a1a"
#define COLOR_SCAN "#c53030"

static uint64_t
hour_max(const struct report *r)
{
	uint64_t max = 0;

	for (size_t i = 0; i < r->timeline.n; i++) {
		uint64_t v = r->timeline.v[i].inbound + r->timeline.v[i].outbound;

		if (v > max)
			max = v;
	}
	return max;
}

/* Hour labels at most every 12th bar: local "13:00", or the date at 0h. */
static void
timeline_labels(FILE *f, const struct report *r, double bw)
{
	size_t step = r->timeline.n <= 24 ? 3 : r->timeline.n <= 72 ? 6 :
	    r->timeline.n <= 24 * 8 ? 24 : 24 * 7;

	for (size_t i = 0; i < r->timeline.n; i++) {
		char t[24];
		struct tm tm;

		localtime_r(&r->timeline.v[i].hour, &tm);
		if ((step < 24 && tm.tm_hour % (int)step != 0) ||
		    (step >= 24 && (tm.tm_hour != 0 ||
		    (step > 24 && tm.tm_wday != 1))))
			continue;
		strftime(t, sizeof(t), tm.tm_hour == 0 ? "%m-%d" : "%H:%M", &tm);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"ax\">%s</text>",
		    TL_LEFT + bw * (double)i, TL_H - 10, t);
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
		    "stroke=\"#999\" stroke-width=\"0.5\"/>", TL_LEFT + bw *
		    (double)i, TL_LEFT + bw * (double)i, TL_H - TL_BOTTOM,
		    TL_H - TL_BOTTOM + 4);
	}
}

static void
timeline_bar(FILE *f, const struct rep_hour *h, double x, double bw,
    uint64_t max)
{
	double plot = TL_H - TL_BOTTOM - TL_TOP;
	double hin = max ? plot * (double)h->inbound / (double)max : 0;
	double hout = max ? plot * (double)h->outbound / (double)max : 0;
	double base = TL_H - TL_BOTTOM;
	char t[24];

	when_minute(h->hour, t, sizeof(t));
	fprintf(f, "<g class=\"hour\"><title>%s: %" PRIu64 " in, %" PRIu64
	    " out, %" PRIu64 " scans</title>", t, h->inbound, h->outbound,
	    h->scans);
	if (h->inbound)
		fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
		    "height=\"%.2f\" fill=\"" COLOR_IN "\"/>", x, base - hin,
		    bw * 0.9, hin);
	if (h->outbound)
		fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
		    "height=\"%.2f\" fill=\"" COLOR_OUT "\"/>", x,
		    base - hin - hout, bw * 0.9, hout);
	if (h->scans)
		fprintf(f, "<path class=\"scan\" d=\"M%.2f %d l%.2f 0 l%.2f "
		    "8z\" fill=\"" COLOR_SCAN "\"/>", x + bw * 0.45 - 4,
		    TL_TOP - 12, 8.0, -4.0);
	fputs("</g>", f);
}

void
chart_timeline(FILE *f, const struct report *r)
{
	uint64_t max = hour_max(r);
	double bw = r->timeline.n ? (double)(TL_W - TL_LEFT) /
	    (double)r->timeline.n : 1;

	fprintf(f, "<svg id=\"timeline\" role=\"img\" viewBox=\"0 0 %d %d\" "
	    "xmlns=\"http://www.w3.org/2000/svg\"><title>Events per hour"
	    "</title>", TL_W, TL_H);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">"
	    "%" PRIu64 "</text><text x=\"%d\" y=\"%d\" class=\"ax\" "
	    "text-anchor=\"end\">0</text>", TL_LEFT - 4, TL_TOP + 4, max,
	    TL_LEFT - 4, TL_H - TL_BOTTOM);
	fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" "
	    "stroke=\"#999\"/>", TL_LEFT, TL_W, TL_H - TL_BOTTOM,
	    TL_H - TL_BOTTOM);
	for (size_t i = 0; i < r->timeline.n; i++)
		timeline_bar(f, &r->timeline.v[i], TL_LEFT + bw * (double)i,
		    bw, max);
	timeline_labels(f, r, bw);
	fputs("</svg>\n", f);
}

#define HM_CELL 24
#define HM_LEFT 78
#define HM_TOP 18
#define HM_MAXDAYS 62

/* Sum the timeline into days x 24 local hours; returns the days. */
static size_t
heat_grid(const struct report *r, uint64_t grid[][24], char days[][12],
    uint64_t *max)
{
	size_t n = 0;

	*max = 0;
	for (size_t i = 0; i < r->timeline.n; i++) {
		const struct rep_hour *h = &r->timeline.v[i];
		struct tm tm;
		char d[12];

		localtime_r(&h->hour, &tm);
		strftime(d, sizeof(d), "%a %m-%d", &tm);
		if (n == 0 || strcmp(days[n - 1], d) != 0) {
			if (n == HM_MAXDAYS)
				break;
			memset(grid[n], 0, sizeof(grid[n]));
			strcpy(days[n++], d);
		}
		grid[n - 1][tm.tm_hour] += h->inbound + h->outbound;
		if (grid[n - 1][tm.tm_hour] > *max)
			*max = grid[n - 1][tm.tm_hour];
	}
	return n;
}

static void
heat_cell(FILE *f, size_t day, int hour, uint64_t v, uint64_t max,
    const char *label)
{
	/* A square root scale: one busy hour must not hide the rest. */
	double level = 0;

	if (v > 0 && max > 0)
		level = 0.12 + 0.88 * sqrt((double)v / (double)max);
	fprintf(f, "<rect x=\"%d\" y=\"%zu\" width=\"%d\" height=\"%d\" "
	    "fill=\"%s\" fill-opacity=\"%.2f\"><title>%s %02d:00: %" PRIu64
	    " events</title></rect>", HM_LEFT + hour * HM_CELL, HM_TOP + day *
	    HM_CELL, HM_CELL - 2, HM_CELL - 2, v ? COLOR_IN : "#888",
	    v ? level : 0.08, label, hour, v);
}

void
chart_heatmap(FILE *f, const struct report *r)
{
	static uint64_t grid[HM_MAXDAYS][24];
	static char days[HM_MAXDAYS][12];
	uint64_t max;
	size_t n = heat_grid(r, grid, days, &max);

	fprintf(f, "<svg id=\"heatmap\" role=\"img\" viewBox=\"0 0 %d %zu\" "
	    "xmlns=\"http://www.w3.org/2000/svg\"><title>Activity by hour of "
	    "day</title>", HM_LEFT + 24 * HM_CELL, HM_TOP + n * HM_CELL);
	for (int h = 0; h < 24; h += 3)
		fprintf(f, "<text x=\"%d\" y=\"12\" class=\"ax\">%02d</text>",
		    HM_LEFT + h * HM_CELL + 4, h);
	for (size_t d = 0; d < n; d++) {
		fprintf(f, "<text x=\"0\" y=\"%zu\" class=\"ax\">%s</text>",
		    HM_TOP + d * HM_CELL + 16, days[d]);
		for (int h = 0; h < 24; h++)
			heat_cell(f, d, h, grid[d][h], max, days[d]);
	}
	fputs("</svg>\n", f);
}

/*
 * The inside hosts' activity by local hour of day, a row each (ntopng's
 * activity map): only the hours are drawn, the hosts' names are the
 * table's (html.c), by row number.
 */
void
chart_heatmap_hosts(FILE *f, const struct report *r, size_t n)
{
	uint64_t max = 0;

	for (size_t i = 0; i < n; i++)
		for (int h = 0; h < 24; h++)
			if (r->inside.v[i].hours[h] > max)
				max = r->inside.v[i].hours[h];
	fprintf(f, "<svg id=\"heatmap-hosts\" role=\"img\" viewBox=\"0 0 %d "
	    "%zu\" xmlns=\"http://www.w3.org/2000/svg\"><title>Inside hosts by "
	    "hour of day</title>", HM_LEFT + 24 * HM_CELL, HM_TOP + n * HM_CELL);
	for (int h = 0; h < 24; h += 3)
		fprintf(f, "<text x=\"%d\" y=\"12\" class=\"ax\">%02d</text>",
		    HM_LEFT + h * HM_CELL + 4, h);
	for (size_t i = 0; i < n; i++) {
		char label[32];

		snprintf(label, sizeof(label), "host %zu", i + 1);
		fprintf(f, "<text x=\"0\" y=\"%zu\" class=\"ax\">%s</text>",
		    HM_TOP + i * HM_CELL + 16, label);
		for (int h = 0; h < 24; h++)
			heat_cell(f, i, h, r->inside.v[i].hours[h], max, label);
	}
	fputs("</svg>\n", f);
}
