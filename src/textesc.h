/*
 * textesc.h - the pieces of escaping shared by linklog's JSON output
 * (json.c) and linklog-report's HTML, JSON and text: the length of a valid
 * UTF-8 sequence and the JSON escape of an ASCII byte.  Pure functions,
 * no state, no allocation.
 */
#ifndef LINKLOG_TEXTESC_H
#define LINKLOG_TEXTESC_H

#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at s (of at most n bytes) whose first
 * byte is >= 0x80, or 0 if it is not one (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
size_t textesc_utf8_len(const unsigned char *s, size_t n);

/*
 * The RFC 8259 escape of the ASCII byte c (quote, backslash, control
 * characters and DEL), written to e; returns its length, 0 when c needs
 * none.
 */
size_t textesc_json_ascii(unsigned char c, char e[6]);

/* U+FFFD, which stands for each byte that is not valid UTF-8. */
#define TEXTESC_REPLACEMENT "\xef\xbf\xbd"

#endif
