/*
 * chart.h - the report's charts as inline SVG, drawn from the model's
 * timeline: events per hour (inbound and outbound stacked, scans marked)
 * and the activity heatmap (hour of day x day, local time).  Presentation
 * attributes only (no style attribute, no reference to anything outside
 * the element), so the page's Content-Security-Policy has nothing to
 * allow.  The SVG scales to the page's width (viewBox).
 */
#ifndef LINKLOG_REPORT_CHART_H
#define LINKLOG_REPORT_CHART_H

#include <stdio.h>

#include "model.h"

void chart_timeline(FILE *f, const struct report *r);
void chart_heatmap(FILE *f, const struct report *r);
/* The first n inside hosts, a row each ("host 1" is the table's first). */
void chart_heatmap_hosts(FILE *f, const struct report *r, size_t n);

#endif
