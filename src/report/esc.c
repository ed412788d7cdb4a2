/*
 * esc.c - escaping for HTML, JSON and the terminal (see esc.h).  The
 * UTF-8 check and the JSON escape of a byte are textesc.c's, shared with
 * linklog's own JSON output.
 */
#include <string.h>

#include "esc.h"
#include "textesc.h"

/*
 * The next character of s: its length in *len (1 for a byte that is not
 * valid UTF-8, which *valid says).
 */
static size_t
next_char(const unsigned char *s, size_t n, int *valid)
{
	size_t len;

	*valid = 1;
	if (s[0] < 0x80)
		return 1;
	if ((len = textesc_utf8_len(s, n)) > 0)
		return len;
	*valid = 0;
	return 1;
}

static const char *
html_entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	}
	return NULL;
}

void
esc_html(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, len;
	int valid;

	if (s == NULL)
		return;
	n = strlen(s);
	for (size_t i = 0; i < n; i += len) {
		const char *e;

		len = next_char(u + i, n - i, &valid);
		if (!valid || u[i] < 0x20 || u[i] == 0x7f)
			fputs(TEXTESC_REPLACEMENT, f);
		else if ((e = html_entity(u[i])) != NULL)
			fputs(e, f);
		else
			fwrite(u + i, 1, len, f);
	}
}

void
esc_json(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, len;
	int valid;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	n = strlen(s);
	putc('"', f);
	for (size_t i = 0; i < n; i += len) {
		char e[6];
		size_t elen;

		len = next_char(u + i, n - i, &valid);
		if (!valid)
			fputs(TEXTESC_REPLACEMENT, f);
		else if (len == 1 && (elen = textesc_json_ascii(u[i], e)) > 0)
			fwrite(e, 1, elen, f);
		else
			fwrite(u + i, 1, len, f);
	}
	putc('"', f);
}

size_t
esc_text(FILE *f, const char *s, size_t width)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, len, col = 0, chars = 0;
	int valid;

	if (s == NULL)
		s = "-", u = (const unsigned char *)s;
	n = strlen(s);
	for (size_t i = 0; i < n; i += next_char(u + i, n - i, &valid))
		chars++;
	for (size_t i = 0; i < n && col < width; i += len, col++) {
		len = next_char(u + i, n - i, &valid);
		if (chars > width && col == width - 1)
			putc('~', f);
		else if (!valid || u[i] < 0x20 || u[i] == 0x7f ||
		    (len == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0))
			putc('?', f);           /* C1 controls too (CSI) */
		else
			fwrite(u + i, 1, len, f);
	}
	return col;
}
