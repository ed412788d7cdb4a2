/*
 * unparsed.c - strings without a message: counted, warned about, costed.
 */
#include <string.h>

#include "parse.h"
#include "render.h"
#include "unparsed.h"

/* Bytes of an unparsed "@in "/"@out " string shown in its warning. */
#define WARN_TEXT 300

/*
 * Whether a string that held no message is text at all (a router's log
 * line, a system event) rather than a BITS or binary value: no NUL before
 * the terminators firmwares end text with, and at least half of it
 * printable ASCII or white space.
 */
static int
looks_like_text(const char *s, size_t len)
{
	size_t printable = 0;

	while (len > 0 && (s[len - 1] == '\0' || s[len - 1] == '\r' ||
	    s[len - 1] == '\n'))
		len--;
	if (len == 0 || memchr(s, '\0', len) != NULL)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r' ||
		    c == '\n')
			printable++;
	}
	return printable * 2 >= len;
}

/* "@in "/"@out " text that did not parse: never lost without a word. */
static void
warn(struct reporter *rep, const char *text, size_t len,
    const struct sockaddr *sa, time_t now)
{
	char detail[4 * WARN_TEXT + 8];
	size_t n;

	detail[0] = '"';
	n = 1 + render_escape(text, len < WARN_TEXT ? len : WARN_TEXT,
	    detail + 1, sizeof(detail) - 6);
	strcpy(detail + n, len > WARN_TEXT ? "\"..." : "\"");
	report(rep, REPORT_UNPARSED, sa, now, detail);
}

void
unparsed_string(struct unparsed_stats *st, struct reporter *rep,
    int forward, const char *text, size_t len, const struct sockaddr *sa,
    time_t now)
{
	/* A string that begins like a message is a broken one, whatever
	 * follows; --unparsed=forward shows every string, text or not. */
	int message = parse_is_message_start(text, len);

	if (!message && !looks_like_text(text, len))
		st->binary_strings++;
	else
		st->unparsed++;
	if (!message)
		return;
	st->unparsed_messages++;
	if (!forward)
		warn(rep, text, len, sa, now);
}

uint64_t
unparsed_cost(size_t len)
{
	return 1 + len / UNPARSED_COST_BYTES;
}
