/*
 * render.h - output templates: compiled once, rendered in one pass.
 *
 * A template is text with %-tokens (the article's table plus %r, %R, %g,
 * %I for an RFC 3339 time, %c %C %o %O for the country and AS of source
 * and destination, %k %n %u %L %x for the events linklog makes, and %%).
 * A connection of a scanner under scan.action "annotate" ends with
 * " [scan]".
 * Rendering never re-reads its own output, so a value that contains '%'
 * is printed as is, and every byte of a value that is not printable ASCII
 * (control bytes, DEL, bytes >= 0x80) or is a backslash is written as a
 * \ooo octal escape: one event is always exactly one line.
 */
#ifndef LINKLOG_RENDER_H
#define LINKLOG_RENDER_H

#include <stddef.h>

#include "event.h"

#define RENDER_DEFAULT "%t [%i, %p] %s:%S -> %d:%D"
/* syslog stamps its own time. */
#define RENDER_SYSLOG_DEFAULT "%r: [%i, %p] %s:%S -> %d:%D"

/*
 * The events linklog makes (scan.c, repeat.c): %k names the kind, %n %u
 * %L %x give its figures; "*" stands for what a scan does not have one
 * of (ports of a vertical scan, targets of a sweep, source ports).
 */
#define RENDER_SCAN_DEFAULT \
	"%t [%k] [%i, %p] %a -> %A:%D: %n distinct in %u s, %x not shown: %L"
#define RENDER_SCAN_SYSLOG_DEFAULT \
	"%r: [%k] [%i, %p] %a -> %A:%D: %n distinct in %u s, %x not shown: %L"
#define RENDER_REPEAT_DEFAULT \
	"%t [%k] [%i, %p] %s -> %d:%D: %n times in %u s"
#define RENDER_REPEAT_SYSLOG_DEFAULT \
	"%r: [%k] [%i, %p] %s -> %d:%D: %n times in %u s"

/* A new inside host (state.c): its first connection out. */
#define RENDER_NEW_HOST_DEFAULT \
	"%t new host on the LAN: %a (%s), first connection out to %A:%D"
#define RENDER_NEW_HOST_SYSLOG_DEFAULT \
	"%r: new host on the LAN: %a (%s), first connection out to %A:%D"

/* Room for the longest line: a 64 KiB raw string, every byte escaped. */
#define RENDER_LINE_MAX (4 * 65536 + 4096)

struct template;

/* The names to print for %s, %d and %R; NULL prints the address. */
struct render_names {
	const char *src, *dst, *router;
};

/*
 * Whether text is a valid template (the settings' check, which compiles
 * nothing): 0, or -1 with the reason in err.
 */
int render_check(const char *text, char *err, size_t errlen);

/* Compile text; on error returns NULL with a message in err. */
struct template *render_compile(const char *text, char *err, size_t errlen);
void render_free(struct template *t);

/* Whether the template uses token c (e.g. 's' for %s). */
int render_uses(const struct template *t, char c);

/*
 * Render ev into buf (no newline, NUL-terminated); returns the length.
 * show_ports: print port numbers instead of service names.
 */
size_t render_event(const struct template *t, const struct event *ev,
    const struct render_names *names, int show_ports, char *buf, size_t size);

/*
 * text escaped as values are (\ooo for what is not printable ASCII, and
 * for the backslash), NUL-terminated, cut before an escape that does not
 * fit.  Returns the length.
 */
size_t render_escape(const char *text, size_t len, char *buf, size_t size);

/* The line for a string that held no message: "%t [raw] %r: <text>". */
size_t render_raw(time_t when, const struct router *router, const char *text,
    size_t len, char *buf, size_t size);

#endif
