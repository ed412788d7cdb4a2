/*
 * esc.h - every string from the network or a database file goes out
 * through one of these: HTML text and attribute values, JSON strings, and
 * terminal text.  Each output is valid UTF-8 whatever the input (a byte
 * that is not is U+FFFD, or '?' on a terminal), and none can carry markup
 * or a terminal's escape sequence.
 */
#ifndef LINKLOG_REPORT_ESC_H
#define LINKLOG_REPORT_ESC_H

#include <stddef.h>
#include <stdio.h>

/*
 * s as HTML text or a quoted attribute's value: & < > " ' as character
 * references, control characters as U+FFFD.  NULL writes nothing.
 */
void esc_html(FILE *f, const char *s);

/* s as a JSON string with its quotes (RFC 8259); NULL writes null. */
void esc_json(FILE *f, const char *s);

/*
 * s for a terminal in at most width columns (one per character; control
 * characters and bytes that are not UTF-8 as '?'), cut with '~' when
 * longer; returns the columns written.  NULL writes "-".
 */
size_t esc_text(FILE *f, const char *s, size_t width);

#endif
