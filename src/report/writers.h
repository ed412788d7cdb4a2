/*
 * writers.h - a report's three forms, each written to a stream from the
 * model alone: html.c (one self-contained page, charts of chart.c),
 * text.c (80 columns) and jsonout.c (one object, linklog-report(1)).
 * They return 0, or -1 when the stream failed (ferror).
 */
#ifndef LINKLOG_REPORT_WRITERS_H
#define LINKLOG_REPORT_WRITERS_H

#include <stdio.h>

#include "model.h"

int write_html(FILE *f, const struct report *r);
int write_text(FILE *f, const struct report *r);
int write_json(FILE *f, const struct report *r);

/* The rows a table shows: at most --top (db.c reads no more). */
#define REP_ROWS(r, vec) ((vec).n < (size_t)(r)->top ? (vec).n : (size_t)(r)->top)

#endif
