/*
 * log.c - diagnostics of linklog itself: to standard error, never to
 * syslog(3).
 *
 * syslog carries the traffic lines, under syslog.ident, to wherever the
 * system logger routes them (a traffic file, logwatch): linklog's own
 * statistics and errors must not land there.  Under systemd standard
 * error is the journal, so `journalctl -u linklog` shows them with the
 * unit's identity; there each message starts with its level as <N>
 * (sd-daemon(3)), which the journal takes as the priority.  Elsewhere a
 * message reads "linklog: ..." for the terminal or the service manager
 * that collects standard error.
 *
 * Called from the main thread and from the syslog writer: a message is
 * formatted first and written with one write(2), whole.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define MAX_MESSAGE 2048

static const char *prog = "linklog";
static int stderr_is_journal;

/* JOURNAL_STREAM names the journal's stream when it is standard error. */
static int
journal_stderr(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) < 0)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *progname)
{
	prog = progname;
	stderr_is_journal = journal_stderr();
}

void
log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(priority, fmt, ap);
	va_end(ap);
}

/*
 * A message with several lines (a refused configuration lists all its
 * errors) stays one message: the journal and logwatch read a line as one
 * entry, and an unprefixed second line would have no level or name.
 */
static size_t
one_line(char *dst, size_t size, const char *src, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (src[i] != '\n') {
			dst[o++] = src[i];
			continue;
		}
		dst[o++] = ';';
		dst[o++] = ' ';
	}
	return o;
}

void
log_vmsg(int priority, const char *fmt, va_list ap)
{
	char buf[MAX_MESSAGE], line[MAX_MESSAGE];
	int saved = errno, n, m;
	size_t len;
	ssize_t w;

	if (stderr_is_journal)
		n = snprintf(buf, sizeof(buf), "<%d>", LOG_PRI(priority));
	else
		n = snprintf(buf, sizeof(buf), "%s: ", prog);
	m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	n += m > 0 ? m : 0;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	len = one_line(line, sizeof(line) - 1, buf, (size_t)n);
	line[len++] = '\n';
	w = write(STDERR_FILENO, line, len);
	(void)w;                        /* nowhere left to report it */
	errno = saved;
}

int
log_ratelimit(time_t *last, time_t interval)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (*last != 0 && ts.tv_sec - *last < interval)
		return 0;
	*last = ts.tv_sec ? ts.tv_sec : 1;
	return 1;
}

void
log_fatal(int status, const char *fmt, ...)
{
	va_list ap;

	/* At level err: under systemd the journal files it as one. */
	va_start(ap, fmt);
	log_vmsg(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(status);
}
